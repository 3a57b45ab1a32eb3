"""parse_release on the house format written in Chinese, and English lists of speakers."""

import pytest

from forum.core import languages
from forum.releases.parser import parse_release
from tests.releases.importing import ZH_TWO_SPEAKERS, seed_text, seed_zh_text
from tests.releases.test_parser import DEMO, demo

ZH = languages.suffix(languages.HAN_SCRIPT)


@pytest.fixture(scope="module")
def twin():
    return parse_release(seed_zh_text())


@pytest.fixture(scope="module")
def fictional():
    return parse_release(ZH_TWO_SPEAKERS.read_text(encoding="utf-8"))


def test_language_is_read_from_the_text(twin):
    assert twin["language"] == languages.HAN_SCRIPT
    # The English seed has Chinese characters in its address block only: still English.
    assert parse_release(seed_text())["language"] == languages.DEFAULT


def test_chinese_edition_line_and_lead(twin):
    edition = demo("editions", "cdf2024")
    assert twin["forum"]["name"] == DEMO["forum"]["name"][ZH]
    assert twin["edition"]["year"] == 2024
    assert twin["edition"]["theme"] == edition["theme"][ZH]
    assert twin["edition"]["venue"] == edition["venue"][ZH]
    assert twin["edition"]["city"] == edition["city"][ZH]
    assert (twin["edition"]["start_date"], twin["edition"]["end_date"]) == (
        "2024-03-24",
        "2024-03-25",
    )
    assert twin["edition"]["host"]["name"] == "国务院发展研究中心"
    assert twin["edition"]["organiser"]["name"] == "中国发展研究基金会"
    assert twin["warnings"] == []


def test_chinese_session_line_with_its_kind_in_brackets(twin):
    session = twin["session"]
    assert session["title"] == "数字化赋能产业转型专题研讨会"
    assert session["note"] == "主旨演讲"
    assert session["kind"] == "symposium"
    # 3月25日下午: no year printed, the edition's is used.
    assert (session["date"], session["part_of_day"]) == ("2024-03-25", "afternoon")


def test_chinese_presider_titles_before_the_name(twin):
    (presider,) = twin["session"]["presiders"]
    assert presider["name"] == "张军扩"
    assert (presider["family_name"], presider["given_name"]) == ("张", "军扩")
    assert presider["titles"] == ["中国发展研究基金会理事长", "第十四届全国政协提案委员会副主任"]
    assert presider["role"] == "presider"


def test_chinese_speaker_title_and_organisation(twin):
    (speech,) = twin["speeches"]
    speaker = speech["speaker"]
    assert speaker["name"] == "李文海"
    assert (speaker["title"], speaker["organisation"]) == ("副市长", "天津市人民政府")
    assert speaker["printed_title"] == "天津市人民政府副市长"
    assert speech["kind"] == "keynote"
    assert speech["title"] == "数字化赋能产业转型"
    assert twin["report"]["headline"] == "李文海：数字化赋能产业转型"


def test_chinese_body_joins_a_cut_line_without_a_space(twin):
    body = twin["report"]["body"]
    assert "发展的基础支撑；二是数字技术" in body
    assert "作者" not in body and "论坛秉持" not in body


def test_latin_names_in_a_chinese_release_stay_in_latin_letters(twin):
    assert twin["report"]["credits"] == [
        {"name": "Liu Changjie", "role": "author"},
        {"name": "Cui Keliang", "role": "reviewer"},
    ]
    assert twin["report"]["publisher"] == "中国发展出版社"
    assert [contact["name"] for contact in twin["media_contacts"]][:2] == ["Guo Silu", "Shi Yafan"]


def test_chinese_background_and_address(twin):
    assert twin["background"] == DEMO["forum"]["background"][ZH]
    office = twin["organisation_contact"]
    assert office["organisation"] == "中国发展研究基金会"
    assert office[f"address_{ZH}"].startswith("中国北京东城区安定门外大街138号")
    assert (office["fax"], office["fax_extension"]) == ("+861064255855", "8100")


