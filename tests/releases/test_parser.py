"""parse_release: the seed gives the demo content's facts; other wordings; odd input."""

import time
import tomllib
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.core import languages
from forum.core.phones import normalise_phone
from forum.demo.loader import DEMO_FILE
from forum.releases.parser import parse_release
from tests.releases.importing import seed_text

RELEASES = Path(__file__).with_name("releases")
DEMO = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
# The data file keys each language by its column suffix; the seed is the English side.
EN = languages.suffix(languages.DEFAULT)


def release(name):
    return parse_release((RELEASES / name).read_text(encoding="utf-8"))


def demo(table, key):
    return next(row for row in DEMO[table] if row["key"] == key)


def demo_name(person_key):
    person = demo("people", person_key)
    return f"{person['family_name'][EN]} {person['given_name'][EN]}"


@pytest.fixture(scope="module")
def seed():
    return parse_release(seed_text())


# --- The seed gives what the demo content says ---------------------------------------------


def test_seed_forum_is_the_demo_forum(seed):
    assert seed["forum"] == {
        "name": DEMO["forum"]["name"][EN],
        "short_name": DEMO["forum"]["short_name"][EN],
    }


def test_seed_edition_is_the_demo_edition(seed):
    edition = DEMO["editions"][0]
    parsed = seed["edition"]
    assert parsed["year"] == edition["year"]
    assert parsed["theme"] == edition["theme"][EN]
    assert parsed["venue"] == edition["venue"][EN]
    assert parsed["city"] == edition["city"][EN]
    assert parsed["start_date"] == edition["start_date"].isoformat()
    assert parsed["end_date"] == edition["end_date"].isoformat()


@pytest.mark.parametrize("role", ["host", "organiser"])
def test_seed_host_and_organiser_are_the_demo_organisations(seed, role):
    organisation = demo("organisations", DEMO["editions"][0][role])
    assert seed["edition"][role] == {
        "name": organisation["name"][EN],
        "short_name": organisation["short_name"][EN],
    }


def test_seed_session_is_the_demo_session(seed):
    session = DEMO["sessions"][0]
    parsed = seed["session"]
    assert parsed["title"] == session["title"][EN]
    assert parsed["kind"] == session["kind"]
    assert parsed["date"] == session["date"].isoformat()
    assert parsed["part_of_day"] == session["part_of_day"]


def test_seed_presider_has_the_demo_printed_titles(seed):
    role = DEMO["sessions"][0]["roles"][0]
    [presider] = seed["session"]["presiders"]
    assert presider["name"] == demo_name(role["person"])
    assert presider["role"] == role["role"]
    assert "\n".join(presider["titles"]) == role["printed_titles"][EN]


def test_seed_speaker_is_the_demo_speaker_as_in_running_text(seed):
    speech = DEMO["speeches"][0]
    person = demo("people", speech["speaker"])
    [parsed] = seed["speeches"]
    speaker = parsed["speaker"]
    assert speaker["name"] == demo_name(speech["speaker"]) == "Li Wenhai"
    assert speaker["family_name"] == person["family_name"][EN]
    assert speaker["given_name"] == person["given_name"][EN]
    assert speaker["uppercase_family_name"] is person["uppercase_family_name"] is True
    assert speaker["family_name_first"] is person["family_name_first"]
    assert speaker["printed_title"] == speech["printed_title"][EN]
    assert parsed["kind"] == speech["kind"]
    assert parsed["title"] == speech["title"][EN]


def test_seed_speaker_title_and_organisation_are_the_demo_position(seed):
    position = demo("people", "li_wenhai")["positions"][0]
    speaker = seed["speeches"][0]["speaker"]
    assert speaker["title"] == position["title"][EN]
    # As printed ("the People's Government of …"); the demo names it without "the".
    assert (
        speaker["organisation"]
        == f"the {demo('organisations', position['organisation'])['name'][EN]}"
    )


def test_seed_body_is_the_demo_body(seed):
    assert seed["report"]["body"] == DEMO["reports"][0]["body"][EN].strip()


def test_seed_byline_is_the_demo_credits(seed):
    report = DEMO["reports"][0]
    credits = [(demo_name(credit["person"]), credit["role"]) for credit in report["credits"]]
    parsed = seed["report"]
    assert [(credit["name"], credit["role"]) for credit in parsed["credits"]] == credits
    assert parsed["authors"] == [name for name, role in credits if role == "author"]
    assert parsed["reviewers"] == [name for name, role in credits if role == "reviewer"]
    assert parsed["publisher"] == demo("organisations", report["publisher"])["name"][EN]


