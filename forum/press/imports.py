"""CSV and Excel import/export of media contacts (django-import-export resources).

Import rules:
- Every row goes through `MediaContact.full_clean()`: phone numbers are normalised with
  forum.core.phones (an extension typed as 64255855-8014, "ext. 8014" or 转8014 moves to its
  column), emails are validated, languages are read from names or codes.
- A duplicate (same email, mobile, or office number with extension) of another row in the
  file or of a contact already in the database is an error on that row.
- All or nothing: if any row has an error, nothing is written (the admin's dry run shows
  every error row by row; the real import rolls back on any error as well).
- A row with an `id` updates that contact; without one it adds a new contact.
- A file past CONTACT_IMPORT_MAX_ROWS rows or CONTACT_IMPORT_MAX_CELLS cells is refused
  while it is read (`BoundedCSV`, `BoundedXLSX`), with a message that names the limit.

`PublicMediaContactResource` exports only what `public_details()` allows, for lists that
leave the press office. Every export is written by `SpreadsheetCSV` or `SpreadsheetXLSX`,
which write a cell a spreadsheet would run as a formula as text.
"""

import csv
import io
import re

import openpyxl
import reversion
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import RowResult

from forum.core import languages, revision_notes
from forum.core.phones import format_phone, split_extension
from forum.core.spoken_languages import SpokenLanguage
from forum.models import Edition, MediaContact, Organisation, Session
from forum.models.press import DETAIL_FIELDS

TRUE_WORDS = {"1", "true", "yes", "y", "x", "on", "public", "是", "公开", "对"}
FALSE_WORDS = {"0", "false", "no", "n", "off", "private", "否", "不公开", "私密"}


