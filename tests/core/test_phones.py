import pytest
from django.core.exceptions import ValidationError

from forum.core.phones import format_phone, normalise_phone, split_extension, tel_uri
from tests.factories import MediaContactFactory, OrganisationFactory

BEIJING_OFFICE = "+861064255855"


@pytest.mark.parametrize(
    ("raw", "number", "extension"),
    [
        ("18666028168", "18666028168", ""),
        ("64255855-8014", "64255855", "8014"),
        ("64255855 ext. 8014", "64255855", "8014"),
        ("64255855转8014", "64255855", "8014"),
        ("86-10-64255855-8100", "86-10-64255855", "8100"),
    ],
)
def test_split_extension_separates_extension(raw, number, extension):
    assert split_extension(raw) == (number, extension)


def test_split_extension_hyphenated_mobile_is_not_an_extension():
    assert split_extension("186-6602-8168") == ("186-6602-8168", "")


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("18666028168", "+8618666028168"),
        ("186-6602-8168", "+8618666028168"),
        ("64255855", BEIJING_OFFICE),
        ("86-10-64255855", BEIJING_OFFICE),
        ("010-64255855", BEIJING_OFFICE),
        ("+86 10 6425 5855", BEIJING_OFFICE),
    ],
)
def test_normalise_phone_returns_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "e164", "extension"),
    [
        ("64255855-8014", BEIJING_OFFICE, "8014"),
        ("64255855 ext. 8014", BEIJING_OFFICE, "8014"),
        ("64255855转8014", BEIJING_OFFICE, "8014"),
        ("86-10-64255855-8100", BEIJING_OFFICE, "8100"),
    ],
)
def test_split_then_normalise_office_number(raw, e164, extension):
    number, found_extension = split_extension(raw)
    assert (normalise_phone(number), found_extension) == (e164, extension)


def test_normalise_phone_empty_is_empty():
    assert normalise_phone("  ") == ""


@pytest.mark.parametrize("raw", ["12345", "abc", "+86 10 1"])
def test_normalise_phone_bad_number_raises(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_format_phone_english_international_with_extension():
    assert format_phone(BEIJING_OFFICE, "8014", "en") == "+86 10 6425 5855 ext. 8014"


def test_format_phone_chinese_national_with_extension():
    assert format_phone(BEIJING_OFFICE, "8014", "zh-hans") == "010 6425 5855 转 8014"


def test_format_phone_mobile_both_languages():
    assert format_phone("+8618666028168", "", "en") == "+86 186 6602 8168"
    assert format_phone("+8618666028168", "", "zh-hans") == "186 6602 8168"


def test_format_phone_empty_is_empty():
    assert format_phone("", "8014", "en") == ""


def test_tel_uri_keeps_extension():
    assert tel_uri(BEIJING_OFFICE, "8014") == "tel:+861064255855;ext=8014"


@pytest.mark.django_db
def test_media_contact_full_clean_moves_extension_to_its_field():
    contact = MediaContactFactory.build(
        organisation=OrganisationFactory(),
        mobile="18666028168",
        office_phone="64255855-8014",
        office_extension="",
    )
    contact.full_clean()
    assert (contact.mobile, contact.office_phone, contact.office_extension) == (
        "+8618666028168",
        BEIJING_OFFICE,
        "8014",
    )


@pytest.mark.django_db
def test_media_contact_bad_mobile_is_a_field_error():
    contact = MediaContactFactory.build(organisation=OrganisationFactory(), mobile="12345")
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert list(error.value.message_dict) == ["mobile"]


@pytest.mark.django_db
def test_media_contact_conflicting_extension_is_a_field_error():
    contact = MediaContactFactory.build(
        organisation=OrganisationFactory(), office_phone="64255855-8014", office_extension="8223"
    )
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "office_extension" in error.value.message_dict


@pytest.mark.django_db
def test_organisation_full_clean_normalises_fax_extension():
    organisation = OrganisationFactory.build(fax="86-10-64255855-8100")
    organisation.full_clean()
    assert (organisation.fax, organisation.fax_extension) == (BEIJING_OFFICE, "8100")
