"""Importing and exporting media contacts (forum.press.imports), outside the admin."""

import pytest
import tablib
from django.utils import translation
from reversion.models import Version

from forum.core.revision_notes import readable
from forum.models import MediaContact
from forum.press.imports import MediaContactResource, PublicMediaContactResource
from tests.factories import EditionFactory, MediaContactFactory, OrganisationFactory, UserFactory
from tests.press.data import contact_row, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdrf(db):
    return OrganisationFactory(
        name_en="China Development Research Foundation",
        name_zh_hans="中国发展研究基金会",
        short_name_en="CDRF",
    )


def dataset(rows, kind="csv"):
    data = to_csv(rows) if kind == "csv" else to_xlsx(rows)
    return tablib.Dataset().load(data.decode() if kind == "csv" else data, format=kind)


def run_import(rows, dry_run=False, kind="csv", **kwargs):
    return MediaContactResource().import_data(dataset(rows, kind), dry_run=dry_run, **kwargs)


def errors_by_line(result):
    """{spreadsheet line: {column: [messages]}} (the header is line 1)."""
    return {
        row.number + 1: {
            field: [str(m) for m in messages] for field, messages in row.error_dict.items()
        }
        for row in result.invalid_rows
    }


# --- Good files -------------------------------------------------------------------------


def test_import_creates_contacts_with_normalised_numbers(cdrf):
    result = run_import([contact_row(1), contact_row(2)])
    assert not result.has_errors() and not result.has_validation_errors()
    contact = MediaContact.objects.get(email="press1@example.org")
    assert (contact.mobile, contact.office_phone, contact.office_extension) == (
        "+8613900010001",
        "+861064255855",
        "5001",
    )
    assert contact.organisation == cdrf
    assert contact.languages == "zh,en"
    assert (contact.is_public, contact.mobile_public, contact.email_public) == (True, True, False)
    assert contact.name_zh_hans == "李伟1"


@pytest.mark.parametrize(
    ("typed", "extension"),
    [("64255855-8014", "8014"), ("64255855 ext. 8014", "8014"), ("64255855转8014", "8014")],
)
def test_import_reads_every_extension_form(cdrf, typed, extension):
    run_import([contact_row(1, office_phone=typed)])
    contact = MediaContact.objects.get()
    assert (contact.office_phone, contact.office_extension) == ("+861064255855", extension)


def test_import_of_excel_file(cdrf):
    # Excel keeps numbers as numbers: 13900010001 and an extension column of integers.
    rows = [contact_row(1, mobile=13900010001, office_phone="010 6425 5855")]
    run_import(rows, kind="xlsx")
    assert MediaContact.objects.get().mobile == "+8613900010001"


def test_import_finds_organisation_by_chinese_name(cdrf):
    run_import([contact_row(1, organisation="中国发展研究基金会")])
    assert MediaContact.objects.get().organisation == cdrf


def test_import_leaves_unticked_details_private(cdrf):
    row = contact_row(1)
    for column in ("mobile_public", "office_phone_public", "email_public", "is_public"):
        row[column] = ""
    run_import([row])
    contact = MediaContact.objects.get()
    assert contact.public_details() == {}
    assert not (contact.mobile_public or contact.office_phone_public or contact.is_public)


def test_import_strips_stray_spaces(cdrf):
    run_import([contact_row(1, email=" press1@example.org ")])
    assert MediaContact.objects.get().email == "press1@example.org"


def test_import_links_editions(cdrf):
    edition = EditionFactory(slug="2024", year=2024)
    run_import([contact_row(1, editions="2024")])
    assert list(MediaContact.objects.get().editions.all()) == [edition]


def test_import_row_with_id_updates_that_contact(cdrf):
    contact = MediaContactFactory(organisation=cdrf, email="old@example.org")
    row = {**contact_row(1), "id": contact.pk}
    data = tablib.Dataset().load(
        to_csv([row], columns=("id", *contact_row(1).keys())).decode(), format="csv"
    )
    result = MediaContactResource().import_data(data)
    assert result.totals["update"] == 1
    contact.refresh_from_db()
    assert contact.email == "press1@example.org"
    assert MediaContact.objects.count() == 1


def test_import_row_with_unknown_id_is_an_error(cdrf):
    row = {**contact_row(1), "id": 999}
    data = tablib.Dataset().load(
        to_csv([row], columns=("id", *contact_row(1).keys())).decode(), format="csv"
    )
    result = MediaContactResource().import_data(data)
    assert list(errors_by_line(result)) == [2]
    assert not MediaContact.objects.exists()


