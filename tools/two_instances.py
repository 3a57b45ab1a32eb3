"""Two app instances sharing one PostgreSQL database, one Redis and one bucket of object
storage (docs/operations.md, docs/runbook.md).

Starts two gunicorn servers, A and B, on loopback ports 9161 and 9162 (TWO_INSTANCES_PORTS;
as `make serve` does: DEBUG off, page cache on, REDIS_URL set) over a throwaway PostgreSQL
database with the demo content and, when OPS_S3_ENDPOINT_URL names an S3-compatible server,
a throwaway bucket for the media with a MEDIA_ROOT of each instance's own that must stay
empty (else one shared MEDIA_ROOT), and checks, through HTTP only, every request
carrying the same Host header as behind a load balancer (the page cache keys pages by host):

1. the page cache is shared: a page B cached is a hit on A;
2. a change to a published report saved in A's admin stays off the public pages of B
   (it is a working copy), and once published through A, B serves it at once, in both
   languages, although B had the old page cached;
3. a report created and published through A's admin is served by B at once (B's cached
   report list shows it); unpublished through A, B stops serving it at once;
4. two editors with the report's change form open, one on A and one on B, both change the
   headline: A saves, then B's save comes back ("Someone else saved this report…") with
   B's input kept and both headlines shown, and B saves after choosing theirs or mine;
5. a photo uploaded through A's admin is in the bucket, and B serves the person's page
   with its renditions, and the renditions themselves, without making them again;
6. no 5xx in the access logs and no error or traceback in either server's log.

Exits 1 on any failed check, 2 when PostgreSQL or Redis is not reachable. Always stops
its servers, drops its database and deletes its Redis keys (its own key prefix).

    .venv/bin/python -m tools.two_instances [--keep-logs DIR]
"""

import argparse
import io
import json
import os
import re
import sys

from tools import serving
from tools.admin_client import Client, errors, form_data
from tools.serving import HOST, Checks, Workspace, check_logs, log, verdict

PORTS = os.environ.get("TWO_INSTANCES_PORTS", "9161,9162")
PORT_A, PORT_B = (int(port) for port in PORTS.split(","))
PUBLIC_HOST = "localhost"  # the Host header a proxy in front of both would pass on
EDITOR = serving.DEMO_EDITOR
EDITOR2 = ("editor2", "cdf-editor2-ops")  # made here, also in the Editors group
REPORT_SLUGS = serving.demo_report_slugs()
# English and Chinese, and the report form's columns, as the language registry names them.
EN, ZH = serving.site_languages().written
HEADLINE_EN, HEADLINE_ZH = (serving.site_languages().column("headline", code) for code in (EN, ZH))
SLUG_EN, SLUG_ZH = (serving.site_languages().column("slug", code) for code in (EN, ZH))

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from forum.core import languages, roles
from forum.models import Report
user = get_user_model().objects.create_user(%r, password=%r, is_staff=True)
user.groups.add(Group.objects.get(name=roles.EDITORS))
from forum.models import Person
slug = languages.column("slug", languages.DEFAULT)
print(json.dumps({"report": Report.objects.get(**{slug: %r}).pk,
                  "person": Person.objects.get(slug="li-wenhai").pk}))
