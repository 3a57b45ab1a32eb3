"""Titles on the public pages read in the page's language order: a person's positions are
written by Position.label (中国发展研究基金会理事长 in Chinese), titles printed at a session
or for a speech are shown as stored, joined by 、 in Chinese and by "; " in English, and the
speaker line puts the title before the name in Chinese (天津市人民政府副市长李文海)."""

import re

import pytest

from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    SessionRoleFactory,
    SpeechFactory,
    person_with_two_positions,
)

pytestmark = pytest.mark.django_db

SESSION = "2024/sessions/digital-empowerment-industrial-transformation/"
REPORT = "reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/"


def standfirst(response):
    match = re.search(r'<p class="standfirst">(.*?)</p>', response.content.decode(), re.S)
    return match and match.group(1)


def position_lines(response):
    return re.findall(r'<p class="position-title">(.*?)</p>', response.content.decode())


@pytest.fixture
def zhang_junkuo():
    return person_with_two_positions(slug="zhang-junkuo")


@pytest.mark.parametrize(
    ("prefix", "line", "positions"),
    [
        (
            "en",
            "Chairman, China Development Research Foundation; "
            "Deputy Director, Committee on Proposals, the 14th CPPCC National Committee",
            [
                "Chairman, China Development Research Foundation",
                "Deputy Director, Committee on Proposals, the 14th CPPCC National Committee",
            ],
        ),
        (
            "zh-hans",
            "中国发展研究基金会理事长、第十四届全国政协提案委员会副主任",
            ["中国发展研究基金会理事长", "第十四届全国政协提案委员会副主任"],
        ),
        (
            "zh-hant",
            "中國發展研究基金會理事長、第十四屆全國政協提案委員會副主任",
            ["中國發展研究基金會理事長", "第十四屆全國政協提案委員會副主任"],
        ),
    ],
)
def test_person_page_prints_positions_in_the_language_order(
    client, zhang_junkuo, prefix, line, positions
):
    response = client.get(f"/{prefix}/people/zhang-junkuo/")
    assert response.status_code == 200
    assert standfirst(response) == line.replace("'", "&#x27;")
    assert position_lines(response) == positions


def test_printed_titles_at_a_session_are_shown_as_stored(client):
    """Never reordered from the person's positions: the titles as printed for the session,
    one per line, whatever the person's positions are now."""
    role = SessionRoleFactory(
        printed_titles_en="Chairman, A Foundation (AF)\nDeputy Director of a Committee",
        printed_titles_zh_hans="某基金会理事长\n某委员会副主任",
    )
    PositionFactory(
        person=role.person,
        title_en="Honorary Chairman",
        title_zh_hans="名誉理事长",
        organisation=OrganisationFactory(name_en="Another Body", name_zh_hans="另一机构"),
    )
    session = role.session
    path = f"{session.edition.slug}/sessions/{session.slug}/"
    english = client.get(f"/en/{path}").content.decode()
    assert re.findall(r"<li>(.*?)</li>", english.split('class="printed-titles"')[1])[:2] == [
        "Chairman, A Foundation (AF)",
        "Deputy Director of a Committee",
    ]
    chinese = client.get(f"/zh-hans/{path}").content.decode()
    assert re.findall(r"<li>(.*?)</li>", chinese.split('class="printed-titles"')[1])[:2] == [
        "某基金会理事长",
        "某委员会副主任",
    ]
    assert "另一机构" not in chinese
    assert "名誉理事长" not in chinese


def test_a_speech_with_several_printed_titles_joins_them_in_the_language_way(client, page_text):
    speech = SpeechFactory(
        speaker=PersonFactory(family_name_en="Wang", given_name_en="Ming", given_name_zh_hans="明"),
        printed_title_en="Chairman, A Foundation\nDeputy Director, A Committee",
        printed_title_zh_hans="某基金会理事长\n某委员会副主任",
    )
    session = speech.session
    path = f"{session.edition.slug}/sessions/{session.slug}/"
    assert "某基金会理事长、某委员会副主任王明" in page_text(client.get(f"/zh-hans/{path}"))
    assert "Wang Ming, Chairman, A Foundation; Deputy Director, A Committee" in page_text(
        client.get(f"/en/{path}")
    )


# --- The demo: presiders and speakers in Chinese order on every page that names them ----


@pytest.mark.parametrize(
    ("prefix", "path", "expected"),
    [
        ("zh-hans", SESSION, "天津市人民政府副市长李文海"),
        ("zh-hant", SESSION, "天津市人民政府副市長李文海"),
        ("zh-hans", REPORT, "天津市人民政府副市长李文海"),
        ("zh-hant", REPORT, "天津市人民政府副市長李文海"),
        ("zh-hans", "2024/", "天津市人民政府副市长李文海"),
        ("zh-hant", "2024/", "天津市人民政府副市長李文海"),
        ("zh-hans", "people/li-wenhai/", "天津市人民政府副市长"),
        ("zh-hant", "people/li-wenhai/", "天津市人民政府副市長"),
        (
            "zh-hans",
            "people/zhang-junkuo/",
            "中国发展研究基金会理事长、第十四届全国政协提案委员会副主任",
        ),
        (
            "zh-hant",
            "people/zhang-junkuo/",
            "中國發展研究基金會理事長、第十四屆全國政協提案委員會副主任",
        ),
        ("en", SESSION, "LI Wenhai, Vice Mayor, the People's Government of Tianjin Municipality"),
        (
            "en",
            "people/zhang-junkuo/",
            "Chairman, China Development Research Foundation; "
            "Deputy Director, Committee on Proposals, the 14th CPPCC National Committee",
        ),
    ],
)
def test_demo_titles_read_in_the_page_language_order(
    client, demo, page_text, prefix, path, expected
):
    response = client.get(f"/{prefix}/{path}")
    assert response.status_code == 200
    text = page_text(response)
    assert expected in text
    if path.startswith("people/"):  # the line under the name, not the biography
        assert standfirst(response) == expected
    # Never the English order in Chinese: "title，organisation".
    assert not re.search("(理事|副市)[长長]，", text)


@pytest.mark.parametrize("prefix", ["zh-hans", "zh-hant"])
def test_demo_presider_titles_at_the_session_are_printed_as_stored(client, demo, prefix):
    content = client.get(f"/{prefix}/{SESSION}").content.decode()
    titles = re.findall(r"<li>(.*?)</li>", content.split('class="printed-titles"')[1])[:2]
    assert titles == (
        ["中国发展研究基金会理事长", "第十四届全国政协提案委员会副主任"]
        if prefix == "zh-hans"
        else ["中國發展研究基金會理事長", "第十四屆全國政協提案委員會副主任"]
    )
