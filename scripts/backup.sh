#!/usr/bin/env bash
# make backup: the site's database and media files in one archive,
# backups/cdfsite-<engine>-<UTC time>.tar.gz (README: Operations).
#
# The database is the one DATABASE_URL names (as the site reads it, cdfsite/settings.py):
# PostgreSQL is dumped with pg_dump in its custom format (a consistent snapshot, restored
# with pg_restore); SQLite is copied with SQLite's online backup API (a consistent copy
# even while the site writes). Either way every table goes: translations, revisions,
# workflow history, users, the search index. MEDIA_ROOT is archived after the database,
# so every file the database refers to is in the archive.
#
# Archive: manifest.txt, SHA256SUMS, database.pgdump or database.sqlite3, media.tar.
# BACKUP_DIR (default backups/) chooses the folder. Restore with scripts/restore.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BACKUP_DIR=${BACKUP_DIR:-backups}

# The database and media settings exactly as the site computes them. SECRET_KEY is not
# used here, but settings refuse to load without one when DEBUG is off.
eval "$(SECRET_KEY="${SECRET_KEY:-only-reading-settings}" "$PY" - <<'EOF'
import os, shlex, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdfsite.settings")
from django.conf import settings
db = settings.DATABASES["default"]
for name, value in {
    "DB_ENGINE": db["ENGINE"].rsplit(".", 1)[-1],
    "DB_NAME": db["NAME"], "DB_HOST": db.get("HOST"), "DB_PORT": db.get("PORT"),
    "DB_USER": db.get("USER"), "DB_PASSWORD": db.get("PASSWORD"),
    "SITE_MEDIA_ROOT": settings.MEDIA_ROOT,
}.items():
    print(f"{name}={shlex.quote(str(value or ''))}")
EOF
)"

mkdir -p "$BACKUP_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
while [ -e "$BACKUP_DIR/cdfsite-$DB_ENGINE-$stamp.tar.gz" ]; do  # never overwrite a backup
  sleep 1
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
done
archive="$BACKUP_DIR/cdfsite-$DB_ENGINE-$stamp.tar.gz"

work=$(mktemp -d)
trap 'rm -rf "$work" "$archive.partial"' EXIT

case "$DB_ENGINE" in
  postgresql)
    [ -n "$DB_HOST" ] && export PGHOST="$DB_HOST"
    [ -n "$DB_PORT" ] && export PGPORT="$DB_PORT"
    [ -n "$DB_USER" ] && export PGUSER="$DB_USER"
    [ -n "$DB_PASSWORD" ] && export PGPASSWORD="$DB_PASSWORD"
    database_file=database.pgdump
    echo "== dumping PostgreSQL database ${DB_NAME}"
    pg_dump --format=custom --no-owner --no-privileges --file "$work/$database_file" "$DB_NAME"
    ;;
  sqlite3)
    if [ ! -s "$DB_NAME" ]; then
      echo "No SQLite database at $DB_NAME" >&2
      exit 1
    fi
    database_file=database.sqlite3
    echo "== copying SQLite database $DB_NAME"
    "$PY" - "$DB_NAME" "$work/$database_file" <<'EOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
ok = target.execute("PRAGMA integrity_check").fetchone()[0]
source.close(), target.close()
sys.exit(0 if ok == "ok" else f"integrity check of the copy: {ok}")
EOF
    ;;
  *)
    echo "make backup handles PostgreSQL and SQLite, not $DB_ENGINE" >&2
    exit 1
    ;;
esac

echo "== archiving media files from ${SITE_MEDIA_ROOT}"
if [ -d "$SITE_MEDIA_ROOT" ]; then
  tar -C "$SITE_MEDIA_ROOT" -cf "$work/media.tar" .
  media_count=$(find "$SITE_MEDIA_ROOT" -type f | wc -l)
else
  tar -cf "$work/media.tar" -T /dev/null
  media_count=0
fi

{
  echo "format: 1"
  echo "created: $stamp"
  echo "engine: $DB_ENGINE"
  echo "database: $(basename "$DB_NAME")"
  echo "media files: $media_count"
  echo "code: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$work/manifest.txt"
(cd "$work" && sha256sum manifest.txt "$database_file" media.tar >SHA256SUMS)

# Written under a temporary name and renamed, so a half-written archive never looks done.
tar -C "$work" -czf "$archive.partial" manifest.txt SHA256SUMS "$database_file" media.tar
mv "$archive.partial" "$archive"
echo "Backup written: $archive ($(du -h "$archive" | cut -f1), $media_count media files)"
