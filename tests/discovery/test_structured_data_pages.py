"""JSON-LD of the about, press and list pages: the forum as an Organization (with its press
contacts, public details only, on the press page) and an ItemList of what a list shows."""

import re

import pytest

from forum.models import Edition, MediaContact
from tests.discovery.test_structured_data import BASE, json_ld
from tests.factories import MediaContactFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORUM_NAME = {"en": "China Development Forum", "zh-hans": "中国发展高层论坛"}


def of_type(response, kind):
    assert response.status_code == 200
    return [data for data in json_ld(response) if data["@type"] == kind]


def links(response, pattern):
    """The page's links whose address matches, in order, each once."""
    found = re.findall(rf'href="({pattern})"', response.content.decode())
    return [BASE + url for url in dict.fromkeys(found)]


@pytest.mark.parametrize("code", ["en", "zh-hans"])
def test_about_page_is_the_forum_as_an_organization(client, demo, code):
    [org] = of_type(client.get(f"/{code}/about/"), "Organization")
    assert org["@context"] == "https://schema.org"
    assert org["name"] == FORUM_NAME[code]
    assert org["url"] == f"{BASE}/{code}/"
    assert org["logo"].startswith(BASE) and ".svg" in org["logo"]
    assert "contactPoint" not in org


@pytest.mark.parametrize("code", ["en", "zh-hans"])
def test_about_page_lists_the_editions(client, demo, code):
    response = client.get(f"/{code}/about/")
    [listing] = of_type(response, "ItemList")
    edition = Edition.objects.get()
    assert listing["itemListElement"] == [
        {
            "@type": "ListItem",
            "position": 1,
            "url": f"{BASE}/{code}/{edition.slug}/",
            "name": edition.title,
        }
    ]


@pytest.mark.parametrize("code", ["en", "zh-hans"])
def test_press_page_names_the_public_contact_details_only(client, demo, code):
    contact = MediaContact.objects.public().filter(mobile__gt="").first()
    contact.mobile_public = False
    contact.save()
    hidden = MediaContactFactory(
        is_public=False, name_en="Private Person", email="hidden@example.org"
    )
    response = client.get(f"/{code}/2024/press/")
    [org] = of_type(response, "Organization")
    assert org["name"] == FORUM_NAME[code]
    points = org["contactPoint"]
    media = [point for point in points if point["contactType"] == "media relations"]
    shown = list(response.context["contacts"])
    assert len(media) == len(shown) > 0
    text = str(org)
    assert contact.mobile not in text
    assert hidden.email not in text and "Private Person" not in text
    for point, listed in zip(media, shown, strict=True):
        details = listed.public_details()
        assert point.get("email") == details.get("email")
        for number in ("telephone", "faxNumber"):
            if number in point:
                assert point[number].split(" ext. ")[0] in details.values()
    assert any(point["contactType"] == "press office" for point in points)


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/en/reports/", r"/en/reports/[\w-]+/"),
        ("/zh-hans/reports/", r"/zh-hans/reports/[\w-]+/"),
        ("/en/people/", r"/en/people/[\w-]+/"),
        ("/zh-hans/people/", r"/zh-hans/people/[\w-]+/"),
        ("/en/2024/", r"/en/2024/sessions/[\w-]+/"),
    ],
)
def test_list_pages_list_their_items(client, demo, path, pattern):
    response = client.get(path)
    [listing] = of_type(response, "ItemList")
    items = listing["itemListElement"]
    main = response.content.decode().split("<main", 1)[1]
    assert [item["url"] for item in items] == [
        BASE + url for url in dict.fromkeys(re.findall(rf'href="({pattern})"', main))
    ]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    assert all(item["name"] for item in items)


def test_positions_continue_on_the_next_page(client, db):
    PersonFactory.create_batch(51)
    first = of_type(client.get("/en/people/"), "ItemList")[0]["itemListElement"]
    second = of_type(client.get("/en/people/?page=2"), "ItemList")[0]["itemListElement"]
    assert [item["position"] for item in first] == list(range(1, 51))
    assert [item["position"] for item in second] == [51]
