"""Throwaway databases, production-style gunicorn servers and log scans for the
operations commands (tools.loadtest, tools.two_instances, tools.check_backup_restore).
Standard library and psycopg only.

Servers are started the way `make serve` starts them (DEBUG off, plain HTTP, a generated
SECRET_KEY, whitenoise and collected static files, gunicorn with cdfsite/gunicorn.py's
gevent workers, an access log), each in its own process group so that stopping it
stops its workers and nothing else; they listen on loopback only. Django's log records
and gunicorn's error log go to one file per server, which `log_errors()` scans. A
`Workspace` owns what one run makes (a work folder, databases, a Redis key prefix,
servers) and removes it all at the end.
"""

import functools
import json
import os
import re
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HOST = "127.0.0.1"
# The maintenance database used to create and drop throwaway databases.
PG_ADMIN_URL = os.environ.get("OPS_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = (
    os.environ.get("OPS_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
)
# An S3-compatible server for throwaway buckets (.ci/run starts moto's on loopback), and
# the credentials it takes (any, for moto).
S3_ENDPOINT_URL = os.environ.get("OPS_S3_ENDPOINT_URL", "")
S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
    "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
}
# The demo content's editor account and keynote report (load_demo_content).
DEMO_EDITOR = ("editor", "cdf-editor-2024")
# The keynote report's slugs in the languages editors write, in their order (English, then
# Chinese): demo_report_slugs() keys them by language.
DEMO_REPORT_SLUG_TEXTS = (
    "li-wenhai-digital-empowerment-industrial-transformation",
    "li-wenhai-shuzihua-funeng-chanye-zhuanxing",
)

# The site's languages as the registry (forum/core/languages.py) states them, read by a
# short Python process with the settings: the tools talk to servers over HTTP and set no
# Django up themselves, and no tool spells a language code.
_READ_LANGUAGES = """
import json
from forum.core import languages
print(json.dumps({
    "written": languages.EDITED,
    "default": languages.DEFAULT,
    "han": languages.HAN_SCRIPT,
    "codes": languages.CODES,
    "tags": {code: languages.get(code).tag for code in languages.CODES},
    "suffixes": {code: languages.suffix(code) for code in languages.CODES},
}))
"""


@dataclass(frozen=True)
class SiteLanguages:
    written: tuple  # the codes editors write, English first
    default: str  # the default language's code (English)
    han: str  # the first language written in Chinese characters (Simplified)
    codes: tuple  # every language, derived ones too
    tags: dict  # {code: its BCP 47 tag, for lang attributes}
    suffixes: dict  # {code: modeltranslation's column suffix}

    def column(self, field, code):
        """The column of a translated field in a language, as the registry names it."""
        return f"{field}_{self.suffixes[code]}"


@functools.cache
def site_languages():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cdfsite.settings.test"}
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", _READ_LANGUAGES],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(result.stdout)
    return SiteLanguages(
        written=tuple(data["written"]),
        default=data["default"],
        han=data["han"],
        codes=tuple(data["codes"]),
        tags=data["tags"],
        suffixes=data["suffixes"],
    )


def demo_report_slugs():
    """{code: the keynote report's slug} in the languages editors write."""
    return dict(zip(site_languages().written, DEMO_REPORT_SLUG_TEXTS, strict=True))


def log(prefix, message):
    print(f"[{prefix}] {message}", flush=True)


# --- Databases --------------------------------------------------------------------------


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://", 1), autocommit=True)


def postgres_available():
    try:
        with _pg_admin():
            return True
    except Exception:
        return False


def create_postgres_database(name):
    """Creates an empty database (dropping a leftover of the same name); returns its URL."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(name)
    with _pg_admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(PG_ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres_database(name):
    with _pg_admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Redis ------------------------------------------------------------------------------


def redis_available(url=REDIS_URL):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def redis_delete_prefix(prefix, url=REDIS_URL):
    """Deletes the keys Django's cache made under KEY_PREFIX `prefix` ("<prefix>:<v>:<key>")."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])
    return len(keys)


# --- Object storage ---------------------------------------------------------------------


def _s3_client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=S3_ENDPOINT_URL,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def s3_available():
    if not S3_ENDPOINT_URL:
        return False
    try:
        _s3_client().list_buckets()
        return True
    except Exception:
        return False


