"""A fingerprint of the site as the public sees it and as it is stored, for comparing a
site with its restored backup (tools.check_backup_restore).

    python -m tools.site_snapshot save OUT.json     # with DATABASE_URL and MEDIA_ROOT or AWS_*
    python -m tools.site_snapshot compare A.json B.json

`save` records
* every public page in both languages, rendered afresh (page cache off) through Django's
  test client: found by following the links of the home pages, list pages, sitemap,
  feeds and API from page to page (the admin, previews, static files and /i18n/ left
  out), each with its status, content type and body;
* a digest of every row of every table (translations, revisions, credits, users, the
  search index…) and, on PostgreSQL, the sequences' positions;
* a digest of every media file (under MEDIA_ROOT, or in the bucket).

Bodies are compared as rendered except for the per-request tokens: CSP nonces, CSRF
tokens and iCalendar DTSTAMP lines (the time of the request, RFC 5545).
"""

import hashlib
import json
import logging
import os
import re
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

MAX_PAGES = 5000
SEED_PATHS = ["/sitemap.xml", "/robots.txt", "/api/v1/", "/api/schema/"]
# Crawled from each language editors write: the derived one is reached through links.
SEED_PAGES = (
    "",
    "about/",
    "reports/",
    "people/",
    "feeds/reports.atom",
    "feeds/reports.rss",
    "search/?q=digital+economy",
    "search/?q=%E7%AE%97%E5%8A%9B",  # 算力
    "search/?q=%E5%A4%A9%E6%B4%A5",  # 天津
)
SKIP = re.compile(r"^/(admin|static|media|i18n)/|/preview/")

# Per-request values, replaced before comparing.
PER_REQUEST = [
    (re.compile(rb'nonce="[^"]*"'), b'nonce="-"'),
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"'), rb'\1-"'),
    (re.compile(rb'("csrfToken"\s*:\s*")[^"]*"'), rb'\1-"'),
    (re.compile(rb"^DTSTAMP:[0-9TZ]+(\r?)$", re.M), rb"DTSTAMP:-\1"),
]


def normalise(body):
    for pattern, replacement in PER_REQUEST:
        body = pattern.sub(replacement, body)
    return body


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def local_path(link, base_path):
    """The site-local path of a link on the page at base_path, or None."""
    target = urllib.parse.urlsplit(urllib.parse.urljoin(f"http://testserver{base_path}", link))
    site = urllib.parse.urlsplit(os.environ.get("SITE_URL", "http://127.0.0.1:8000"))
    if target.scheme not in ("http", "https") or target.netloc not in ("testserver", site.netloc):
        return None
    path = target.path + (f"?{target.query}" if target.query else "")
    return None if SKIP.search(target.path) else path


def links_in(path, content_type, body):
    text = body.decode("utf-8", "replace")
    if "html" in content_type:
        parser = LinkParser()
        parser.feed(text)
        found = parser.links
    elif "json" in content_type:
        found = re.findall(r'"(https?://[^"]+|/[^"\s]*)"', text)
    elif "xml" in content_type:  # sitemap, feeds
        found = re.findall(r"<loc>([^<]+)</loc>|href=\"([^\"]+)\"", text)
        found = [a or b for a, b in found]
    else:
        found = []
    return [p for link in found if (p := local_path(link, path))]


def crawl():
    from django.test import Client

    from forum.core import languages

    seeds = [*SEED_PATHS, *(f"/{code}/{page}" for code in languages.EDITED for page in SEED_PAGES)]
    client = Client(raise_request_exception=False)
    pages, queue, seen = {}, list(seeds), set(seeds)
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        body = response.getvalue()  # whole body, streamed or not
        pages[path] = {
            "status": response.status_code,
            "type": content_type,
            "location": response.get("Location", ""),
            "sha256": hashlib.sha256(normalise(body)).hexdigest(),
            "body": normalise(body).decode("utf-8", "replace")[:200000],
        }
        for link in links_in(path, content_type, body) if response.status_code == 200 else ():
            if link not in seen:
                seen.add(link)
                queue.append(link)
        redirect = response.status_code in (301, 302)
        if redirect and (loc := local_path(response["Location"], path)) and loc not in seen:
            seen.add(loc)
            queue.append(loc)
    return pages


def stored_models():
    """(model, its columns' attnames) of every table Django manages, the many-to-many
    tables included."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.proxy and opts.managed:
            yield model, [field.attname for field in opts.local_concrete_fields]


def table_digests():
    from django.db import connection

    from tools.backup import TRANSIENT_TABLES

    digests = {}
    for model, columns in stored_models():
        if model._meta.db_table in TRANSIENT_TABLES:  # never in a backup
            continue
        rows = model._base_manager.order_by("pk").values_list(*columns)
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
            count += 1
        digests[model._meta.db_table] = f"{count} rows {digest.hexdigest()}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
            digests["(sequences)"] = dict(cursor.fetchall())
    return digests


def media_digests():
    from django.core.files.storage import default_storage

    from forum.core.storage import all_files

    files = {}
    for name in all_files():
        with default_storage.open(name, "rb") as file:
            files[name] = hashlib.sha256(file.read()).hexdigest()
    return files


def save(out):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdfsite.settings.base")
    import django

    django.setup()
    # Thousands of pages: not a log line each.
    logging.getLogger("cdfsite.request").setLevel(logging.WARNING)
    snapshot = {"pages": crawl(), "tables": table_digests(), "media": media_digests()}
    Path(out).write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True))
    pages = snapshot["pages"]
    ok = sum(1 for page in pages.values() if page["status"] == 200)
    print(
        f"snapshot: {len(pages)} pages ({ok} with 200), {len(snapshot['tables'])} tables, "
        f"{len(snapshot['media'])} media files"
    )
    broken = sorted(path for path, page in pages.items() if page["status"] >= 500)
    if broken:
        print(f"server errors on {len(broken)} pages: {', '.join(broken[:10])}")
        return 1
    return 0


def compare(first, second):
    a, b = (json.loads(Path(name).read_text()) for name in (first, second))
    differences = []
    for section in ("pages", "tables", "media"):
        for key in sorted(set(a[section]) | set(b[section])):
            left, right = a[section].get(key), b[section].get(key)
            if left == right:
                continue
            if left is None or right is None:
                differences.append(f"{section}: {key} only in {first if right is None else second}")
            elif section == "pages":
                fields = [
                    f for f in ("status", "type", "location", "sha256") if left[f] != right[f]
                ]
                line = first_difference(left["body"], right["body"])
                differences.append(f"pages: {key} differs in {', '.join(fields)}; {line}")
            else:
                differences.append(f"{section}: {key}: {left} != {right}")
    for line in differences[:50]:
        print("  " + line)
    pages = len(a["pages"])
    if differences:
        print(f"{len(differences)} differences ({pages} pages compared)")
        return 1
    print(f"identical: {pages} pages, {len(a['tables'])} tables, {len(a['media'])} media files")
    return 0


def first_difference(left, right):
    """Where two bodies first differ, with a little context from each."""
    at = next(
        (i for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y),
        min(len(left), len(right)),
    )
    line = left.count("\n", 0, at) + 1
    start = max(0, at - 40)
    return f"line {line}: {left[start : at + 60]!r} != {right[start : at + 60]!r}"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and argv[0] == "save":
        return save(argv[1])
    if len(argv) == 3 and argv[0] == "compare":
        return compare(argv[1], argv[2])
    return __doc__


if __name__ == "__main__":
    sys.exit(main())