def test_seed_headline_is_speaker_and_topic(seed):
    assert seed["report"]["headline"] == (
        "Li Wenhai: Digital Empowerment for Industrial Transformation"
    )


def test_seed_background_is_the_demo_background(seed):
    assert seed["background"] == DEMO["forum"]["background"][EN]


def test_seed_media_contacts_are_the_demo_contacts(seed):
    expected = [
        {
            "name": contact["name"][EN],
            "organisation": demo("organisations", contact["organisation"])["short_name"][EN],
            "mobile": normalise_phone(contact["mobile"]),
            "office": normalise_phone(contact["office_phone"]),
            "extension": contact["office_extension"],
            "email": contact["email"],
        }
        for contact in DEMO["media_contacts"]
    ]
    assert seed["media_contacts"] == expected


def test_seed_press_office_is_the_demo_cdrf(seed):
    cdrf = demo("organisations", "cdrf")
    assert seed["organisation_contact"] == {
        "organisation": cdrf["short_name"][EN],
        **{
            languages.column("address", code): cdrf["address"][languages.suffix(code)]
            for code in languages.EDITED
        },
        "postal_code": cdrf["postal_code"],
        "phone": normalise_phone(cdrf["phone"]),
        "phone_extension": cdrf["phone_extension"],
        "fax": normalise_phone(cdrf["fax"]),
        "fax_extension": cdrf["fax_extension"],
        "website": cdrf["website"],
        "email": cdrf["email"],
    }


def test_seed_has_no_warnings(seed):
    assert seed["warnings"] == []


def test_seed_as_gb18030_with_windows_line_ends_parses_the_same(seed):
    text = seed_text().replace("\n", "\r\n").encode("gb18030").decode("gb18030")
    assert parse_release(text) == seed


# --- Releases written in other ways -------------------------------------------------------


def test_several_speakers_are_read_in_printed_order():
    speeches = release("several_speakers.txt")["speeches"]
    assert [speech["speaker"]["name"] for speech in speeches] == [
        "Wang Lihua",
        "Anna Schmidt",
        "Zhao Ming",
    ]
    assert [speech["order"] for speech in speeches] == [1, 2, 3]
    assert {speech["kind"] for speech in speeches} == {"keynote"}


def test_speaker_titles_after_a_semicolon_stay_with_the_speaker():
    zhao = release("several_speakers.txt")["speeches"][2]["speaker"]
    assert zhao["titles"] == [
        "Professor, School of Economics, Example University",
        "Member, the Example Advisory Council",
    ]
    assert zhao["title"] == "Professor"
    assert zhao["organisation"] == "School of Economics, Example University"


def test_speaker_name_with_capitalised_family_name_last_is_given_name_first():
    schmidt = release("several_speakers.txt")["speeches"][1]["speaker"]
    assert schmidt["family_name"] == "Schmidt"
    assert schmidt["given_name"] == "Anna"
    assert schmidt["family_name_first"] is False
    assert schmidt["uppercase_family_name"] is True


def test_several_authors_and_reviewers_are_listed_in_order():
    report = release("several_speakers.txt")["report"]
    assert report["authors"] == ["Chen Yu", "Lin Hai", "Ma Jing"]
    assert report["reviewers"] == ["Song Wen", "Hu Lan"]


def test_headline_with_several_speakers_is_the_session_title():
    draft = release("several_speakers.txt")
    assert draft["report"]["headline"] == "Roundtable on Global Supply Chains"
    assert [speech["title"] for speech in draft["speeches"]] == ["", "", ""]


def test_line_cut_before_a_capitalised_word_is_joined():
    body = release("several_speakers.txt")["report"]["body"]
    assert "had been led by European manufacturers." in body
    assert "corridors had become the backbone" in body
    assert body.count("<p>") == 3


def test_session_kind_is_read_from_the_title():
    assert release("several_speakers.txt")["session"]["kind"] == "roundtable"


def test_release_without_background_has_no_background_and_no_warning():
    draft = release("no_background.txt")
    assert draft["background"] == ""
    assert draft["warnings"] == []


def test_contacts_with_other_separators_are_read():
    contacts = release("no_background.txt")["media_contacts"]
    office = normalise_phone("64255855")
    assert [(c["name"], c["mobile"], c["office"], c["extension"]) for c in contacts] == [
        ("Shi Yafan", normalise_phone("13810361966"), office, "8223"),
        ("Xia Tian", normalise_phone("18801375838"), office, "8086"),
        ("Qiu Kaixian", normalise_phone("18301078627"), office, "8103"),
    ]


