"""A Chinese release in the house phrasing: who spoke, names with a middle dot, the
edition line's 年会, Traditional characters, and markup in plain-text fields."""

import pytest
from django.utils import translation

from forum import models
from forum.core import languages
from forum.releases.parser import parse_release
from forum.releases.services import release_import
from tests.releases.importing import ZH_TWO_SPEAKERS, editor, seed_text

HEAD = "中国发展高层论坛2025年年会 示例主题\n能源转型示例专题研讨会（主旨演讲）\n"
PRESIDED = "会议由中国发展研究基金会理事长、第十四届全国政协提案委员会副主任张军扩主持"
SPEAKERS = "国家能源局副局长陈强、天津市人民政府副市长李文海"


def release(lead, head=HEAD):
    return parse_release(f"{head}{lead}\n")


def speakers(draft):
    return [
        (speech["speaker"]["name"], speech["speaker"]["titles"], speech["kind"])
        for speech in draft["speeches"]
    ]


@pytest.mark.parametrize(
    ("lead", "kind"),
    [
        (f"{PRESIDED}，{SPEAKERS}先后发表演讲。", "keynote"),  # the note: 主旨演讲
        (f"{PRESIDED}，{SPEAKERS}发表演讲。", "keynote"),
        (f"{PRESIDED}。{SPEAKERS}先后发表演讲。", "keynote"),
        (f"{PRESIDED}。随后，{SPEAKERS}分别发表主旨演讲。", "keynote"),
        (f"{PRESIDED}，{SPEAKERS}作主旨演讲。", "keynote"),
        (f"{PRESIDED}，{SPEAKERS}致辞。", "address"),
        (f"{PRESIDED}，{SPEAKERS}作为嘉宾发表演讲。", "keynote"),
    ],
)
def test_speakers_in_the_house_phrasing(lead, kind):
    draft = release(lead)

    assert speakers(draft) == [
        ("陈强", ["国家能源局副局长"], kind),
        ("李文海", ["天津市人民政府副市长"], kind),
    ]
    (presider,) = draft["session"]["presiders"]
    assert presider["name"] == "张军扩"
    assert not any("发表演讲" in warning for warning in draft["warnings"])


def test_a_presider_who_also_gives_an_address_is_among_the_speakers():
    draft = release(f"{PRESIDED}并致辞，{SPEAKERS}先后致辞。")

    assert speakers(draft) == [
        ("张军扩", ["中国发展研究基金会理事长", "第十四届全国政协提案委员会副主任"], "address"),
        ("陈强", ["国家能源局副局长"], "address"),
        ("李文海", ["天津市人民政府副市长"], "address"),
    ]
    (presider,) = draft["session"]["presiders"]
    assert presider["name"] == "张军扩"


def test_speech_kind_without_a_note_is_read_from_the_verb():
    head = "中国发展高层论坛2025年年会 示例主题\n能源转型示例专题研讨会\n"
    draft = release(f"{PRESIDED}，{SPEAKERS}先后发表主旨演讲。", head)

    assert [kind for _name, _titles, kind in speakers(draft)] == ["keynote", "keynote"]


def test_a_second_sentence_beyond_the_next_is_not_read_as_speakers():
    draft = release(f"{PRESIDED}。会议讨论了能源转型。{SPEAKERS}先后发表演讲。")

    assert draft["speeches"] == []


def test_warnings_of_a_chinese_release_quote_its_own_markers():
    draft = release(f"{PRESIDED}。")

    warnings = " ".join(draft["warnings"])
    assert "……发表演讲" in warnings
    assert "——媒体联系人——" in warnings
    assert "（作者：… 审校：…）" in warnings
    for english in ("guest speaker", "--Media Contact--", "Authors:"):
        assert english not in warnings


def test_warnings_of_a_chinese_release_in_a_chinese_admin():
    with translation.override(languages.HAN_SCRIPT):
        draft = release(f"{PRESIDED}。")

    assert "新闻稿中未找到：媒体联系人（“——媒体联系人——”）。" in draft["warnings"]
    assert "新闻稿中未找到：演讲嘉宾（“……发表演讲”）。" in draft["warnings"]


def test_warnings_of_an_english_release_keep_the_english_markers():
    text = seed_text().split("--Media Contact--")[0]
    warnings = " ".join(parse_release(text)["warnings"])

    assert "“--Media Contact--”" in warnings


@pytest.mark.parametrize(
    ("clause", "people"),
    [
        (
            "虚构国际咨询公司首席执行官安娜·史密斯",
            [("安娜·史密斯", ["虚构国际咨询公司首席执行官"])],
        ),
        ("国家能源局副局长爱新觉罗·明", [("爱新觉罗·明", ["国家能源局副局长"])]),
        ("示例大学教授、安娜·史密斯", [("安娜·史密斯", ["示例大学教授"])]),
        ("天津市人民政府副市长欧阳青云峰", [("欧阳青云峰", ["天津市人民政府副市长"])]),
        ("示例局局长长孙示例", [("长孙示例", ["示例局局长"])]),
        ("示例奖得主、示例大学教授王示例", [("王示例", ["示例奖得主", "示例大学教授"])]),
    ],
)
def test_names_after_a_title_word(clause, people):
    draft = release(f"会议由{clause}主持。")

    presiders = draft["session"]["presiders"]
    assert [(person["name"], person["titles"]) for person in presiders] == people
    assert not any("is the name is not clear" in warning for warning in draft["warnings"])