def test_import_records_a_revision_with_user_and_file(cdrf):
    officer = UserFactory()
    run_import([contact_row(1)], user=officer, file_name="press-list.csv")
    version = Version.objects.get_for_object(MediaContact.objects.get()).get()
    assert version.revision.user == officer
    assert "press-list.csv" in readable(version.revision.comment)


def test_dry_run_writes_nothing(cdrf):
    result = run_import([contact_row(1)], dry_run=True)
    assert result.totals["new"] == 1
    assert not MediaContact.objects.exists()
    assert not Version.objects.exists()


# --- Bad rows: reported row by row, nothing written ---------------------------------------


@pytest.mark.parametrize("dry_run", [True, False])
def test_import_with_a_bad_row_writes_nothing(cdrf, dry_run):
    rows = [contact_row(n) for n in range(5)]
    rows[3]["mobile"] = "12345"
    result = run_import(rows, dry_run=dry_run)
    assert list(errors_by_line(result)) == [5]
    assert "mobile" in errors_by_line(result)[5]
    assert not MediaContact.objects.exists()
    assert not Version.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("mobile", "010 6425 5855", "landline"),
        ("office_phone", "6425", "not a valid phone number"),
        ("email", "press@", "email"),
        ("organisation", "Nobody Foundation", "Nobody Foundation"),
        ("mobile_public", "maybe", "yes or no"),
        ("languages", "Klingon", "Klingon"),
        ("editions", "1999", "1999"),
    ],
)
def test_import_error_names_the_problem(cdrf, column, value, words):
    result = run_import([contact_row(1), contact_row(2, **{column: value})])
    errors = errors_by_line(result)
    assert list(errors) == [3]
    assert column in errors[3]
    assert words.casefold() in " ".join(errors[3][column]).casefold()


def test_import_duplicate_rows_in_the_file_name_the_first_line(cdrf):
    rows = [contact_row(1), contact_row(2), contact_row(3, email="press1@example.org")]
    errors = errors_by_line(run_import(rows))
    assert list(errors) == [4]
    assert errors[4]["email"] == ["Line 2 of this file has the same email address."]


def test_import_duplicate_mobile_in_another_style_is_caught(cdrf):
    rows = [contact_row(1), contact_row(2, mobile="+86 139-0001-0001")]
    errors = errors_by_line(run_import(rows))
    assert errors[3]["mobile"] == ["Line 2 of this file has the same mobile number."]


def test_import_duplicate_of_a_contact_in_the_database_names_it(cdrf):
    existing = MediaContactFactory(email="press2@example.org")
    errors = errors_by_line(run_import([contact_row(1), contact_row(2)]))
    assert list(errors) == [3]
    assert f"#{existing.pk}" in errors[3]["email"][0]
    assert MediaContact.objects.count() == 1


# --- Export -----------------------------------------------------------------------------


def test_full_export_round_trips_unchanged(cdrf):
    run_import([contact_row(n) for n in range(3)])
    exported = MediaContactResource().export(MediaContact.objects.all())
    assert "press1@example.org" in exported.csv
    result = MediaContactResource().import_data(tablib.Dataset().load(exported.csv, format="csv"))
    assert result.totals["skip"] == 3
    assert MediaContact.objects.count() == 3


def test_public_export_holds_only_public_details(cdrf):
    shown = MediaContactFactory(
        organisation=cdrf, email="private@example.org", notes="Secret note", mobile_public=False
    )
    MediaContactFactory(organisation=cdrf, is_public=False, name_en="Hidden Person")
    exported = PublicMediaContactResource().export(MediaContact.objects.all())
    assert exported.headers[0:2] == ["name_en", "name_zh_hans"]
    assert [row[0] for row in exported] == [shown.name_en]
    text = exported.csv
    assert "private@example.org" not in text
    assert "Secret note" not in text
    assert shown.mobile[3:] not in text.replace(" ", "")
    assert "+86 10 6425 5855 ext. " in text


@pytest.mark.parametrize("admin_language", ["en", "zh-hans", "zh-hant"])
def test_import_validates_the_same_rows_whatever_the_admin_language(cdrf, admin_language):
    """The model's `name` reads the active language's column: validation runs in the
    default language, as the admin form requires it, so a Traditional admin imports too."""
    english_name_only = {**contact_row(1), "name_zh_hans": ""}
    with translation.override(admin_language):
        result = run_import([english_name_only, contact_row(2)])
    assert not result.has_errors() and not result.has_validation_errors(), errors_by_line(result)
    assert MediaContact.objects.filter(name_en=english_name_only["name_en"]).exists()