def test_two_speakers_joined_by_the_enumeration_comma(fictional):
    speakers = [speech["speaker"] for speech in fictional["speeches"]]
    assert [speaker["name"] for speaker in speakers] == ["陈强", "李文海"]
    assert [(speaker["title"], speaker["organisation"]) for speaker in speakers] == [
        ("副局长", "国家能源局"),
        ("副市长", "天津市人民政府"),
    ]
    assert [speech["order"] for speech in fictional["speeches"]] == [1, 2]
    assert fictional["report"]["headline"] == "能源转型示例专题研讨会"
    assert (fictional["session"]["date"], fictional["session"]["part_of_day"]) == (
        "2025-03-24",
        "morning",
    )


def test_chinese_byline_with_author_and_reviewer_labels(fictional):
    assert fictional["report"]["authors"] == ["王小明", "赵示例"]
    assert fictional["report"]["reviewers"] == ["钱示范"]


def test_extension_written_with_zhuan(fictional):
    (contact,) = fictional["media_contacts"]
    assert contact == {
        "name": "王小明",
        "organisation": "中国发展研究基金会",
        "mobile": "+8613800000000",
        "office": "+861064255855",
        "extension": "8014",
        "email": "",
    }
    office = fictional["organisation_contact"]
    assert (office["phone"], office["phone_extension"]) == ("+861064255855", "8000")


@pytest.mark.parametrize(
    ("clause", "people"),
    [
        ("国家能源局副局长陈强", [("陈强", ["国家能源局副局长"])]),
        ("工业和信息化部部长王示例", [("王示例", ["工业和信息化部部长"])]),
        (
            "甲机构主任欧阳示例和乙大学教授李示例",
            [("欧阳示例", ["甲机构主任"]), ("李示例", ["乙大学教授"])],
        ),
        ("示例银行首席经济学家Anna SMITH", [("Anna Smith", ["示例银行首席经济学家"])]),
    ],
)
def test_titles_before_names(clause, people):
    text = (
        f"中国发展高层论坛2025年年会 示例主题\n示例专题研讨会\n3月24日上午，会议由{clause}主持。\n"
    )
    presiders = parse_release(text)["session"]["presiders"]
    assert [(person["name"], person["titles"]) for person in presiders] == people


def test_a_name_that_cannot_be_told_from_its_title_is_a_warning():
    text = "中国发展高层论坛2025年年会 示例主题\n示例专题研讨会\n会议由示例机构主持。\n"
    draft = parse_release(text)
    assert draft["session"]["presiders"] == []
    assert any("示例机构" in warning for warning in draft["warnings"])


def test_english_speakers_joined_by_and_each_keep_their_title():
    text = seed_text().replace(
        "the guest speaker was LI Wenhai, Vice Mayor, the People's Government of Tianjin "
        "Municipality.",
        "the guest speakers were LI Wenhai, Vice Mayor, the People's Government of Tianjin "
        "Municipality, and Chen Qiang, Deputy Administrator, National Energy Administration.",
    )
    speakers = [speech["speaker"] for speech in parse_release(text)["speeches"]]
    assert [(speaker["name"], speaker["titles"]) for speaker in speakers] == [
        ("Li Wenhai", ["Vice Mayor, the People's Government of Tianjin Municipality"]),
        ("Chen Qiang", ["Deputy Administrator, National Energy Administration"]),
    ]
    assert speakers[1]["title"] == "Deputy Administrator"


def test_english_speakers_separated_by_semicolons():
    text = seed_text().replace(
        "the guest speaker was LI Wenhai, Vice Mayor, the People's Government of Tianjin "
        "Municipality.",
        "the guest speakers were Li Wenhai, Vice Mayor, the People's Government of Tianjin "
        "Municipality; Chen Qiang, Deputy Administrator, National Energy Administration.",
    )
    names = [speech["speaker"]["name"] for speech in parse_release(text)["speeches"]]
    assert names == ["Li Wenhai", "Chen Qiang"]