def test_evening_session_part_of_day():
    session = release("no_background.txt")["session"]
    assert (session["date"], session["part_of_day"]) == ("2024-03-24", "evening")


def test_morning_session_part_of_day():
    session = release("morning_one_title.txt")["session"]
    assert (session["date"], session["part_of_day"]) == ("2025-03-24", "morning")


def test_presider_with_one_title():
    [presider] = release("morning_one_title.txt")["session"]["presiders"]
    assert presider["name"] == "Lu Mai"
    assert presider["titles"] == ["Secretary General, China Development Research Foundation (CDRF)"]


def test_edition_end_date_without_its_month_is_in_the_same_month():
    edition = release("morning_one_title.txt")["edition"]
    assert (edition["start_date"], edition["end_date"]) == ("2025-03-22", "2025-03-24")


def test_edition_line_with_a_colon_before_the_theme():
    draft = release("morning_one_title.txt")
    assert draft["forum"]["name"] == "China Development Forum"
    assert draft["edition"]["theme"] == "Steady Development for Shared Prosperity"


def test_listed_measures_become_one_paragraph_each():
    body = release("morning_one_title.txt")["report"]["body"]
    assert body.splitlines()[2:] == [
        "<p>Specific proposals included:</p>",
        "<p>First, to train more community doctors.</p>",
        "<p>Second, to link hospitals and care homes.</p>",
        "<p>Third, to pay for prevention as well as treatment.</p>",
    ]


def test_single_author_and_reviewer():
    report = release("morning_one_title.txt")["report"]
    assert (report["authors"], report["reviewers"]) == (["Ma Jing"], ["Song Wen"])


def test_segments_give_each_speech_its_kind():
    speeches = release("two_segments.txt")["speeches"]
    assert [(s["speaker"]["name"], s["kind"]) for s in speeches] == [
        ("Sun Qiang", "opening"),
        ("Lin Fang", "panel"),
        ("Peter Mueller", "panel"),
    ]


def test_organisation_abbreviation_does_not_end_the_speaker_list():
    lin = release("two_segments.txt")["speeches"][1]["speaker"]
    assert lin["organisation"] == "Example Holdings Co., Ltd."


def test_co_chairs_joined_by_and_are_two_people():
    presiders = release("two_segments.txt")["session"]["presiders"]
    assert [(p["name"], p["role"]) for p in presiders] == [
        ("Lu Mai", "co-chair"),
        ("Zhang Junkuo", "co-chair"),
    ]


def test_session_date_without_part_of_day():
    session = release("two_segments.txt")["session"]
    assert (session["date"], session["part_of_day"], session["kind"]) == (
        "2025-03-24",
        "",
        "plenary",
    )


def test_byline_without_publisher_keeps_every_role():
    report = release("two_segments.txt")["report"]
    assert report["publisher"] == ""
    assert [(c["name"], c["role"]) for c in report["credits"]] == [
        ("Chen Yu", "author"),
        ("Ma Jing", "author"),
        ("Hu Lan", "editor"),
        ("Song Wen", "reviewer"),
    ]


def test_contacts_take_the_organisation_line_above_them():
    contacts = release("two_segments.txt")["media_contacts"]
    assert [(c["name"], c["organisation"]) for c in contacts] == [
        ("Shi Wanjing", "CDRF"),
        ("Wang Wei", "DRC"),
    ]
    assert contacts[1]["office"] == normalise_phone("65230000")
    assert contacts[1]["extension"] == "1234"


def test_release_without_address_block_has_empty_press_office():
    office = release("two_segments.txt")["organisation_contact"]
    assert office["organisation"] == ""
    assert not any(office.values())


# --- What cannot be placed becomes a warning ----------------------------------------------


def test_missing_byline_and_contacts_are_warnings():
    draft = release("no_byline_no_contacts.txt")
    assert draft["report"]["authors"] == []
    assert draft["media_contacts"] == []
    assert draft["warnings"] == [
        "Not found in the release: the byline, “(Authors: …; Reviewer: …)”.",
        "Not found in the release: the media contacts (“--Media Contact--”).",
    ]
    assert draft["speeches"][0]["speaker"]["name"] == "Li Wenhai"


def test_warnings_are_in_the_active_language():
    with translation.override("zh-hans"):
        draft = release("no_byline_no_contacts.txt")
    assert draft["warnings"] == [
        "新闻稿中未找到：署名“(Authors: …; Reviewer: …)”。",
        "新闻稿中未找到：媒体联系人（“--Media Contact--”）。",
    ]


