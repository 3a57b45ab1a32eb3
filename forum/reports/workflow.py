"""The editorial workflow of reports. Every state change and every save of a report's
content goes through these functions; the admin and the tests call them.

States: draft → in review → approved → published; reject sends a report back to draft
(with a comment); unpublish withdraws a published report (with a reason); a publication
date in the future schedules it (the public queryset compares it with the clock, so no
cron job or worker is needed).

A published report is *live*: editing it does not touch the public page. Everything a
reader sees (texts, image, session, publisher, speeches, credits, media contacts, the
background block, the edition) goes to its working copy (`pending_changes`), which runs
through review again (`pending_status`) and replaces the live values when an editor
publishes it. Any edit to an approved report or working copy sends it back to review.

The admin's form saves and takes a step in one go (`report_act` after `report_save`, in
the caller's transaction); a save over someone else's is merged field by field
(forum.reports.merge) against the values of the version the editor loaded
(`values_at_version`).

Each function checks the user's role and the current state before changing anything,
runs in one transaction, records a ReportTransition and a revision.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reversion.models import Version

from forum.core import languages, revision_notes, roles
from forum.core.roles import is_author, is_editor, is_reviewer, is_translator, user_roles
from forum.models import Credit, Report, ReportTransition, trash
from forum.models.reports import LINKED_FIELDS, SCALAR_LINKS, content_columns
from forum.reports import byline, freshness

Status = Report.Status


class WorkflowError(Exception):
    """A refused transition or edit. The message is shown to the person who tried."""


class ConcurrentEditError(WorkflowError):
    """Someone else saved the report after this person opened it."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


# --- Who may do what -------------------------------------------------------------------


def is_reviewer_or_translator(user):
    return is_reviewer(user) or is_translator(user)


def working_state(report):
    """The state of what is being edited: the working copy's for a live report."""
    if report.status == Status.PUBLISHED:
        return report.pending_status or Status.PUBLISHED
    return report.status


def can_create(user):
    return is_reviewer(user) or is_author(user)


def can_edit(user, report):
    state = working_state(report)
    # Editing a live report starts a draft working copy.
    if state == Status.PUBLISHED:
        state = Status.DRAFT
    if is_editor(user):
        return True
    if roles.REVIEWERS in user_roles(user):
        return state in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
    if roles.TRANSLATORS in user_roles(user) and state in (Status.DRAFT, Status.IN_REVIEW):
        return True
    if is_author(user):
        return state == Status.DRAFT and report.created_by_id == user.pk
    return False


def can_open(user, report):
    """Whether the user may open the report in the admin: its form, history, revisions,
    preview and the translation queue. Editors open every report; reviewers and
    translators those at their step of the workflow (what `can_edit` lets them change
    now, live reports included); everyone their own. So an author opens only the reports
    they created: others' drafts stay closed to them (people are not accounts, so a
    credit on a report opens nothing). Lists filter with selectors.openable_reports."""
    if not user.is_authenticated:
        return False
    return report.created_by_id == user.pk or can_edit(user, report)


def editable_columns(user, report):
    """The content columns this user may change, or None for "all fields"."""
    if is_translator(user) and not is_author(user):
        other = [code for code in languages.EDITED if code != report.original_language]
        return {column for column in content_columns() if column.endswith(_suffixes(other))}
    return None


def _suffixes(codes):
    return tuple("_" + code.replace("-", "_") for code in codes)


# Which roles may take which action, from which working states, to which state.
TRANSITIONS = {
    "submit": ({Status.DRAFT}, Status.IN_REVIEW),
    "approve": ({Status.IN_REVIEW}, Status.APPROVED),
    "reject": ({Status.IN_REVIEW, Status.APPROVED}, Status.DRAFT),
    "publish": ({Status.APPROVED}, Status.PUBLISHED),
    "unpublish": ({Status.PUBLISHED}, Status.WITHDRAWN),
    "reopen": ({Status.WITHDRAWN}, Status.DRAFT),
}


