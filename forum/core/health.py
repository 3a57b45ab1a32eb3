"""Health checks for load balancers and orchestrators (README: Runbook).

    /healthz   liveness: the process answers (nothing else is looked at)
    /readyz    readiness: the database answers and has every migration of this code, the
               cache answers, the media storage answers

Both answer before any other middleware (first in MIDDLEWARE): no redirect to https, no
host check (a load balancer asks by address), no session, never cached. The body is a
plain "ok" (200) or "unavailable" (503) and nothing else; which check failed, and why,
goes to the log only.
"""

import logging
import uuid

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

from forum.core import storage
from forum.core.cache import ERRORS as CACHE_ERRORS

logger = logging.getLogger(__name__)

_migrated = False  # once every migration is applied, it stays so while the code runs


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


def ready():
    """(True, []) or (False, [the failed checks])."""
    failed = []
    for name, check in READINESS.items():
        if name == "migrations" and "database" in failed:
            failed.append(name)
            continue
        try:
            passed = check()
        except (DatabaseError, *CACHE_ERRORS, *storage.STORAGE_ERRORS) as error:
            logger.warning("Readiness check %s failed: %s", name, error)
            passed = False
        else:
            if not passed:
                logger.warning("Readiness check %s failed", name)
        if not passed:
            failed.append(name)
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