def test_unknown_section_is_a_warning_and_left_out():
    text = seed_text().replace("--Background Information--", "--Photos--")
    draft = parse_release(text)
    assert draft["background"] == ""
    assert draft["warnings"] == [
        "The section “Photos” is not part of the house format; its text was left out."
    ]


def test_text_after_the_byline_is_left_out_with_a_warning():
    text = seed_text().replace("Reviewer: Cui Keliang)", "Reviewer: Cui Keliang)\n\nPhoto: Xinhua")
    draft = parse_release(text)
    assert "Photo: Xinhua" not in draft["report"]["body"]
    assert draft["warnings"] == ["Left out, as it fits nowhere: “Photo: Xinhua”."]


def test_many_lines_left_out_give_a_few_warnings():
    extra = "\n".join(f"Caption {number}." for number in range(50))
    text = seed_text().replace("Reviewer: Cui Keliang)", f"Reviewer: Cui Keliang)\n{extra}")
    warnings = parse_release(text)["warnings"]
    assert len(warnings) == 6
    assert warnings[-1] == "Left out as well: 45 more lines."


def test_body_text_is_escaped_and_markup_removed():
    text = seed_text().replace(
        "Digitalization fuels", "<script>alert(1)</script> & Digitalization fuels"
    )
    body = parse_release(text)["report"]["body"]
    assert "<p>&amp; Digitalization fuels" in body
    assert "script" not in body and "alert" not in body


def test_body_leaves_out_byline_background_and_contacts(seed):
    body = seed["report"]["body"]
    for text in ("Liu Changjie", "Under the mandate", "Guo Silu", "18666028168", "cdrf.org.cn"):
        assert text not in body


def test_phone_number_that_is_not_one_is_a_warning():
    text = seed_text().replace("Guo Silu 18666028168/", "Guo Silu 1866602816899/")
    draft = parse_release(text)
    assert draft["media_contacts"][0]["mobile"] == ""
    assert draft["media_contacts"][0]["office"] == normalise_phone("64255855")
    assert draft["warnings"] == ["“1866602816899” (Guo Silu) is not a phone number."]


def test_impossible_date_is_a_warning():
    text = seed_text().replace("On the afternoon of March 25", "On the afternoon of February 30")
    draft = parse_release(text)
    assert draft["session"]["date"] == ""
    assert "“February 30, 2024” is not a date." in draft["warnings"]


def test_session_date_outside_the_edition_is_a_warning():
    text = seed_text().replace("On the afternoon of March 25", "On the afternoon of March 27")
    assert parse_release(text)["warnings"] == [
        "The session’s date, 2024-03-27, is not within the edition’s dates."
    ]


def test_press_office_details_that_differ_are_a_warning():
    text = seed_text().replace("Tel: 86-10-64255855", "Tel: 86-10-65230000")
    draft = parse_release(text)
    assert draft["organisation_contact"]["phone"] == normalise_phone("64255855")
    assert draft["warnings"] == ["“Tel” differs from before: “+861065230000”; the first is kept."]


def test_empty_text_gives_warnings_not_an_exception():
    draft = parse_release("")
    assert draft["speeches"] == []
    assert draft["report"]["body"] == ""
    assert len(draft["warnings"]) >= 5


def test_text_that_is_not_a_release_gives_warnings():
    draft = parse_release("Minutes of the meeting.\n\nWe agreed on nothing.")
    assert draft["session"]["title"] == ""
    assert "Not found in the release: the session’s title." in draft["warnings"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_gives_a_draft_never_an_exception(text):
    draft = parse_release(text)
    assert isinstance(draft["warnings"], list)
    assert all(isinstance(warning, str) for warning in draft["warnings"])


SEED_LINES = seed_text().splitlines()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SEED_LINES), max_size=60),
    st.lists(st.sampled_from(["", "--", "(", ")", ";", ":", "Authors:", "LI", "19", "/"])),
)
def test_seed_lines_shuffled_and_cut_give_a_draft(lines, scraps):
    draft = parse_release("\n".join(lines + scraps))
    assert isinstance(draft["warnings"], list)


@pytest.mark.parametrize(
    "text",
    [
        "the quick brown fox jumps\n" * 80_000,  # 2 MB of lines that each continue the last
        "Hosted by " + "a (" * 200_000,
        "--" + "-" * 100_000 + "x\n--Media Contact--\n" + "Guo Silu 1/" * 50_000,
        "First, x. Second, y. " * 50_000,
    ],
    ids=["joined-lines", "open-brackets", "dashes-and-slashes", "ordinals"],
)
def test_large_odd_text_is_parsed_in_reasonable_time(text):
    started = time.monotonic()
    parse_release(text)
    assert time.monotonic() - started < 5