"""


def say(message):
    log("two-instances", message)


def report_path(language, slug):
    return f"/{language}/reports/{slug}/"


def run(check, report_pk):
    # As behind a load balancer: both instances see one public host name.
    reader_a, reader_b = (
        Client(HOST, PORT_A, host_header=PUBLIC_HOST),
        Client(HOST, PORT_B, host_header=PUBLIC_HOST),
    )
    editor_a = Client(HOST, PORT_A, host_header=PUBLIC_HOST).login(*EDITOR)
    editor2_b = Client(HOST, PORT_B, host_header=PUBLIC_HOST).login(*EDITOR2)
    en, zh = report_path(EN, REPORT_SLUGS[EN]), report_path(ZH, REPORT_SLUGS[ZH])

    say("1. one page cache for both instances")
    for path in (en, zh, f"/{EN}/", f"/{ZH}/", f"/{EN}/reports/"):
        first, second = reader_b.get(path), reader_b.get(path)
        states = f"{first.header('x-page-cache')}, then {second.header('x-page-cache')}"
        check(
            first.status == 200 and second.header("x-page-cache") == "hit",
            f"B caches {path} ({states})",
        )
    check(
        reader_a.get(en).header("x-page-cache") == "hit",
        "A is served B's cached page (shared Redis)",
    )

    say("2. an edit of a published report, published through A, is on B at once")
    url, form = editor_a.report_form(report_pk)
    old_english, old_chinese = form[HEADLINE_EN], form[HEADLINE_ZH]
    form[HEADLINE_EN] = "Tianjin sets out its digital plan (edited on instance A)"
    form[HEADLINE_ZH] = "天津阐述数字化规划（在实例A上编辑）"
    saved = editor_a.save_report(url, form)
    check(saved.status == 302, f"A saves the working copy (HTTP {saved.status}) {errors(saved)}")
    before = reader_b.get(en)
    check(
        old_english in before.text and "edited on instance A" not in before.text,
        "B still shows the live text while the change is a working copy",
    )
    for action, done, shown in editor_a.publish(report_pk):
        check(done, f"A: {action} → {shown}")
    after_english, after_chinese = reader_b.get(en), reader_b.get(zh)
    check(
        "edited on instance A" in after_english.text and old_english not in after_english.text,
        f"B serves the new English headline at once ({after_english.header('x-page-cache')})",
    )
    check(
        "在实例A上编辑" in after_chinese.text and old_chinese not in after_chinese.text,
        f"B serves the new Chinese headline at once ({after_chinese.header('x-page-cache')})",
    )
    check("edited on instance A" in reader_b.get(f"/{EN}/").text, "B's home page shows it too")

    say("3. a new report published through A is served by B; unpublished, it is gone")
    new = {EN: "ops-two-instances-report", ZH: "ops-liangge-shili-baogao"}
    new_english, new_chinese = report_path(EN, new[EN]), report_path(ZH, new[ZH])
    reader_b.get(f"/{EN}/reports/")
    listing = reader_b.get(f"/{EN}/reports/")
    check(listing.header("x-page-cache") == "hit", "B has the report list cached")
    check(reader_b.get(new_english).status == 404, "B: the new report is not public yet (404)")
    new_pk = editor_a.add_report_like(
        report_pk,
        {
            HEADLINE_EN: "A report published through instance A",
            HEADLINE_ZH: "通过实例A发布的报告",
            SLUG_EN: new[EN],
            SLUG_ZH: new[ZH],
        },
    )
    check(reader_b.get(new_english).status == 404, "B: a draft is not public (404)")
    for action, done, shown in editor_a.publish(new_pk):
        check(done, f"A: {action} → {shown}")
    served_english, served_chinese = reader_b.get(new_english), reader_b.get(new_chinese)
    check(
        served_english.status == 200
        and "A report published through instance A" in served_english.text,
        f"B serves the new report in English at once (HTTP {served_english.status})",
    )
    check(
        served_chinese.status == 200 and "通过实例A发布的报告" in served_chinese.text,
        f"B serves the new report in Chinese at once (HTTP {served_chinese.status})",
    )
    check(
        "A report published through instance A" in reader_b.get(f"/{EN}/reports/").text,
        "B's (previously cached) report list shows it",
    )
    editor_a.post(f"/admin/forum/report/{new_pk}/transition/unpublish/", {"comment": "ops check"})
    check(reader_b.get(new_english).status == 404, "unpublished through A: B answers 404 at once")
    check(
        "A report published through instance A" not in reader_b.get(f"/{EN}/reports/").text,
        "unpublished through A: B's report list no longer shows it",
    )

    say("4. concurrent edits through A and B: no lost update")
    url, form_a = editor_a.report_form(report_pk)
    _url, form_b = editor2_b.report_form(report_pk)
    check(
        form_a["expected_version"] == form_b["expected_version"],
        "both forms start from one version",
    )
    form_a[HEADLINE_EN] = "Headline saved first on A"
    form_b[HEADLINE_EN] = "Headline saved second on B"
    saved_a = editor_a.save_report(url, form_a)
    check(saved_a.status == 302, f"A saves (HTTP {saved_a.status})")
    refused = editor2_b.save_report(url, form_b)
    check(refused.status == 200, f"B's save is not accepted (HTTP {refused.status})")
    check(
        "Someone else saved this report" in refused.text, "B is told someone else saved the report"
    )
    check("Headline saved second on B" in refused.text, "B's input is still in the form")
    check("Headline saved first on A" in refused.text, "B is shown what A changed")
    _url, current = editor_a.report_form(report_pk)
    check(current[HEADLINE_EN] == "Headline saved first on A", "A's save is kept")
    check(f'name="merge_{HEADLINE_EN}"' in refused.text, "B is asked: mine or theirs")
    retry = form_data(refused.text, r"report_form")
    retry[f"merge_{HEADLINE_EN}"] = "mine"
    again = editor2_b.save_report(url, retry)
    check(again.status == 302, f"having chosen, B saves knowingly (HTTP {again.status})")
    _url, current = editor_a.report_form(report_pk)
    check(current[HEADLINE_EN] == "Headline saved second on B", "B's deliberate save is kept")


def shared_media(check, person_pk, bucket, media_roots):
    from PIL import Image

    editor_a = Client(HOST, PORT_A, host_header=PUBLIC_HOST).login(*EDITOR)
    reader_a = Client(HOST, PORT_A, host_header=PUBLIC_HOST)
    reader_b = Client(HOST, PORT_B, host_header=PUBLIC_HOST)
    url = f"/admin/forum/person/{person_pk}/change/"
    form = form_data(editor_a.get(url).text, r"person_form")
    form.pop("photo", None)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 640), (139, 26, 26)).save(buffer, "JPEG")
    saved = editor_a.post_multipart(
        url, form, {"photo": ("Li Wenhai 李文海.jpg", buffer.getvalue(), "image/jpeg")}
    )
    check(saved.status == 302, f"A's admin saves the photo (HTTP {saved.status}) {errors(saved)}")
    listing = serving.bucket_listing(bucket)
    check(any(key.startswith("people/") for key in listing), "the upload is in the bucket")
    made = {k: v for k, v in listing.items() if k.startswith("renditions/public/photo/")}
    check(made, f"its public renditions are in the bucket ({len(made)} files)")
    page = reader_b.get(f"/{EN}/people/li-wenhai/")
    links = sorted(set(re.findall(r"/media/renditions/public/photo/[^\s\"',]+", page.text)))
    check(page.status == 200 and links, f"B's page of the person links {len(links)} renditions")
    for link in links:
        from_b, from_a = reader_b.get(link), reader_a.get(link)
        image = from_b.body[:4] in (b"\xff\xd8\xff\xe0", b"RIFF")  # JPEG, WebP
        check(
            from_b.status == 200 and image and from_b.body == from_a.body,
            f"B serves {link.rsplit('/', 1)[-1]} as A does (HTTP {from_b.status})",
        )
    again = {
        k: v
        for k, v in serving.bucket_listing(bucket).items()
        if k.startswith("renditions/public/photo/")
    }
    check(again == made, "B made no rendition again (same objects, unchanged)")
    local = [str(path) for root in media_roots for path in root.rglob("*") if path.is_file()]
    check(not local, f"nothing on either instance's local disk {local[:3] or ''}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-logs", help="copy the servers' logs to this directory")
    args = parser.parse_args()

    if not serving.postgres_available():
        say("PostgreSQL is not reachable (OPS_PG_URL); start it first")
        return 2
    if not serving.redis_available():
        say(f"Redis is not reachable at {serving.REDIS_URL}; start it first")
        return 2

    check = Checks()
    with Workspace("two", keep_logs=args.keep_logs) as workspace:
        try:
            database_url, prefix = workspace.postgres(), workspace.redis_prefix()
            say(f"database {database_url.rsplit('/', 1)[-1]}, Redis key prefix {prefix}")
            env = serving.site_env(
                DATABASE_URL=database_url,
                REDIS_URL=serving.REDIS_URL,
                CACHE_KEY_PREFIX=prefix,
                PAGE_CACHE="true",
                STATIC_ROOT=workspace.work / "static",
                MEDIA_ROOT=workspace.work / "media",
            )
            bucket = None
            if serving.s3_available():
                env.update(workspace.bucket())
                bucket = env["AWS_STORAGE_BUCKET_NAME"]
                say(f"media in bucket {bucket} at {serving.S3_ENDPOINT_URL}")
            else:
                say("no S3-compatible server (OPS_S3_ENDPOINT_URL): one shared MEDIA_ROOT")
            serving.fill_site(env)
            setup = SETUP % (*EDITOR2, REPORT_SLUGS[EN])
            output = serving.manage(env, "shell", "-c", setup, capture=True)
            ids = json.loads(output.strip().splitlines()[-1])
            media_roots = []
            for name, port in (("a", PORT_A), ("b", PORT_B)):
                instance_env = dict(env)
                if bucket:  # each its own local folder, which must stay empty
                    media_roots.append(workspace.work / f"media-{name}")
                    instance_env["MEDIA_ROOT"] = str(media_roots[-1])
                workspace.serve(name, port, instance_env, workers=2)
            say(f"instances A on :{PORT_A} and B on :{PORT_B}")
            run(check, ids["report"])
            if bucket:
                say("5. media in the shared bucket")
                shared_media(check, ids["person"], bucket, media_roots)
        except Exception as error:  # a crash of the script is a failure too, after clean-up
            check(False, f"{type(error).__name__}: {error}")
        say("6. logs")
        workspace.stop_servers()
        problems = check_logs(workspace.servers)
        check(not problems, f"no 5xx and no errors in the servers' logs {problems or ''}")
    return verdict("two-instances", check.failures, "all checks passed")


if __name__ == "__main__":
    sys.exit(main())
