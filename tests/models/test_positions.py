"""A person's positions read in each language's order: "Chairman, China Development Research
Foundation" in English, 中国发展研究基金会理事长 in Chinese, several joined by "; " or 、."""

import pytest
from django.utils import translation

from forum.core.titles import join_titles, title_at
from forum.models import positions_label
from tests.factories import (
    OrganisationFactory,
    PositionFactory,
    person_with_two_positions,
)

pytestmark = pytest.mark.django_db


def zhang_junkuo():
    return person_with_two_positions()


ZHANG_JUNKUO = {
    "en": "Chairman, China Development Research Foundation; "
    "Deputy Director, Committee on Proposals, the 14th CPPCC National Committee",
    "zh-hans": "中国发展研究基金会理事长、第十四届全国政协提案委员会副主任",
    "zh-hant": "中國發展研究基金會理事長、第十四屆全國政協提案委員會副主任",
}


@pytest.mark.parametrize("language_code", ZHANG_JUNKUO)
def test_positions_read_in_the_language_order(language_code):
    person = zhang_junkuo()
    label = positions_label(person.current_positions(), language_code)
    assert label == ZHANG_JUNKUO[language_code]


def test_one_position_in_each_language():
    position = PositionFactory(
        title_en="Vice Mayor",
        title_zh_hans="副市长",
        organisation=OrganisationFactory(
            name_en="People's Government of Tianjin Municipality", name_zh_hans="天津市人民政府"
        ),
    )
    assert position.label("en") == "Vice Mayor, People's Government of Tianjin Municipality"
    assert position.label("zh-hans") == "天津市人民政府副市长"
    assert position.label("zh-hant") == "天津市人民政府副市長"


def test_a_position_without_an_organisation_is_its_title():
    position = PositionFactory(title_en="Economist", title_zh_hans="经济学家", organisation=None)
    assert position.label("en") == "Economist"
    assert position.label("zh-hans") == "经济学家"


def test_label_follows_the_active_language_by_default_and_in_the_admin():
    position = PositionFactory(
        title_en="Director",
        title_zh_hans="主任",
        organisation=OrganisationFactory(name_en="Example Centre", name_zh_hans="示例中心"),
    )
    assert str(position) == "Director, Example Centre"
    with translation.override("zh-hans"):
        assert str(position) == "示例中心主任"
        assert position.label() == "示例中心主任"


def test_a_title_missing_in_chinese_shows_the_whole_position_as_written():
    """No guessed translation, and no half-English, half-Chinese line: the title as written
    with its organisation in the same language and that language's order."""
    position = PositionFactory(
        title_en="Senior Fellow",
        title_zh_hans="",
        organisation=OrganisationFactory(name_en="Example Institute", name_zh_hans="示例研究院"),
    )
    position.refresh_from_db()
    assert position.label("zh-hans") == "Senior Fellow, Example Institute"
    assert position.label("zh-hant") == "Senior Fellow, Example Institute"
    assert position.title_in("zh-hans") == "Senior Fellow"


def test_an_organisation_without_a_chinese_name_is_named_as_given():
    position = PositionFactory(
        title_en="Founder",
        title_zh_hans="创始人",
        organisation=OrganisationFactory(name_en="Example Partners", name_zh_hans=""),
    )
    position.refresh_from_db()
    assert position.label("zh-hans") == "Example Partners创始人"
    assert position.label("en") == "Founder, Example Partners"


def test_no_positions_is_an_empty_line():
    assert positions_label([], "zh-hans") == ""
    assert positions_label([], "en") == ""


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [("en", "A, B; C"), ("zh-hans", "BA、C"), ("zh-hant", "BA、C")],
)
def test_title_at_and_join_titles(language_code, expected):
    line = join_titles([title_at("A", "B", language_code), " ", "C", None], language_code)
    assert line == expected
