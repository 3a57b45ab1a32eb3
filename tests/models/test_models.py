import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from forum.models import Edition, Report, Session, Speech
from forum.reports import byline
from tests.factories import (
    CreditFactory,
    EditionFactory,
    ImportedRecordFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    ReportFactory,
    SessionFactory,
    SessionRoleFactory,
    SpeechFactory,
)

pytestmark = pytest.mark.django_db


def chinese_catalogue_has(message, translated):
    with translation.override("zh-hans"):
        return translation.gettext(message) == translated


# --- Person names -----------------------------------------------------------------------


def li_wenhai(**kwargs):
    return PersonFactory.build(
        family_name_en="Li",
        given_name_en="Wenhai",
        family_name_zh_hans="李",
        given_name_zh_hans="文海",
        **kwargs,
    )


def test_person_full_name_english_family_name_first():
    assert li_wenhai().full_name("en") == "Li Wenhai"


def test_person_full_name_english_uppercase_family_name():
    assert li_wenhai(uppercase_family_name=True).full_name("en") == "LI Wenhai"


def test_person_full_name_chinese_has_no_space_and_ignores_uppercase():
    assert li_wenhai(uppercase_family_name=True).full_name("zh-hans") == "李文海"


def test_person_full_name_follows_active_language():
    person = li_wenhai()
    with translation.override("zh-hans"):
        assert person.full_name() == "李文海"
    with translation.override("en"):
        assert person.full_name() == "Li Wenhai"


def test_person_full_name_western_name_given_name_first():
    person = PersonFactory.build(
        family_name_en="Smith",
        given_name_en="Anna",
        family_name_zh_hans="史密斯",
        given_name_zh_hans="安娜",
        family_name_first=False,
    )
    assert person.full_name("en") == "Anna Smith"
    assert person.full_name("zh-hans") == "安娜·史密斯"


# --- Report publication -----------------------------------------------------------------


def test_report_published_includes_published_with_past_date():
    report = ReportFactory(status=Report.Status.PUBLISHED)
    assert list(Report.objects.published()) == [report]


@pytest.mark.parametrize(
    "status",
    [
        Report.Status.DRAFT,
        Report.Status.IN_REVIEW,
        Report.Status.APPROVED,
        Report.Status.WITHDRAWN,
    ],
)
def test_report_published_excludes_unpublished_status(status):
    ReportFactory(status=status)
    assert list(Report.objects.published()) == []


def test_report_published_excludes_scheduled_future_date():
    ReportFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert list(Report.objects.published()) == []


def test_report_published_excludes_published_without_date():
    ReportFactory(published_at=None)
    assert list(Report.objects.published()) == []


def test_report_is_public_false_when_scheduled():
    report = ReportFactory.build(published_at=timezone.now() + datetime.timedelta(days=1))
    assert report.is_public is False


# --- Edition / session / speech publication ---------------------------------------------


def test_edition_published_excludes_unpublished():
    published = EditionFactory()
    EditionFactory(is_published=False)
    assert list(Edition.objects.published()) == [published]


def test_edition_current_is_newest_published():
    EditionFactory(year=2023)
    newest = EditionFactory(year=2024)
    EditionFactory(year=2025, is_published=False)
    assert Edition.objects.current() == newest


def test_session_published_excludes_unpublished_session():
    published = SessionFactory()
    SessionFactory(is_published=False, edition=published.edition)
    assert list(Session.objects.published()) == [published]


def test_session_published_excludes_session_of_unpublished_edition():
    SessionFactory(edition=EditionFactory(is_published=False))
    assert list(Session.objects.published()) == []


def test_speech_published_includes_published_speech_in_published_session():
    speech = SpeechFactory()
    assert list(Speech.objects.published()) == [speech]


def test_speech_published_excludes_unpublished_speech():
    SpeechFactory(is_published=False)
    assert list(Speech.objects.published()) == []


def test_speech_published_excludes_speech_of_unpublished_session():
    SpeechFactory(session=SessionFactory(is_published=False))
    assert list(Speech.objects.published()) == []


def test_speech_published_excludes_speech_of_unpublished_edition():
    SpeechFactory(session=SessionFactory(edition=EditionFactory(is_published=False)))
    assert list(Speech.objects.published()) == []


# --- Translation completeness -----------------------------------------------------------


def test_report_translation_complete_in_both_languages():
    report = ReportFactory.build()
    assert report.missing_translations("en") == []
    assert report.is_translation_complete("zh-hans")


def test_report_missing_chinese_translation_lists_fields():
    report = ReportFactory.build(
        headline_zh_hans="", summary_zh_hans="", body_zh_hans="", slug_zh_hans=None
    )
    assert report.is_translation_complete("en")
    assert not report.is_translation_complete("zh-hans")
    assert report.missing_translations("zh-hans") == ["headline", "summary", "body", "slug"]


def test_report_whitespace_only_translation_counts_as_missing():
    report = ReportFactory.build(headline_zh_hans="   ")
    assert report.missing_translations("zh-hans") == ["headline"]


def test_report_hero_image_without_alt_text_is_incomplete():
    report = ReportFactory.build(
        hero_image=SimpleUploadedFile("hero.png", b"not really a png"),
        hero_image_alt_en="Li Wenhai speaking",
        hero_image_alt_zh_hans="",
    )
    assert report.missing_translations("en") == []
    assert report.missing_translations("zh-hans") == ["hero_image_alt"]


def test_report_without_hero_image_needs_no_alt_text():
    report = ReportFactory.build(hero_image_alt_en="", hero_image_alt_zh_hans="")
    assert report.is_translation_complete("en")
    assert report.is_translation_complete("zh-hans")


