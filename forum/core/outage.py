"""A database that does not answer: a plain bilingual 503 page, never a 500 or a traceback.

Django reconnects on the next request by itself (CONN_MAX_AGE with health checks), so
the site recovers as soon as PostgreSQL answers again. The page (templates/503.html) is
static HTML in both languages: rendering it needs neither the database nor a session.

- `DatabaseUnavailableMiddleware`: a view or template that fails to reach the database;
- `server_error`: the site's handler500, for the same failure anywhere else (a middleware
  saving the session), and Django's own 500 page for every other error;
- `started`: a streamed response (an edition's contacts.vcf, a file from the media
  bucket) begins while the view runs, so a dependency that fails at the start gives this
  503 too (the view answers it; `unavailable_response()` for other dependencies).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from forum.core.logs import current_request_id

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable_response():
    response = HttpResponse(
        loader.get_template("503.html").render(),
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            response = unavailable_response()
            response._has_been_logged = True  # the line above says it, with the cause
            return response
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return unavailable_response()
    return defaults.server_error(request, template_name)


def started(chunks, what):
    """The chunks of a streamed response, the first one made now, in the view.

    A stream is otherwise read only after the view has returned and the request has been
    logged as a 200: a database or storage failing at its start would break it off with
    no error page. Made now, that failure raises in the view, which answers the 503 above
    (logged as such). After the first byte the status is sent and cannot change: a failure
    is logged (with the request's id) as an error and the connection is closed, so the
    client sees an incomplete download (the length or the last chunk missing), never a
    complete-looking file.
    """
    chunks = iter(chunks)
    try:
        first = next(chunks)
    except StopIteration:
        return iter(())
    return _rest_of_stream(first, chunks, what, current_request_id())


def _rest_of_stream(first, chunks, what, request_id):
    yield first
    try:
        yield from chunks
    except Exception:
        # The request's own context is gone by now: the id is the one it had.
        logger.exception("%s broken off after it started", what, extra={"request_id": request_id})
        raise