class FlagWidget(widgets.Widget):
    """yes/no, true/false, 1/0, 是/否; an empty cell takes the field's default.

    (import-export's BooleanWidget reads anything it does not know, such as "yes",
    as False, which would silently make a detail private or public.)
    """

    def __init__(self, default):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.default
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(gettext("“%(value)s” is not yes or no.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


NAME_COLUMNS = languages.columns("name", "short_name")


class OrganisationWidget(widgets.ForeignKeyWidget):
    """An organisation by its name or short name in any language (e.g. CDRF)."""

    def __init__(self):
        super().__init__(Organisation)
        self.cache = {}

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(gettext("Give the contact's organisation."))
        if name not in self.cache:
            matches = list(
                Organisation.objects.filter(
                    Q(
                        *((f"{column}__iexact", name) for column in NAME_COLUMNS),
                        _connector=Q.OR,
                    )
                )[:2]
            )
            self.cache[name] = matches
        matches = self.cache[name]
        if not matches:
            raise ValueError(
                gettext(
                    "No organisation is called “%(name)s”. Use its name or short name as "
                    "in the admin, or ask an editor to add it."
                )
                % {"name": name}
            )
        if len(matches) > 1:
            raise ValueError(
                gettext("More than one organisation is called “%(name)s”: use its full name.")
                % {"name": name}
            )
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return getattr(value, languages.default_column("name")) if value else ""


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Like ManyToManyWidget, but an unknown value is an error instead of being dropped."""

    def keys(self, value):
        if not value:
            return []
        if isinstance(value, float | int):
            value = str(int(value))
        return [item.strip() for item in str(value).split(self.separator) if item.strip()]

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        found = {str(getattr(obj, self.field)): obj for obj in self.lookup(keys)}
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise ValueError(self.unknown_message(unknown))
        return [found[key] for key in keys]

    def lookup(self, keys):
        return self.model.objects.filter(**{f"{self.field}__in": keys})

    def unknown_message(self, unknown):
        return gettext("Unknown: %(values)s.") % {"values": ", ".join(unknown)}


class EditionsWidget(StrictManyToManyWidget):
    def __init__(self):
        super().__init__(Edition, separator=",", field="slug")

    def unknown_message(self, unknown):
        return gettext("No edition with the address %(slugs)s (use e.g. 2024).") % {
            "slugs": ", ".join(unknown)
        }


class SessionsWidget(StrictManyToManyWidget):
    """Sessions as "<edition>/<session slug>", e.g. 2024/digital-empowerment."""

    def __init__(self):
        super().__init__(Session, separator=",", field="pk")

    def lookup(self, keys):
        wanted = [key.split("/", 1) for key in keys if "/" in key]
        if not wanted:
            return []
        query = Q()
        for edition, slug in wanted:
            query |= Q(edition__slug=edition.strip(), slug=slug.strip())
        sessions = Session.objects.filter(query).select_related("edition")
        return [_SessionKey(session) for session in sessions]

    def clean(self, value, row=None, **kwargs):
        keys = self.keys(value)
        found = {key.key: key.session for key in self.lookup(keys)}
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise ValueError(
                gettext("No session %(keys)s (write edition/session, e.g. 2024/opening).")
                % {"keys": ", ".join(unknown)}
            )
        return [found[key] for key in keys]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ",".join(f"{session.edition.slug}/{session.slug}" for session in value.all())


class _SessionKey:
    def __init__(self, session):
        self.session = session
        self.key = f"{session.edition.slug}/{session.slug}"


def _flag(name, default=False):
    return fields.Field(attribute=name, column_name=name, widget=FlagWidget(default))


class MediaContactResource(resources.ModelResource):
    """Every field, for the press office's own spreadsheets (holds private details)."""

    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=OrganisationWidget()
    )
    mobile_public = _flag("mobile_public")
    office_phone_public = _flag("office_phone_public")
    fax_public = _flag("fax_public")
    email_public = _flag("email_public")
    is_public = _flag("is_public")
    is_active = _flag("is_active", default=True)
    editions = fields.Field(attribute="editions", column_name="editions", widget=EditionsWidget())
    sessions = fields.Field(attribute="sessions", column_name="sessions", widget=SessionsWidget())

    class Meta:
        model = MediaContact
        name = _("All details (internal)")
        fields = (
            "id",
            *DETAIL_FIELDS,
            "is_public",
            "is_active",
            "order",
            "editions",
            "sessions",
            "notes",
        )
        import_order = export_order = fields
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        store_instance = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation").prefetch_related(
            "editions", "sessions__edition"
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = {}  # duplicate key -> line in the file
        self.imported_pks = set()
        self.current_line = None
        self.dry_run = False

    # --- All or nothing ---------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Always in a transaction, rolled back if any row has an error of any kind."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        self.seen, self.imported_pks, self.dry_run = {}, set(), dry_run
        self.user, self.file_name = kwargs.get("user"), kwargs.get("file_name")
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        """Record one revision for the whole import (who, when, which file)."""
        super().after_import(dataset, result, **kwargs)
        if self.dry_run or result.has_errors() or result.has_validation_errors():
            return
        changed = [
            row.instance
            for row in result.rows
            if row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
            and row.instance is not None
        ]
        if not changed:
            return
        with reversion.create_revision(atomic=False):
            if self.user is not None and self.user.is_authenticated:
                reversion.set_user(self.user)
            reversion.set_comment(
                revision_notes.note(
                    (gettext_noop("Imported from %(file)s."), {"file": self.file_name})
                    if self.file_name
                    else gettext_noop("Imported from a file.")
                )
            )
            for instance in changed:
                reversion.add_to_revision(instance)

    # --- Rows -------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        # Line numbers as a spreadsheet shows them: the header is line 1.
        self.current_line = kwargs.get("row_number", 0) + 1
        # Spreadsheets keep stray spaces ("guo@cdrf.org.cn "), which would fail validation;
        # an export wrote '=… for =… (see escape_formula).
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unescape_formula(value.strip())

    def get_instance(self, instance_loader, row):
        if str(row.get("id") or "").strip():
            try:
                instance = super().get_instance(instance_loader, row)
            except ValueError:
                instance = None
            if instance is None:
                raise ValidationError(
                    {"id": gettext("No contact has the id %(id)s.") % {"id": row.get("id")}}
                )
            return instance
        return None

    def import_instance(self, instance, row, **kwargs):
        """Also check the editions and sessions columns now, so that a bad value is
        reported with the row's other errors (they are saved after the row)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # "64255855-8014" in the office_phone column of a file without an extension of
        # its own says what the extension is now (it replaces the contact's old one).
        if not str(row.get("office_extension") or "").strip():
            _number, typed_extension = split_extension(str(row.get("office_phone") or ""))
            if typed_extension:
                instance.office_extension = ""
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped (re-importing an export changes nothing). Empty and
        missing text count as the same: translated columns are NULL until filled in."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row or field.column_name == "id":
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = sorted(obj.pk for obj in field.clean(row))
                old = sorted(obj.pk for obj in field.get_value(original).all())
            else:
                new, old = field.get_value(instance), field.get_value(original)
            if ("" if new is None else new) != ("" if old is None else old):
                return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Contacts added earlier in this file are checked against the file below, with
        # their line number rather than a database id that exists only in the preview.
        instance._duplicate_check_excludes = self.imported_pks
        errors = {}
        try:
            # The model's `name` is the active language's column: validated in the default
            # language, as the admin form requires it, the same file passes or fails
            # whatever the admin's language (in Traditional, a derived column, none would).
            with translation.override(languages.DEFAULT):
                super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            for field, key in instance.duplicate_keys().items():
                line = self.seen.get((field, key))
                if line is not None:
                    errors.setdefault(field, []).append(
                        ValidationError(
                            self.duplicate_messages()[field] % {"line": line},
                            code="duplicate",
                        )
                    )
        if errors:
            raise ValidationError(errors)
        for field, key in instance.duplicate_keys().items():
            self.seen.setdefault((field, key), self.current_line)

    @staticmethod
    def duplicate_messages():
        return {
            "email": gettext("Line %(line)s of this file has the same email address."),
            "mobile": gettext("Line %(line)s of this file has the same mobile number."),
            "office_phone": gettext(
                "Line %(line)s of this file has the same office number and extension."
            ),
        }

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.imported_pks.add(instance.pk)


# The public export's columns: public details only, the organisation's name in each language.
PUBLIC_COLUMNS = (
    *languages.columns("name", "job_title", "organisation"),
    "mobile",
    "office_phone",
    "fax",
    "email",
    "languages",
    *languages.columns("hours"),
)


class PublicMediaContactResource(resources.ModelResource):
    """Public contacts with only their public details: safe to send outside."""

    class Meta:
        model = MediaContact
        name = _("Public details only (for journalists)")
        fields = PUBLIC_COLUMNS
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Every value comes from public_details() (export_field), never from the model.
        for column in PUBLIC_COLUMNS:
            self.fields[column] = fields.Field(column_name=column)

    def filter_export(self, queryset, **kwargs):
        return queryset.public().select_related("organisation")

    def export_field(self, field, instance, **kwargs):
        details = instance.public_details()
        name = field.column_name
        if name.startswith("organisation_"):
            return details.get("organisation", {}).get(name.replace("organisation", "name"), "")
        if name in ("mobile", "fax") and details.get(name):
            return format_phone(details[name], "", languages.DEFAULT)
        if name == "office_phone" and details.get(name):
            extension = details.get("office_extension", "")
            return format_phone(details[name], extension, languages.DEFAULT)
        if name == "languages":
            labels = dict(SpokenLanguage.choices)
            return ", ".join(str(labels[code]) for code in details.get("languages", []))
        return details.get(name, "")


# --- Formulas -------------------------------------------------------------------------------
# Excel and LibreOffice run a cell that starts with = + - @ (or a tab or carriage return) as
# a formula: "=HYPERLINK(…)" typed as a job title would run on the computer of whoever
# opens the export. Such cells are written with a leading apostrophe, as text; numbers as
# exported ("+8618666028168", "+86 10 6425 5855 ext. 8014") are left alone. An import takes
# the apostrophe off again, so re-importing an export changes nothing. (The setting
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT, also on, only drops a leading "=".)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[\d\s().-]*(?:(?:ext\.|转)\s*\d+)?")


def escape_formula(value):
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return f"'{value}"
    return value


def unescape_formula(value):
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


class FormulaSafeExport:
    """An export format that writes formula-like cells as text (escape_formula)."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([escape_formula(value) for value in row])
        return super().export_data(safe, **kwargs)


class SpreadsheetCSV(FormulaSafeExport, CSV):
    pass


class SpreadsheetXLSX(FormulaSafeExport, XLSX):
    pass


# --- Bounded reading ------------------------------------------------------------------------
# import-export reads a whole file into a dataset before the first row is checked: a file of
# a million rows (or of rows padded to 16,384 columns) would hold a worker for minutes. These
# formats count rows and cells as they read them and stop at the first one past a limit.


class ImportLimitError(ValueError):
    """A file past one of the import limits; the message says which (for the form)."""


class _Counter:
    def __init__(self):
        self.rows = self.cells = 0

    def count(self, row, *, header=False):
        self.rows += 0 if header else 1
        self.cells += len(row)
        if self.rows > settings.CONTACT_IMPORT_MAX_ROWS:
            raise ImportLimitError(
                gettext(
                    "The file has more than %(limit)s rows, the most one import takes. "
                    "Nothing was imported: split it into several files."
                )
                % {"limit": number_format(settings.CONTACT_IMPORT_MAX_ROWS, force_grouping=True)}
            )
        if self.cells > settings.CONTACT_IMPORT_MAX_CELLS:
            raise ImportLimitError(
                gettext(
                    "The file has more than %(limit)s cells, the most one import takes. "
                    "Nothing was imported: remove unused columns or split it into several "
                    "files."
                )
                % {"limit": number_format(settings.CONTACT_IMPORT_MAX_CELLS, force_grouping=True)}
            )
        return row


class BoundedCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        counter = _Counter()
        for number, row in enumerate(csv.reader(io.StringIO(in_stream))):
            if row or number == 0:  # tablib skips blank lines after the header
                counter.count(row, header=number == 0)
        # Within the limits: read as import-export always does.
        return super().create_dataset(in_stream, **kwargs)


class BoundedXLSX(XLSX):
    """XLSX.create_dataset (read-only mode, values of formulas, the first sheet), counting."""

    def create_dataset(self, in_stream):
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            dataset = tablib.Dataset()
            counter = _Counter()
            header = next(rows, None)
            if header is None:
                return dataset
            dataset.headers = list(counter.count(header, header=True))
            skip_blank = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
            for row in rows:
                counter.count(row)
                if not (skip_blank and all(value is None for value in row)):
                    dataset.append(list(row))
            return dataset
        finally:
            book.close()
