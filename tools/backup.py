"""The site's database and media files in one archive, and back again (docs/operations.md).

    .venv/bin/python -m tools.backup backup               # make backup
    .venv/bin/python -m tools.backup restore FILE.tar.gz  # make restore FILE=…

Both work on the database DATABASE_URL names and on the media storage, exactly as the
site computes them (cdfsite/settings/base.py): MEDIA_ROOT, or the bucket that
AWS_STORAGE_BUCKET_NAME names (forum/core/storage.py).

`backup` writes backups/cdfsite-<engine>-<UTC time>.tar.gz (BACKUP_DIR chooses another
folder), readable by its owner only (0600; a folder it creates, 0700). With
BACKUP_ENCRYPTION_KEY set (a Fernet key: `python -m tools.backup key`) the archive is
encrypted, cdfsite-<engine>-<UTC time>.tar.gz.enc, and restoring it needs the same key.
PostgreSQL is dumped with pg_dump in its custom format (a consistent snapshot,
restored with pg_restore); SQLite is copied with SQLite's online backup API (a consistent
copy even while the site writes). Either way every table goes (translations, revisions,
workflow history, users, the search index), but the rows of TRANSIENT_TABLES stay out:
sessions (a session key from a backup would sign its holder in) and login lockouts. The
media files (from MEDIA_ROOT or the bucket) are archived after the database, so every file
the database refers to is in the archive.
Archive: manifest.txt, SHA256SUMS, database.pgdump or database.sqlite3, media.tar.

`restore` puts such a backup back. Both targets must be empty: a PostgreSQL database that
exists and has no tables (createdb NAME), or a SQLite file that does not exist yet; a
MEDIA_ROOT that is missing or empty, or an empty bucket (created first). A backup of
media on disk may be restored into a bucket and the other way round. Nothing is changed
unless the archive is intact
(checksums), made from the same kind of database and the targets are empty. PostgreSQL is
restored with pg_restore in one transaction; SQLite with SQLite's backup API; then
ANALYZE gives the query planner its statistics (without them some pages are slow). Afterwards
the page cache's pages in Redis (this site's key prefix) are deleted; restart the app
servers.
"""

import argparse
import hashlib
import io
import math
import os
import posixpath
import re
import sqlite3
import stat
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path
from types import SimpleNamespace

from tools.serving import BASE_DIR, run

# Rows that only matter while the site runs, left out of every backup (their tables stay):
# sessions would sign in whoever holds the archive; lockouts and login attempts expire.
TRANSIENT_TABLES = (
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
)
ENCRYPTION_KEY = "BACKUP_ENCRYPTION_KEY"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite3": "database.sqlite3"}
# Every relation of a PostgreSQL database outside the system schemas.
RELATIONS = """SELECT count(*) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%'"""


# --- Shared by backup and restore ---------------------------------------------------------


def site_database():
    """The database and MEDIA_ROOT exactly as the site computes them; for PostgreSQL, the
    libpq environment (PGHOST…) of pg_dump, psql and pg_restore."""
    # SECRET_KEY is not used here, but settings refuse to load without one when DEBUG is off.
    os.environ["SECRET_KEY"] = os.environ.get("SECRET_KEY") or "only-for-maintenance-commands"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdfsite.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import default_storage

    from forum.core.storage import local_path

    db = settings.DATABASES["default"]
    pg_env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            pg_env[variable] = str(db[key])
    return SimpleNamespace(
        engine=db["ENGINE"].rsplit(".", 1)[-1],
        name=str(db["NAME"] or ""),
        pg_env=pg_env,
        media_root=local_path(""),  # None: media in a bucket
        storage=default_storage,
        media=(
            f"MEDIA_ROOT {settings.MEDIA_ROOT}"
            if local_path("") is not None
            else f"bucket {settings.AWS_STORAGE_BUCKET_NAME}"
        ),
    )


def sqlite_copy(source, target, what):
    """Copies a SQLite database with SQLite's backup API and checks the copy's integrity."""
    source_db, target_db = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with target_db:
            source_db.backup(target_db)
        ok = target_db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        source_db.close()
        target_db.close()
    if ok != "ok":
        sys.exit(f"integrity check of {what}: {ok}")


def has_content(path):
    """A non-empty file or a folder (`test -s`)."""
    return bool(str(path)) and os.path.exists(path) and os.path.getsize(path) > 0


# --- Backup -------------------------------------------------------------------------------


