"""robots.txt and `noindex` agree: search results may be fetched by crawlers, and say that
they are not to be indexed (a page robots.txt disallows is never read, so its noindex is
never seen, and its address alone can still be listed)."""

import urllib.robotparser

import pytest
from django.urls import reverse
from django.utils import translation

NOINDEX = '<meta name="robots" content="noindex, follow">'


def robots(client):
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(client.get("/robots.txt").content.decode().splitlines())
    return parser


def search_paths():
    paths = []
    for code in ("en", "zh-hans"):
        with translation.override(code):
            search = reverse("forum:search")
        paths += [search, f"{search}?q=digital+economy", f"{search}?q=%E7%AE%97%E5%8A%9B&page=2"]
    return paths


@pytest.mark.parametrize("path", search_paths())
def test_search_page_is_crawlable_and_says_noindex(client, demo, path):
    assert robots(client).can_fetch("*", f"http://testserver{path}")
    response = client.get(path)
    assert response.status_code in (200, 404)  # page 2 of few results does not exist
    if response.status_code == 200:
        assert NOINDEX in response.content.decode()


def test_robots_txt_still_keeps_crawlers_out_of_the_admin_and_the_api(client, db):
    parser = robots(client)
    assert not parser.can_fetch("*", "http://testserver/admin/")
    assert not parser.can_fetch("*", "http://testserver/api/v1/reports/")
    assert parser.can_fetch("*", "http://testserver/en/reports/")
