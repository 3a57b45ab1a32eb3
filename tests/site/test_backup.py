"""`make backup` and `make restore` (tools/backup.py) on SQLite, in this process: the suite's
database is copied to a file, backed up, restored into a new file and, where a test needs
the site to read it, copied back. tools/check_backup_restore.py runs the full round trip.
"""

import sqlite3
import stat
import tarfile
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from tests.factories import UserFactory
from tools import backup as backup_tool

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # These copy the suite's SQLite database as the site; on PostgreSQL the whole round
    # trip (pg_dump, restore, ANALYZE) is `python -m tools.check_backup_restore` in .ci/run.
    pytest.mark.skipif(connection.vendor != "sqlite", reason="copies the SQLite database"),
]


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The suite's database as a SQLite file, with backups written under tmp_path."""
    monkeypatch.delenv(backup_tool.ENCRYPTION_KEY, raising=False)
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    live = tmp_path / "live.sqlite3"

    def use(name, media):
        monkeypatch.setattr(
            backup_tool,
            "site_database",
            lambda: SimpleNamespace(
                engine="sqlite3", name=str(name), media_root=media, media=f"MEDIA_ROOT {media}"
            ),
        )

    def snapshot():
        target = sqlite3.connect(live)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        use(live, tmp_path / "media")

    def make_backup():
        snapshot()
        assert backup_tool.backup() == 0
        (archive,) = (tmp_path / "backups").iterdir()
        return archive

    def restore(archive):
        restored = tmp_path / "restored.sqlite3"
        restored.unlink(missing_ok=True)
        use(restored, tmp_path / "media-restored")
        return backup_tool.restore(str(archive)), restored

    return SimpleNamespace(backup=make_backup, restore=restore, tmp_path=tmp_path)


def signed_in_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    return client


def test_backup_archive_and_new_folder_are_readable_by_the_owner_only(site):
    archive = site.backup()

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700


def test_backup_leaves_sessions_out(site, client):
    session_key = signed_in_client(client).cookies["sessionid"].value

    archive = site.backup()

    with tarfile.open(archive) as tar:
        database = tar.extractfile("database.sqlite3").read()
    assert session_key.encode() not in database


def test_session_key_from_a_restored_backup_does_not_sign_in(site, client):
    signed_in_client(client)
    code, restored = site.restore(site.backup())
    assert code == 0

    # The site now runs on the restored database, the browser keeps its cookie.
    source = sqlite3.connect(restored)
    source.backup(connection.connection)
    source.close()

    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_restore_gathers_planner_statistics(site):
    UserFactory()
    code, restored = site.restore(site.backup())
    assert code == 0

    database = sqlite3.connect(restored)
    analyzed = {row[0] for row in database.execute("SELECT tbl FROM sqlite_stat1")}
    database.close()
    assert "auth_user" in analyzed


def test_encrypted_backup_cannot_be_read_without_its_key(site, monkeypatch):
    monkeypatch.setenv(backup_tool.ENCRYPTION_KEY, Fernet.generate_key().decode())
    archive = site.backup()
    assert archive.name.endswith(".tar.gz.enc")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with pytest.raises(tarfile.TarError), tarfile.open(archive):
        pass

    monkeypatch.delenv(backup_tool.ENCRYPTION_KEY)
    with pytest.raises(SystemExit, match="is encrypted: set BACKUP_ENCRYPTION_KEY"):
        site.restore(archive)


def test_encrypted_backup_refuses_a_wrong_key(site, monkeypatch):
    monkeypatch.setenv(backup_tool.ENCRYPTION_KEY, Fernet.generate_key().decode())
    archive = site.backup()

    monkeypatch.setenv(backup_tool.ENCRYPTION_KEY, Fernet.generate_key().decode())
    with pytest.raises(SystemExit, match="does not decrypt .* made with another key"):
        site.restore(archive)
    assert not (site.tmp_path / "restored.sqlite3").exists()


def test_encrypted_backup_is_restored_with_its_key(site, monkeypatch):
    user = UserFactory(username="kept-in-the-backup")
    monkeypatch.setenv(backup_tool.ENCRYPTION_KEY, Fernet.generate_key().decode())
    archive = site.backup()

    code, restored = site.restore(archive)

    assert code == 0
    database = sqlite3.connect(restored)
    names = [row[0] for row in database.execute("SELECT username FROM auth_user")]
    database.close()
    assert user.username in names


def test_backup_with_a_malformed_key_writes_nothing(site, monkeypatch):
    monkeypatch.setenv(backup_tool.ENCRYPTION_KEY, "not-a-key")

    with pytest.raises(SystemExit, match="is not a Fernet key"):
        site.backup()
    assert not (site.tmp_path / "backups").exists()
