import html
import io
import logging
import os
import re
import shutil
import socket
import subprocess
import urllib.parse
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import IntegrityError, connections, transaction
from django.utils import translation
from django.utils.html import strip_tags

from cdfsite.env import media_bucket_storage
from forum.core import images, roles, storage
from tests.factories import UserFactory, user_in
from tools.admin_client import form_data as parse_form_data
from tools.site_snapshot import stored_models

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE = BASE_DIR / "cdfsite" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT is missing; tests never collect static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_sessionstart(session):
    """Watch the logs for secrets (`SecretsWatch`), and compile the Chinese catalogue when
    its .mo is missing or older than the .po.

    Runs before any test activates a language, so the fresh catalogue is the one loaded.
    """
    session.config.secrets_watch = SecretsWatch(_site_console_handler())
    logging.getLogger().addHandler(session.config.secrets_watch)
    compiled = CATALOGUE.with_suffix(".mo")
    msgfmt = shutil.which("msgfmt")
    if not CATALOGUE.exists() or not msgfmt:
        return
    if compiled.exists() and compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime:
        return
    subprocess.run(  # noqa: S603 (fixed arguments)
        [msgfmt, "--check-format", "-o", str(compiled), str(CATALOGUE)],
        check=False,
        capture_output=True,
    )


# --- No secrets in the logs ----------------------------------------------------------------
# Every line the site's log handler writes during the run is also checked for what must never
# be in a log (forum/core/logs.py masks it): a password-reset token as Django makes them
# (<base36 time>-<hex hash>) and a session cookie. A test after which such a line appeared
# fails; so does the run, for one logged outside any test.
LEAKED_SECRET = re.compile(
    r"/reset/[A-Za-z0-9_-]+/[0-9a-z]+-[0-9a-f]{16,}|sessionid=[a-z0-9]{8,}", re.IGNORECASE
)


class SecretsWatch(logging.Handler):
    """Formats each record as the site's console handler does (its filters, its formatter)
    and keeps the lines in which `LEAKED_SECRET` is found."""

    def __init__(self, console):
        super().__init__()
        self.filters = list(console.filters)
        self.setFormatter(console.formatter)
        self.leaks = []

    def emit(self, record):
        line = self.format(record)
        if LEAKED_SECRET.search(line):
            self.leaks.append(line)

    def take(self):
        leaks, self.leaks = self.leaks, []
        return leaks


def _site_console_handler():
    return next(handler for handler in logging.getLogger().handlers if handler.name == "console")


