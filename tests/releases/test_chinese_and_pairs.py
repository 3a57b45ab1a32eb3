"""Importing a release written in Chinese, and a release with its Chinese twin as one
bilingual draft (release_import with twin=…, the command with two files)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from forum import models
from forum.core import languages
from forum.demo.loader import load_data_file
from forum.releases import ReleaseError
from forum.releases.parser import parse_release
from forum.releases.services import release_import
from tests.releases.importing import (
    SEED,
    SEED_ZH,
    ZH_TWO_SPEAKERS,
    editor,
    seed_draft,
    seed_text,
    seed_zh_text,
)

EN = languages.DEFAULT
ZH = languages.HAN_SCRIPT


def col(field, code):
    return languages.column(field, code)


def zh_draft():
    return parse_release(ZH_TWO_SPEAKERS.read_text(encoding="utf-8"))


def twin_draft():
    return parse_release(seed_zh_text())


def run(*args):
    out = io.StringIO()
    call_command("import_press_release", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- A release in Chinese ---------------------------------------------------------------------


def test_chinese_release_imports_into_a_chinese_draft(db):
    result = release_import(draft=zh_draft(), user=editor())

    report = result.report
    assert report.original_language == ZH
    assert getattr(report, col("headline", ZH)) == "能源转型示例专题研讨会"
    assert getattr(report, col("headline", EN)) == ""
    assert "国家能源局副局长陈强" in getattr(report, col("body", ZH))
    assert getattr(report, col("slug", ZH)).startswith("neng-yuan-zhuan-xing")
    session = report.session
    assert getattr(session, col("title", ZH)) == "能源转型示例专题研讨会"
    assert getattr(session, col("title", EN)) == ""
    assert (str(session.date), session.part_of_day, session.kind) == (
        "2025-03-24",
        "morning",
        "symposium",
    )
    assert getattr(session.edition, col("theme", ZH)) == "示例主题"


def test_chinese_presider_and_two_speakers_with_their_titles(db):
    session = release_import(draft=zh_draft(), user=editor()).report.session

    (role,) = session.roles.all()
    assert role.person.full_name(ZH) == "张军扩"
    assert getattr(role, col("printed_titles", ZH)) == (
        "中国发展研究基金会理事长\n第十四届全国政协提案委员会副主任"
    )
    speeches = list(session.speeches.order_by("order"))
    assert [
        (speech.speaker.full_name(ZH), getattr(speech, col("printed_title", ZH)))
        for speech in speeches
    ] == [("陈强", "国家能源局副局长"), ("李文海", "天津市人民政府副市长")]
    chen = speeches[0].speaker
    assert (getattr(chen, col("family_name", ZH)), getattr(chen, col("given_name", ZH))) == (
        "陈",
        "强",
    )
    assert getattr(chen, col("family_name", EN)) == ""


def test_chinese_byline_and_contact_with_extension(db):
    report = release_import(draft=zh_draft(), user=editor()).report

    assert [
        (credit.person.full_name(ZH), credit.role) for credit in report.credits.order_by("order")
    ] == [("王小明", "author"), ("赵示例", "author"), ("钱示范", "reviewer")]
    (contact,) = report.media_contacts.all()
    assert getattr(contact, col("name", ZH)) == "王小明"
    assert (contact.mobile, contact.office_phone, contact.office_extension) == (
        "+8613800000000",
        "+861064255855",
        "8014",
    )
    assert getattr(contact.organisation, col("name", ZH)) == "中国发展研究基金会"


def test_latin_names_of_a_chinese_release_stay_in_the_english_columns(db):
    release_import(draft=twin_draft(), user=editor())

    liu = models.Person.objects.get(**{col("family_name", EN): "Liu"})
    assert getattr(liu, col("family_name", ZH)) == ""
    contact = models.MediaContact.objects.get(mobile="+8618666028168")
    assert getattr(contact, col("name", EN)) == "Guo Silu"
    assert getattr(contact, col("name", ZH)) == ""


# --- A release and its Chinese twin -----------------------------------------------------------


@pytest.mark.parametrize("chinese_first", [False, True])
def test_pair_imports_into_one_bilingual_draft(db, chinese_first):
    drafts = (twin_draft(), seed_draft()) if chinese_first else (seed_draft(), twin_draft())

    result = release_import(draft=drafts[0], twin=drafts[1], user=editor())

    report = models.Report.objects.get()
    assert result.report == report
    assert report.original_language == EN
    assert getattr(report, col("headline", EN)).startswith("Li Wenhai: Digital Empowerment")
    assert getattr(report, col("headline", ZH)) == "李文海：数字化赋能产业转型"
    assert "数字化助推产业转型" in getattr(report, col("body", ZH))
    assert "Digitalization fuels" in getattr(report, col("body", EN))
    session = models.Session.objects.get()
    assert report.session == session
    assert (getattr(session, col("title", EN)), getattr(session, col("title", ZH))) == (
        "Symposium on Digital Empowerment for Industrial Transformation",
        "数字化赋能产业转型专题研讨会",
    )
    edition = models.Edition.objects.get()
    assert (getattr(edition, col("venue", EN)), getattr(edition, col("venue", ZH))) == (
        "Diaoyutai State Guesthouse",
        "钓鱼台国宾馆",
    )
    forum = models.Forum.objects.get()
    assert getattr(forum, col("name", ZH)) == "中国发展高层论坛"


def test_pair_gives_people_both_names_and_titles(db):
    release_import(draft=seed_draft(), twin=twin_draft(), user=editor())

    # Zhang Junkuo, Li Wenhai, Liu Changjie, Cui Keliang: one record each.
    assert models.Person.objects.count() == 4
    role = models.SessionRole.objects.get()
    assert (role.person.full_name(EN), role.person.full_name(ZH)) == ("Zhang Junkuo", "张军扩")
    assert getattr(role, col("printed_titles", ZH)).startswith("中国发展研究基金会理事长\n")
    assert getattr(role, col("printed_titles", EN)).startswith("Chairman, China Development")
    speech = models.Speech.objects.get()
    assert (speech.speaker.full_name(EN), speech.speaker.full_name(ZH)) == ("LI Wenhai", "李文海")
    assert getattr(speech, col("printed_title", ZH)) == "天津市人民政府副市长"
    assert getattr(speech, col("title", ZH)) == "数字化赋能产业转型"
    # Known only in Latin letters: no Chinese name is made up for them.
    liu = models.Person.objects.get(**{col("family_name", EN): "Liu"})
    assert getattr(liu, col("family_name", ZH)) == getattr(liu, col("given_name", ZH)) == ""
    assert models.Credit.objects.count() == 2
    assert models.MediaContact.objects.count() == 5
    assert all(getattr(c, col("name", ZH)) == "" for c in models.MediaContact.objects.all())


def test_pair_matches_people_by_records_with_both_names(db):
    load_data_file()  # the demo site: Zhang Junkuo / 张军扩 and Li Wenhai / 李文海 exist
    people = models.Person.objects.count()

    result = release_import(draft=twin_draft(), twin=seed_draft(), user=editor(), dry_run=True)

    assert models.Person.objects.count() == people
    speech = result.plan.speeches[0]
    assert speech.links["speaker"].record.full_name(ZH) == "李文海"
    assert speech.links["speaker"].twin_label == "李文海"
    assert not result.plan.problems
    assert not [
        item for item in result.plan.items() if item.model is models.Person and item.record is None
    ]


def two_english_speakers():
    return parse_release(
        seed_text().replace(
            "the guest speaker was LI Wenhai, Vice Mayor, the People's Government of Tianjin "
            "Municipality.",
            "the guest speakers were LI Wenhai, Vice Mayor, the People's Government of Tianjin "
            "Municipality, and Anna SMITH, Chief Economist, Example Bank.",
        )
    )


def test_speaker_named_only_in_english_stays_english_only(db):
    load_data_file()  # Li Wenhai / 李文海 exists: the Chinese speaker is paired by record

    result = release_import(draft=two_english_speakers(), twin=twin_draft(), user=editor())

    li = result.plan.speeches[0].links["speaker"]
    assert (li.record.full_name(ZH), li.action) == ("李文海", "match")
    smith = models.Person.objects.get(**{col("family_name", EN): "Smith"})
    assert getattr(smith, col("family_name", ZH)) == getattr(smith, col("given_name", ZH)) == ""
    assert smith.speeches.get().printed_title_en == "Chief Economist, Example Bank"
    assert getattr(smith.speeches.get(), col("printed_title", ZH)) == ""


def test_lists_that_cannot_be_paired_are_refused_with_the_reason(db):
    # Two English speakers, one Chinese, and no records to tell who is who.
    with pytest.raises(ReleaseError, match="李文海"):
        release_import(draft=two_english_speakers(), twin=twin_draft(), user=editor())
    assert models.Report.objects.count() == models.Person.objects.count() == 0


def test_pair_of_two_english_releases_is_refused(db):
    with pytest.raises(ReleaseError, match="same language"):
        release_import(draft=seed_draft(), twin=seed_draft(), user=editor())
    assert models.Report.objects.count() == 0


def test_pair_of_different_sessions_is_refused(db):
    with pytest.raises(ReleaseError, match="different editions"):
        release_import(draft=seed_draft(), twin=zh_draft(), user=editor())
    assert models.Report.objects.count() == 0


# --- The command ------------------------------------------------------------------------------


def test_command_with_two_files_in_either_order(db):
    editor(username="ed")

    output = run(str(SEED_ZH), str(SEED), "--user", "ed")

    assert "draft report" in output
    report = models.Report.objects.get()
    assert getattr(report, col("headline", ZH)) == "李文海：数字化赋能产业转型"
    assert getattr(report, col("headline", EN)).startswith("Li Wenhai:")


def test_command_json_of_a_chinese_release_keeps_its_keys(db):
    data = json.loads(run(str(ZH_TWO_SPEAKERS), "--dry-run", "--json"))

    english = json.loads(run(str(SEED), "--dry-run", "--json"))
    assert set(data) == set(english)
    assert data["language"] == ZH
    assert [speech["speaker"]["name"] for speech in data["speeches"]] == ["陈强", "李文海"]
    assert data["media_contacts"][0]["extension"] == "8014"


def test_command_json_of_a_pair_adds_the_twin(db):
    data = json.loads(run(str(SEED), str(SEED_ZH), "--dry-run", "--json"))

    assert data["language"] == EN
    assert data["speeches"][0]["speaker"]["name"] == "Li Wenhai"
    assert data["twin"]["language"] == ZH
    assert data["twin"]["speeches"][0]["speaker"]["name"] == "李文海"
    speech = next(item for item in data["plan"]["items"] if item["kind"] == "speech")
    assert (speech["label"], speech["twin_label"]) == ("Li Wenhai", "李文海")


def test_command_refuses_a_pair_of_different_editions(db):
    with pytest.raises(CommandError, match="different editions"):
        run(str(SEED), str(ZH_TWO_SPEAKERS), "--dry-run")


def test_chinese_twin_on_the_demo_site_matches_its_records(db):
    load_data_file()

    plan = release_import(draft=twin_draft(), user=editor(), dry_run=True).plan

    matched = {item.model._meta.model_name for item in plan.items() if item.action == "match"}
    assert {"forum", "edition", "session", "sessionrole", "speech", "report"} <= matched
    assert [item.label for item in plan.people.values() if item.action == "match"] == [
        "张军扩",
        "李文海",
        "Liu Changjie",
        "Cui Keliang",
    ]
