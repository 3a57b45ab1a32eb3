#!/usr/bin/env bash
# Backup and restore round trip, on PostgreSQL and on SQLite (run by .ci/run):
#
#   1. a throwaway site (its own database and MEDIA_ROOT): the demo content, a little bulk
#      content, uploaded images with their renditions (one with a Chinese file name), a
#      report edited, published and edited again through the workflow (translations,
#      revisions, a working copy);
#   2. a snapshot of it (scripts/site_snapshot.py): every public page in both languages,
#      every table row, every media file;
#   3. `make backup`, then `make restore` into an empty database and an empty MEDIA_ROOT;
#   4. a snapshot of the restored site, compared with the first: any difference fails;
#   5. `make restore` again, into the now non-empty targets, must be refused.
#
#   scripts/check_backup_restore.sh [postgresql] [sqlite]    (default: both)
#
# PostgreSQL: reached through OPS_PG_URL (default postgres://postgres@127.0.0.1:5432);
# the databases cdfsite_ops_backup_{src,dst}_<pid> are created and always dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PG_BASE=${OPS_PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_BASE=${PG_BASE%/postgres}
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(postgresql sqlite)

work=$(mktemp -d)
run_id=$$
pg_databases=()
cleanup() {
  for name in "${pg_databases[@]}"; do
    psql -X "$PG_BASE/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Production-like rendering (DEBUG off, hashed static files), no page cache: every page
# is rendered from the database. Nothing here reaches Redis.
export DEBUG=false SECRET_KEY="check-backup-restore-$run_id" PAGE_CACHE=false REDIS_URL=
export ALLOWED_HOSTS=testserver,localhost,127.0.0.1 STATIC_ROOT="$work/static"
unset TESTING
"$PY" manage.py collectstatic --noinput -v0

SCENARIO='
import io
from PIL import Image
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from forum import workflow
from forum.models import Person, Report

def jpeg(colour, size):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())

editor = get_user_model().objects.get(username="editor")
person = Person.objects.get(slug="li-wenhai")
person.photo.save("李文海.jpg", jpeg("#8b1a1a", (400, 400)))
report = Report.objects.get(slug_en="li-wenhai-digital-empowerment-industrial-transformation")
report.hero_image.save("tianjin-binhai.jpg", jpeg("#1a4d8b", (1600, 900)), save=False)
report.hero_image_alt_en = "The Tianjin Binhai skyline at dusk"
report.hero_image_alt_zh_hans = "黄昏时分的天津滨海天际线"
report.headline_en += " (updated)"
report.headline_zh_hans += "（更新）"
report = workflow.report_save(report=report, user=editor, expected_version=report.version)
for step in (workflow.report_submit, workflow.report_approve, workflow.report_publish):
    report = step(report=report, user=editor)
# A working copy in progress: not public, but kept by the backup.
report.summary_en += " More to follow."
workflow.report_save(report=report, user=editor, expected_version=report.version)
'

check_engine() {
  local engine=$1 dir="$work/$1" source_url target_url
  mkdir -p "$dir"
  echo "== backup and restore on $engine"
  case "$engine" in
    postgresql)
      local source_db="cdfsite_ops_backup_src_$run_id" target_db="cdfsite_ops_backup_dst_$run_id"
      pg_databases+=("$source_db" "$target_db")
      psql -X "$PG_BASE/postgres" -qc "CREATE DATABASE $source_db" -c "CREATE DATABASE $target_db"
      source_url="$PG_BASE/$source_db"
      target_url="$PG_BASE/$target_db"
      ;;
    sqlite)
      source_url="sqlite:///$dir/source.sqlite3"
      target_url="sqlite:///$dir/restored.sqlite3"
      ;;
    *)
      echo "unknown engine $engine" >&2
      return 2
      ;;
  esac
  local source_env=(env DATABASE_URL="$source_url" MEDIA_ROOT="$dir/media-source")
  local target_env=(env DATABASE_URL="$target_url" MEDIA_ROOT="$dir/media-restored")

  "${source_env[@]}" "$PY" manage.py migrate --noinput -v0
  "${source_env[@]}" "$PY" manage.py load_demo_content >/dev/null
  "${source_env[@]}" "$PY" manage.py generate_bulk_content --scale 0.002 >/dev/null
  "${source_env[@]}" "$PY" manage.py shell -v0 -c "$SCENARIO"
  "${source_env[@]}" "$PY" scripts/site_snapshot.py save "$dir/before.json"
  # The comparison covers the uploads: the public pages show the images' renditions.
  grep -q '/media/renditions/' "$dir/before.json" || { echo "no page shows an image" >&2; return 1; }

  "${source_env[@]}" BACKUP_DIR="$dir/backups" make -s --no-print-directory backup
  local archive
  archive=$(ls "$dir"/backups/cdfsite-*.tar.gz)
  "${target_env[@]}" make -s --no-print-directory restore FILE="$archive"
  "${target_env[@]}" "$PY" scripts/site_snapshot.py save "$dir/after.json"
  "$PY" scripts/site_snapshot.py compare "$dir/before.json" "$dir/after.json"

  if "${target_env[@]}" make -s --no-print-directory restore FILE="$archive" 2>"$dir/refused.txt"; then
    echo "FAILED: a restore over the restored (non-empty) database was not refused" >&2
    return 1
  fi
  echo "ok: restoring over a non-empty site is refused: $(grep -m1 'Restore refused' "$dir/refused.txt")"
}

for engine in "${engines[@]}"; do
  check_engine "$engine"
done
echo "== backup and restore round trip: identical on ${engines[*]}"