def pytest_sessionfinish(session):
    watch = getattr(session.config, "secrets_watch", None)
    if watch and watch.leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line("Secrets in the log:\n" + "\n".join(watch.take()), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def no_secrets_logged(request):
    watch = request.config.secrets_watch
    yield
    leaks = watch.take()
    if leaks:
        pytest.fail("Secrets in the log:\n" + "\n".join(leaks), pytrace=False)


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Each test starts in English: a request to a /zh-hans/ page leaves Chinese active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_storage_state():
    """Each test starts with the media storage's breaker closed (forum/core/breaker.py) and
    nothing known of what is stored (forum/core/images.py): a test that made the storage
    fail does not leave it unasked for the next one, and an image drawn in another test's
    media folder is not taken to be in this one's."""
    storage.breaker.reset()
    images.forget_stored()
    yield
    storage.breaker.reset()
    images.forget_stored()


# --- Demo content -----------------------------------------------------------------------
# Loading the demo file runs every save signal (the search index among them) and takes
# most of a second, so `demo` runs the real command once per session, keeps the rows it
# added, and puts those same rows back (ids and timestamps included) for later tests.
# The loader itself is tested with `demo_loaded`, which always runs the command.

_DEMO_SNAPSHOTS = {}


def _table_state(using):
    """{model: {pk: row}} for every table, with the local concrete fields of each row."""
    state = {}
    for model, attnames in stored_models():
        pk_index = attnames.index(model._meta.pk.attname)
        rows = model._base_manager.using(using).values_list(*attnames)
        state[model] = {row[pk_index]: row for row in rows}
    return state


def _added_rows(before, after):
    """The rows the load added, or None if it also changed or deleted rows it found."""
    added = {}
    for model, rows in after.items():
        old = before.get(model, {})
        if any(pk not in rows or rows[pk] != row for pk, row in old.items()):
            return None
        new = [row for pk, row in rows.items() if pk not in old]
        if new:
            added[model] = new
    return added


def _restore_rows(snapshot, using):
    connection = connections[using]
    for model, rows in snapshot.items():
        fields = model._meta.local_concrete_fields
        attnames = [field.attname for field in fields]
        objs = [SimpleNamespace(**dict(zip(attnames, row, strict=True))) for row in rows]
        batch = max(connection.ops.bulk_batch_size(fields, objs), 1)
        for start in range(0, len(objs), batch):
            # raw=True: the values are stored as they were (no auto_now, no signals).
            model._base_manager.using(using)._insert(
                objs[start : start + batch], fields=fields, raw=True, using=using
            )
    statements = connection.ops.sequence_reset_sql(no_style(), list(snapshot))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def load_demo(*args, using="default"):
    """Load the demo content: for real the first time, from the snapshot afterwards."""
    key = (args, connections[using].vendor)
    snapshot = _DEMO_SNAPSHOTS.get(key)
    if snapshot:
        try:
            with transaction.atomic(using=using):
                _restore_rows(snapshot, using)
            return
        except IntegrityError:
            pass  # the test made rows that clash with the snapshot's ids: load for real
    before = _table_state(using) if key not in _DEMO_SNAPSHOTS else None
    call_command("load_demo_content", *args, stdout=io.StringIO())
    if before is not None:
        _DEMO_SNAPSHOTS[key] = _added_rows(before, _table_state(using))


@pytest.fixture
def demo(db):
    """The China Development Forum 2024 demo content, without demo accounts."""
    load_demo("--no-accounts")


@pytest.fixture
def demo_with_accounts(db):
    """The demo content and the demo accounts."""
    load_demo()


@pytest.fixture
def demo_loader(db):
    """load_demo itself, for tests that load the demo content more than once."""
    return load_demo


@pytest.fixture
def demo_loaded(db):
    """The demo content, loaded by the command itself (for tests of the loader)."""
    call_command("load_demo_content", "--no-accounts", stdout=io.StringIO())


@pytest.fixture
def demo_loaded_with_accounts(db):
    call_command("load_demo_content", stdout=io.StringIO())


@pytest.fixture
def live_site(live_server, transactional_db):
    """The demo site, with the demo accounts, on a live server (for browser tests)."""
    # A transactional test empties every table when it ends, the role groups made by a
    # data migration too: a browser test that runs after another makes them again.
    roles.sync_role_groups(django_apps)
    call_command("load_demo_content", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def people(db):
    """One staff member in each editorial role, and a second author."""
    return {
        "author": user_in(roles.AUTHORS),
        "other_author": user_in(roles.AUTHORS),
        "translator": user_in(roles.TRANSLATORS),
        "reviewer": user_in(roles.REVIEWERS),
        "editor": user_in(roles.EDITORS),
        "press": user_in(roles.PRESS_OFFICERS),
    }


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _page_text(response):
    """The response's visible text: tags stripped, entities decoded, whitespace collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S | re.I)
    text = html.unescape(strip_tags(content))
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def page_text():
    return _page_text


@pytest.fixture
def page_digits():
    return lambda response: re.sub(r"\D", "", _page_text(response))


def _form_data(response, form_id=r"\w+_form"):
    """The data a browser would post from the page's form (by default the admin's change
    form, whose id is "<model>_form"), without the inline `__prefix__` templates."""
    return parse_form_data(response.content.decode(), form_id)


@pytest.fixture
def form_data():
    return _form_data


# --- Object storage -----------------------------------------------------------------------
# Tests marked `s3` talk to an S3-compatible server at TEST_S3_ENDPOINT_URL (.ci/run starts
# moto's on loopback). Without one they are skipped, except under CI=true, where they fail.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _s3_endpoint():
    endpoint = os.environ.get("TEST_S3_ENDPOINT_URL", "")
    parts = urllib.parse.urlsplit(endpoint)
    reachable = False
    if parts.hostname and parts.port:
        with socket.socket() as probe:
            probe.settimeout(1)
            reachable = probe.connect_ex((parts.hostname, parts.port)) == 0
    if not reachable:
        message = f"no S3-compatible server at TEST_S3_ENDPOINT_URL ({endpoint or 'unset'})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return endpoint


def bucket_environment(endpoint, name):
    """The AWS_* variables of a site whose media are in bucket `name`."""
    return {
        **S3_CREDENTIALS,
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
    }


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    """A new, empty bucket as the default storage, and an empty MEDIA_ROOT (nothing is
    read from or written to the local disk); `.keys()` lists its objects. Emptied and
    deleted afterwards."""
    import boto3

    endpoint = _s3_endpoint()
    name = f"test-{uuid.uuid4().hex[:16]}"
    environment = bucket_environment(endpoint, name)
    for variable, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": media_bucket_storage(environment)}
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    images._memo.clear()

    def keys(prefix=""):
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    yield SimpleNamespace(
        name=name, client=client, keys=keys, endpoint=endpoint, environment=environment
    )
    images._memo.clear()
    for key in keys():
        client.delete_object(Bucket=name, Key=key)
    client.delete_bucket(Bucket=name)
