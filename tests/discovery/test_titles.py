"""A person's positions in structured data and in the search index, in the page's
language: JSON-LD jobTitle and worksFor, and the indexed text (what snippets show)."""

import json
import re

import pytest

from forum.discovery.search import KINDS
from forum.models import SearchDocument
from tests.factories import OrganisationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db


def person_json_ld(client, path):
    content = client.get(path).content.decode()
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(block)


@pytest.fixture
def person():
    """Fictional, with one organisation that has no Chinese name yet."""
    person = PersonFactory(slug="wang-ming")
    PositionFactory(
        person=person,
        title_en="Chairman",
        title_zh_hans="理事长",
        organisation=OrganisationFactory(
            name_en="China Development Research Foundation", name_zh_hans="中国发展研究基金会"
        ),
        order=1,
    )
    PositionFactory(
        person=person,
        title_en="Adviser",
        title_zh_hans="顾问",
        organisation=OrganisationFactory(name_en="Example Partners", name_zh_hans=""),
        order=2,
    )
    return person


@pytest.mark.parametrize(
    ("prefix", "titles", "organisations"),
    [
        (
            "en",
            ["Chairman", "Adviser"],
            ["China Development Research Foundation", "Example Partners"],
        ),
        ("zh-hans", ["理事长", "顾问"], ["中国发展研究基金会", "Example Partners"]),
        ("zh-hant", ["理事長", "顧問"], ["中國發展研究基金會", "Example Partners"]),
    ],
)
def test_json_ld_job_titles_and_employers_in_the_page_language(
    client, person, prefix, titles, organisations
):
    data = person_json_ld(client, f"/{prefix}/people/wang-ming/")
    assert data["jobTitle"] == titles
    # An organisation without a name in the language is named as given, never nameless.
    assert [employer["name"] for employer in data["worksFor"]] == organisations


def test_json_ld_title_missing_in_chinese_is_given_as_written(client, person):
    position = person.positions.get(order=2)
    position.title_zh_hans = ""
    position.save()
    data = person_json_ld(client, "/zh-hans/people/wang-ming/")
    assert data["jobTitle"] == ["理事长", "Adviser"]


@pytest.mark.parametrize(
    ("language_code", "line"),
    [
        ("en", "Chairman, China Development Research Foundation"),
        ("zh-hans", "中国发展研究基金会理事长"),
        ("zh-hant", "中國發展研究基金會理事長"),
    ],
)
def test_search_indexes_positions_as_the_page_prints_them(person, language_code, line):
    indexed = KINDS[SearchDocument.Kind.PERSON].text(person, language_code)
    assert line in indexed.body.splitlines()
