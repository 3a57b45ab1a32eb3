"""A database that does not answer: a plain bilingual 503 page, never a 500 or a traceback.

Django reconnects on the next request by itself (CONN_MAX_AGE with health checks), so
the site recovers as soon as PostgreSQL answers again. The page (templates/503.html) is
static HTML in both languages: rendering it needs neither the database nor a session.

- `DatabaseUnavailableMiddleware`: a view or template that fails to reach the database;
- `server_error`: the site's handler500, for the same failure anywhere else (a middleware
  saving the session), and Django's own 500 page for every other error.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

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
