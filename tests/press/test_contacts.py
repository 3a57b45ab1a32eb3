"""Media contacts: validation, normalisation, duplicates, what is public, merging."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from forum.core import roles
from forum.core.revision_notes import readable
from forum.core.spoken_languages import parse_languages
from forum.models import MediaContact
from forum.press.services import MergeError, media_contacts_merge
from tests.factories import (
    EditionFactory,
    MediaContactFactory,
    OrganisationFactory,
    ReportFactory,
    SessionFactory,
    UserFactory,
    user_in,
)

pytestmark = pytest.mark.django_db

BEIJING_OFFICE = "+861064255855"


def new_contact(**values):
    """An unsaved contact as the admin or an import makes it: every flag at its default."""
    values.setdefault("organisation", OrganisationFactory())
    values.setdefault("name_en", "Guo Silu")  # known only in Latin letters: no Chinese name
    return MediaContact(**values)


def cleaned(**values):
    contact = new_contact(**values)
    contact.full_clean()
    return contact


def field_errors(**values):
    with pytest.raises(ValidationError) as error:
        new_contact(**values).full_clean()
    return error.value.message_dict


# --- Phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["18666028168", "186 6602 8168", "186-6602-8168", "+86 186 6602 8168", "0086 18666028168"],
)
def test_contact_mobile_normalised_to_e164(typed):
    assert cleaned(mobile=typed).mobile == "+8618666028168"


@pytest.mark.parametrize(
    ("typed", "number", "extension"),
    [
        ("64255855-8014", BEIJING_OFFICE, "8014"),
        ("64255855 ext. 8014", BEIJING_OFFICE, "8014"),
        ("64255855 ext 8014", BEIJING_OFFICE, "8014"),
        ("64255855转8014", BEIJING_OFFICE, "8014"),
        ("010-64255855 转 8014", BEIJING_OFFICE, "8014"),
        ("+86 10 6425 5855 x8014", BEIJING_OFFICE, "8014"),
        ("010 6425 5855", BEIJING_OFFICE, ""),
        ("(010) 6425-5855", BEIJING_OFFICE, ""),
        ("021 6321 6000", "+862163216000", ""),
    ],
)
def test_contact_office_phone_normalised_and_extension_kept_apart(typed, number, extension):
    contact = cleaned(office_phone=typed)
    assert (contact.office_phone, contact.office_extension) == (number, extension)


def test_contact_extension_typed_in_its_own_field_is_kept():
    contact = cleaned(office_phone="010 6425 5855", office_extension="8014")
    assert (contact.office_phone, contact.office_extension) == (BEIJING_OFFICE, "8014")


@pytest.mark.parametrize("typed", ["12345", "186 6602 816", "not a number", "+86 999 1234"])
def test_contact_bad_mobile_is_a_field_error(typed):
    assert list(field_errors(mobile=typed)) == ["mobile"]


def test_contact_landline_as_mobile_is_a_field_error():
    errors = field_errors(mobile="010 6425 5855")
    assert list(errors) == ["mobile"]
    assert "landline" in errors["mobile"][0]


@pytest.mark.parametrize("typed", ["6425", "abc", "64255855-80145678"])
def test_contact_bad_office_phone_is_a_field_error(typed):
    assert "office_phone" in field_errors(office_phone=typed)


def test_contact_extension_must_be_digits():
    assert "office_extension" in field_errors(office_phone="64255855", office_extension="80a4")


def test_contact_fax_normalised():
    assert cleaned(fax="010-64255850").fax == "+861064255850"


def test_contact_foreign_mobile_accepted():
    assert cleaned(mobile="+44 7911 123456").mobile == "+447911123456"


# --- Email, names, languages ------------------------------------------------------------


@pytest.mark.parametrize("typed", ["guo@", "guo silu@cdrf.org.cn", "guo@cdrf", "电子邮件"])
def test_contact_bad_email_is_a_field_error(typed):
    assert list(field_errors(email=typed)) == ["email"]


def test_contact_needs_a_name():
    assert "name" in field_errors(name_en="", name_zh_hans="")


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("en,zh", ["zh", "en"]),
        ("English; 中文", ["zh", "en"]),
        ("英语、普通话", ["zh", "en"]),
        ("Chinese (Mandarin), French, fr", ["zh", "fr"]),
        ("", []),
    ],
)
def test_languages_read_from_names_or_codes(typed, codes):
    assert parse_languages(typed) == codes


def test_contact_languages_stored_as_codes():
    assert cleaned(languages="English, 中文").languages == "zh,en"


def test_contact_unknown_language_is_a_field_error():
    errors = field_errors(languages="English, Klingon")
    assert list(errors) == ["languages"]
    assert "Klingon" in errors["languages"][0]


# --- Duplicates -------------------------------------------------------------------------


def test_contact_same_email_as_another_is_a_duplicate():
    other = MediaContactFactory(email="guo@cdrf.org.cn")
    errors = field_errors(email="GUO@cdrf.org.cn")
    assert list(errors) == ["email"]
    assert str(other.pk) in errors["email"][0] and "merge" in errors["email"][0]


def test_contact_same_mobile_in_another_style_is_a_duplicate():
    MediaContactFactory(mobile="+8618666028168")
    assert list(field_errors(mobile="186-6602-8168")) == ["mobile"]


def test_contact_same_office_number_and_extension_is_a_duplicate():
    MediaContactFactory(office_phone=BEIJING_OFFICE, office_extension="8014")
    assert list(field_errors(office_phone="64255855-8014")) == ["office_phone"]


def test_contacts_sharing_the_switchboard_are_not_duplicates():
    MediaContactFactory(office_phone=BEIJING_OFFICE, office_extension="8014")
    contact = cleaned(office_phone="64255855-8223")
    assert contact.office_extension == "8223"


def test_contact_is_not_its_own_duplicate():
    contact = MediaContactFactory(email="guo@cdrf.org.cn")
    contact.full_clean()


# --- What the public sees ---------------------------------------------------------------


def test_new_contact_is_private_in_every_detail():
    contact = cleaned(mobile="18666028168", office_phone="64255855-8014", email="g@cdrf.org.cn")
    contact.save()
    assert contact.is_public is False
    assert not (
        contact.mobile_public
        or contact.office_phone_public
        or contact.fax_public
        or contact.email_public
    )
    assert contact.public_details() == {}
    assert list(MediaContact.objects.public()) == []


def test_public_contact_shows_name_but_no_private_detail():
    contact = MediaContactFactory(
        email="guo@cdrf.org.cn", mobile_public=False, office_phone_public=False
    )
    details = contact.public_details()
    assert details["name_en"] == contact.name_en
    assert details["name_zh_hans"] == contact.name_zh_hans
    assert not {"mobile", "office_phone", "office_extension", "fax", "email"} & set(details)


def test_public_details_name_a_contact_known_only_in_latin_letters_as_given():
    # A name is not a translation: no Chinese characters confirmed, the name as given.
    contact = MediaContactFactory(name_en="Guo Silu", name_zh_hans="", job_title_zh_hans="")
    details = contact.public_details()
    assert (details["name_en"], details["name_zh_hans"]) == ("Guo Silu", "Guo Silu")
    assert "job_title_zh_hans" not in details  # a job title is a translation
    contact.refresh_from_db()
    assert contact.name_zh_hans in ("", None)  # nothing is stored


def test_public_details_hold_each_public_detail():
    organisation = OrganisationFactory(name_en="CDRF Foundation", name_zh_hans="基金会")
    contact = MediaContactFactory(
        organisation=organisation,
        mobile="+8618666028168",
        office_phone=BEIJING_OFFICE,
        office_extension="8014",
        fax="+861064255850",
        fax_public=True,
        email="guo@cdrf.org.cn",
        email_public=True,
        languages="zh,en",
        hours_en="Weekdays 9:00–18:00",
        hours_zh_hans="工作日 9:00–18:00",
        notes="Prefers WeChat",
    )
    contact.refresh_from_db()
    assert contact.public_details() == {
        "name_en": contact.name_en,
        "name_zh_hans": contact.name_zh_hans,
        "name_zh_hant": contact.name_zh_hant,  # converted
        "job_title_en": "Press officer",
        "job_title_zh_hans": "新闻官",
        "job_title_zh_hant": "新聞官",
        "organisation": {
            "name_en": "CDRF Foundation",
            "name_zh_hans": "基金会",
            "name_zh_hant": "基金會",
        },
        "mobile": "+8618666028168",
        "office_phone": BEIJING_OFFICE,
        "office_extension": "8014",
        "fax": "+861064255850",
        "email": "guo@cdrf.org.cn",
        "languages": ["zh", "en"],
        "hours_en": "Weekdays 9:00–18:00",
        "hours_zh_hans": "工作日 9:00–18:00",
        "hours_zh_hant": "工作日 9:00–18:00",
    }


def test_inactive_contact_is_not_public():
    contact = MediaContactFactory(is_active=False)
    assert list(MediaContact.objects.public()) == []
    assert contact.public_details() == {}


def test_public_queryset_is_active_public_contacts():
    shown = MediaContactFactory()
    MediaContactFactory(is_public=False)
    MediaContactFactory(is_active=False)
    assert list(MediaContact.objects.public()) == [shown]


def test_covering_lists_contacts_of_the_edition_its_sessions_and_reports():
    edition = EditionFactory()
    direct = MediaContactFactory(order=1)
    direct.editions.add(edition)
    by_session = MediaContactFactory(order=2)
    by_session.sessions.add(SessionFactory(edition=edition))
    by_report = MediaContactFactory(order=3)
    ReportFactory(edition=edition).media_contacts.add(by_report)
    elsewhere = MediaContactFactory(order=4)
    elsewhere.editions.add(EditionFactory())
    assert list(MediaContact.objects.covering(edition)) == [direct, by_session, by_report]


def test_covering_includes_the_press_office_staff():
    press_office = OrganisationFactory()
    edition = EditionFactory(press_office=press_office)
    staff = MediaContactFactory(organisation=press_office)
    MediaContactFactory()
    assert list(MediaContact.objects.covering(edition)) == [staff]


def test_speaking_filters_by_language_code():
    both = MediaContactFactory(languages="zh,en")
    MediaContactFactory(languages="zh")
    MediaContactFactory(languages="")
    assert list(MediaContact.objects.speaking("en")) == [both]


# --- History ----------------------------------------------------------------------------


def test_contact_is_registered_for_revisions():
    import reversion

    assert reversion.is_registered(MediaContact)


# --- Merging duplicates -----------------------------------------------------------------


@pytest.fixture
def press_officer(db):
    return user_in(roles.PRESS_OFFICERS)


def test_merge_keeps_every_link_and_fills_missing_details(press_officer):
    edition, other_edition = EditionFactory(), EditionFactory()
    session = SessionFactory(edition=edition)
    keep = MediaContactFactory(email="", languages="zh", mobile_public=False)
    keep.editions.add(edition)
    duplicate = MediaContactFactory(
        email="guo@cdrf.org.cn", email_public=True, languages="en", notes="Old record"
    )
    duplicate.editions.add(other_edition)
    duplicate.sessions.add(session)
    report = ReportFactory()
    report.media_contacts.add(duplicate)

    merged = media_contacts_merge(keep=keep, duplicates=[duplicate], user=press_officer)

    assert not MediaContact.objects.filter(pk=duplicate.pk).exists()
    assert set(merged.editions.all()) == {edition, other_edition}
    assert list(merged.sessions.all()) == [session]
    assert list(report.media_contacts.all()) == [merged]
    assert (merged.email, merged.email_public) == ("guo@cdrf.org.cn", True)
    assert merged.languages == "zh,en"
    assert merged.notes == "Old record"
    # The kept contact's own number stays private: a merge never widens what is public.
    assert merged.mobile == keep.mobile and merged.mobile_public is False


def test_merge_is_recorded_with_user_and_comment(press_officer):
    keep, duplicate = MediaContactFactory(), MediaContactFactory()
    duplicate_pk = duplicate.pk
    media_contacts_merge(keep=keep, duplicates=[duplicate], user=press_officer)
    version = Version.objects.get_for_object(keep).first()
    assert version.revision.user == press_officer
    assert f"#{duplicate_pk}" in readable(version.revision.comment)
    # The deleted duplicate can be recovered from the same revision.
    assert Version.objects.get_deleted(MediaContact).get().object_id == str(duplicate_pk)


def test_merge_needs_change_and_delete_permission(db):
    keep, duplicate = MediaContactFactory(), MediaContactFactory()
    with pytest.raises(PermissionDenied):
        media_contacts_merge(keep=keep, duplicates=[duplicate], user=UserFactory(is_staff=True))
    assert MediaContact.objects.count() == 2


def test_merge_of_a_contact_with_itself_is_refused(press_officer):
    keep = MediaContactFactory()
    with pytest.raises(MergeError):
        media_contacts_merge(keep=keep, duplicates=[keep], user=press_officer)


# --- Migration and demo content -----------------------------------------------------------


def test_migration_keeps_numbers_of_public_contacts_public():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("forum.migrations.0004_press_contacts")
    public = MediaContactFactory(mobile_public=False, office_phone_public=False, email="a@b.cn")
    private = MediaContactFactory(is_public=False, mobile_public=False, office_phone_public=False)
    migration.keep_public_numbers_public(apps, None)
    public.refresh_from_db()
    private.refresh_from_db()
    assert (public.mobile_public, public.office_phone_public, public.email_public) == (
        True,
        True,
        True,
    )
    assert (private.mobile_public, private.office_phone_public) == (False, False)


def test_demo_contacts_are_public_with_mobile_and_office(demo):
    for contact in MediaContact.objects.all():
        details = contact.public_details()
        assert {"mobile", "office_phone", "office_extension"} <= set(details), contact
