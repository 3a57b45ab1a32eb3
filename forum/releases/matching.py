"""What a press release speaks of, found among the records: the plan of an import.

`plan_release(draft)` takes the draft of forum.releases.parser and returns a Plan: for
each thing the release names, the record it matches, with the fields in which record and
release differ (current → parsed), or nothing (it will be created). This module only
reads; forum.releases.services writes what the plan says.

How things match. Names and titles are compared in every language, ignoring case, spacing,
typographic apostrophes and a leading "the", so "LI Wenhai" is "Li Wenhai":

- forum: name or short name; edition: the forum's edition of the year;
- organisation: name or short name;
- person: full name in either order, or family and given name;
- session: title within the edition, or title on the session's date;
- presider: session and person; speech: session and speaker;
- report: its headline, or the session's report on the release's speeches;
- credit: report, person and role;
- media contact: mobile number (E.164), or name.

Who imports matters (`plan_release(draft, user=…)`): a record is created only by a role
with the permission to add it (forum.core.roles), an empty field filled only by one that
may change it; the rest is left (LEFT) for those who may, and a release whose forum,
edition or session would be left cannot be imported. Media contacts are press data: for
those the press-privacy policy does not let manage them (forum.press.policy), they are
neither looked up nor created nor linked (PRESS_OFFICE), so no current detail of a
contact is shown to them. Without a user (the command's dry run) nothing is left out.

An existing record is never changed by an import (the one exception: the forum's
background, filled when it has none). What the release says differently is listed as a
difference; what it would add to an existing record (a presider at an existing session, a
credit on an existing report) is listed as not applied, for an editor to decide.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_permission_codename
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from forum import models
from forum.core import languages, names
from forum.core.phones import format_phone, normalise_phone
from forum.core.scripts import has_han
from forum.press.policy import policy

# What the plan does with each thing the release names.
MATCH = "match"  # an existing record; differences are listed, never applied
CREATE = "create"  # nothing matches: the import creates it
FILL = "fill"  # an existing record's empty field is filled (the forum's background)
SKIP = "skip"  # would change an existing record: listed for an editor, not applied
LEFT = "left"  # missing, and the importer's role may not create it: left for those who may
PRESS_OFFICE = "press_office"  # a media contact: matched or created by the press office


# --- Comparing texts -------------------------------------------------------------------------


def normalised(text):
    """A text as compared: NFKC, straight apostrophes, one space, case-folded, no "the"."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text.removeprefix("the ")


def name_key(text):
    """A person's name as compared: normalised, without spaces, hyphens or dots."""
    return re.sub(r"[\s\-·.]", "", normalised(text))


def plain_text(html):
    """A rich text as compared: the words, without tags or spacing differences."""
    return re.sub(r"\s+", " ", strip_tags(html or "")).strip()


def name_language(name):
    """The column a person's name goes in: Chinese for a name in characters, else the
    default language (a name known only in Latin letters stays there, in every release)."""
    return languages.HAN_SCRIPT if has_han(name) else languages.DEFAULT


def language_of(text, default):
    """The site language a printed text is in: Chinese when it has Chinese characters
    (a name or address printed in characters), else the release's language."""
    return languages.HAN_SCRIPT if has_han(text) else default


def any_column(field, lookup, value):
    """Q: the field's column in some language matches (e.g. title__iexact)."""
    query = Q()
    for column in languages.columns(field):
        query |= Q(**{f"{column}__{lookup}": value})
    return query


def texts_of(record, *fields):
    """Every language's text of the fields, normalised, without the empty ones."""
    return {
        normalised(value)
        for column in languages.columns(*fields)
        if (value := getattr(record, column, ""))
    }


