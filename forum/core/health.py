"""Health checks for load balancers and orchestrators (docs/runbook.md).

    /healthz   liveness: the process answers (nothing else is looked at)
    /readyz    readiness: the database answers and has every migration of this code, the
               cache answers, the media storage answers

Both answer before any other middleware (first in MIDDLEWARE): no redirect to https, no
host check (a load balancer asks by address), no session, never cached. The body is a
plain "ok" (200) or "unavailable" (503) and nothing else; which check failed, and why,
goes to the log only.

/readyz answers within READINESS_DEADLINE whatever hangs: its checks run side by side,
each in a thread of its own, and one that has not answered by then counts as failed (its
thread ends by its dependency's own timeout: cdfsite/settings/base.py).
"""

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

from forum.core import storage
from forum.core.cache import ERRORS as CACHE_ERRORS

logger = logging.getLogger(__name__)

_migrated = False  # once every migration is applied, it stays so while the code runs
# Seconds: under the one second a load balancer's check is usually given.
READINESS_DEADLINE = 0.8


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def migrations():
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def cache():
    backend = caches["default"]
    key, value = f"readyz:{uuid.uuid4().hex}", "ok"
    backend.set(key, value, 10)
    answered = backend.get(key) == value
    backend.delete(key)
    return answered


def media_storage():
    return storage.available()


READINESS = {
    "database": database,
    "migrations": migrations,
    "cache": cache,
    "storage": media_storage,
}


def _run(name, check):
    """Whether one check passed (run in a thread of its own)."""
    try:
        passed = check()
    except (DatabaseError, *CACHE_ERRORS, *storage.STORAGE_ERRORS) as error:
        logger.warning("Readiness check %s failed: %s", name, error)
        return False
    if not passed:
        logger.warning("Readiness check %s failed", name)
    return passed


def _database_and_migrations():
    """Both database checks in one thread, on one connection closed at the end: migrations
    are asked only of a database that answers."""
    try:
        answered = _run("database", READINESS["database"])
        return {
            "database": answered,
            "migrations": answered and _run("migrations", READINESS["migrations"]),
        }
    finally:
        connection.close()


def ready():
    """(True, []) or (False, [the failed checks]), within READINESS_DEADLINE."""
    executor = ThreadPoolExecutor(max_workers=len(READINESS), thread_name_prefix="readyz")
    futures = {
        executor.submit(_database_and_migrations): ("database", "migrations"),
        **{
            executor.submit(_run, name, check): (name,)
            for name, check in READINESS.items()
            if name not in ("database", "migrations")
        },
    }
    done, _late = wait_for(futures, timeout=READINESS_DEADLINE)
    executor.shutdown(wait=False)  # a hung check's thread is not waited for
    passed = {}
    for future, names in futures.items():
        if future in done:
            result = future.result()
            passed.update(result if isinstance(result, dict) else {names[0]: result})
        else:
            logger.warning("Readiness check %s did not answer in time", " and ".join(names))
    failed = [name for name in READINESS if not passed.get(name, False)]
    return not failed, failed


def _plain(ok):
    response = HttpResponse(
        "ok\n" if ok else "unavailable\n",
        status=200 if ok else 503,
        content_type="text/plain; charset=utf-8",
    )
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in ("/healthz", "/readyz"):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if path == "/healthz":
            return _plain(True)
        ok, _failed = ready()
        return _plain(ok)
