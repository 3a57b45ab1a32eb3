"""The Chinese leads an outside reviewer found misread: who presided without 由, two
clauses in one sentence, the presider who also gives an address, and markup or invisible
characters inside names."""

import pytest

from forum import models
from forum.releases.parser import parse_release
from forum.releases.services import release_import
from tests.releases.importing import editor, seed_zh_text

HEAD = (
    "中国发展高层论坛2025年年会 示例主题\n能源转型示例专题研讨会（主旨演讲）\n"
    "中国发展高层论坛2025年年会由国务院发展研究中心主办、中国发展研究基金会承办，"
    "于3月24日至25日在北京钓鱼台国宾馆举行。"
)
TIME = "3月25日下午，“能源转型示例专题研讨会”举行，"
PRESIDER = "中国发展研究基金会理事长张军扩"
SPEAKERS = "国家能源局副局长陈强、天津市人民政府副市长李文海"
TWO_SPEAKERS = [
    ("陈强", ["国家能源局副局长"]),
    ("李文海", ["天津市人民政府副市长"]),
]


def release(lead):
    return parse_release(f"{HEAD}{lead}\n")


def presiders(draft):
    return [(person["name"], person["titles"]) for person in draft["session"]["presiders"]]


def speakers(draft):
    return [(each["speaker"]["name"], each["speaker"]["titles"]) for each in draft["speeches"]]


def kinds(draft):
    return [each["kind"] for each in draft["speeches"]]


def not_found(draft):
    return [warning for warning in draft["warnings"] if warning.startswith("Not found")]


@pytest.mark.parametrize(
    "lead",
    [
        f"{TIME.replace('举行，', '专题研讨会举行，')}{PRESIDER}主持，{SPEAKERS}先后发表演讲。",
        f"{TIME}{PRESIDER}主持，{SPEAKERS}先后发表演讲。",
        f"{TIME}{PRESIDER}主持，{SPEAKERS}发表主旨演讲。",
        f'3月25日下午，"能源转型示例专题研讨会"举行，{PRESIDER}主持，{SPEAKERS}先后发表演讲。',
        f"{TIME}{PRESIDER}主持。{SPEAKERS}先后发表演讲。",
        f"{TIME}会议由{PRESIDER}主持，{SPEAKERS}先后发表演讲。",
        f"{TIME}由{PRESIDER}主持。{SPEAKERS}先后发表演讲。",
        f"“能源转型示例专题研讨会”于3月25日下午举行，{PRESIDER}主持，{SPEAKERS}先后发表演讲。",
    ],
)
def test_the_usual_lead_names_the_presider_and_the_speakers(lead):
    draft = release(lead)

    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长"])]
    assert speakers(draft) == TWO_SPEAKERS
    assert kinds(draft) == ["keynote", "keynote"]
    assert not any("presided" in warning or "speakers" in warning for warning in not_found(draft))


def test_a_comma_inside_the_quoted_session_title_does_not_cut_the_sentence():
    draft = release(
        f"3月25日下午，“能源，转型”专题研讨会举行，{PRESIDER}主持，{SPEAKERS}先后发表演讲。"
    )

    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长"])]
    assert speakers(draft) == TWO_SPEAKERS


def test_each_clause_of_a_sentence_has_its_own_verb():
    draft = release(
        f"{TIME}会议由{PRESIDER}主持，国家能源局副局长陈强发表演讲，"
        "天津市人民政府副市长李文海致辞。"
    )

    assert speakers(draft) == TWO_SPEAKERS
    assert kinds(draft) == ["keynote", "address"]
    assert not any("is the name is not clear" in warning for warning in draft["warnings"])


def test_who_presided_may_be_named_across_a_comma_and_a_speaker_after_by():
    draft = release(
        f"{TIME}会议由中国发展研究基金会理事长，示例委员会副主任张军扩主持，"
        "随后由国家能源局副局长陈强致辞。"
    )

    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长", "示例委员会副主任"])]
    assert speakers(draft) == [("陈强", ["国家能源局副局长"])]
    assert kinds(draft) == ["address"]


def test_a_segments_speakers_are_read_whatever_their_verb():
    draft = release(f"{TIME}会议由{PRESIDER}主持。在“圆桌讨论”环节，{SPEAKERS}进行了讨论。")

    assert speakers(draft) == TWO_SPEAKERS
    assert kinds(draft) == ["panel", "panel"]


def test_who_hosted_is_not_taken_for_who_presided():
    draft = release("3月25日下午，研讨会由示例研究院主办，中国发展研究基金会理事长张军扩主持。")

    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长"])]
    assert not any("is the name is not clear" in warning for warning in draft["warnings"])


