"""The site's addresses and three that fail on purpose, in every language, for the error
pages' tests (tests/hant/test_typography.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from cdfsite.urls import handler500
from cdfsite.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a fault of ours, on purpose")


def database_gone(request):
    raise OperationalError("the database does not answer, on purpose")


urlpatterns = [
    *i18n_patterns(
        path("forbidden/", forbidden),
        path("broken/", broken),
        path("database-gone/", database_gone),
        prefix_default_language=True,
    ),
    *site_urlpatterns,
]
