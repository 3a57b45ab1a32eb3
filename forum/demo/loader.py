"""Loads a bilingual data file (see SCHEMA.md) into the database, idempotently.

Each table in the file has a `key`. The first load creates the row and records it in
ImportedRecord; later loads update a row only when the file changed *and* no editor has
touched the row since, so editors' work is never overwritten. Child rows (positions,
roles, credits) and links are created with their parent.
"""

import datetime
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_noop

from forum import models
from forum.core import languages, revision_notes
from forum.core.phones import normalise_phone
from forum.reports import byline

DEMO_FILE = Path(__file__).with_name("cdf2024.toml")
PHONE_FIELDS = {"phone", "fax", "mobile", "office_phone"}
# Keys that describe links or children, handled after the row itself.
STRUCTURAL_KEYS = {"key", "positions", "roles", "credits", "speeches", "media_contacts"}


def columns(values):
    """Expand {"name": {<suffix>: text, …}} into {"name_<suffix>": text, …} (the data
    file keys each language by its column suffix)."""
    expanded = {}
    for name, value in values.items():
        if isinstance(value, dict):
            # Derived languages are converted on save (forum/hant/): the file has none.
            for language_code in languages.EDITED:
                suffix = languages.suffix(language_code)
                expanded[f"{name}_{suffix}"] = value.get(suffix, "")
        elif name in PHONE_FIELDS:
            expanded[name] = normalise_phone(value)
        else:
            expanded[name] = value
    return expanded


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return "" if value is None else str(value)