def test_two_speakers_with_a_compound_surname_and_a_dotted_name():
    draft = release(
        "会议由张军扩主持。在“主旨演讲”环节，天津市人民政府副市长欧阳青云峰、"
        "国家能源局副局长爱新觉罗·明作为嘉宾发表演讲。"
    )

    assert [(name, titles) for name, titles, _kind in speakers(draft)] == [
        ("欧阳青云峰", ["天津市人民政府副市长"]),
        ("爱新觉罗·明", ["国家能源局副局长"]),
    ]


@pytest.mark.parametrize("clause", ["虚构机构安娜·史密斯", "甲乙丙丁机构、国家能源局副局长陈强"])
def test_a_name_that_cannot_be_told_from_its_title_is_left_out_with_a_warning(clause):
    draft = release(f"会议由{clause}主持。")

    unclear = clause.split("、")[0]
    names = [person["name"] for person in draft["session"]["presiders"]]
    assert not any(unclear in name for name in names)
    assert f"Which part of “{unclear}” is the name is not clear; left out." in draft["warnings"]


@pytest.mark.parametrize("meeting", ["年会", "年年会"])
def test_edition_line_with_either_name_of_the_annual_meeting(meeting):
    draft = release(
        "会议由张军扩主持。", head=f"中国发展高层论坛2024{meeting} 持续发展的中国\n示例专题研讨会\n"
    )

    assert draft["forum"]["name"] == "中国发展高层论坛"
    assert draft["edition"]["year"] == 2024
    assert draft["edition"]["theme"] == "持续发展的中国"


TRADITIONAL = (
    "中國發展高層論壇2025年年會 示例主題\n"
    "能源轉型示例專題研討會（主旨演講）\n"
    "會議由中國發展研究基金會理事長張軍扩主持，國家能源局副局長陳強、"
    "天津市人民政府副市長李文海先後發表演講。\n"
)


def test_a_release_in_traditional_characters_is_read_in_simplified_with_a_warning():
    draft = parse_release(TRADITIONAL)

    assert draft["language"] == languages.HAN_SCRIPT
    assert draft["session"]["title"] == "能源转型示例专题研讨会"
    assert draft["edition"]["theme"] == "示例主题"
    assert speakers(draft) == [
        ("陈强", ["国家能源局副局长"], "keynote"),
        ("李文海", ["天津市人民政府副市长"], "keynote"),
    ]
    assert any("Traditional characters" in warning for warning in draft["warnings"])


def test_a_simplified_release_gives_no_traditional_warning():
    draft = parse_release(ZH_TWO_SPEAKERS.read_text(encoding="utf-8"))

    assert not any("Traditional characters" in warning for warning in draft["warnings"])


MARKUP = "<img src=x onerror=alert(1)>"


def test_markup_is_stripped_from_titles_and_names():
    text = seed_text().replace(
        "Symposium on Digital Empowerment", f"Symposium on {MARKUP}Digital Empowerment", 1
    )
    text = text.replace("presided by Zhang Junkuo", "presided by <b>Zhang Junkuo</b>", 1)
    draft = parse_release(text)

    assert draft["session"]["title"] == (
        "Symposium on Digital Empowerment for Industrial Transformation"
    )
    assert (
        draft["report"]["headline"]
        == "Li Wenhai: Digital Empowerment for Industrial Transformation"
    )
    assert draft["session"]["presiders"][0]["name"] == "Zhang Junkuo"
    assert "onerror" not in str({key: draft[key] for key in draft if key != "warnings"})


def test_markup_in_the_body_is_removed_and_its_text_escaped():
    text = seed_text().replace(
        "Digitalization fuels", f"Digitalization {MARKUP}<script>alert(2)</script> R&D <5% fuels", 1
    )
    body = parse_release(text)["report"]["body"]

    assert "Digitalization R&amp;D &lt;5% fuels" in body
    assert "onerror" not in body and "alert" not in body


def test_markup_in_a_title_reaches_neither_the_session_nor_its_slug(db):
    text = seed_text().replace(
        "Symposium on Digital Empowerment", f"Symposium on {MARKUP}Digital Empowerment", 1
    )

    release_import(draft=parse_release(text), user=editor())

    session = models.Session.objects.get()
    assert session.title_en == "Symposium on Digital Empowerment for Industrial Transformation"
    assert "img" not in session.slug and "onerror" not in session.slug
    assert "onerror" not in models.Report.objects.get().headline_en