def excerpt(text, other, width=60):
    """The part of `text` where it starts to differ from `other`, for a long text."""
    if len(text) <= 2 * width:
        return text
    start = next(
        (index for index, (a, b) in enumerate(zip(text, other, strict=False)) if a != b),
        min(len(text), len(other)),
    )
    start = max(0, start - width // 2)
    piece = text[start : start + 2 * width]
    return ("…" if start else "") + piece + ("…" if start + 2 * width < len(text) else "")


def parse_date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


def phone(value):
    """A number in E.164, or "" (the parser writes E.164 already; this checks it)."""
    try:
        return normalise_phone(str(value or ""))
    except ValidationError:
        return ""


def split_name(name):
    """(family name, given name, family name in capitals?) of a name as printed: a Chinese
    name family name first, in pinyin ("Liu Changjie", styled "LI Wenhai") or characters."""
    family, given = names.split_name(name)
    uppercase = len(family) > 1 and family.isupper() and not given.isupper()
    return (family.capitalize() if uppercase else family), given, uppercase


def _shortened(text, width=60):
    text = str(text or "")
    return text if len(text) <= width else f"{text[:width]}…"


def _field_values(item, parsed, label):
    """{model field: text} that the import would write for the item from its part of a
    draft (forum.releases.services does the same): the parsed texts under their own names,
    and those it derives (a person's family and given names, a session's title)."""
    if not parsed:
        return {}
    values = {name: value for name, value in parsed.items() if isinstance(value, str)}
    model = item.model
    if model is models.Person and parsed.get("name"):
        family, given, _uppercase = split_name(parsed["name"])
        values["family_name"] = parsed.get("family_name") or family
        values["given_name"] = parsed.get("given_name") or given
    elif model is models.Forum or model is models.Organisation:
        values["name"] = parsed.get("name") or parsed.get("short_name") or ""
        contact = parsed.get("contact")
        if isinstance(contact, dict):
            values.update({k: v for k, v in contact.items() if isinstance(v, str)})
    elif model is models.Session:
        values["title"] = label or parsed.get("title") or ""
    elif model is models.MediaContact:
        values["name"] = label or parsed.get("name") or ""
        values["office_extension"] = parsed.get("extension") or ""
    elif model is models.Report:
        values["headline"] = (parsed.get("headline") or "").strip() or values.get("headline", "")
    return values


# --- The plan --------------------------------------------------------------------------------


@dataclass
class Difference:
    field: str  # the field's label, translated
    current: str
    parsed: str

    def as_dict(self):
        return {"field": str(self.field), "current": self.current, "parsed": self.parsed}


@dataclass(eq=False)  # items are compared by identity: two mentions of one thing are one item
class Item:
    """One thing the release names, and what the import does with it."""

    model: type
    label: str  # what the release calls it: "Li Wenhai", "2024"
    parsed: dict = field(default_factory=dict)  # the part of the draft it comes from
    record: object = None
    action: str = CREATE
    differences: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    key: str = ""  # what it is, when the model's name does not say: "background"
    links: dict = field(default_factory=dict)  # the items it points to: {"person": Item}
    # With a pair of releases: the same thing as the twin release prints it (its part of
    # the twin's draft) and what the twin calls it ("李文海").
    twin: dict = field(default_factory=dict)
    twin_label: str = ""

    @property
    def kind(self):
        """What it is, for the editor: "Person", "Background information"."""
        if self.key == "background":
            return _("Background information")
        return capfirst(self.model._meta.verbose_name)

    def found(self, record):
        self.record, self.action = record, MATCH
        return self

    def differ(self, label, current, parsed):
        """Note a difference when the release gives a value that is not the record's."""
        current, parsed = str(current or "").strip(), str(parsed or "").strip()
        if parsed and normalised(current) != normalised(parsed):
            self.differences.append(Difference(str(label), current, parsed))

    def differ_field(self, name, parsed, language_code=None):
        """differ() for a model field: its label, and its column in the language."""
        label = self.model._meta.get_field(name).verbose_name
        column = languages.column(name, language_code) if language_code else name
        self.differ(label, getattr(self.record, column, ""), parsed)

    def as_dict(self):
        data = {
            "kind": self.key or self.model._meta.model_name,
            "label": self.label,
            "action": self.action,
            "id": getattr(self.record, "pk", None),
            "differences": [difference.as_dict() for difference in self.differences],
            "notes": [str(note) for note in self.notes],
        }
        if self.twin_label:
            data["twin_label"] = self.twin_label
        return data


@dataclass
class Plan:
    draft: dict
    language: str  # the release's language: its texts go in that language's columns
    twin_draft: dict = None  # the twin release in the other language, if a pair
    twin_language: str = ""  # its language: its texts go in that language's columns
    forum: Item = None
    edition: Item = None
    organisations: dict = field(default_factory=dict)  # normalised name -> Item
    people: dict = field(default_factory=dict)  # name_key -> Item
    session: Item = None
    presiders: list = field(default_factory=list)  # Items of SessionRole
    speeches: list = field(default_factory=list)
    report: Item = None
    credits: list = field(default_factory=list)
    media_contacts: list = field(default_factory=list)
    background: Item = None
    press_office: Item = None  # the organisation whose address block ends the release
    host: Item = None
    organiser: Item = None
    publisher: Item = None
    problems: list = field(default_factory=list)  # why the import is refused

    def items(self):
        """Every item, in the order a reader of the release meets them."""
        head = [self.forum, self.background, self.edition, *self.organisations.values()]
        return [
            item
            for item in (
                *head,
                # A person paired across two releases is found under both names: once.
                *dict.fromkeys(self.people.values()),
                self.session,
                *self.presiders,
                *self.speeches,
                self.report,
                *self.credits,
                *self.media_contacts,
            )
            if item is not None
        ]

    def to_create(self):
        return [item for item in self.items() if item.action == CREATE]

    @property
    def warnings(self):
        twin = (self.twin_draft or {}).get("warnings") or []
        return [*(self.draft.get("warnings") or []), *twin]

    def as_dict(self):
        return {
            "items": [item.as_dict() for item in self.items()],
            "problems": [str(problem) for problem in self.problems],
        }


# --- Matching --------------------------------------------------------------------------------


def plan_release(draft, user=None, twin=None):
    """The plan of `user` importing `draft` (see the module docstring). Reads only.

    With `twin`, the draft of the same release in the other language, the two become one
    bilingual import: the English release is the primary one (its texts and labels), the
    Chinese one gives the Chinese columns of the same records. People are paired by the
    records they match (a Person with both names), else by their order in the presider
    and speaker lists when both releases list as many; a person named only in one release
    has a name in that one's script only: no characters are guessed.
    """
    return _Matcher(draft, user, twin).plan()


def may_write(user, model, action=CREATE):
    """Whether the user's role may create (or, for FILL, change) records of the model."""
    if user is None:
        return True
    opts = model._meta
    permission = get_permission_codename("change" if action == FILL else "add", opts)
    return user.has_perm(f"{opts.app_label}.{permission}")


def _language_of_draft(draft):
    language = (draft or {}).get("language")
    return language if languages.is_site_language(language or "") else languages.DEFAULT


class _Matcher:
    def __init__(self, draft, user=None, twin=None):
        self.user = user
        self.twin_background = ""
        draft, twin = draft or {}, twin or None
        # Either order: the release in the default language is the primary one.
        if twin is not None and _language_of_draft(twin) == languages.DEFAULT:
            draft, twin = twin, draft
        self.draft, self.twin = draft, twin
        self.language = _language_of_draft(draft)
        self.twin_language = _language_of_draft(twin) if twin is not None else ""
        self.result = Plan(
            draft=self.draft,
            language=self.language,
            twin_draft=twin,
            twin_language=self.twin_language,
        )
        if twin is not None and self.twin_language == self.language:
            self.result.problems.append(
                _(
                    "Both releases are written in the same language: a pair is a release and "
                    "its translation, one in English and one in Chinese."
                )
            )

    def twin_part(self, name):
        value = (self.twin or {}).get(name)
        return value if isinstance(value, dict) else {}

    def twin_parts(self, name):
        value = (self.twin or {}).get(name)
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def part(self, name):
        value = self.draft.get(name)
        return value if isinstance(value, dict) else {}

    def parts(self, name):
        value = self.draft.get(name)
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def plan(self):
        plan = self.result
        self.check_essentials()
        paired = self.twin is not None
        plan.forum = self.match_forum(self.part("forum"))
        if paired:
            self.pair_forum()
        plan.background = self.match_background(self.draft.get("background") or "")
        plan.edition = self.match_edition(self.part("edition"))
        plan.press_office = self.match_press_office()
        if paired:
            self.pair_edition()
        people = list(self.part("session").get("presiders") or [])
        people += [speech.get("speaker") or {} for speech in self.parts("speeches")]
        report = self.part("report")
        people += [{"name": credit["name"]} for credit in credits_of(report)]
        for person in people:
            if isinstance(person, dict) and (person.get("name") or "").strip():
                self.person(person)
        if paired:
            self.pair_people()
        plan.session = self.match_session(self.part("session"))
        if paired:
            self.pair_session()
        plan.presiders = [
            self.match_presider(presider)
            for presider in self.part("session").get("presiders") or []
            if isinstance(presider, dict) and (presider.get("name") or "").strip()
        ]
        plan.speeches = [
            self.match_speech(speech)
            for speech in self.parts("speeches")
            if ((speech.get("speaker") or {}).get("name") or "").strip()
        ]
        if paired:
            self.pair_roles()
        plan.report = self.match_report(report)
        if paired:
            self.pair_report()
        plan.credits = [
            self.match_credit(credit["name"], credit["role"]) for credit in credits_of(report)
        ]
        plan.media_contacts = [
            self.media_contact(contact)
            for contact in self.parts("media_contacts")
            if (contact.get("name") or "").strip()
        ]
        if paired:
            self.pair_credits_and_contacts()
        self.skip_unneeded_organisations()
        self.leave_to_others()
        self.check_lengths()
        return plan

    def leave_to_others(self):
        """What the user's role may not write is left for those who may; the release
        cannot be imported without its forum, edition and session."""
        plan = self.result
        for item in plan.items():
            if item.action in (CREATE, FILL) and not may_write(self.user, item.model, item.action):
                item.action = LEFT
                item.notes.append(_("Your role may not create or change it: left for an editor."))
        for item in (plan.forum, plan.edition, plan.session):
            if item.action == LEFT:
                plan.problems.append(
                    _(
                        "“%(item)s” (%(kind)s) is not in the programme yet, and your role may "
                        "not add it: ask an editor to add it, or to import this release."
                    )
                    % {"item": item.label, "kind": item.kind}
                )

    def check_lengths(self):
        """Refuse, at review, a text the release gives that is longer than its field holds
        in a record to be created (a 300-character family name): the editor reads which
        field, in words, and the import never fails on it when confirmed."""
        plan = self.result
        for item in plan.items():
            if item.action != CREATE:
                continue
            for parsed, label in ((item.parsed, item.label), (item.twin, item.twin_label)):
                for name, value in _field_values(item, parsed, label).items():
                    try:
                        field = item.model._meta.get_field(name)
                    except FieldDoesNotExist:
                        continue
                    limit = getattr(field, "max_length", None)
                    if not limit or not isinstance(value, str) or len(value.strip()) <= limit:
                        continue
                    plan.problems.append(
                        _(
                            "“%(item)s” (%(kind)s): its %(field)s in the release has "
                            "%(length)d characters, more than the %(limit)d it may have. "
                            "Shorten it in the release, then read it again."
                        )
                        % {
                            "item": _shortened(item.label),
                            "kind": item.kind,
                            "field": field.verbose_name,
                            "length": len(value.strip()),
                            "limit": limit,
                        }
                    )

    def skip_unneeded_organisations(self):
        """An organisation the release names is created only for a new record that
        points to it (a new edition's host, a new report's publisher…), never alone."""
        plan = self.result
        needed = [c.links["organisation"] for c in plan.media_contacts if c.action == CREATE]
        if plan.edition.action == CREATE:
            needed += [plan.host, plan.organiser, plan.press_office]
        if plan.report.action == CREATE:
            needed.append(plan.publisher)
        for item in plan.organisations.values():
            if item.action == CREATE and not any(item is other for other in needed):
                item.action = SKIP
                item.notes.append(_("No new record refers to it: not created."))

    def media_contact(self, parsed):
        if self.user is None or policy.may_manage(self.user):
            return self.match_media_contact(parsed)
        return self.press_office_contact(parsed)

    def check_essentials(self):
        if not (self.part("session").get("title") or "").strip():
            self.result.problems.append(_("The release names no session: its title is missing."))
        if not plain_text(self.part("report").get("body")):
            self.result.problems.append(_("The release has no report text."))
        if self.twin is None:
            return
        twin = {"language": languages.get(self.twin_language).adjective}
        if not (self.twin_part("session").get("title") or "").strip():
            self.result.problems.append(
                _("The %(language)s release names no session: its title is missing.") % twin
            )
        if not plain_text(self.twin_part("report").get("body")):
            self.result.problems.append(_("The %(language)s release has no report text.") % twin)
        for part, key, message in (
            (
                "edition",
                "year",
                _("The two releases are of different editions: %(one)s and %(other)s."),
            ),
            (
                "session",
                "date",
                _("The two releases report sessions on different days: %(one)s and %(other)s."),
            ),
        ):
            one, other = self.part(part).get(key), self.twin_part(part).get(key)
            if one and other and str(one) != str(other):
                self.result.problems.append(message % {"one": one, "other": other})

    # --- Forum, edition, organisations -------------------------------------------------------

    def match_forum(self, parsed):
        names = {normalised(parsed.get(key)) for key in ("name", "short_name")} - {""}
        item = Item(models.Forum, parsed.get("name") or parsed.get("short_name") or "", parsed)
        forums = [forum for forum in models.Forum.objects.all() if texts_of(forum, "name") & names]
        forums = forums or [
            forum for forum in models.Forum.objects.all() if texts_of(forum, "short_name") & names
        ]
        if forums:
            item.found(forums[0])
            self.several(item, forums)
            item.differ_field("name", parsed.get("name"), self.language)
            item.differ_field("short_name", parsed.get("short_name"), self.language)
        elif not names:
            self.result.problems.append(_("The release does not name the forum."))
        return item

    def match_background(self, text):
        text = text.strip()
        if not text:
            return None
        item = Item(models.Forum, text, {"background": text}, key="background")
        forum = self.result.forum.record
        if forum is None:
            return item
        item.found(forum)
        current = getattr(forum, languages.column("background", self.language)) or ""
        if not current.strip():
            item.action = FILL
        item.differ_field("background", text, self.language)
        return item

    def match_edition(self, parsed):
        year = parsed.get("year")
        item = Item(models.Edition, str(year or ""), parsed)
        forum = self.result.forum.record
        edition = None
        if forum is not None and year:
            edition = models.Edition.objects.filter(forum=forum, year=year).first()
        elif forum is not None:
            # No year: the edition of the session of that title held on that date.
            sessions = self.sessions_titled().filter(edition__forum=forum)
            session = sessions.filter(date=self.session_date()).first()
            edition = session.edition if session else None
            item.label = str(edition.year if edition else "")
        if edition is None:
            if not year:
                self.result.problems.append(_("The release does not say the edition's year."))
            if not (parse_date(parsed.get("start_date")) or self.session_date()):
                self.result.problems.append(_("The release does not say when the forum met."))
        else:
            item.found(edition)
            for name in ("theme", "venue", "city"):
                item.differ_field(name, parsed.get(name), self.language)
            for name in ("start_date", "end_date"):
                item.differ_field(name, parsed.get(name))
        for role in ("host", "organiser"):
            organisation = self.organisation(parsed.get(role))
            setattr(self.result, role, organisation)
            if edition is not None and organisation is not None:
                label = models.Edition._meta.get_field(role).verbose_name
                current = getattr(edition, role)
                if current is None or current != organisation.record:
                    item.differ(label, current or "", organisation.label)
        return item

    def sessions_titled(self):
        """Sessions whose title, in some language, is the release's session title."""
        title = re.sub(r"\s+", " ", self.part("session").get("title") or "").strip()
        if not title:
            return models.Session.objects.none()
        return models.Session.objects.filter(any_column("title", "iexact", title))

    def session_date(self):
        return parse_date(self.part("session").get("date"))

    def organisation(self, parsed):
        """The item of an organisation the release names ({"name", "short_name"} or a
        name), the same item each time the release names it again."""
        if isinstance(parsed, str):
            parsed = {"name": parsed}
        if not isinstance(parsed, dict):
            return None
        names = {normalised(parsed.get(key)) for key in ("name", "short_name")} - {""}
        if not names:
            return None
        for key, item in self.result.organisations.items():
            if names & key:
                self.complete(item, parsed)
                return item
        item = Item(
            models.Organisation, parsed.get("name") or parsed.get("short_name"), dict(parsed)
        )
        candidates = [
            organisation
            for organisation in models.Organisation.objects.all()
            if texts_of(organisation, "name", "short_name") & names
        ]
        # One that matches both the name and the short name first.
        candidates.sort(key=lambda o: -len(texts_of(o, "name", "short_name") & names))
        if candidates:
            item.found(candidates[0])
            self.several(item, candidates)
        self.result.organisations[frozenset(names)] = item
        self.compare_organisation(item)
        return item

    def complete(self, item, parsed):
        """A later mention adds what an earlier one left out (CDRF, then its full name)."""
        key = next(key for key, value in self.result.organisations.items() if value is item)
        added = {k: v for k, v in parsed.items() if v and not item.parsed.get(k)}
        if not added:
            return
        item.parsed.update(added)
        item.label = item.parsed.get("name") or item.label
        del self.result.organisations[key]
        names = {normalised(item.parsed.get(k)) for k in ("name", "short_name")} - {""}
        self.result.organisations[frozenset(names | key)] = item
        item.differences = []
        self.compare_organisation(item)

    def compare_organisation(self, item):
        if item.record is None:
            return
        for name in ("name", "short_name"):
            if normalised(item.parsed.get(name)) not in texts_of(item.record, name):
                item.differ_field(name, item.parsed.get(name), self.language)

    def match_press_office(self):
        """The organisation whose contact details end the release: the media contacts'
        (else the organiser). Its details are compared with, or given to, the record."""
        details = self.part("organisation_contact")
        named = [details.get("organisation")]
        named += [contact.get("organisation") for contact in self.parts("media_contacts")]
        named.append(self.part("edition").get("organiser"))
        item = next((found for name in named if name and (found := self.organisation(name))), None)
        if item is None:
            return None
        item.parsed["contact"] = details
        if item.record is None or not details:
            return item
        for code in languages.CODES:
            item.differ_field("address", details.get(languages.column("address", code)), code)
        for name in ("postal_code", "website", "email"):
            item.differ_field(name, details.get(name))
        for name in ("phone", "fax"):
            extension = f"{name}_extension"
            item.differ(
                models.Organisation._meta.get_field(name).verbose_name,
                format_phone(getattr(item.record, name), getattr(item.record, extension)),
                format_phone(phone(details.get(name)), details.get(extension) or ""),
            )
        return item

    # --- People ------------------------------------------------------------------------------

    def person(self, parsed):
        """The item of a person the release names, the same item for every mention."""
        key = name_key(parsed.get("name"))
        if key in self.result.people:
            item = self.result.people[key]
            item.parsed.update({k: v for k, v in parsed.items() if v and not item.parsed.get(k)})
            return item
        item = Item(models.Person, re.sub(r"\s+", " ", parsed["name"]).strip(), dict(parsed))
        self.result.people[key] = item
        family, given, uppercase = split_name(parsed["name"])
        family = parsed.get("family_name") or family
        given = parsed.get("given_name") or given
        found = self.people_named(parsed)
        if found:
            item.found(found[0])
            self.several(item, found)
            styled = parsed.get("uppercase_family_name", uppercase)
            if styled and not found[0].uppercase_family_name:
                # Only the capitals differ: differ() would not see it.
                label = models.Person._meta.get_field("uppercase_family_name").verbose_name
                current = found[0].full_name(self.language)
                printed = f"{family.upper()} {given}".strip()
                item.differences.append(Difference(str(label), current, printed))
        return item

    def people_named(self, parsed):
        """The Person records of a name as printed, in any language and either order."""
        family, given, _uppercase = split_name(parsed["name"])
        family = parsed.get("family_name") or family
        given = parsed.get("given_name") or given
        keys = {name_key(parsed["name"]), name_key(f"{family} {given}")}
        keys.add(name_key(f"{given} {family}"))
        candidates = models.Person.objects.filter(
            any_column("family_name", "iexact", family) | any_column("given_name", "iexact", family)
        )
        return [person for person in candidates if self.person_keys(person) & keys]

    @staticmethod
    def person_keys(person):
        keys = set()
        for code in languages.CODES:
            family = getattr(person, languages.column("family_name", code)) or ""
            given = getattr(person, languages.column("given_name", code)) or ""
            if family or given:
                keys |= {name_key(f"{family} {given}"), name_key(f"{given} {family}")}
        return keys

    def person_item(self, name):
        return self.result.people.get(name_key(name))

    # --- Session, presiders, speeches --------------------------------------------------------

    def match_session(self, parsed):
        title = re.sub(r"\s+", " ", parsed.get("title") or "").strip()
        item = Item(models.Session, title, parsed)
        if not title:
            return item
        edition = self.result.edition.record
        if edition is None:
            return item  # a new edition has no sessions yet
        found = list(self.sessions_titled().filter(edition=edition))
        if not found:
            return item
        item.found(found[0])
        self.several(item, found)
        item.differ(
            models.Session._meta.get_field("kind").verbose_name,
            found[0].get_kind_display(),
            self.choice_label(models.Session.Kind, parsed.get("kind")),
        )
        item.differ_field("date", parsed.get("date"))
        item.differ(
            models.Session._meta.get_field("part_of_day").verbose_name,
            found[0].get_part_of_day_display(),
            self.choice_label(models.Session.PartOfDay, parsed.get("part_of_day")),
        )
        return item

    @staticmethod
    def choice_label(choices, value):
        return str(choices(value).label) if value in choices.values else ""

    def match_presider(self, parsed):
        person = self.person_item(parsed["name"])
        titles = "\n".join(title for title in parsed.get("titles") or [] if title)
        role = parsed.get("role")
        role = role if role in models.SessionRole.Role.values else models.SessionRole.Role.PRESIDER
        label = f"{person.label} ({models.SessionRole.Role(role).label})"
        item = Item(models.SessionRole, label, {**parsed, "titles": titles, "role": role})
        item.links["person"] = person
        session = self.result.session.record
        if session is None or person.record is None:
            return self.not_to_existing(item, session, _("the session"))
        role = models.SessionRole.objects.filter(session=session, person=person.record, role=role)
        role = role.first()
        if role is None:
            return self.not_to_existing(item, session, _("the session"))
        item.found(role)
        item.differ_field("printed_titles", titles, self.language)
        return item

    def not_to_existing(self, item, owner, owner_label):
        """A new link to an existing session or report is for an editor to add."""
        if owner is not None:
            item.action = SKIP
            item.notes.append(
                _("Not added to %(owner)s #%(id)s, which exists: add it there if it is right.")
                % {"owner": owner_label, "id": owner.pk}
            )
        return item

    def match_speech(self, parsed):
        speaker = parsed["speaker"]
        person = self.person_item(speaker["name"])
        item = Item(models.Speech, person.label, dict(parsed))
        item.links["speaker"] = person
        item.parsed["printed_title"] = speaker.get("printed_title") or printed_title(speaker)
        session = self.result.session.record
        if session is None or person.record is None:
            return item
        speech = models.Speech.objects.filter(session=session, speaker=person.record).first()
        if speech is None:
            return item
        item.found(speech)
        item.differ(
            models.Speech._meta.get_field("kind").verbose_name,
            speech.get_kind_display(),
            self.choice_label(models.Speech.Kind, parsed.get("kind")),
        )
        item.differ_field("title", parsed.get("title"), self.language)
        item.differ_field("printed_title", item.parsed["printed_title"], self.language)
        return item

    # --- Report, credits, media contacts -----------------------------------------------------

    def match_report(self, parsed):
        headline = re.sub(r"\s+", " ", parsed.get("headline") or "").strip()
        item = Item(models.Report, headline or self.result.session.label, parsed)
        publisher = self.result.publisher = self.organisation(parsed.get("publisher"))
        found = []
        if headline:
            found = list(models.Report.objects.filter(any_column("headline", "iexact", headline)))
        session = self.result.session.record
        speeches = [speech.record for speech in self.result.speeches if speech.record]
        if not found and session is not None:
            reports = models.Report.objects.filter(session=session)
            if speeches:
                reports = reports.filter(speeches__in=speeches)
            elif self.result.speeches:
                reports = reports.none()  # the release's speeches are new: so is its report
            found = list(reports.distinct())
        if not found:
            return item
        report = item.found(found[0]).record
        self.several(item, found)
        working = report.working_values()
        for name in ("headline", "summary"):
            column = languages.column(name, self.language)
            item.differ(
                models.Report._meta.get_field(name).verbose_name, working[column], parsed.get(name)
            )
        body = plain_text(working[languages.column("body", self.language)])
        parsed_body = plain_text(parsed.get("body"))
        if parsed_body and body != parsed_body:
            label = models.Report._meta.get_field("body").verbose_name
            item.differences.append(
                Difference(str(label), excerpt(body, parsed_body), excerpt(parsed_body, body))
            )
        if publisher is not None and (
            report.publisher is None or report.publisher != publisher.record
        ):
            label = models.Report._meta.get_field("publisher").verbose_name
            item.differ(label, report.publisher or "", publisher.label)
        linked = set(report.speeches.values_list("pk", flat=True))
        for speech in self.result.speeches:
            if speech.record is not None and speech.record.pk not in linked:
                speech.notes.append(
                    _("Not linked to report #%(id)s: link it there if it is right.")
                    % {"id": report.pk}
                )
        return item

    def match_credit(self, name, role):
        person = self.person_item(name)
        label = f"{person.label} ({models.Credit.Role(role).label})"
        item = Item(models.Credit, label, {"name": name, "role": role})
        item.links["person"] = person
        report = self.result.report.record
        if report is None or person.record is None:
            return self.not_to_existing(item, report, _("the report"))
        credit = models.Credit.objects.filter(
            report=report, person=person.record, role=role
        ).first()
        if credit is None:
            return self.not_to_existing(item, report, _("the report"))
        return item.found(credit)

    @staticmethod
    def press_office_contact(parsed):
        """A media contact as the release names it, not looked up: press data is for the
        press office to match or create."""
        name = re.sub(r"\s+", " ", parsed["name"]).strip()
        item = Item(models.MediaContact, name, dict(parsed), action=PRESS_OFFICE)
        item.notes.append(_("Will be matched or created by the press office."))
        return item

    def match_media_contact(self, parsed):
        name = re.sub(r"\s+", " ", parsed["name"]).strip()
        mobile = phone(parsed.get("mobile"))
        item = Item(models.MediaContact, name, {**parsed, "mobile": mobile})
        organisation = self.organisation(parsed.get("organisation"))
        item.links["organisation"] = organisation or self.result.press_office
        query = any_column("name", "iexact", name)
        contacts = sorted(
            models.MediaContact.objects.filter(query | Q(mobile=mobile) if mobile else query),
            key=lambda contact: (contact.mobile != mobile, contact.pk),
        )
        if not contacts:
            return item
        contact = item.found(contacts[0]).record
        self.several(item, contacts)
        item.differ_field("name", name, language_of(name, self.language))
        item.differ(
            models.MediaContact._meta.get_field("mobile").verbose_name,
            contact.formatted_mobile(languages.DEFAULT),
            format_phone(mobile),
        )
        office = format_phone(phone(parsed.get("office")), parsed.get("extension") or "")
        item.differ(
            models.MediaContact._meta.get_field("office_phone").verbose_name,
            contact.formatted_office_phone(languages.DEFAULT),
            office,
        )
        item.differ_field("email", parsed.get("email"))
        if organisation is not None and organisation.record != contact.organisation:
            label = models.MediaContact._meta.get_field("organisation").verbose_name
            item.differ(label, contact.organisation, organisation.label)
        report = self.result.report.record
        if report is not None and not report.media_contacts.filter(pk=contact.pk).exists():
            item.notes.append(
                _("Not linked to report #%(id)s: link it there if it is right.") % {"id": report.pk}
            )
        return item

    # --- A pair of releases: the twin in the other language ---------------------------------

    def twin_differ(self, item, name, parsed):
        """differ_field() for the twin's language column of an existing record."""
        if item.record is not None and parsed:
            item.differ_field(name, parsed, self.twin_language)

    def pair_forum(self):
        item, twin = self.result.forum, self.twin_part("forum")
        names = {normalised(twin.get(key)) for key in ("name", "short_name")} - {""}
        item.twin, item.twin_label = dict(twin), twin.get("name") or twin.get("short_name") or ""
        if item.record is None and names:
            forums = [
                forum for forum in models.Forum.objects.all() if texts_of(forum, "name") & names
            ]
            if forums:
                item.found(forums[0])
                self.several(item, forums)
                problem = _("The release does not name the forum.")
                self.result.problems = [p for p in self.result.problems if str(p) != str(problem)]
        for name in ("name", "short_name"):
            value = twin.get(name)
            if value and normalised(value) not in texts_of(item.record, name):
                self.twin_differ(item, name, value)
        background = (self.twin or {}).get("background") or ""
        self.twin_background = background.strip()

    def pair_edition(self):
        plan, twin = self.result, self.twin_part("edition")
        item = plan.edition
        item.twin = dict(twin)  # the same year: no other label
        for name in ("theme", "venue", "city"):
            self.twin_differ(item, name, twin.get(name))
        for role in ("host", "organiser"):
            self.pair_organisation(getattr(plan, role), twin.get(role))
        office = self.twin_part("organisation_contact")
        if plan.press_office is not None and office:
            self.pair_organisation(plan.press_office, {"name": office.get("organisation")})
            details = plan.press_office.parsed.setdefault("contact", {})
            for key, value in office.items():
                if value and not details.get(key) and key != "organisation":
                    details[key] = value
        if plan.background is not None and self.twin_background:
            plan.background.twin = {"background": self.twin_background}

    def pair_organisation(self, item, parsed):
        """The same organisation as the twin names it (国务院发展研究中心 for the DRC)."""
        if isinstance(parsed, str):
            parsed = {"name": parsed}
        if item is None or not isinstance(parsed, dict):
            return
        names = {normalised(parsed.get(key)) for key in ("name", "short_name")} - {""}
        if not names:
            return
        item.twin, item.twin_label = dict(parsed), parsed.get("name") or parsed.get("short_name")
        if item.record is None:
            found = [
                organisation
                for organisation in models.Organisation.objects.all()
                if texts_of(organisation, "name", "short_name") & names
            ]
            if found:
                item.found(found[0])
                self.several(item, found)
        elif not texts_of(item.record, "name", "short_name") & names:
            self.twin_differ(item, "name", parsed.get("name"))

    def pair_people(self):
        """Each person of the twin's presider and speaker lists with one of this release's:
        the one matching the same record, else the one in the same place of a list as long."""
        session, twin_session = self.part("session"), self.twin_part("session")
        lists = (
            (session.get("presiders") or [], twin_session.get("presiders") or []),
            (
                [speech.get("speaker") or {} for speech in self.parts("speeches")],
                [speech.get("speaker") or {} for speech in self.twin_parts("speeches")],
            ),
        )
        for ours, theirs in lists:
            ours = [each for each in ours if isinstance(each, dict) and each.get("name")]
            theirs = [each for each in theirs if isinstance(each, dict) and each.get("name")]
            for index, parsed in enumerate(theirs):
                if self.person_item(parsed["name"]) is not None:
                    continue  # the same name in both (a name in Latin letters), or paired
                records = self.people_named(parsed)
                partner = next(
                    (
                        item
                        for item in self.result.people.values()
                        if records and item.record is not None and item.record in records
                    ),
                    None,
                )
                if partner is None and len(ours) == len(theirs):
                    partner = self.person_item(ours[index]["name"])
                if partner is None or not self.pair_person(partner, parsed, records):
                    self.result.problems.append(
                        _(
                            "“%(name)s”, in the %(twin)s release, is paired with nobody in the "
                            "%(language)s release: the two list different people. Import them "
                            "one by one, or correct the lists."
                        )
                        % {
                            "name": parsed["name"],
                            "twin": languages.get(self.twin_language).adjective,
                            "language": languages.get(self.language).adjective,
                        }
                    )

    def pair_person(self, item, parsed, records):
        if item.twin_label and name_key(item.twin_label) != name_key(parsed["name"]):
            return False
        if item.record is not None and records and item.record not in records:
            return False
        if item.record is None and records:
            item.found(records[0])
            self.several(item, records)
        item.twin, item.twin_label = dict(parsed), parsed["name"]
        self.result.people.setdefault(name_key(parsed["name"]), item)
        if item.record is not None:
            language_code = name_language(parsed["name"])
            family, given, _uppercase = split_name(parsed["name"])
            for name, value in (
                ("family_name", parsed.get("family_name") or family),
                ("given_name", parsed.get("given_name") or given),
            ):
                item.differ_field(name, value, language_code)
        return True

    def pair_session(self):
        item, twin = self.result.session, self.twin_part("session")
        title = re.sub(r"\s+", " ", twin.get("title") or "").strip()
        item.twin, item.twin_label = dict(twin), title
        edition = self.result.edition.record
        if item.record is None and title and edition is not None:
            found = list(
                models.Session.objects.filter(any_column("title", "iexact", title), edition=edition)
            )
            if found:
                item.found(found[0])
                self.several(item, found)
        self.twin_differ(item, "title", title)

    def pair_roles(self):
        """The twin's titles as printed, on the presiders and speeches they belong to."""
        for parsed in self.twin_part("session").get("presiders") or []:
            person = self.person_item((parsed or {}).get("name") or "")
            for item in self.result.presiders:
                if person is not None and item.links["person"] is person:
                    titles = "\n".join(title for title in parsed.get("titles") or [] if title)
                    item.twin, item.twin_label = {"titles": titles}, person.twin_label
                    self.twin_differ(item, "printed_titles", titles)
        for parsed in self.twin_parts("speeches"):
            speaker = parsed.get("speaker") or {}
            person = self.person_item(speaker.get("name") or "")
            for item in self.result.speeches:
                if person is not None and item.links["speaker"] is person:
                    printed = speaker.get("printed_title") or printed_title(speaker)
                    item.twin = {"title": parsed.get("title") or "", "printed_title": printed}
                    item.twin_label = person.twin_label
                    self.twin_differ(item, "title", parsed.get("title"))
                    self.twin_differ(item, "printed_title", printed)

    def pair_report(self):
        item, twin = self.result.report, self.twin_part("report")
        headline = re.sub(r"\s+", " ", twin.get("headline") or "").strip()
        item.twin, item.twin_label = dict(twin), headline
        if item.record is None and headline:
            found = list(models.Report.objects.filter(any_column("headline", "iexact", headline)))
            if found:
                item.found(found[0])
                self.several(item, found)
        self.pair_organisation(self.result.publisher, twin.get("publisher"))

    def pair_credits_and_contacts(self):
        """The twin's byline and contacts: those of this release's people and contacts are
        the same credits and contacts; the others are added (a name in the twin's script
        only)."""
        plan = self.result
        self.pair_bylines()
        for credit in credits_of(self.twin_part("report")):
            person = self.person_item(credit["name"]) or self.person({"name": credit["name"]})
            if not any(
                item.links["person"] is person and item.parsed["role"] == credit["role"]
                for item in plan.credits
            ):
                plan.credits.append(self.match_credit(credit["name"], credit["role"]))
        for parsed in self.twin_parts("media_contacts"):
            name = re.sub(r"\s+", " ", parsed.get("name") or "").strip()
            if not name:
                continue
            mobile = phone(parsed.get("mobile"))
            same = next(
                (
                    item
                    for item in plan.media_contacts
                    if (mobile and phone(item.parsed.get("mobile")) == mobile)
                    or name_key(item.label) == name_key(name)
                ),
                None,
            )
            if same is None:
                plan.media_contacts.append(self.media_contact(parsed))
            elif name_key(same.label) != name_key(name):
                same.twin, same.twin_label = {"name": name}, name

    def pair_bylines(self):
        """The two bylines' people, paired by role and place when both list as many for
        that role (刘虚构 under 作者 and Liu Xugou under Authors: one person, both names as
        the releases print them). A name in the same script in both is one person already;
        nothing is paired across lists of different lengths."""
        ours, theirs = credits_of(self.part("report")), credits_of(self.twin_part("report"))
        for role in models.Credit.Role.values:
            mine = [credit["name"] for credit in ours if credit["role"] == role]
            twins = [credit["name"] for credit in theirs if credit["role"] == role]
            if len(mine) != len(twins):
                continue
            for name, twin_name in zip(mine, twins, strict=True):
                item = self.person_item(name)
                if (
                    item is None
                    or item.twin_label
                    or self.person_item(twin_name) is not None
                    or name_language(name) == name_language(twin_name)
                ):
                    continue
                parsed = {"name": re.sub(r"\s+", " ", twin_name).strip()}
                self.pair_person(item, parsed, self.people_named(parsed))

    # --- Shared ------------------------------------------------------------------------------

    @staticmethod
    def several(item, records):
        if len(records) > 1:
            item.notes.append(
                _("Several records match (%(ids)s); the first is used.")
                % {"ids": ", ".join(f"#{record.pk}" for record in records)}
            )


def credits_of(report):
    """[{"name", "role"}] of the report's byline, in order: authors, then reviewers."""
    credits = report.get("credits")
    if not isinstance(credits, list):
        credits = [
            {"name": name, "role": role}
            for key, role in (
                ("authors", models.Credit.Role.AUTHOR),
                ("reviewers", models.Credit.Role.REVIEWER),
            )
            for name in report.get(key) or []
        ]
    return [
        credit
        for credit in credits
        if isinstance(credit, dict)
        and (credit.get("name") or "").strip()
        and credit.get("role") in models.Credit.Role.values
    ]


def printed_title(speaker):
    """The speaker's title as printed: "Vice Mayor, the People's Government of …"."""
    parts = (speaker.get("title"), speaker.get("organisation"))
    return ", ".join(part.strip() for part in parts if part and part.strip())