def checksum(values):
    text = json.dumps({name: _plain(value) for name, value in values.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_editor_changes: list[str] = field(default_factory=list)


class DataFileLoader:
    def __init__(self, source):
        self.source = source
        self.result = LoadResult()
        self.objects = {}  # key -> object, for references between tables
        self.replaced = {}  # key -> {field: value} a row had before this load updated it

    def upsert(self, model, key, values):
        """Create or (when safe) update one row. Returns (object or None, created)."""
        record = models.ImportedRecord.objects.filter(source=self.source, key=key).first()
        wanted = checksum(values)
        if record is None:
            obj = model(**values)
            obj.full_clean(validate_unique=True, validate_constraints=True)
            obj.save()
            models.ImportedRecord.objects.create(
                source=self.source,
                key=key,
                content_type=ContentType.objects.get_for_model(model),
                object_id=obj.pk,
                source_checksum=wanted,
                row_checksum=self.row_checksum(obj, values),
            )
            self.result.created.append(key)
            self.objects[key] = obj
            return obj, True

        obj = model.objects.filter(pk=record.object_id).first()
        if obj is None or self.row_checksum(obj, values) != record.row_checksum:
            # Deleted or edited in the admin since it was loaded: the editor's version wins.
            self.result.kept_editor_changes.append(key)
        elif record.source_checksum != wanted:
            self.replaced[key] = {name: getattr(obj, name) for name in values}
            for name, value in values.items():
                setattr(obj, name, value)
            obj.full_clean()
            obj.save()
            record.source_checksum = wanted
            record.row_checksum = self.row_checksum(obj, values)
            record.save()
            self.result.updated.append(key)
        else:
            self.result.unchanged.append(key)
        self.objects[key] = obj
        return obj, False

    @staticmethod
    def row_checksum(obj, values):
        return checksum({name: getattr(obj, name) for name in values})

    def fields(self, item, **references):
        values = columns({k: v for k, v in item.items() if k not in STRUCTURAL_KEYS})
        values.update(references)
        return values

    @transaction.atomic
    def load(self, data):
        # Term overrides first: the content converted as it is saved uses them.
        for item in data.get("term_overrides", []):
            self.upsert(models.TermOverride, item["key"], self.fields(item))
        forum_data = data["forum"]
        self.upsert(models.Forum, forum_data["key"], self.fields(forum_data))
        for item in data.get("organisations", []):
            self.upsert(models.Organisation, item["key"], self.fields(item))
        for item in data.get("editions", []):
            values = self.fields(item, forum=self.objects[item["forum"]], is_published=True)
            for role in ("host", "organiser", "press_office"):
                values[role] = self.objects[item[role]] if item.get(role) else None
            edition, _created = self.upsert(models.Edition, item["key"], values)
            self.objects[f"edition:{item['slug']}"] = edition
        for item in data.get("people", []):
            person, created = self.upsert(
                models.Person, item["key"], self.fields(item, is_published=True)
            )
            if created:
                for order, position in enumerate(item.get("positions", []), start=1):
                    models.Position.objects.create(
                        person=person,
                        order=order,
                        **self.fields(
                            position, organisation=self.objects[position["organisation"]]
                        ),
                    )
        for item in data.get("sessions", []):
            edition = self.edition(item["edition"])
            session, created = self.upsert(
                models.Session, item["key"], self.fields(item, edition=edition, is_published=True)
            )
            if created:
                for order, role in enumerate(item.get("roles", []), start=1):
                    models.SessionRole.objects.create(
                        session=session,
                        order=order,
                        **self.fields(role, person=self.objects[role["person"]]),
                    )
        for item in data.get("speeches", []):
            self.upsert(
                models.Speech,
                item["key"],
                self.fields(
                    item,
                    session=self.objects[item["session"]],
                    speaker=self.objects[item["speaker"]],
                    is_published=True,
                ),
            )
        for item in data.get("media_contacts", []):
            self.upsert(
                models.MediaContact,
                item["key"],
                self.fields(item, organisation=self.objects[item["organisation"]]),
            )
        for item in data.get("reports", []):
            self.load_report(item)
        return self.result

    def edition(self, reference):
        return self.objects.get(reference) or self.objects[f"edition:{reference}"]

    def load_report(self, item):
        values = self.fields(
            item,
            edition=self.edition(item["edition"]),
            session=self.objects[item["session"]] if item.get("session") else None,
            publisher=self.objects[item["publisher"]] if item.get("publisher") else None,
            status=models.Report.Status.PUBLISHED,
        )
        report, created = self.upsert(models.Report, item["key"], values)
        if report is not None and not created:
            self.correct_byline_names(report)
        if created:
            report.speeches.set([self.objects[key] for key in item.get("speeches", [])])
            report.media_contacts.set([self.objects[key] for key in item.get("media_contacts", [])])
            for order, credit in enumerate(item.get("credits", []), start=1):
                models.Credit.objects.create(
                    report=report,
                    person=self.objects[credit["person"]],
                    role=credit["role"],
                    order=order,
                )
            # As the publish step would: freeze the byline as printed.
            report.published_byline = byline.snapshot(report)
            report.save(update_fields=["published_byline"])

    def correct_byline_names(self, report):
        """Show, in a byline frozen at publication, the names this load corrected.

        A byline keeps names as printed, but a person this load updated is one no editor
        has touched (see upsert): the old name there came from the file and was wrong,
        e.g. Chinese characters guessed for a name known only in pinyin. Only those
        people's names change; who is credited, and in which role, stays as published.
        """
        corrected = {
            before.get("slug", obj.slug): obj
            for key, before in self.replaced.items()
            if isinstance(obj := self.objects.get(key), models.Person)
        }
        changed = False
        for entry in report.published_byline or []:
            for shown in entry["people"]:
                person = corrected.get(shown.get("slug"))
                if person is None:
                    continue
                names = {"slug": person.slug} | {
                    languages.column("name", code): person.full_name(code)
                    for code in languages.CODES
                }
                if any(shown.get(name) != value for name, value in names.items()):
                    shown.update(names)
                    changed = True
        if changed:
            report.save(update_fields=["published_byline", "updated_at"])


def load_data_file(path=DEMO_FILE, source=None):
    with open(path, "rb") as data_file:
        data = tomllib.load(data_file)
    # The first revision of each loaded report, so its history starts with the file.
    with reversion.create_revision():
        reversion.set_comment(
            revision_notes.note((gettext_noop("Loaded from %(file)s"), {"file": Path(path).name}))
        )
        return DataFileLoader(source or f"demo:{Path(path).stem}").load(data)