def create_bucket(name):
    """A new, empty bucket; the AWS_* variables of a site keeping its media there."""
    _s3_client().create_bucket(Bucket=name)
    return {
        **S3_CREDENTIALS,
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": S3_ENDPOINT_URL,
        "AWS_S3_REGION_NAME": "us-east-1",
    }


def delete_bucket(name):
    client = _s3_client()
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=name)
    for page in pages:
        for item in page.get("Contents", ()):
            client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def bucket_listing(name):
    """{key: (ETag, LastModified)} of every object in the bucket."""
    pages = _s3_client().get_paginator("list_objects_v2").paginate(Bucket=name)
    return {
        item["Key"]: (item["ETag"], item["LastModified"])
        for page in pages
        for item in page.get("Contents", ())
    }


def bucket_keys(name):
    return sorted(bucket_listing(name))


# --- The site ---------------------------------------------------------------------------


def site_env(**overrides):
    """The environment of a production-style server (`make serve`) and of its manage.py."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    env.update(
        {
            # The production settings, even when started from the test suite.
            "DJANGO_SETTINGS_MODULE": "cdfsite.settings.base",
            "DEBUG": "false",
            # Plain HTTP on loopback: DEBUG off would otherwise redirect to https.
            "HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SERVE_MEDIA": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def run(*command, check=True, **options):
    """Runs a command in the project's folder; raises CalledProcessError when it fails."""
    return subprocess.run(command, cwd=BASE_DIR, check=check, **options)  # noqa: S603


def manage(env, *args, capture=False):
    """Runs manage.py with `env`; returns its output when `capture`."""
    stdout = subprocess.PIPE if capture else None
    return run(PYTHON, "manage.py", *args, env=env, stdout=stdout, text=True).stdout


def fill_site(env, bulk_scale=None):
    """Migrates the empty database of `env`, loads the demo content (and bulk content at
    `bulk_scale`) and collects the static files."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_content", "-v0")
    if bulk_scale:
        manage(env, "generate_bulk_content", "--scale", str(bulk_scale), "-v0")
    collectstatic(env)


def port_is_free(port):
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


def gunicorn_settings():
    """cdfsite/gunicorn.py's settings ({"workers": …, "concurrent_requests": …}) in this
    environment, which the servers' environments (site_env) start from."""
    return runpy.run_path(str(BASE_DIR / "cdfsite" / "gunicorn.py"))


def gunicorn_command(port, workers=None):
    """gunicorn serving the site on HOST:port, as `make serve` starts it: worker class,
    threads, trusted proxies and the default number of workers come from cdfsite/gunicorn.py."""
    command = [
        GUNICORN,
        "-c",
        "python:cdfsite.gunicorn",
        "cdfsite.wsgi",
        "--bind",
        f"{HOST}:{port}",
    ]
    return command + (["--workers", str(workers)] if workers else [])


class Server:
    """gunicorn serving the site on HOST:port, as `make serve` does."""

    def __init__(self, name, port, env, logdir, workers=None):
        self.name, self.port, self.env = name, port, env
        settings = gunicorn_settings()
        self.workers = workers or settings["workers"]
        self.concurrent_requests = settings["concurrent_requests"]
        logdir = Path(logdir)
        logdir.mkdir(parents=True, exist_ok=True)
        self.access_log = logdir / f"{name}-access.log"
        self.error_log = logdir / f"{name}-server.log"
        self.control_socket = logdir / f"{name}.ctl"
        self.process = None

    def start(self, ready_path="/robots.txt", timeout=60):
        if not port_is_free(self.port):
            raise RuntimeError(f"port {self.port} is in use")
        self._log_file = self.error_log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            [
                *gunicorn_command(self.port, self.workers),
                "--access-logfile",
                str(self.access_log),
                "--error-logfile",
                "-",
                # gunicorn's control socket defaults to one path per user
                # (~/.gunicorn/gunicorn.ctl): give each server its own.
                "--control-socket",
                str(self.control_socket),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends exactly these
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.error_log}")
            connection = HTTPConnection(HOST, self.port, timeout=5)
            try:
                connection.request("GET", ready_path)
                if connection.getresponse().status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
            finally:
                connection.close()
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on port {self.port}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        finally:
            self._log_file.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def collectstatic(env):
    manage(env, "collectstatic", "--noinput", "-v0")


