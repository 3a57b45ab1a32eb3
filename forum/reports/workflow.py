"""The editorial workflow of reports. Every state change and every save of a report's
content goes through these functions; the admin and the tests call them.

States: draft → in review → approved → published; reject sends a report back to draft
(with a comment); unpublish withdraws a published report (with a reason); a publication
date in the future schedules it (the public queryset compares it with the clock, so no
cron job or worker is needed).

A published report is *live*: editing it does not touch the public page. Content changes
go to its working copy (`pending_changes`), which runs through review again
(`pending_status`) and replaces the live text when an editor publishes it.

Each function checks the user's role and the current state before changing anything,
runs in one transaction, records a ReportTransition and a revision.
"""

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core import languages, roles
from forum.core.roles import is_author, is_editor, is_reviewer, is_translator, user_roles
from forum.models import Credit, Report, ReportTransition
from forum.models.reports import content_columns
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


def may(user, action, report):
    """Whether `user` may take `action` on `report` now (role and state)."""
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


def available_actions(user, report):
    return [action for action in TRANSITIONS if may(user, action, report)]


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


def action_label(action):
    return {
        "submit": _("Submit for review"),
        "approve": _("Approve"),
        "reject": _("Reject"),
        "publish": _("Publish"),
        "unpublish": _("Unpublish"),
        "reopen": _("Reopen as draft"),
        "languages": _("Change published languages"),
        "override": _("Mark translation as current"),
    }[action]


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
                % {"language": language_name(code), "fields": ", ".join(missing)}
            )
    credited = set(report.credits.values_list("role", flat=True))
    if Credit.Role.AUTHOR not in credited:
        problems.append(_("Credit at least one author."))
    if Credit.Role.REVIEWER not in credited:
        problems.append(_("Credit at least one reviewer."))
    for item in freshness.outdated_translations(report):
        if item.language_code in required_languages(report):
            problems.append(
                _("%(language)s %(field)s is outdated: update it or have an editor override.")
                % {"language": language_name(item.language_code), "field": item.field}
            )
    return problems


def language_name(code):
    return languages.get(code).badge


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
    reversion.set_comment(f"{action_label(action)}: {comment}" if comment else action_label(action))


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

    For a live report this replaces the live text with the approved working copy and
    keeps the original publication date. Freezes the byline as printed now.
    """
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        _refuse_unless_allowed(user, "publish", current)
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
            for column, value in current.pending_changes.items():
                setattr(current, column, value)
            current.pending_changes = {}
            current.pending_status = ""
        else:
            current.status = Status.PUBLISHED
            current.published_at = publish_at or now
        current.live_updated_at = now
        current.published_byline = byline.snapshot(current)
        current.version += 1
        current.save()
        to_state = "scheduled" if current.published_at > now else Status.PUBLISHED
        _record(current, user, "publish", from_state, to_state, comment)
    return current


def report_unpublish(*, report, user, reason):
    """Published (or scheduled) → withdrawn: off the public site. A reason is required."""
    if not (reason or "").strip():
        raise WorkflowError(_("Say why the report is withdrawn: a reason is required."))
    return _transition("unpublish", report=report, user=user, comment=reason)


def report_set_single_language(*, report, user, language_code):
    """Mark a report as published in one language only ("" for both). Editors only."""
    if not is_editor(user):
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
    if not is_editor(user):
        raise WorkflowError(_("Only editors can override an outdated translation."))
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        outdated = {
            (item.field, item.language_code) for item in freshness.outdated_translations(current)
        }
        if (field, language_code) not in outdated:
            raise WorkflowError(_("That translation is not outdated."))
        current.translation_sync = freshness.accept_as_current(
            current.translation_sync, current.working_values(), field
        )
        current.translations_outdated = bool(freshness.outdated_translations(current))
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


def report_save(*, report, user, expected_version=None):
    """Save an edited report (the instance holds the submitted values).

    Side effects: for a live report the content goes to the working copy and the public
    text stays as it is; the translation sync record is updated; the version number goes
    up; a revision is kept (by the caller's reversion block or here).
    """
    with transaction.atomic(), reversion.create_revision():
        submitted = {column: getattr(report, column) for column in content_columns()}
        check_edit(report=report, user=user, expected_version=expected_version, values=submitted)
        if report.pk is None:
            report.created_by = user
            report.status = Status.DRAFT
            report.translation_sync = freshness.updated_sync({}, {}, submitted)
        else:
            current = _locked(report)
            if current.version != (expected_version or current.version):
                raise ConcurrentEditError(_("Someone else saved this report meanwhile."), current)
            report.status = current.status
            report.published_at = current.published_at
            report.pending_status = current.pending_status
            if current.status == Status.PUBLISHED:
                live = {column: getattr(current, column) for column in content_columns()}
                pending = {
                    column: value for column, value in submitted.items() if value != live[column]
                }
                report.pending_changes = pending
                if pending:
                    report.pending_status = current.pending_status or Status.DRAFT
                else:
                    report.pending_status = ""
                for column, value in live.items():
                    setattr(report, column, value)
            report.translation_sync = freshness.updated_sync(
                current.translation_sync, current.working_values(), submitted
            )
            report.version = current.version + 1
        report.translations_outdated = bool(freshness.outdated_translations(report))
        report.updated_by = user
        report.save()
        reversion.set_user(user)
    return report


def report_restore(*, report, user, version):
    """Restore a revision's texts and credits as the working content (a new revision).

    Nothing is lost: the restored state is saved as a new revision, and for a live report
    it becomes the working copy rather than the public text. Editors only.
    """
    if not is_editor(user):
        raise WorkflowError(_("Only editors can restore a revision."))
    data = version_content(version)
    with transaction.atomic(), reversion.create_revision():
        current = _locked(report)
        for column in content_columns():
            setattr(current, column, data["content"].get(column) or "")
        current.credits.all().delete()
        for order, (person_id, role) in enumerate(data["credits"], start=1):
            Credit.objects.create(report=current, person_id=person_id, role=role, order=order)
        report_save(report=current, user=user, expected_version=current.version)
        stamp = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
        reversion.set_comment(_("Restored the revision of %(date)s") % {"date": stamp})
    return Report.objects.get(pk=report.pk)


def version_content(version):
    """A revision's working texts (live columns overlaid with its working copy) and credits."""
    fields = version.field_dict
    content = {column: fields.get(column) or "" for column in content_columns()}
    content.update(fields.get("pending_changes") or {})
    credit_versions = version.revision.version_set.filter(
        content_type__app_label="forum", content_type__model="credit"
    )
    credits = sorted(
        (v.field_dict.get("order", 0), v.field_dict["person_id"], v.field_dict["role"])
        for v in credit_versions
    )
    return {"content": content, "credits": [(person, role) for _order, person, role in credits]}


__all__ = [
    "ConcurrentEditError",
    "WorkflowError",
    "available_actions",
    "publication_problems",
    "report_approve",
    "report_override_outdated",
    "report_publish",
    "report_reject",
    "report_reopen",
    "report_restore",
    "report_save",
    "report_set_single_language",
    "report_submit",
    "report_unpublish",
]