def test_person_without_chinese_name_is_complete_in_chinese():
    # A name is not a translation: one known only in Latin letters is not missing.
    person = PersonFactory.build(family_name_zh_hans="", given_name_zh_hans="")
    assert person.missing_translations("zh-hans") == []
    assert person.is_translation_complete("en")


def test_person_without_chinese_name_is_named_as_given_in_chinese():
    person = PersonFactory.build(
        family_name_en="Liu",
        given_name_en="Changjie",
        family_name_zh_hans="",
        given_name_zh_hans="",
    )
    assert person.full_name("zh-hans") == "Liu Changjie"
    assert person.name_parts("zh-hans") == ("Liu", "Changjie")
    with translation.override("zh-hans"):
        assert str(person) == "Liu Changjie"


def test_speech_missing_english_printed_title():
    speech = SpeechFactory.build(printed_title_en="")
    assert speech.missing_translations("en") == ["printed_title"]


# --- Bylines ----------------------------------------------------------------------------


def test_report_byline_groups_in_credit_order_with_english_labels():
    report = ReportFactory()
    reviewer = CreditFactory(report=report, role="reviewer", order=3).person
    first_author = CreditFactory(report=report, role="author", order=1).person
    second_author = CreditFactory(report=report, role="author", order=2).person
    with translation.override("en"):
        groups = [
            (label, [person["slug"] for person in people])
            for label, people in byline.groups(report)
        ]
    assert groups == [
        ("Authors", [first_author.slug, second_author.slug]),
        ("Reviewer", [reviewer.slug]),
    ]


def test_report_byline_groups_chinese_labels():
    if not chinese_catalogue_has("Authors", "撰稿"):
        pytest.skip("the Chinese catalogue has no translation of 'Authors' yet")
    report = ReportFactory()
    CreditFactory(report=report, role="author", order=1)
    CreditFactory(report=report, role="reviewer", order=2)
    with translation.override("zh-hans"):
        labels = [label for label, _people in byline.groups(report)]
    assert labels == ["撰稿", "审核"]


# --- Session roles ----------------------------------------------------------------------


def test_session_role_printed_title_list_two_titles():
    role = SessionRoleFactory.build(
        printed_titles_en=(
            "Chairman, China Development Research Foundation (CDRF)\n"
            "  Deputy Director of the Committee on Proposals\n\n"
        )
    )
    with translation.override("en"):
        assert role.printed_title_list() == [
            "Chairman, China Development Research Foundation (CDRF)",
            "Deputy Director of the Committee on Proposals",
        ]


def test_session_role_printed_title_list_in_chinese():
    role = SessionRoleFactory.build(
        printed_titles_zh_hans="中国发展研究基金会理事长\n提案委员会副主任"
    )
    with translation.override("zh-hans"):
        assert role.printed_title_list() == ["中国发展研究基金会理事长", "提案委员会副主任"]


# --- Rich text sanitising ---------------------------------------------------------------

UNSAFE_BODY = '<p onclick="steal()"><strong>{text}</strong></p><script>alert("x")</script>'


def test_report_body_sanitised_on_save_in_both_languages():
    report = ReportFactory(
        body_en=UNSAFE_BODY.format(text="Digital empowerment"),
        body_zh_hans=UNSAFE_BODY.format(text="数字化赋能"),
    )
    report.refresh_from_db()
    for body, text in (
        (report.body_en, "Digital empowerment"),
        (report.body_zh_hans, "数字化赋能"),
    ):
        assert "<script" not in body
        assert "alert" not in body
        assert "onclick" not in body
        assert f"<p><strong>{text}</strong></p>" in body


# --- Validation -------------------------------------------------------------------------


def test_report_slug_with_chinese_characters_rejected():
    report = ReportFactory.build(edition=EditionFactory(), slug_zh_hans="李文海-演讲")
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "slug_zh_hans" in error.value.message_dict


def test_report_slug_with_spaces_rejected():
    report = ReportFactory.build(edition=EditionFactory(), slug_zh_hans="li wenhai")
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "slug_zh_hans" in error.value.message_dict


def test_report_pinyin_slug_accepted():
    report = ReportFactory.build(edition=EditionFactory(), slug_zh_hans="li-wenhai-shuzihua-funeng")
    report.full_clean()


def test_edition_end_before_start_rejected():
    edition = EditionFactory.build(
        forum=EditionFactory().forum,
        start_date=datetime.date(2024, 3, 25),
        end_date=datetime.date(2024, 3, 24),
    )
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert "The end date cannot be before the start date." in error.value.messages


def test_session_date_outside_edition_rejected():
    edition = EditionFactory(
        start_date=datetime.date(2024, 3, 24), end_date=datetime.date(2024, 3, 25)
    )
    session = SessionFactory.build(edition=edition, date=datetime.date(2024, 3, 26))
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "date" in error.value.message_dict


def test_session_date_inside_edition_accepted():
    edition = EditionFactory(
        start_date=datetime.date(2024, 3, 24), end_date=datetime.date(2024, 3, 25)
    )
    SessionFactory.build(edition=edition, date=datetime.date(2024, 3, 25)).full_clean()


def test_position_end_before_start_rejected():
    position = PositionFactory.build(
        person=PersonFactory(),
        organisation=OrganisationFactory(),
        start_date=datetime.date(2024, 3, 25),
        end_date=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError):
        position.full_clean()


def test_person_current_positions_exclude_ended():
    person = PersonFactory()
    current = PositionFactory(person=person, end_date=None)
    PositionFactory(person=person, end_date=datetime.date(2020, 1, 1))
    assert person.current_positions() == [current]


def test_imported_record_key_unique_per_source():
    record = ImportedRecordFactory()
    duplicate = ImportedRecordFactory.build(
        source=record.source, key=record.key, content_object=record.content_object
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