# The form's action menu: each step saves the form first. Beyond TRANSITIONS: "schedule"
# (publish at a later time), "approve_publish" (an editor approves and publishes at once)
# and "republish" (an editor publishes a live report's working copy in one step).
MENU_ACTIONS = (
    "save",
    "submit",
    "approve",
    "approve_publish",
    "publish",
    "schedule",
    "republish",
    "reject",
    "unpublish",
    "reopen",
)


def may(user, action, report):
    """Whether `user` may take `action` on `report` now (role and state)."""
    if action == "save":
        return can_edit(user, report) if report.pk else can_create(user)
    if action == "schedule":
        return report.status != Status.PUBLISHED and may(user, "publish", report)
    if action == "approve_publish":
        return is_editor(user) and working_state(report) == Status.IN_REVIEW
    if action == "republish":
        # A correction to a live report; an approved working copy has "publish".
        return (
            is_editor(user)
            and report.status == Status.PUBLISHED
            and working_state(report) in (Status.PUBLISHED, Status.DRAFT)
        )
    if report.pk is None:
        # The add form: a new report can be saved as a draft or submitted at once.
        return action == "submit" and can_create(user)
    sources, _target = TRANSITIONS[action]
    state = report.status if action == "unpublish" else working_state(report)
    if state not in sources:
        return False
    if action == "submit":
        own = report.created_by_id == user.pk and is_author(user)
        return own or is_reviewer(user) or is_translator(user)
    if action in ("approve", "reject"):
        return is_reviewer(user)
    return is_editor(user)


def menu_actions(user, report):
    """What the form's action menu offers `user` on `report` now, in its order: "save"
    when they may edit it, then the steps they may take. The admin shows these buttons;
    the services decide again when one is pressed (report_save, report_act)."""
    return [action for action in MENU_ACTIONS if may(user, action, report)]


def available_actions(user, report):
    """The steps `user` may take on `report` now, in the order of the form's menu (without
    "save")."""
    return [action for action in menu_actions(user, report) if action != "save"]


# Who takes the desk's steps outside the form's menu. Each step's service refuses everyone
# else (and checks the report's state, with its own reason); pages ask `may_take` only to
# show or hide the step's buttons.
DESK_STEP_ROLES = {
    "restore": is_editor,
    "override": is_editor,
    "languages": is_editor,
    "cancel_schedule": is_editor,
    "reschedule": is_editor,
    "translated": is_reviewer_or_translator,
}


def may_take(user, step):
    """Whether `user` holds a role that takes `step` (a key of DESK_STEP_ROLES)."""
    return DESK_STEP_ROLES[step](user)


def _refuse_unless_allowed(user, action, report):
    if may(user, action, report):
        return
    sources, _target = TRANSITIONS[action]
    state = report.status if action == "unpublish" else working_state(report)
    if state not in sources:
        raise WorkflowError(
            _("“%(action)s” is not possible while the report is %(state)s.")
            % {"action": action_label(action), "state": Status(state).label.lower()}
        )
    raise WorkflowError(
        _("You do not have permission to %(action)s this report.")
        % {"action": action_label(action).lower()}
    )


# What each step is called, as msgids: revision comments store them untranslated
# (forum.core.revision_notes) so the history reads in each reader's language.
ACTION_LABELS = {
    "save": gettext_noop("Save draft"),
    "submit": gettext_noop("Submit for review"),
    "approve": gettext_noop("Approve"),
    "approve_publish": gettext_noop("Approve and publish"),
    "reject": gettext_noop("Reject"),
    "publish": gettext_noop("Publish"),
    "schedule": gettext_noop("Schedule"),
    "republish": gettext_noop("Republish with these changes"),
    "edited": gettext_noop("Edited after approval"),
    "unpublish": gettext_noop("Unpublish"),
    "reopen": gettext_noop("Reopen as draft"),
    "languages": gettext_noop("Change published languages"),
    "override": gettext_noop("Mark translation as current"),
    "translated": gettext_noop("Translation done"),
    "cancel_schedule": gettext_noop("Cancel the scheduled publication"),
    "reschedule": gettext_noop("Reschedule the publication"),
}