def backup():
    cipher = backup_cipher()  # a bad key stops here, before anything is written
    db = site_database()
    folder = Path(os.environ.get("BACKUP_DIR") or "backups")
    if not folder.is_dir():
        folder.mkdir(parents=True)
        folder.chmod(stat.S_IRWXU)
    suffix = ".tar.gz.enc" if cipher else ".tar.gz"
    stamp = utc_stamp()
    while (folder / f"cdfsite-{db.engine}-{stamp}{suffix}").exists():  # never overwrite one
        time.sleep(1)
        stamp = utc_stamp()
    archive = folder / f"cdfsite-{db.engine}-{stamp}{suffix}"
    partial = archive.with_name(archive.name + ".partial")

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            database_file = dump_database(db, work)
            media_count = archive_media(db, work / "media.tar")
            (work / "manifest.txt").write_text(
                "format: 1\n"
                f"created: {stamp}\n"
                f"engine: {db.engine}\n"
                f"database: {os.path.basename(db.name)}\n"
                f"media files: {media_count}\n"
                f"media from: {db.media.split(' ')[0]}\n"
                f"code: {code_version()}\n"
            )
            names = ["manifest.txt", database_file, "media.tar"]
            (work / "SHA256SUMS").write_text(
                "".join(f"{sha256(work / name)}  {name}\n" for name in names)
            )
            # Written under a temporary name and renamed: a half-written archive never
            # looks done. Created 0600, so it is never readable by others, even briefly.
            tarball = work / "backup.tar.gz" if cipher else partial
            with private_file(tarball) as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
                for name in ["manifest.txt", "SHA256SUMS", database_file, "media.tar"]:
                    tar.add(work / name, arcname=name)
            if cipher:
                with open(tarball, "rb") as plain, private_file(partial) as out:
                    encrypt(cipher, plain, out)
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    encrypted = ", encrypted" if cipher else ""
    print(f"Backup written: {archive} ({du_size(archive)}, {media_count} media files{encrypted})")
    return 0


def private_file(path):
    """A new file that only its owner may read and write (0600 whatever the umask)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def dump_database(db, work):
    """Writes the database into `work`; returns the file's name."""
    database_file = DATABASE_FILES.get(db.engine)
    if db.engine == "postgresql":
        print(f"== dumping PostgreSQL database {db.name}", flush=True)
        run(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            *(f"--exclude-table-data={table}" for table in TRANSIENT_TABLES),
            "--file",
            str(work / database_file),
            db.name,
            env=db.pg_env,
        )
    elif db.engine == "sqlite3":
        if not has_content(db.name):
            sys.exit(f"No SQLite database at {db.name}")
        print(f"== copying SQLite database {db.name}", flush=True)
        sqlite_copy(db.name, work / database_file, "the copy")
        empty_transient_tables(work / database_file)
    else:
        sys.exit(f"make backup handles PostgreSQL and SQLite, not {db.engine}")
    return database_file


def empty_transient_tables(path):
    """Deletes the TRANSIENT_TABLES' rows from a SQLite copy, and for good: secure_delete
    overwrites them and VACUUM leaves no free page that still holds one."""
    database = sqlite3.connect(path)
    try:
        database.execute("PRAGMA secure_delete = ON")
        existing = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
        with database:
            for table in TRANSIENT_TABLES:
                if table in existing:
                    database.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our own names)
        database.execute("VACUUM")
    finally:
        database.close()


