"""Importing a press release: writing the plan of forum.releases.matching.

The admin's import screens, the `import_press_release` command and the tests call
`release_import`. What exists is reused and never changed (see matching); what is missing
is created unpublished (or private, for media contacts), so nothing reaches the public
site before an editor has looked at it; the report is a draft in the editorial workflow.
"""

from dataclasses import dataclass, field

import reversion
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from forum import models
from forum.core import languages, revision_notes
from forum.core.scripts import has_han
from forum.core.slugs import slug_from_title
from forum.releases import ReleaseError
from forum.releases.matching import (
    CREATE,
    FILL,
    language_of,
    may_write,
    name_language,
    parse_date,
    phone,
    plan_release,
    split_name,
)
from forum.reports import workflow


@dataclass
class ImportResult:
    plan: object  # matching.Plan
    report: models.Report | None  # the new draft, or the existing report the release matches
    dry_run: bool = False
    created: list = field(default_factory=list)  # the plan's items that were created

    @property
    def report_created(self):
        return self.plan.report.action == CREATE and not self.dry_run


def may_import(user):
    """Importing creates a report: authors, reviewers who may add reports, editors."""
    return user.has_perm("forum.add_report") and workflow.can_create(user)


@transaction.atomic
def release_import(*, draft, user, dry_run=False, twin=None):
    """Import a parsed press release (forum.releases.parser) as a draft report.

    With `twin`, the same release in the other language (either may be given first): one
    bilingual draft, the Chinese release filling the Chinese columns of the same report,
    session, speeches and people (matching.plan_release says how they are paired).

    Side effects, in one transaction (none with dry_run or when refused): creates what
    the plan says is missing — the forum, organisations, the edition, people (names in the
    release's language only), the session with its presiders (titles as printed, one per
    line), speeches (the speaker's title as printed), media contacts (every detail
    private) — all unpublished; creates the report as a draft through
    forum.reports.workflow.report_save (created_by=user) with its speeches, media contacts
    and credits (authors, then reviewers); fills the forum's background when it has none.
    Existing records are otherwise left as they are. One revision records it all.

    The plan is the user's (forum.releases.matching): only records their role may add
    are created. Programme data (forum, edition, session, presiders, speeches) is for
    editors, media contacts for those the press-privacy policy lets manage them; an
    author's import makes the report, its credits and new people, links the existing
    session and speeches, and leaves media contacts to the press office.

    Raises ReleaseError, having written nothing, when the user may not create reports,
    the draft lacks the essentials (a session title, the report's text, which forum and
    when, or the user may not add a missing forum, edition or session), or a record to be
    created is invalid. Returns an ImportResult.
    """
    if not may_import(user):
        raise ReleaseError(_("Importing a press release creates a report, which you may not do."))
    plan = plan_release(draft, user=user, twin=twin)
    if plan.problems:
        raise ReleaseError(" ".join(str(problem) for problem in plan.problems))
    if dry_run:
        return ImportResult(plan=plan, report=plan.report.record, dry_run=True)
    # The language the importer reads (the admin's): the records are written in the
    # release's, but a refusal is explained in theirs.
    reader_language = translation.get_language()
    with reversion.create_revision(), translation.override(plan.language):
        reversion.set_user(user)
        reversion.set_comment(revision_notes.note(gettext_noop("Imported from a press release")))
        writer = _Writer(plan, user, reader_language)
        try:
            report = writer.write()
        except ValidationError as error:
            with translation.override(reader_language):
                raise ReleaseError(writer.explain(error)) from error
    return ImportResult(plan=plan, report=report, created=writer.created)