class Workspace:
    """What one run of an operations command makes, removed on exit: a work folder, the
    PostgreSQL databases and the Redis key prefix it asked for and the servers it started
    (stopped first; with `keep_logs`, their logs are copied there)."""

    def __init__(self, name, keep_logs=None):
        self.name, self.keep_logs = name, keep_logs
        self.run_id = f"{os.getpid()}_{int(time.time())}"
        self.work = Path(tempfile.mkdtemp(prefix=f"cdfsite-{name}-"))
        self.logs = self.work / "logs"
        self.servers = []
        self._cleanups = []

    def postgres(self, label=""):
        """A new, empty PostgreSQL database; its URL. Dropped on exit."""
        name = "_".join(filter(None, ["cdfsite_ops", self.name, label, self.run_id]))
        self._cleanups.append(lambda: drop_postgres_database(name))
        return create_postgres_database(name)

    def bucket(self, label=""):
        """A new, empty bucket on S3_ENDPOINT_URL; the AWS_* variables of a site keeping its
        media there. Emptied and deleted on exit."""
        name = "-".join(filter(None, ["cdfsite-ops", self.name, label, self.run_id]))
        name = name.replace("_", "-").lower()[:63]
        self._cleanups.append(lambda: delete_bucket(name))
        return create_bucket(name)

    def redis_prefix(self):
        """A cache key prefix (CACHE_KEY_PREFIX) of this run's own; its keys deleted on exit."""
        prefix = f"cdfsite-ops-{self.name}-{self.run_id}".replace("_", "-")
        self._cleanups.append(lambda: redis_available() and redis_delete_prefix(prefix))
        return prefix

    def serve(self, name, port, env, workers=None):
        """A started Server (as `make serve`), logging into the work folder."""
        server = Server(name, port, env, self.logs, workers=workers)
        self.servers.append(server)
        return server.start()

    def stop_servers(self):
        for server in self.servers:
            server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.stop_servers()
            if self.keep_logs and self.logs.exists():
                shutil.copytree(self.logs, self.keep_logs, dirs_exist_ok=True)
            for cleanup in reversed(self._cleanups):
                cleanup()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


# --- Logs -------------------------------------------------------------------------------

# Django's console handler prints bare messages: a 500 shows as "Internal Server Error: /…"
# followed by the traceback; gunicorn prefixes its own lines with [LEVEL].
ERROR_LINE = re.compile(
    r"Traceback|Internal Server Error|\[(ERROR|CRITICAL)\]|\bERROR\b|\bCRITICAL\b|WORKER TIMEOUT"
)


def log_errors(*paths):
    """Lines of the logs that report an error."""
    found = []
    for path in paths:
        path = Path(path)
        if path.exists():
            for line in path.read_text(errors="replace").splitlines():
                if ERROR_LINE.search(line):
                    found.append(f"{path.name}: {line}")
    return found


ACCESS_STATUS = re.compile(r'"[A-Z]+ [^"]*" (\d{3}) ')


def access_statuses(path):
    """{status: count} from a gunicorn access log."""
    counts = {}
    path = Path(path)
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            if match := ACCESS_STATUS.search(line):
                counts[int(match.group(1))] = counts.get(int(match.group(1)), 0) + 1
    return counts


def check_logs(servers):
    """Prints what the servers answered and the error lines of their logs; returns the
    failures: 5xx responses and logged errors."""
    failures = []
    for server in servers:
        statuses = access_statuses(server.access_log)
        fives = sum(count for status, count in statuses.items() if status >= 500)
        print(f"Access log of {server.name}: {dict(sorted(statuses.items()))}; 5xx: {fives}")
        if fives:
            failures.append(f"{fives} 5xx in the access log of {server.name}")
    lines = log_errors(*(server.error_log for server in servers))
    print(f"Server logs (gunicorn and Django): {len(lines)} error lines")
    for line in lines[:40]:
        print(f"  {line}")
    if lines:
        failures.append(f"{len(lines)} error lines in the server logs")
    return failures


class Checks:
    """check(condition, message): prints the check's outcome and keeps the failures."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, message):
        print(f"  {'ok  ' if condition else 'FAIL'} {message}", flush=True)
        if not condition:
            self.failures.append(message)
        return condition


def verdict(prefix, failures, passed):
    """Prints the outcome of a run; returns its exit status (1 on any failure)."""
    if failures:
        log(prefix, f"FAILED ({len(failures)}):")
        for failure in failures[:20]:
            print(f"  {failure}", flush=True)
        return 1
    log(prefix, f"PASSED: {passed}")
    return 0