def archive_media(db, out):
    """Archives the media files (paths relative to MEDIA_ROOT or the bucket, as
    `tar -C root -cf out .`); returns how many files there are."""
    from forum.core.storage import all_files

    print(f"== archiving media files from {db.media}", flush=True)
    root = db.media_root
    with tarfile.open(out, "w") as tar:
        if root is None:
            names = all_files(db.storage)
            for name in names:
                with db.storage.open(name, "rb") as file:
                    data = file.read()
                member = tarfile.TarInfo(f"./{name}")
                member.size, member.mtime, member.mode = len(data), int(time.time()), 0o644
                tar.addfile(member, io.BytesIO(data))
            return len(names)
        if root.is_dir():
            tar.add(root, arcname=".")
    if not root.is_dir():
        return 0
    return sum(1 for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def utc_stamp():
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def code_version():
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (git from PATH)
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def du_size(path):
    """The disk space of a file as `du -h` prints it: 512, 4.0K, 12M."""
    size = Path(path).stat().st_blocks * 512
    units = ["", "K", "M", "G", "T"]
    unit = 0
    while size >= 1024 and unit < len(units) - 1:
        size /= 1024
        unit += 1
    if unit == 0:
        return str(int(size))
    if math.ceil(size * 10) < 100:
        return f"{math.ceil(size * 10) / 10:.1f}{units[unit]}"
    return f"{math.ceil(size)}{units[unit]}"


# --- Encryption ---------------------------------------------------------------------------
# An encrypted backup is MAGIC, then the archive in chunks of CHUNK bytes, each a Fernet
# token (AES-128-CBC with HMAC-SHA256) preceded by its length. Each chunk starts with its
# number and whether it is the last, so chunks cannot be dropped, repeated or reordered
# unnoticed; chunks keep the memory used small whatever the size of the media.

MAGIC = b"cdfsite-backup fernet 1\n"
CHUNK = 4 * 1024 * 1024
CHUNK_HEADER = struct.Struct(">Q?")  # chunk number, last chunk
TOKEN_LENGTH = struct.Struct(">I")


def backup_cipher():
    """The Fernet cipher of BACKUP_ENCRYPTION_KEY, or None when it is not set."""
    from cryptography.fernet import Fernet

    key = os.environ.get(ENCRYPTION_KEY, "").strip()
    if not key:
        return None
    try:
        return Fernet(key)
    except ValueError:
        sys.exit(
            f"{ENCRYPTION_KEY} is not a Fernet key (32 bytes in URL-safe base64); "
            "make one with: python -m tools.backup key"
        )


def encrypt(cipher, plain, out):
    out.write(MAGIC)
    number, chunk = 0, plain.read(CHUNK)
    while True:
        following = plain.read(CHUNK)
        token = cipher.encrypt(CHUNK_HEADER.pack(number, not following) + chunk)
        out.write(TOKEN_LENGTH.pack(len(token)) + token)
        if not following:
            return
        number, chunk = number + 1, following


def decrypt(cipher, encrypted, out):
    """Writes the archive; returns False when the key does not open it."""
    from cryptography.fernet import InvalidToken

    encrypted.read(len(MAGIC))
    number = 0
    while length := encrypted.read(TOKEN_LENGTH.size):
        token = encrypted.read(TOKEN_LENGTH.unpack(length)[0]) if len(length) == 4 else b""
        try:
            chunk = cipher.decrypt(token)
        except InvalidToken:
            return False
        found, last = CHUNK_HEADER.unpack_from(chunk)
        if found != number:
            fail("the encrypted backup is damaged (a part is missing or out of order)")
        out.write(chunk[CHUNK_HEADER.size :])
        if last:
            return True
        number += 1
    fail("the encrypted backup is damaged (it ends too early)")


def is_encrypted(file):
    with open(file, "rb") as archive:
        return archive.read(len(MAGIC)) == MAGIC


# --- Restore ------------------------------------------------------------------------------


def fail(message):
    sys.exit(f"Restore refused: {message}")


def restore(file):
    if not file or not Path(file).is_file():
        print(
            f"Usage: make restore FILE=backups/cdfsite-<engine>-<time>.tar.gz (got '{file}')",
            file=sys.stderr,
        )
        return 2
    db = site_database()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        archive = decrypted(file, work) if is_encrypted(file) else file
        manifest = check_backup(archive, work, db)
        if db.engine == "postgresql":
            check_postgres_empty(db)
        elif db.engine == "sqlite3":
            if has_content(db.name):
                fail(f"SQLite database {db.name} exists: restore into a new file")
        else:
            fail(f"make restore handles PostgreSQL and SQLite, not {db.engine}")
        check_media_empty(db)

        print(
            f"== restoring {manifest.get('created', '')} backup of {db.engine} database "
            f"{manifest.get('database', '')}",
            flush=True,
        )
        if db.engine == "postgresql":
            run(
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                db.name,
                str(work / "database.pgdump"),
                env=db.pg_env,
            )
        else:
            Path(db.name).parent.mkdir(parents=True, exist_ok=True)
            sqlite_copy(work / "database.sqlite3", db.name, "the restored database")
        analyze(db)
        print(f"== restoring media files into {db.media}", flush=True)
        restore_media(db, work / "media.tar")

    clear_page_cache()
    if not migrations_applied():
        print("Note: the backup predates migrations of this code: run 'manage.py migrate' next.")
    print(f"Restored {file}. Restart the app servers.")
    return 0


def decrypted(file, work):
    """The archive inside an encrypted backup, written into `work`."""
    cipher = backup_cipher()
    if cipher is None:
        fail(f"{file} is encrypted: set {ENCRYPTION_KEY} to the key it was made with")
    plain = work / "backup.tar.gz"
    with open(file, "rb") as encrypted, private_file(plain) as out:
        if not decrypt(cipher, encrypted, out):
            fail(f"{ENCRYPTION_KEY} does not decrypt {file}: it was made with another key")
    return plain


def analyze(db):
    """Gathers the query planner's statistics, which neither pg_restore nor a file copy
    brings: without them the planner guesses, and some pages become slow."""
    print("== ANALYZE (query planner statistics)", flush=True)
    if db.engine == "postgresql":
        run(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            db.name,
            "-c",
            "ANALYZE",
            env=db.pg_env,
        )
        return
    database = sqlite3.connect(db.name)
    try:
        database.execute("ANALYZE")
        database.commit()
    finally:
        database.close()


def check_backup(file, work, db):
    """Unpacks the archive into `work` and checks it; returns its manifest {field: value}."""
    try:
        with tarfile.open(file, "r:gz") as tar:
            tar.extractall(work, filter="data")
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        fail(f"{file} is not a readable archive")
    if not (work / "SHA256SUMS").is_file() or not (work / "manifest.txt").is_file():
        fail(f"{file} is not a site backup")
    if not checksums_match(work):
        fail(f"checksums do not match: {file} is damaged")
    manifest = {}
    for line in (work / "manifest.txt").read_text().splitlines():
        name, found, value = line.partition(": ")
        if found:
            manifest.setdefault(name, value)
    engine = manifest.get("engine", "")
    if engine != db.engine:
        fail(f"the backup is of a {engine} database; DATABASE_URL names a {db.engine} one")
    return manifest


def check_media_empty(db):
    from forum.core.storage import STORAGE_ERRORS, all_files

    if db.media_root is not None:
        if db.media_root.is_dir() and any(db.media_root.iterdir()):
            fail(f"MEDIA_ROOT {db.media_root} is not empty")
        return
    try:
        stored = all_files(db.storage)
    except STORAGE_ERRORS as error:
        fail(f"cannot list {db.media}: create it first ({error})")
    if stored:
        fail(f"{db.media} is not empty ({len(stored)} files)")


def restore_media(db, archive):
    with tarfile.open(archive) as tar:
        if db.media_root is not None:
            db.media_root.mkdir(parents=True, exist_ok=True)
            tar.extractall(db.media_root, filter="data")  # never the archive's owners
            return
        from django.core.files import File

        for member in tar:
            name = posixpath.normpath(member.name)
            if not member.isfile() or name.startswith(("..", "/")):
                continue
            db.storage.save(name, File(tar.extractfile(member), name=name))


def checksums_match(work):
    """As `sha256sum --check --quiet SHA256SUMS` in `work`: says which files fail."""
    listed = re.findall(r"^([0-9a-fA-F]{64}) [ *](.+)$", (work / "SHA256SUMS").read_text(), re.M)
    failed = [
        name
        for expected, name in listed
        if not (work / name).is_file() or sha256(work / name) != expected.lower()
    ]
    for name in failed:
        print(f"{name}: FAILED", file=sys.stderr)
    return bool(listed) and not failed


def check_postgres_empty(db):
    try:
        result = subprocess.run(  # noqa: S603 (psql from PATH, our own query)
            ["psql", "-X", "-d", db.name, "-Atqc", RELATIONS],  # noqa: S607
            env=db.pg_env,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
    except OSError:
        result = None
    if result is None or result.returncode:
        fail(f"cannot open database {db.name}: create it first (createdb {db.name})")
    tables = result.stdout.strip()
    if tables != "0":
        fail(f"database {db.name} is not empty ({tables} tables and sequences)")


def clear_page_cache():
    """Deletes the pages cached in Redis before the restore, which would outlive it (the
    other caches are per process and go when the servers restart)."""
    from django.core.cache.backends.redis import RedisCache

    from forum.pagecache import store

    if isinstance(store.page_cache(), RedisCache):
        print(f"== page cache: {store.clear()} keys deleted")


def migrations_applied():
    """Whether the restored database has every migration of this code."""
    from django.core.management import call_command

    try:
        call_command("migrate", check_unapplied=True, verbosity=0)
    except SystemExit as stop:
        return not stop.code
    except Exception:
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("backup", help="write backups/cdfsite-<engine>-<time>.tar.gz")
    restoring = commands.add_parser("restore", help="restore into an empty site")
    restoring.add_argument("file", nargs="?", help="the archive [$FILE]")
    commands.add_parser("key", help=f"print a new key for {ENCRYPTION_KEY}")
    args = parser.parse_args(argv)
    if args.command == "key":
        from cryptography.fernet import Fernet

        print(Fernet.generate_key().decode())
        return 0
    os.chdir(BASE_DIR)  # relative paths (BACKUP_DIR, FILE, SQLite files) as make sees them
    try:
        if args.command == "backup":
            return backup()
        return restore(args.file or os.environ.get("FILE", ""))
    except subprocess.CalledProcessError as error:  # pg_dump or pg_restore said why
        return error.returncode


if __name__ == "__main__":
    sys.exit(main())