def test_a_presider_who_also_gives_an_address_and_a_keynote_speaker():
    draft = release(f"{TIME}示例基金会副理事长王思远主持并致辞，国家能源局副局长陈强发表主旨演讲。")

    assert presiders(draft) == [("王思远", ["示例基金会副理事长"])]
    assert speakers(draft) == [("王思远", ["示例基金会副理事长"]), ("陈强", ["国家能源局副局长"])]
    assert kinds(draft) == ["address", "keynote"]
    assert draft["session"]["presiders"][0]["role"] == "presider"


def test_presiding_and_giving_an_address_records_both():
    draft = release(f"{TIME}会议由示例基金会副理事长王思远主持并致辞。")

    assert presiders(draft) == [("王思远", ["示例基金会副理事长"])]
    assert speakers(draft) == [("王思远", ["示例基金会副理事长"])]
    assert kinds(draft) == ["address"]
    assert draft["speeches"][0]["speaker"]["title"] == "副理事长"
    # The presider's name is read once: no warning is repeated for the speech.
    assert len(draft["warnings"]) == len(set(draft["warnings"]))


def test_a_name_that_presided_without_speakers_is_not_taken_for_a_speaker():
    draft = release(f"{TIME}会议由{PRESIDER}主持。会议讨论了能源转型。")

    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长"])]
    assert draft["speeches"] == []


@pytest.mark.parametrize(
    "presider",
    [
        "示例基金会副理事长<script>alert('王')</script>王思远",
        "示例基金会<i>副理事长</i>王思远",
        "示例基金会副理事长<a href='#'>王思远</a>",
        "示例基金会副理事长王\u200b思远",
        "示例基金会副理事长\u202e王思远\u202c",
        "示例基金会副理事长\ufeff王\u2060思远",
        "示例基金会副理事长<style>b{}</style>王思远",
    ],
)
def test_markup_and_invisible_characters_are_cleaned_from_names(presider):
    draft = release(f"{TIME}会议由{presider}主持。")

    assert presiders(draft) == [("王思远", ["示例基金会副理事长"])]
    assert not any("is the name is not clear" in warning for warning in draft["warnings"])


def test_a_line_separator_still_ends_a_line():
    lines = HEAD.replace("\n", "\u2028")
    draft = parse_release(f"{lines}{TIME}会议由{PRESIDER}主持。\n")

    assert draft["session"]["title"] == "能源转型示例专题研讨会"
    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长"])]


def test_markup_is_cleaned_from_speakers_and_the_body():
    text = (
        f"{HEAD}{TIME}会议由{PRESIDER}主持，国家能源局<i>副局长</i>陈强、"
        "天津市人民政府副市长<a>李文海</a>先后发表演讲。\n"
        "李文海<script>document.write('x')</script>认为，数字化\u200b正在提速。\n"
    )
    draft = parse_release(text)

    assert speakers(draft) == TWO_SPEAKERS
    assert "<p>李文海认为，数字化正在提速。</p>" in draft["report"]["body"]
    assert "script" not in draft["report"]["body"]


def test_an_emoji_inside_a_chinese_name_is_a_clear_warning():
    draft = release(f"{TIME}会议由示例基金会副理事长王😀思远主持。")

    assert presiders(draft) == []
    assert any("is the name is not clear" in warning for warning in draft["warnings"])


def test_a_lead_that_opens_with_its_date_is_not_part_of_the_session_line():
    head = "中国发展高层论坛2025年年会 示例主题\n能源转型示例专题研讨会（主旨演讲）\n"
    draft = parse_release(
        f"{head}3月25日下午，中国发展高层论坛2025年年会“能源转型示例专题研讨会”在北京"
        f"钓鱼台国宾馆举行，{PRESIDER}主持，国家能源局副局长陈强发表演讲。\n"
    )

    assert draft["session"]["title"] == "能源转型示例专题研讨会"
    assert draft["session"]["note"] == "主旨演讲"
    assert draft["report"]["body"].startswith("<p>3月25日下午，")
    assert presiders(draft) == [("张军扩", ["中国发展研究基金会理事长"])]
    assert speakers(draft) == [("陈强", ["国家能源局副局长"])]
    assert kinds(draft) == ["keynote"]


def test_a_presider_who_gives_an_address_is_imported_as_one_person_with_both(db):
    text = seed_zh_text().replace("张军扩主持。", "张军扩主持并致辞。", 1)

    release_import(draft=parse_release(text), user=editor())

    person = models.Person.objects.get(family_name_zh_hans="张", given_name_zh_hans="军扩")
    assert list(models.SessionRole.objects.values_list("person", "role")) == [
        (person.pk, "presider")
    ]
    speeches = models.Speech.objects.order_by("order")
    assert [(speech.speaker_id, speech.kind) for speech in speeches][0] == (person.pk, "address")
    assert speeches.count() == 2