class _Writer:
    def __init__(self, plan, user, reader_language=None):
        self.plan = plan
        self.user = user
        self.reader_language = reader_language or translation.get_language()
        self.language = plan.language
        self.twin_language = plan.twin_language
        self.created = []
        self.current = None  # the item being written, named in an error

    def texts(self, name, text, language_code=None, twin_text="", twin_language=None):
        """{column: text}: the text in its language (the release's), "" in the others; with
        a pair, the twin's text in the twin's language."""
        language_code = language_code or self.language
        columns = {
            languages.column(name, code): (text or "") if code == language_code else ""
            for code in languages.CODES
        }
        twin_language = twin_language or self.twin_language
        if twin_text and twin_language:
            column = languages.column(name, twin_language)
            columns[column] = columns[column] or twin_text
        return columns

    def save(self, item, record):
        self.current = item
        # The plan leaves out what the user's role may not create; this keeps it so.
        if not may_write(self.user, type(record)):
            with translation.override(self.reader_language):
                raise ReleaseError(
                    _("“%(item)s” (%(kind)s): your role may not create it.")
                    % {"item": item.label, "kind": item.kind}
                )
        record.full_clean()
        record.save()
        item.record = record
        self.created.append(item)
        return record

    def explain(self, error):
        """A refusal that names the record the release would have made, and why."""
        item = self.current
        messages = [
            f"{self.field_label(item, name)}: {' '.join(errors)}"
            if name != "__all__"
            else " ".join(errors)
            for name, errors in getattr(error, "message_dict", {"__all__": error.messages}).items()
        ]
        return _("“%(item)s” (%(kind)s) cannot be created: %(errors)s") % {
            "item": item.label if item else "?",
            "kind": item.kind if item else "?",
            "errors": "; ".join(messages),
        }

    @staticmethod
    def field_label(item, name):
        """The field's name in words ("Family name"), as the admin labels it."""
        try:
            return capfirst(item.model._meta.get_field(name).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return name

    def write(self):
        plan = self.plan
        forum = self.forum()
        self.create_missing(plan.organisations.values(), self.organisation)
        edition = self.record(plan.edition, self.edition, forum)
        self.create_missing(dict.fromkeys(plan.people.values()), self.person)
        session = self.record(plan.session, self.session, edition)
        self.create_missing(plan.presiders, self.presider, session)
        self.create_missing(plan.speeches, self.speech, session)
        self.create_missing(plan.media_contacts, self.media_contact)
        return self.record(plan.report, self.report, edition, session)

    @staticmethod
    def record(item, create, *args):
        """The item's record: the one it matched, or one created now."""
        return create(item, *args) if item.action == CREATE else item.record

    @staticmethod
    def create_missing(items, create, *args):
        for item in items:
            if item.action == CREATE:
                create(item, *args)

    def fill(self, record, parsed, *names, twin=None):
        """Set the translated fields from the draft, in the release's language (and from
        the twin's draft in its language)."""
        twin = twin or {}
        for name in names:
            texts = self.texts(name, parsed.get(name), twin_text=twin.get(name))
            for column, text in texts.items():
                setattr(record, column, text)

    @staticmethod
    def choice(choices, value, default=""):
        return value if value in choices.values else default

    # --- Forum, organisations, edition -------------------------------------------------------

    def forum(self):
        plan, item = self.plan, self.plan.forum
        background = plan.background.parsed["background"] if plan.background else ""
        twin_background = plan.background.twin.get("background") if plan.background else ""
        if item.action != CREATE:
            if plan.background and plan.background.action == FILL:
                texts = self.texts("background", background, twin_text=twin_background)
                filled = {
                    column: text
                    for column, text in texts.items()
                    if text and not (getattr(item.record, column) or "").strip()
                }
                for column, text in filled.items():
                    setattr(item.record, column, text)
                item.record.save(update_fields=[*filled, "updated_at"])
            return item.record
        name, short_name = item.parsed.get("name") or "", item.parsed.get("short_name") or ""
        twin = item.twin
        twin_name = twin.get("name") or twin.get("short_name") or ""
        forum = models.Forum(
            **self.texts("name", name or short_name, twin_text=twin_name),
            **self.texts("short_name", short_name, twin_text=twin.get("short_name")),
            **self.texts("background", background, twin_text=twin_background),
            slug=unique_slug(models.Forum.objects.all(), "slug", short_name or name, 50),
        )
        self.save(item, forum)
        if plan.background:
            plan.background.record = forum
            self.created.append(plan.background)
        return forum

    def organisation(self, item):
        name = item.parsed.get("name") or item.parsed.get("short_name")
        short_name = item.parsed.get("short_name") or ""
        kind = models.Organisation.Kind.PUBLISHER if item is self.plan.publisher else ""
        twin = item.twin
        twin_name = twin.get("name") or twin.get("short_name") or ""
        twin_short = twin.get("short_name") or ""
        organisation = models.Organisation(
            **self.texts(
                "name",
                name,
                language_of(name, self.language),
                twin_name,
                language_of(twin_name, self.twin_language),
            ),
            **self.texts(
                "short_name",
                short_name,
                language_of(short_name, self.language),
                twin_short,
                language_of(twin_short, self.twin_language),
            ),
            kind=kind or models.Organisation.Kind.OTHER,
        )
        details = item.parsed.get("contact") or {}
        if details:
            for code in languages.CODES:
                column = languages.column("address", code)
                setattr(organisation, column, (details.get(column) or "").strip())
            organisation.postal_code = details.get("postal_code") or ""
            organisation.phone = phone(details.get("phone"))
            organisation.phone_extension = details.get("phone_extension") or ""
            organisation.fax = phone(details.get("fax"))
            organisation.fax_extension = details.get("fax_extension") or ""
            organisation.website = details.get("website") or ""
            organisation.email = details.get("email") or ""
        return self.save(item, organisation)

    def edition(self, item, forum):
        parsed = item.parsed
        session_date = parse_date(self.plan.session.parsed.get("date"))
        start = parse_date(parsed.get("start_date")) or session_date
        end = parse_date(parsed.get("end_date")) or max(start, session_date or start)
        year = int(parsed.get("year") or start.year)
        slug = str(year)
        if models.Edition.objects.filter(slug=slug).exists():
            slug = unique_slug(models.Edition.objects.all(), "slug", f"{forum.slug}-{year}", 50)
        edition = models.Edition(forum=forum, year=year, slug=slug, start_date=start, end_date=end)
        self.fill(edition, parsed, "theme", "venue", "city", twin=item.twin)
        plan = self.plan
        edition.host, edition.organiser, edition.press_office = (
            self.record_of(part) for part in (plan.host, plan.organiser, plan.press_office)
        )
        return self.save(item, edition)

    @staticmethod
    def record_of(item):
        return item.record if item is not None else None

    # --- People, session ---------------------------------------------------------------------

    def person(self, item):
        name = item.parsed["name"]
        family, given, uppercase = split_name(name)
        family = item.parsed.get("family_name") or family
        given = item.parsed.get("given_name") or given
        # A name is not a translation: it goes in the language of its script (a name known
        # only in Latin letters in the English column, whatever the release's language),
        # and the other languages' columns stay empty (Person shows the name as given
        # there). A pair of releases gives the name in both scripts.
        language_code = name_language(name)
        twin = item.twin
        twin_family, twin_given, twin_language = "", "", None
        if twin.get("name"):
            twin_family, twin_given, _uppercase = split_name(twin["name"])
            twin_family = twin.get("family_name") or twin_family
            twin_given = twin.get("given_name") or twin_given
            twin_language = name_language(twin["name"])
        person = models.Person(
            **self.texts("family_name", family, language_code, twin_family, twin_language),
            **self.texts("given_name", given, language_code, twin_given, twin_language),
            family_name_first=item.parsed.get("family_name_first", True),
            uppercase_family_name=bool(item.parsed.get("uppercase_family_name", uppercase)),
            slug=unique_slug(
                models.Person.objects.all(), "slug", f"{family} {given}", 120, "person"
            ),
        )
        # Validated in the language of its name (the field required there).
        with translation.override(language_code):
            return self.save(item, person)

    def session(self, item, edition):
        parsed = item.parsed
        date = parse_date(parsed.get("date"))
        if date is None:
            date = edition.start_date
            item.notes.append(_("The release gives no date: the edition's first day is used."))
        Session, title = models.Session, item.label
        session = Session(
            edition=edition,
            kind=self.choice(Session.Kind, parsed.get("kind"), Session.Kind.SYMPOSIUM),
            **self.texts(
                "title",
                title,
                language_of(title, self.language),
                item.twin.get("title"),
                self.twin_language,
            ),
            date=date,
            part_of_day=self.choice(Session.PartOfDay, parsed.get("part_of_day")),
            slug=unique_slug(edition.sessions.all(), "slug", title, 120, "session"),
            order=edition.sessions.filter(date=date).count() + 1,
        )
        return self.save(item, session)

    def presider(self, item, session):
        role = models.SessionRole(
            session=session,
            person=item.links["person"].record,
            role=item.parsed["role"],
            **self.texts(
                "printed_titles", item.parsed.get("titles"), None, item.twin.get("titles")
            ),
            order=self.plan.presiders.index(item) + 1,
        )
        return self.save(item, role)

    def speech(self, item, session):
        Speech, parsed = models.Speech, item.parsed
        speech = Speech(session=session, speaker=item.links["speaker"].record)
        speech.kind = self.choice(Speech.Kind, parsed.get("kind"), Speech.Kind.KEYNOTE)
        speech.order = session.speeches.count() + 1
        self.fill(speech, parsed, "title", "printed_title", twin=item.twin)
        return self.save(item, speech)

    # --- Media contacts, report --------------------------------------------------------------

    def media_contact(self, item):
        parsed = item.parsed
        # Every detail stays private (the model's default) until a press officer ticks it.
        contact = models.MediaContact(
            **self.texts(
                "name",
                item.label,
                name_language(item.label),
                item.twin.get("name"),
                name_language(item.twin.get("name") or ""),
            ),
            organisation=self.record_of(item.links["organisation"]),
            mobile=parsed.get("mobile") or "",
            office_phone=phone(parsed.get("office")),
            office_extension=parsed.get("extension") or "",
            email=parsed.get("email") or "",
            order=self.plan.media_contacts.index(item) + 1,
        )
        with translation.override(name_language(item.label)):
            return self.save(item, contact)

    def report(self, item, edition, session):
        plan, parsed = self.plan, item.parsed
        headline = (parsed.get("headline") or "").strip() or session.title
        slug_column = languages.column("slug", self.language)
        report = models.Report(edition=edition, session=session, include_background=True)
        report.publisher, report.original_language = self.record_of(plan.publisher), self.language
        self.fill(
            report, {**parsed, "headline": headline}, "headline", "summary", "body", twin=item.twin
        )
        slug = unique_slug(models.Report.objects.all(), slug_column, headline, 100)
        setattr(report, slug_column, slug)
        if self.twin_language and (twin_headline := item.twin.get("headline")):
            twin_column = languages.column("slug", self.twin_language)
            slug = unique_slug(models.Report.objects.all(), twin_column, twin_headline, 100)
            setattr(report, twin_column, slug)
        self.current = item
        report.full_clean()
        workflow.report_save(report=report, user=self.user)
        item.record = report
        self.created.append(item)
        report.speeches.set([speech.record for speech in plan.speeches if speech.record])
        report.media_contacts.set([c.record for c in plan.media_contacts if c.record])
        for order, credit in enumerate(plan.credits, start=1):
            person = credit.links["person"].record
            record = models.Credit(
                report=report, person=person, role=credit.parsed["role"], order=order
            )
            self.save(credit, record)
        # The report's revision, with its credits (the workflow recorded it before them).
        reversion.add_to_revision(report)
        return report


def unique_slug(queryset, field, text, max_length, fallback="item"):
    """An ASCII slug of the text not yet taken in the queryset: "li-wenhai", "li-wenhai-2"."""
    # Chinese characters in pinyin, as the admin spells them (forum.core.slugs).
    text = slug_from_title(text, languages.HAN_SCRIPT) if has_han(text) else slugify(text)
    base = (text or fallback)[: max_length - 4].strip("-") or fallback
    slug, number = base, 2
    while queryset.filter(**{field: slug}).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
