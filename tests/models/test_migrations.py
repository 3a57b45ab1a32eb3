"""Migrations are reversible: every data migration has a reverse, and on a fresh database
(with the demo content in it) forum migrates to zero and back up to the same schema.

The round trip runs manage.py in a child process against its own database — a SQLite
file, or on PostgreSQL (when the suite runs there) a throwaway database — so the test
database and its data stay as they are.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from forum.core.roles import ROLE_PERMISSIONS

BASE_DIR = Path(__file__).resolve().parents[2]

# {"tables": {table: [columns]}, "groups": number of groups}, printed by the child.
SCHEMA = """
import json
from django.contrib.auth.models import Group
from django.db import connection
introspection = connection.introspection
with connection.cursor() as cursor:
    tables = {
        table.name: sorted(c.name for c in introspection.get_table_description(cursor, table.name))
        for table in introspection.get_table_list(cursor)
        if table.type == "t"
    }
print(json.dumps({"tables": tables, "groups": Group.objects.count()}, sort_keys=True))
"""


def forum_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        migration
        for (app, _name), migration in sorted(loader.disk_migrations.items())
        if app == "forum"
    ]


def test_every_forum_migration_operation_is_reversible():
    irreversible = [
        f"{migration.name}: {operation.describe()}"
        for migration in forum_migrations()
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []


def test_every_data_migration_has_a_reverse():
    missing = [
        f"{migration.name}: {operation.describe()}"
        for migration in forum_migrations()
        for operation in migration.operations
        if (isinstance(operation, migrations.RunPython) and operation.reverse_code is None)
        or (isinstance(operation, migrations.RunSQL) and operation.reverse_sql is None)
    ]
    assert missing == []


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of an empty database of the suite's engine, dropped afterwards."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    if not database["ENGINE"].endswith("postgresql"):
        pytest.skip(f"no fresh-database round trip for {database['ENGINE']}")
    import psycopg

    name = f"cdfsite_ops_migrations_{uuid.uuid4().hex[:12]}"
    params = {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    user = params["user"] or ""
    auth = f"{user}:{params['password']}@" if params["password"] else (f"{user}@" if user else "")
    host = params["host"] or "localhost"
    port = f":{params['port']}" if params["port"] else ""
    try:
        yield f"postgres://{auth}{host}{port}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, tmp_path, *args):
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    # manage.py as a developer runs it (base settings, DEBUG on), not the suite's settings.
    env.update(
        DJANGO_SETTINGS_MODULE="cdfsite.settings.base",
        DATABASE_URL=database_url,
        DEBUG="true",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def schema(database_url, tmp_path):
    output = manage(database_url, tmp_path, "shell", "-v0", "-c", SCHEMA)
    return json.loads(output.strip().splitlines()[-1])


def test_forum_migrates_to_zero_and_back_on_a_fresh_database(fresh_database, tmp_path):
    manage(fresh_database, tmp_path, "migrate", "--noinput", "-v0")
    # With content in every table, so that the reverse operations meet real rows.
    manage(fresh_database, tmp_path, "load_demo_content", "--no-accounts")
    migrated = schema(fresh_database, tmp_path)
    assert migrated["groups"] == len(ROLE_PERMISSIONS)

    manage(fresh_database, tmp_path, "migrate", "forum", "zero", "--noinput", "-v0")
    unmigrated = schema(fresh_database, tmp_path)
    assert [table for table in unmigrated["tables"] if table.startswith("forum_")] == []
    assert unmigrated["groups"] == 0  # the role groups' data migration, reversed

    manage(fresh_database, tmp_path, "migrate", "--noinput", "-v0")
    assert schema(fresh_database, tmp_path) == migrated