def action_label(action):
    """A step's name in the active language; KeyError for an unknown step."""
    return _(ACTION_LABELS[action])


# --- The publication gate ---------------------------------------------------------------


def required_languages(report):
    return [report.single_language] if report.single_language else list(languages.EDITED)


def publication_problems(report):
    """Why the working copy cannot be approved or published yet ([] when it can)."""
    working = report.working_copy()
    problems = []
    for code in required_languages(report):
        missing = working.missing_translations(code)
        if missing:
            problems.append(
                _("%(language)s is incomplete: %(fields)s.")
                % {"language": language_name(code), "fields": field_names(missing)}
            )
    credited = {role for _person, role in working_credits(report)}
    if Credit.Role.AUTHOR not in credited:
        problems.append(_("Credit at least one author."))
    if Credit.Role.REVIEWER not in credited:
        problems.append(_("Credit at least one reviewer."))
    for item in freshness.outdated_translations(report):
        if item.language_code in required_languages(report):
            problems.append(
                _("%(language)s %(field)s is outdated: update it or have an editor override.")
                % {
                    "language": language_name(item.language_code),
                    "field": field_names([item.field]),
                }
            )
    return problems


def language_name(code):
    return languages.get(code).badge


def field_names(fields):
    """ "summary, body" as the editor reads them: the fields' names in the admin's language."""
    return ", ".join(str(Report._meta.get_field(field).verbose_name) for field in fields)


# --- Transitions ------------------------------------------------------------------------


