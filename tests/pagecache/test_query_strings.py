"""The page cache keys a page on the query parameters its view reads (tags.PAGE_PARAMETERS):
tracking and unknown parameters are served the cached page and never change what is cached.
"""

import re
from pathlib import Path

import pytest

from forum.pagecache.tags import PAGE_COLLECTIONS, PAGE_PARAMETERS
from tests.factories import ReportFactory
from tests.pagecache import test_cache

cached, site = test_cache.cached, test_cache.site
cache_state, report_paths = test_cache.cache_state, test_cache.report_paths
state, warm = test_cache.state, test_cache.warm

pytestmark = pytest.mark.django_db

TRACKING = [
    "utm_source=newsletter",
    "utm_source=x&utm_medium=email&utm_campaign=cdf2024",
    "fbclid=IwAR0abc",
    "gclid=123",
    "anything=else&ref=home",
]


@pytest.mark.parametrize("query", TRACKING)
def test_tracking_parameters_are_served_the_cached_page(client, site, cached, query):
    paths = [report_paths(site["report"])[0], "/en/", "/zh-hans/reports/", "/en/about/"]
    for path in paths:
        clean, response = cache_state(client, path)
        assert clean == "miss", path
        verdict, tracked = cache_state(client, f"{path}?{query}")
        assert verdict == "hit", path
        assert tracked.content == response.content


def test_tracking_parameters_never_change_what_is_cached(client, site, cached):
    path = report_paths(site["report"])[0]
    verdict, tracked = cache_state(client, f"{path}?utm_source=%3Cscript%3Ealert(1)%3C/script%3E")
    assert verdict == "miss"
    assert b"utm_source" not in tracked.content
    verdict, clean = cache_state(client, path)
    assert verdict == "hit"
    assert clean.content == tracked.content


def test_parameters_a_page_reads_are_part_of_its_key(client, site, cached):
    ReportFactory.create_batch(25, edition=site["edition"])
    warm(client, ["/en/reports/", "/en/reports/?page=2"])
    assert state(client, "/en/reports/?page=2&utm_source=x") == "hit"
    assert state(client, "/en/reports/?utm_source=x&page=2") == "hit"
    assert state(client, "/en/reports/?page=1") == "miss"
    first, second = client.get("/en/reports/"), client.get("/en/reports/?page=2&fbclid=1")
    assert first.content != second.content


def test_search_keys_on_its_query_and_page(client, site, cached):
    warm(client, ["/en/search/?q=report"])
    assert state(client, "/en/search/?q=report&utm_campaign=x") == "hit"
    assert state(client, "/en/search/?utm_campaign=x&q=report") == "hit"
    assert state(client, "/en/search/?q=session") == "miss"
    assert state(client, "/en/search/?q=report&page=1") == "miss"


def test_every_parameter_a_public_view_reads_is_declared():
    """A cached view reading a parameter not in PAGE_PARAMETERS would be cached once for
    every value of it."""
    declared = {name for names in PAGE_PARAMETERS.values() for name in names}
    assert set(PAGE_PARAMETERS) <= set(PAGE_COLLECTIONS)
    forum = Path(__file__).resolve().parents[2] / "forum"
    read = set()
    for views in [*forum.glob("*/views.py"), forum / "discovery" / "sitemaps.py"]:
        read |= set(re.findall(r"GET(?:\.get|\.getlist|\[)\(?[\"'](\w+)[\"']", views.read_text()))
    assert read, "no parameter found: the pattern no longer matches the views"
    assert read <= declared, read - declared
