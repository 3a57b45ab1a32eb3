"""Backup and restore round trip, on PostgreSQL and on SQLite with media on disk, and on
PostgreSQL with media in a bucket (run by .ci/run):

  1. a throwaway site (its own database and MEDIA_ROOT): the demo content, a little bulk
     content, uploaded images with their renditions (one with a Chinese file name), a
     report edited, published and edited again through the workflow (translations,
     revisions, a working copy);
  2. a snapshot of it (tools.site_snapshot): every public page in both languages, every
     table row, every media file;
  3. `make backup`, then `make restore` into an empty database and an empty MEDIA_ROOT
     (or an empty bucket);
  4. a snapshot of the restored site, compared with the first: any difference fails;
  5. `make restore` again, into the now non-empty targets, must be refused.

    .venv/bin/python -m tools.check_backup_restore [postgresql] [sqlite] [bucket]

(default: all three; `bucket` only when OPS_S3_ENDPOINT_URL names an S3-compatible server
that answers). PostgreSQL: reached through OPS_PG_URL (default
postgres://postgres@127.0.0.1:5432/postgres); the databases
cdfsite_ops_backup_{src,dst}_<run> are created and always dropped, as are the buckets.
"""

import argparse
import os
import subprocess
import sys

from tools import serving
from tools.serving import PYTHON, Workspace

ENGINES = ("postgresql", "sqlite", "bucket")


def scenario():
    """Uploads and a report edited through the workflow, on the site of DATABASE_URL (run
    in a child process: `--scenario`)."""
    import io

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from PIL import Image

    from forum.core import languages
    from forum.models import Person, Report
    from forum.reports import workflow

    def append(report, field, code, text):
        column = languages.column(field, code)
        setattr(report, column, getattr(report, column) + text)

    def jpeg(colour, size):
        buffer = io.BytesIO()
        Image.new("RGB", size, colour).save(buffer, "JPEG")
        return ContentFile(buffer.getvalue())

    editor = get_user_model().objects.get(username="editor")
    person = Person.objects.get(slug="li-wenhai")
    person.photo.save("李文海.jpg", jpeg("#8b1a1a", (400, 400)))
    english, chinese = languages.EDITED
    slug = serving.demo_report_slugs()[english]
    report = Report.objects.get(**{languages.column("slug", english): slug})
    report.hero_image.save("tianjin-binhai.jpg", jpeg("#1a4d8b", (1600, 900)), save=False)
    alt = languages.spread(
        "hero_image_alt", "The Tianjin Binhai skyline at dusk", "黄昏时分的天津滨海天际线"
    )
    for column, text in alt.items():
        setattr(report, column, text)
    append(report, "headline", english, " (updated)")
    append(report, "headline", chinese, "（更新）")
    report = workflow.report_save(report=report, user=editor, expected_version=report.version)
    for step in (workflow.report_submit, workflow.report_approve, workflow.report_publish):
        report = step(report=report, user=editor)
    # A working copy in progress: not public, but kept by the backup.
    append(report, "summary", english, " More to follow.")
    workflow.report_save(report=report, user=editor, expected_version=report.version)


def make(env, *args, **options):
    return serving.run("make", "-s", "--no-print-directory", *args, env=env, **options)


def check_engine(engine, workspace, env):
    folder = workspace.work / engine
    folder.mkdir()
    print(f"== backup and restore on {engine}", flush=True)
    if engine in ("postgresql", "bucket"):
        label = "" if engine == "postgresql" else "s3"
        source_url = workspace.postgres(f"{label}src")
        target_url = workspace.postgres(f"{label}dst")
    else:
        source_url = f"sqlite:///{folder / 'source.sqlite3'}"
        target_url = f"sqlite:///{folder / 'restored.sqlite3'}"
    source = {**env, "DATABASE_URL": source_url, "MEDIA_ROOT": str(folder / "media-source")}
    target = {**env, "DATABASE_URL": target_url, "MEDIA_ROOT": str(folder / "media-restored")}
    if engine == "bucket":  # media in a bucket, restored into another, empty one
        source.update(workspace.bucket("src"))
        target.update(workspace.bucket("dst"))
    before, after = folder / "before.json", folder / "after.json"

    serving.manage(source, "migrate", "--noinput", "-v0")
    serving.manage(source, "load_demo_content", capture=True)
    serving.manage(source, "generate_bulk_content", "--scale", "0.002", capture=True)
    serving.run(PYTHON, "-m", "tools.check_backup_restore", "--scenario", env=source)
    serving.run(PYTHON, "-m", "tools.site_snapshot", "save", str(before), env=source)
    # The comparison covers the uploads: the public pages show the images' renditions.
    if "/media/renditions/" not in before.read_text():
        return "no page shows an image"
    if engine == "bucket":
        keys = serving.bucket_keys(source["AWS_STORAGE_BUCKET_NAME"])
        if not any(key.startswith("renditions/public/") for key in keys):
            return "no rendition in the bucket"
        if (folder / "media-source").exists():
            return "media were written to the local disk"
    make({**source, "BACKUP_DIR": str(folder / "backups")}, "backup")
    archives = sorted((folder / "backups").glob("cdfsite-*.tar.gz"))
    if len(archives) != 1:
        return f"make backup wrote {len(archives)} archives"
    make(target, "restore", f"FILE={archives[0]}")
    serving.run(PYTHON, "-m", "tools.site_snapshot", "save", str(after), env=target)
    serving.run(PYTHON, "-m", "tools.site_snapshot", "compare", str(before), str(after))

    again = make(
        target, "restore", f"FILE={archives[0]}", check=False, stderr=subprocess.PIPE, text=True
    )
    if again.returncode == 0:
        return "a restore over the restored (non-empty) database was not refused"
    refused = next((line for line in again.stderr.splitlines() if "Restore refused" in line), "")
    print(f"ok: restoring over a non-empty site is refused: {refused}", flush=True)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engines", nargs="*", help=f"of {', '.join(ENGINES)} [both]")
    parser.add_argument("--scenario", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        return scenario()
    if unknown := set(args.engines) - set(ENGINES):
        parser.error(f"unknown engine {', '.join(sorted(unknown))}")
    engines = args.engines or [
        engine for engine in ENGINES if engine != "bucket" or serving.s3_available()
    ]
    if "bucket" in engines and not serving.s3_available():
        print(f"No S3-compatible server at OPS_S3_ENDPOINT_URL ({serving.S3_ENDPOINT_URL!r})")
        return 2
    if "bucket" not in engines:
        print("== no S3-compatible server (OPS_S3_ENDPOINT_URL): media on disk only")

    with Workspace("backup") as workspace:
        # Production-like rendering (DEBUG off, hashed static files), no page cache: every
        # page is rendered from the database. Nothing here reaches Redis.
        env = serving.site_env(
            SECRET_KEY=f"check-backup-restore-{os.getpid()}",
            PAGE_CACHE="false",
            REDIS_URL="",
            ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
            STATIC_ROOT=workspace.work / "static",
            SERVE_MEDIA=os.environ.get("SERVE_MEDIA", "false"),
        )
        try:
            serving.collectstatic(env)
            for engine in engines:
                failure = check_engine(engine, workspace, env)
                if failure:
                    print(f"FAILED on {engine}: {failure}", file=sys.stderr)
                    return 1
        except subprocess.CalledProcessError as error:  # the command said why
            print(f"FAILED: {error}", file=sys.stderr)
            return error.returncode
    print(f"== backup and restore round trip: identical on {' '.join(engines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