def _record(report, user, action, from_state, to_state, comment=""):
    ReportTransition.objects.create(
        report=report,
        user=user,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
    reversion.set_user(user)
    reversion.set_comment(revision_notes.note(ACTION_LABELS[action], comment=comment))


def _locked(report):
    return Report.objects.select_for_update().get(pk=report.pk)


def _move_working_state(report, to_state):
    # Unpublishing acts on the live report itself; other steps on its working copy.
    if report.status == Status.PUBLISHED and to_state != Status.WITHDRAWN:
        report.pending_status = to_state
    else:
        report.status = to_state


def _transition(action, *, report, user, comment="", gate=False):
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        _refuse_unless_allowed(user, action, current)
        if gate and (problems := publication_problems(current)):
            raise WorkflowError(" ".join(problems))
        from_state = working_state(current)
        _move_working_state(current, TRANSITIONS[action][1])
        current.version += 1
        current.save()
        _record(current, user, action, from_state, TRANSITIONS[action][1], comment)
    return current


def report_submit(*, report, user, comment=""):
    """Draft → in review. Records the transition and a revision."""
    return _transition("submit", report=report, user=user, comment=comment)


def report_approve(*, report, user, comment=""):
    """In review → approved, if the publication gate passes. Reviewers and editors."""
    return _transition("approve", report=report, user=user, comment=comment, gate=True)


def report_reject(*, report, user, comment):
    """In review or approved → draft. A comment saying why is required."""
    if not (comment or "").strip():
        raise WorkflowError(_("Say why the report is sent back: a comment is required."))
    return _transition("reject", report=report, user=user, comment=comment)


def report_reopen(*, report, user, comment=""):
    """Withdrawn → draft, to be worked on again. Editors only."""
    return _transition("reopen", report=report, user=user, comment=comment)


def report_publish(*, report, user, publish_at=None, comment=""):
    """Approved → published, now or at `publish_at` (a future time schedules it).

    For a live report this replaces the live values (texts and links) with the approved
    working copy and keeps the original publication date. Freezes the byline as printed
    now.
    """
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        _refuse_unless_allowed(user, "publish", current)
        return _publish(current, user, "publish", publish_at, comment)


def report_republish(*, report, user, comment=""):
    """An editor publishes a live report's working copy (a correction) in one step, from
    whatever state it has reached; recorded as "republish". The publication gate applies."""
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        if not may(user, "republish", current):
            raise WorkflowError(_("Only editors can republish a published report."))
        if not current.pending_changes:
            raise WorkflowError(_("Nothing to republish: the report has no changes."))
        return _publish(current, user, "republish", None, comment)


def _publish(current, user, action, publish_at, comment):
    if problems := publication_problems(current):
        raise WorkflowError(" ".join(problems))
    # To the second: pages print these times as HTML datetimes, which allow no more.
    now = timezone.now().replace(microsecond=0)
    from_state = working_state(current)
    if current.status == Status.PUBLISHED:
        if publish_at and publish_at > now:
            raise WorkflowError(
                _("Changes to a published report go live at once; they cannot be scheduled.")
            )
        apply_pending(current)
    else:
        current.status = Status.PUBLISHED
        current.published_at = publish_at or now
    current.live_updated_at = now
    current.published_byline = byline.snapshot(current)
    current.version += 1
    current.save()
    to_state = "scheduled" if current.is_scheduled else Status.PUBLISHED
    _record(current, user, action, from_state, to_state, comment)
    return current


def apply_pending(report):
    """Makes a report's working copy its live values (texts, links, credits) and empties
    it; the caller saves the row. Credits are written first, so that the revision and the
    byline see the new ones."""
    pending = dict(report.pending_changes or {})
    _write_relations(report, pending)
    report.apply_working_copy()
    report.pending_changes = {}
    report.pending_status = ""


def report_unpublish(*, report, user, reason):
    """Published (or scheduled) → withdrawn: off the public site. A reason is required."""
    if not (reason or "").strip():
        raise WorkflowError(_("Say why the report is withdrawn: a reason is required."))
    return _transition("unpublish", report=report, user=user, comment=reason)


def report_set_single_language(*, report, user, language_code):
    """Mark a report as published in one language only ("" for both). Editors only."""
    if not may_take(user, "languages"):
        raise WorkflowError(_("Only editors can change the report's languages."))
    if language_code and language_code not in languages.EDITED:
        raise WorkflowError(_("Unknown language."))
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        previous = current.single_language or "both"
        current.single_language = language_code or ""
        current.version += 1
        current.save()
        _record(current, user, "languages", previous, language_code or "both")
    return current


def report_override_outdated(*, report, user, field, language_code, comment=""):
    """An editor accepts an outdated translation as current. Recorded like a transition."""
    if not may_take(user, "override"):
        raise WorkflowError(_("Only editors can override an outdated translation."))
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        outdated = {
            (item.field, item.language_code) for item in freshness.outdated_translations(current)
        }
        if (field, language_code) not in outdated:
            raise WorkflowError(_("That translation is not outdated."))
        freshness.record_sync(
            current,
            freshness.accept_as_current(current.translation_sync, current.working_values(), field),
        )
        current.version += 1
        current.save()
        _record(current, user, "override", f"{field}:{language_code}", "current", comment)
    return current


# --- Saving content ---------------------------------------------------------------------


def changed_content(before, after):
    """[(column, before, after)] for the content columns that differ."""
    return [
        (column, before.get(column) or "", after.get(column) or "")
        for column in content_columns()
        if (before.get(column) or "") != (after.get(column) or "")
    ]


def check_edit(*, report, user, expected_version, values):
    """Refuse an edit before anything is saved: stale version, role, or fields out of reach.

    `values` are the submitted content columns. Raises ConcurrentEditError or WorkflowError.
    """
    if report.pk is None:
        if not can_create(user):
            raise WorkflowError(_("You do not have permission to create reports."))
        return
    current = Report.objects.get(pk=report.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentEditError(
            _(
                "Someone else saved this report after you opened it. Your changes are still "
                "in the form below; compare them with the current version and save again."
            ),
            current,
        )
    if not can_edit(user, current):
        raise WorkflowError(_("You cannot edit this report in its current state."))
    allowed = editable_columns(user, current)
    if allowed is not None:
        touched = {column for column, _b, _a in changed_content(current.working_values(), values)}
        if touched - allowed:
            raise WorkflowError(
                _("Translators can change only the translation of the report's text.")
            )


# --- The links a reader sees (LINKED_FIELDS) --------------------------------------------


def live_links(report):
    """The report's links as the public sees them now (from its saved row and relations)."""
    return {
        **_row_links(report),
        "speeches": sorted(report.speeches.values_list("pk", flat=True)),
        "media_contacts": sorted(report.media_contacts.values_list("pk", flat=True)),
        "credits": [
            [person, role]
            for person, role in report.credits.order_by("order", "pk").values_list(
                "person_id", "role"
            )
        ],
    }


def working_links(report):
    """The links being edited: the live ones overlaid with the working copy."""
    links = live_links(report)
    links.update(_pending_links(report))
    return links


def working_credits(report):
    """[[person id, role], …] of the working copy, in byline order."""
    pending = report.pending_changes or {}
    if "credits" in pending:
        return pending["credits"]
    return [list(pair) for pair in report.credits.values_list("person_id", "role")]


def _pending_links(report):
    return {
        key: value for key, value in (report.pending_changes or {}).items() if key in LINKED_FIELDS
    }


def _row_links(report):
    """The links held in an (edited, unsaved) instance's own row."""
    return {
        "edition": report.edition_id,
        "session": report.session_id,
        "publisher": report.publisher_id,
        "hero_image": report.hero_image.name or "",
        "include_background": report.include_background,
    }


def _normalised(links):
    """Links as stored in a working copy: ids as numbers, many-to-many sorted."""
    links = dict(links)
    for key in ("speeches", "media_contacts"):
        if key in links:
            links[key] = sorted(int(pk) for pk in links[key])
    if "credits" in links:
        links["credits"] = [[int(person), str(role)] for person, role in links["credits"]]
    return links


def _write_relations(report, links):
    """Writes the many-to-many links and credits in `links` to the database (credits first:
    a revision follows the credits present when the report is first added to it)."""
    if "credits" in links:
        wanted = [(int(person), role) for person, role in links["credits"]]
        have = list(report.credits.order_by("order", "pk").values_list("person_id", "role"))
        if have != wanted:
            report.credits.all().delete()
            for order, (person, role) in enumerate(wanted, start=1):
                Credit.objects.create(report=report, person_id=person, role=role, order=order)
    for key in ("speeches", "media_contacts"):
        if key in links:
            getattr(report, key).set(links[key])


def _store_upload(report):
    """Stores a newly uploaded image now (a live report keeps it in its working copy)."""
    image = report.hero_image
    if image and not image._committed:
        image.save(image.name, image.file, save=False)


def report_save(*, report, user, expected_version=None, links=None):
    """Save an edited report (the instance holds the submitted texts and row links: edition,
    session, publisher, image, background block); `links` optionally gives new speeches,
    media contacts and credits ({key: ids}, see LINKED_FIELDS; absent keys stay as they are).

    Side effects: for a live report everything goes to the working copy and the public
    page stays as it is; an edit to an approved report or working copy sends it back to
    review (recorded as "edited"); the translation sync record is updated; the version
    number goes up; a revision is kept (by the caller's reversion block or here).
    """
    relations = _normalised(links or {})
    with transaction.atomic(), reversion.create_revision():
        submitted = {column: getattr(report, column) for column in content_columns()}
        check_edit(report=report, user=user, expected_version=expected_version, values=submitted)
        if report.pk is None:
            report.created_by = user
            report.status = Status.DRAFT
            freshness.record_sync(report, freshness.updated_sync({}, {}, submitted))
            report.updated_by = user
            report.save()
            _write_relations(report, relations)
            reversion.add_to_revision(report)  # again, with its credits
            reversion.set_user(user)
            return report
        current = _locked(report)
        if current.version != (expected_version or current.version):
            raise ConcurrentEditError(_("Someone else saved this report meanwhile."), current)
        return _store(report, current, user, relations, submitted)


def _store(report, current, user, relations, submitted):
    """Saves `report` (edited values) over `current` (its locked row); see report_save."""
    before_links = working_links(current)
    _store_upload(report)
    after_links = {**before_links, **_row_links(report), **relations}
    before = current.working_values()
    changed = bool(changed_content(before, submitted)) or after_links != before_links
    report.status = current.status
    report.published_at = current.published_at
    report.pending_status = current.pending_status
    report.single_language = current.single_language
    if current.status == Status.PUBLISHED:
        live = {column: getattr(current, column) for column in content_columns()}
        live_linked = live_links(current)
        pending = {
            column: value
            for column, value in submitted.items()
            if (value or "") != (live[column] or "")
        }
        pending.update(
            {key: value for key, value in after_links.items() if value != live_linked[key]}
        )
        report.pending_changes = pending
        report.pending_status = (current.pending_status or Status.DRAFT) if pending else ""
        # The row keeps its live values: the public page reads them.
        for column, value in live.items():
            setattr(report, column, value)
        report.edition_id, report.session_id = current.edition_id, current.session_id
        report.publisher_id = current.publisher_id
        report.hero_image = current.hero_image.name
        report.include_background = current.include_background
    else:
        _write_relations(report, relations)
    freshness.record_sync(
        report, freshness.updated_sync(current.translation_sync, before, submitted)
    )
    report.version = current.version + 1
    report.updated_by = user
    if changed and working_state(report) == Status.APPROVED:
        # What was approved is not what is there now: it goes back to review.
        _move_working_state(report, Status.IN_REVIEW)
        report.save()
        _record(report, user, "edited", Status.APPROVED, Status.IN_REVIEW)
    else:
        report.save()
    reversion.set_user(user)
    return report


def report_set_contacts(*, report, user, add=(), remove=()):
    """A press officer adds or removes media contacts of a report from the contact's side.

    Goes the report's way: a live report keeps them in its working copy until an editor
    publishes it; an approved one goes back to review. The caller checks that the user may
    change the contact.
    """
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        contacts = set(working_links(current)["media_contacts"])
        wanted = (contacts | {int(pk) for pk in add}) - {int(pk) for pk in remove}
        if wanted == contacts:
            return current
        edited = Report.objects.get(pk=current.pk).apply_working_copy()
        submitted = {column: getattr(edited, column) for column in content_columns()}
        return _store(edited, current, user, {"media_contacts": sorted(wanted)}, submitted)


def covered_by(contact):
    """Ids of the reports whose working copy names the media contact (what the contact's
    picker shows: pending additions in, pending removals out)."""
    reports = set(contact.reports.values_list("pk", flat=True))
    pending = Report.objects.filter(pending_changes__has_key="media_contacts")
    for pk, changes in pending.values_list("pk", "pending_changes"):
        if contact.pk in changes["media_contacts"]:
            reports.add(pk)
        else:
            reports.discard(pk)
    return reports


# --- The form's action menu -------------------------------------------------------------


def report_act(*, report, user, action, comment="", publish_at=None):
    """Takes the menu's `action` after the form was saved (report_save), in the caller's
    transaction: a refusal (WorkflowError) undoes the save too. "save" does nothing more."""
    if action not in MENU_ACTIONS:
        raise WorkflowError(_("Unknown action."))
    if action == "save":
        return report
    if action in ("submit", "approve", "reopen"):
        return _transition(
            action, report=report, user=user, comment=comment, gate=action == "approve"
        )
    if action == "reject":
        return report_reject(report=report, user=user, comment=comment)
    if action == "unpublish":
        return report_unpublish(report=report, user=user, reason=comment)
    if action == "republish":
        return report_republish(report=report, user=user, comment=comment)
    if action == "schedule" and (publish_at is None or publish_at <= timezone.now()):
        raise WorkflowError(_("Choose a publication time in the future to schedule."))
    # publish, schedule, approve_publish: an editor's own edit of an approved report sent it
    # back to review; editors review, so they approve it on the way.
    fresh = Report.objects.get(pk=report.pk)
    if working_state(fresh) == Status.IN_REVIEW and (
        action == "approve_publish" or is_editor(user)
    ):
        report_approve(report=fresh, user=user)
    return report_publish(
        report=fresh,
        user=user,
        publish_at=publish_at if action == "schedule" else None,
        comment=comment,
    )


# --- The trash (forum/models/trash.py) ------------------------------------------------


@transaction.atomic
def report_trash(*, report, user):
    """Moves a report to the trash: off every public page, feed and search result, with
    its workflow history, revisions, credits and links kept, until an editor restores it
    or it is purged.

    Side effects: those of forum.models.trash.move_to_trash. Raises PermissionDenied for
    anyone but editors (who alone could delete reports).
    """
    _check_trash_right(user)
    return trash.move_to_trash(report, user=user)


@transaction.atomic
def report_restore_from_trash(*, report, user):
    """Restores a report from the trash in the state it was in (a published report is
    public again); the side effects and the refusal of report_trash."""
    _check_trash_right(user)
    return trash.take_out_of_trash(report, user=user)


def _check_trash_right(user):
    if not is_editor(user):
        raise PermissionDenied(_("Only editors can move reports to the trash or back."))


# --- Revisions --------------------------------------------------------------------------


def report_restore(*, report, user, version):
    """Restore a revision's texts, links and credits as the working content (a new revision).

    Nothing is lost: the restored state is saved as a new revision, and for a live report
    it becomes the working copy rather than the public values. Editors only.
    """
    if not may_take(user, "restore"):
        raise WorkflowError(_("Only editors can restore a revision."))
    values = version_values(version)
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report).apply_working_copy()
        for column in content_columns():
            setattr(current, column, values[column])
        for key in SCALAR_LINKS:
            if key in ("hero_image", "include_background"):
                setattr(current, key, values[key])
            else:
                setattr(current, f"{key}_id", values[key])
        relations = {key: values[key] for key in ("speeches", "media_contacts", "credits")}
        report_save(report=current, user=user, expected_version=current.version, links=relations)
        stamp = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
        reversion.set_comment(
            revision_notes.note(
                (gettext_noop("Restored the revision of %(date)s"), {"date": stamp})
            )
        )
    return Report.objects.get(pk=report.pk)


def version_content(version):
    """A revision's working texts (live columns overlaid with its working copy) and credits."""
    fields = version.field_dict
    content = {column: fields.get(column) or "" for column in content_columns()}
    pending = fields.get("pending_changes") or {}
    content.update({key: value for key, value in pending.items() if key in content})
    if "credits" in pending:
        return {"content": content, "credits": [tuple(pair) for pair in pending["credits"]]}
    credit_versions = version.revision.version_set.filter(
        content_type__app_label="forum", content_type__model="credit"
    )
    credits = sorted(
        (v.field_dict.get("order", 0), v.field_dict["person_id"], v.field_dict["role"])
        for v in credit_versions
    )
    return {"content": content, "credits": [(person, role) for _order, person, role in credits]}


def current_values(report):
    """Everything editable of the report as being edited now: texts and links (working
    copy), and the original language. The keys of `version_values`."""
    return {
        **report.working_values(),
        **working_links(report),
        "original_language": report.original_language,
    }


def version_values(version):
    """A revision's working values, with the keys of `current_values`."""
    fields = version.field_dict
    content = version_content(version)
    image = fields.get("hero_image") or ""
    values = {
        **content["content"],
        "edition": fields.get("edition_id"),
        "session": fields.get("session_id"),
        "publisher": fields.get("publisher_id"),
        "hero_image": getattr(image, "name", image) or "",
        "include_background": fields.get("include_background", True),
        "speeches": sorted(int(pk) for pk in fields.get("speeches") or ()),
        "media_contacts": sorted(int(pk) for pk in fields.get("media_contacts") or ()),
        "credits": [[int(person), role] for person, role in content["credits"]],
        "original_language": fields.get("original_language"),
    }
    pending = fields.get("pending_changes") or {}
    values.update({key: value for key, value in pending.items() if key in LINKED_FIELDS})
    return values


def values_at_version(report, number):
    """`version_values` of the report's revision with version number `number`, or None
    when the history has none (then every difference counts as a conflict)."""
    if number is None:
        return None
    for version in Version.objects.get_for_object(report).select_related("revision"):
        if version.field_dict.get("version") == number:
            return version_values(version)
    return None


# --- Translators and schedules ---------------------------------------------------------


def _site_time(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def report_translation_done(*, report, user, language_code, comment=""):
    """A translator says the report's `language_code` text is done: recorded, and a draft
    goes to review. Translators, reviewers and editors; refused while a field of that
    language is still missing or outdated."""
    if not may_take(user, "translated"):
        raise WorkflowError(
            _("Only translators, reviewers and editors can mark a translation as done.")
        )
    if language_code not in languages.EDITED:
        raise WorkflowError(_("Unknown language."))
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        if current.status == Status.WITHDRAWN:
            raise WorkflowError(_("The report is withdrawn: reopen it first."))
        if language_code == current.original_language or language_code not in (
            required_languages(current)
        ):
            raise WorkflowError(
                _("This report has no %(language)s translation to make.")
                % {"language": language_name(language_code)}
            )
        if tasks := freshness.translation_tasks(current, [language_code]):
            raise WorkflowError(
                _("The %(language)s translation is not finished: %(fields)s.")
                % {
                    "language": language_name(language_code),
                    "fields": ", ".join(
                        str(Report._meta.get_field(task.field).verbose_name) for task in tasks
                    ),
                }
            )
        from_state = working_state(current)
        to_state = Status.IN_REVIEW if from_state == Status.DRAFT else from_state
        if to_state != from_state:
            _move_working_state(current, to_state)
            current.version += 1
            current.save()
        _record(current, user, "translated", from_state, to_state, comment)
    return current


def _refuse_unless_scheduled(user, report, step):
    if not may_take(user, step):
        raise WorkflowError(_("Only editors can change a scheduled publication."))
    if not report.is_scheduled:
        raise WorkflowError(_("The report is not scheduled for publication."))


def report_cancel_schedule(*, report, user, comment=""):
    """Scheduled → approved (or the state of its unreviewed changes): the publication is
    called off, nothing was public. Editors only."""
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        _refuse_unless_scheduled(user, current, "cancel_schedule")
        # Edits made while it waited were kept aside as a working copy: they become the
        # report's own values, in the state they had reached.
        to_state = current.pending_status or Status.APPROVED
        apply_pending(current)
        current.status = to_state
        current.published_at, current.live_updated_at = None, None
        current.published_byline = []
        current.version += 1
        current.save()
        _record(current, user, "cancel_schedule", "scheduled", to_state, comment)
    return current


def report_reschedule(*, report, user, publish_at, comment=""):
    """Move a scheduled publication to another time, which must be in the future. Editors
    only. The history keeps both times (site time)."""
    if publish_at is None or timezone.is_naive(publish_at):
        raise WorkflowError(_("Give the new publication date and time."))
    # To the second, as report_publish stores it.
    publish_at = publish_at.replace(microsecond=0)
    if publish_at <= timezone.now():
        raise WorkflowError(_("That time has passed: choose a time in the future."))
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        _refuse_unless_scheduled(user, current, "reschedule")
        before = current.published_at
        current.published_at = publish_at
        current.version += 1
        current.save()
        _record(current, user, "reschedule", _site_time(before), _site_time(publish_at), comment)
    return current


__all__ = [
    "ConcurrentEditError",
    "WorkflowError",
    "available_actions",
    "publication_problems",
    "report_approve",
    "report_cancel_schedule",
    "report_override_outdated",
    "report_publish",
    "report_reject",
    "report_reopen",
    "report_reschedule",
    "report_restore",
    "report_restore_from_trash",
    "report_save",
    "report_set_single_language",
    "report_submit",
    "report_translation_done",
    "report_trash",
    "report_unpublish",
]
