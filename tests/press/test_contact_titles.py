"""A media contact's title at their organisation in each language's order on the press page
(新闻官 after 中国发展研究基金会 in Chinese), and the vCard's TITLE and ORG in the card's
language."""

import html
import re

import pytest
import vobject

from tests.factories import EditionFactory, MediaContactFactory, OrganisationFactory
from tests.press.rfc2426 import assert_valid_vcards

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    contact = MediaContactFactory(
        name_en="Wang Ming",
        name_zh_hans="王明",
        job_title_en="Press Officer",
        job_title_zh_hans="新闻官",
        organisation=OrganisationFactory(
            name_en="China Development Research Foundation", name_zh_hans="中国发展研究基金会"
        ),
    )
    return contact


def roles(response):
    lines = re.findall(r'<p class="contact-role">(.*?)</p>', response.content.decode())
    return [html.unescape(line) for line in lines]


@pytest.mark.parametrize(
    ("prefix", "role"),
    [
        ("en", "Press Officer, China Development Research Foundation"),
        ("zh-hans", "中国发展研究基金会新闻官"),
        ("zh-hant", "中國發展研究基金會新聞官"),
    ],
)
def test_press_page_prints_the_contact_title_in_the_language_order(client, contact, prefix, role):
    edition = EditionFactory(press_office=OrganisationFactory(name_en="CDF Press Office"))
    contact.editions.add(edition)
    assert roles(client.get(f"/{prefix}/{edition.slug}/press/")) == [role]


def test_press_page_leaves_out_the_press_office_itself(client, contact):
    edition = EditionFactory(press_office=contact.organisation)
    contact.editions.add(edition)
    assert roles(client.get(f"/zh-hans/{edition.slug}/press/")) == ["新闻官"]


def test_an_organisation_without_a_chinese_name_is_named_as_given(client, contact):
    contact.organisation.name_zh_hans = ""
    contact.organisation.save()
    edition = EditionFactory(press_office=OrganisationFactory(name_en="CDF Press Office"))
    contact.editions.add(edition)
    assert roles(client.get(f"/zh-hans/{edition.slug}/press/")) == [
        "China Development Research Foundation新闻官"
    ]


@pytest.mark.parametrize(
    ("prefix", "title", "organisation"),
    [
        ("en", "Press Officer", "China Development Research Foundation"),
        ("zh-hans", "新闻官", "中国发展研究基金会"),
        ("zh-hant", "新聞官", "中國發展研究基金會"),
    ],
)
def test_vcard_title_and_org_in_the_card_language(client, contact, prefix, title, organisation):
    response = client.get(f"/{prefix}/press/contacts/{contact.pk}.vcf")
    text = response.getvalue().decode()
    assert assert_valid_vcards(text) == 1
    (card,) = vobject.readComponents(text)
    assert card.title.value == title
    assert card.org.value == [organisation]
