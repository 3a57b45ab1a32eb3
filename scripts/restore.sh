#!/usr/bin/env bash
# make restore FILE=backups/cdfsite-….tar.gz: puts a backup of scripts/backup.sh back into
# the database DATABASE_URL names and into MEDIA_ROOT (README: Operations).
#
# Both must be empty: a PostgreSQL database that exists and has no tables (createdb NAME),
# or a SQLite file that does not exist yet; a MEDIA_ROOT that is missing or empty. Nothing
# is changed unless the archive is intact (checksums), made from the same kind of database
# and the targets are empty. PostgreSQL is restored with pg_restore in one transaction;
# SQLite with SQLite's backup API. Afterwards the page cache's pages in Redis (this
# site's key prefix) are deleted; restart the app servers.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
FILE=${1:-${FILE:-}}

if [ -z "$FILE" ] || [ ! -f "$FILE" ]; then
  echo "Usage: make restore FILE=backups/cdfsite-<engine>-<time>.tar.gz (got '${FILE}')" >&2
  exit 2
fi
export SECRET_KEY="${SECRET_KEY:-only-for-maintenance-commands}"

eval "$("$PY" - <<'EOF'
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

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "Restore refused: $*" >&2
  exit 1
}

# --- Check everything before changing anything ----------------------------------------
tar -C "$work" -xzf "$FILE" || fail "$FILE is not a readable archive"
[ -f "$work/SHA256SUMS" ] && [ -f "$work/manifest.txt" ] || fail "$FILE is not a site backup"
(cd "$work" && sha256sum --check --quiet SHA256SUMS) || fail "checksums do not match: $FILE is damaged"
backup_engine=$(sed -n 's/^engine: //p' "$work/manifest.txt")
[ "$backup_engine" = "$DB_ENGINE" ] ||
  fail "the backup is of a $backup_engine database; DATABASE_URL names a $DB_ENGINE one"

case "$DB_ENGINE" in
  postgresql)
    [ -n "$DB_HOST" ] && export PGHOST="$DB_HOST"
    [ -n "$DB_PORT" ] && export PGPORT="$DB_PORT"
    [ -n "$DB_USER" ] && export PGUSER="$DB_USER"
    [ -n "$DB_PASSWORD" ] && export PGPASSWORD="$DB_PASSWORD"
    tables=$(psql -X -d "$DB_NAME" -Atqc "SELECT count(*) FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%'") ||
      fail "cannot open database $DB_NAME: create it first (createdb $DB_NAME)"
    [ "$tables" = 0 ] || fail "database $DB_NAME is not empty ($tables tables and sequences)"
    ;;
  sqlite3)
    if [ -s "$DB_NAME" ]; then
      fail "SQLite database $DB_NAME exists: restore into a new file"
    fi
    ;;
  *)
    fail "make restore handles PostgreSQL and SQLite, not $DB_ENGINE"
    ;;
esac
if [ -d "$SITE_MEDIA_ROOT" ] && [ -n "$(ls -A "$SITE_MEDIA_ROOT")" ]; then
  fail "MEDIA_ROOT $SITE_MEDIA_ROOT is not empty"
fi

# --- Restore --------------------------------------------------------------------------
echo "== restoring $(sed -n 's/^created: //p' "$work/manifest.txt") backup of $backup_engine database $(sed -n 's/^database: //p' "$work/manifest.txt")"
case "$DB_ENGINE" in
  postgresql)
    pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
      --dbname "$DB_NAME" "$work/database.pgdump"
    ;;
  sqlite3)
    mkdir -p "$(dirname "$DB_NAME")"
    "$PY" - "$work/database.sqlite3" "$DB_NAME" <<'EOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
ok = target.execute("PRAGMA integrity_check").fetchone()[0]
source.close(), target.close()
sys.exit(0 if ok == "ok" else f"integrity check of the restored database: {ok}")
EOF
    ;;
esac
echo "== restoring media files into $SITE_MEDIA_ROOT"
mkdir -p "$SITE_MEDIA_ROOT"
tar -C "$SITE_MEDIA_ROOT" --no-same-owner -xf "$work/media.tar"

# Pages cached in Redis from before the restore would outlive it; other caches are per
# process and go when the servers restart.
"$PY" manage.py shell -v0 -c "
from django.core.cache.backends.redis import RedisCache
from forum.cache import KEY_PREFIX, page_cache
cache = page_cache()
if isinstance(cache, RedisCache):
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key(KEY_PREFIX + ':*'), count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    print(f'== page cache: {len(keys)} keys deleted')
"
if ! "$PY" manage.py migrate --check -v0 >/dev/null 2>&1; then
  echo "Note: the backup predates migrations of this code: run 'manage.py migrate' next."
fi
echo "Restored $FILE. Restart the app servers."
