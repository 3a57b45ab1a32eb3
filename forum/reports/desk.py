"""The desk's pages around a report beyond its form: the translation queue, revisions
(live and scheduled marked, restore with a preview), the schedule, comparing revisions,
the slug address the form's script asks, and what the form shows on top (the latest
comments). ReportAdmin (forum/reports/admin.py) inherits the views and routes them through
its EXTRA_VIEWS table."""

import difflib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, Subquery
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_POST
from reversion.models import Version

from forum.core import languages, roles, slugs
from forum.models import Report, ReportTransition
from forum.models.reports import LINKED_FIELDS
from forum.reports import freshness, workflow
from forum.reports.selectors import openable_reports

Status = Report.Status
# Fields of a report that revisions keep, in the order the form shows them.
REVISION_FIELDS = ("headline", "slug", "summary", "body", "hero_image_alt")


class ScheduleForm(forms.Form):
    """A new publication time (site time, as the admin's other date fields)."""

    publish_at = forms.DateTimeField(
        required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    )
    comment = forms.CharField(required=False, max_length=2000)


class ReportDeskViews:
    """Mixed into ReportAdmin: needs its admin_site, model, _report_or_404 and _back."""

    # --- The translation queue ---------------------------------------------------------

    def outdated_view(self, request):
        """The translation queue: every missing and outdated translation, report by report
        and field by field, with what changed in the source; then the reports translated
        and waiting for their "translation done"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        language = request.GET.get("language", "")
        codes = [language] if language in languages.EDITED else list(languages.EDITED)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Translation queue"),
            "opts": self.model._meta,
            "queue": translation_queue(codes, request.user),
            "ready": ready_for_translation_done(codes, request.user),
            "may_mark_done": workflow.may_take(request.user, "translated"),
            "language": language if language in languages.EDITED else "",
            "language_choices": [(code, languages.get(code).badge) for code in languages.EDITED],
        }
        return TemplateResponse(request, "admin/forum/report/outdated.html", context)

    @method_decorator(require_POST)
    def translated_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        language = request.POST.get("language", "")
        try:
            workflow.report_translation_done(
                report=report,
                user=request.user,
                language_code=language,
                comment=request.POST.get("comment", "")[:2000],
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("Translation of “%(report)s” marked as done.") % {"report": report},
            )
        queue = reverse("admin:forum_report_outdated")
        shown = request.POST.get("shown_language", "")
        if shown in languages.EDITED:
            queue += "?" + urlencode({"language": shown})
        return redirect(queue)

    # --- Slugs -------------------------------------------------------------------------

    @method_decorator(require_GET)
    def slug_view(self, request):
        """{"slug": …} for a headline in a language (?text=&language=, a code or a column
        suffix; &report= the report being edited, whose own slug does not count as taken).
        static/js/slug-fill.js asks it while the headline is typed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        language = next(
            (
                item.code
                for item in languages.LANGUAGES
                if request.GET.get("language") in (item.code, item.suffix)
            ),
            None,
        )
        text = request.GET.get("text", "")
        report = request.GET.get("report", "")
        if language is None or len(text) > 1000 or (report and not report.isdigit()):
            return JsonResponse({"error": gettext("Give a headline and a language.")}, status=400)
        base = slugs.slug_from_title(text, language)
        slug = (
            slugs.unique_slug(
                Report, languages.column("slug", language), base, exclude_pk=report or None
            )
            if base
            else ""
        )
        return JsonResponse({"slug": slug})

    # --- Revisions, restore, schedule --------------------------------------------------

    def revisions_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        versions = list(Version.objects.get_for_object(report).select_related("revision__user"))
        marks = revision_marks(report, versions)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revisions of “%(report)s”") % {"report": report},
            "opts": self.model._meta,
            "original": report,
            "versions": [(version, marks.get(version.pk)) for version in versions],
            "can_restore": workflow.may_take(request.user, "restore"),
            **schedule_context(request, report),
        }
        return TemplateResponse(request, "admin/forum/report/revisions.html", context)

    def compare_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        versions = Version.objects.get_for_object(report).select_related("revision__user")
        try:
            first = versions.get(pk=int(request.GET.get("a", "")))
            second = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, gettext("Choose two revisions of this report to compare."))
            return redirect(reverse("admin:forum_report_revisions", args=[report.pk]))
        if first.revision.date_created > second.revision.date_created:
            first, second = second, first
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Compare revisions"),
            "opts": self.model._meta,
            "original": report,
            "first": first,
            "second": second,
            "rows": value_rows(workflow.version_values(first), workflow.version_values(second)),
        }
        return TemplateResponse(request, "admin/forum/report/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        """GET: what restoring the revision would change in the working copy, and a button
        to confirm (for those who may restore). POST: restore it (a new revision), if the
        workflow allows. A GET never changes anything."""
        report = self._report_or_404(request, object_id)
        version = get_object_or_404(
            Version.objects.get_for_object(report).select_related("revision__user"),
            pk=version_id,
        )
        if request.method == "POST":
            try:
                workflow.report_restore(report=report, user=request.user, version=version)
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
                return redirect(reverse("admin:forum_report_revisions", args=[report.pk]))
            messages.success(request, gettext("The revision is restored as a new revision."))
            return self._back(report)
        if not workflow.may_take(request.user, "restore"):
            raise PermissionDenied
        rows = value_rows(workflow.current_values(report), workflow.version_values(version))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Restore this revision?"),
            "opts": self.model._meta,
            "original": report,
            "version": version,
            "rows": rows,
            "changes": sum(row["changed"] for row in rows),
            "live": report.status == Status.PUBLISHED,
        }
        return TemplateResponse(request, "admin/forum/report/restore.html", context)

    @method_decorator(require_POST)
    def cancel_schedule_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        form = ScheduleForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        return self._schedule_step(
            request,
            report,
            lambda: workflow.report_cancel_schedule(
                report=report, user=request.user, comment=comment
            ),
            gettext("The scheduled publication is cancelled."),
        )

    @method_decorator(require_POST)
    def reschedule_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        form = ScheduleForm(request.POST)
        if not form.is_valid() or form.cleaned_data["publish_at"] is None:
            messages.error(request, gettext("Give the new publication date and time."))
            return self._after_schedule_step(request, report)
        publish_at = form.cleaned_data["publish_at"]
        return self._schedule_step(
            request,
            report,
            lambda: workflow.report_reschedule(
                report=report,
                user=request.user,
                publish_at=publish_at,
                comment=form.cleaned_data["comment"],
            ),
            gettext("The publication is rescheduled for %(time)s (%(zone)s).")
            % {
                "time": timezone.localtime(publish_at).strftime("%Y-%m-%d %H:%M"),
                "zone": timezone.get_current_timezone_name(),
            },
        )

    def _schedule_step(self, request, report, step, success):
        try:
            step()
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, success)
        return self._after_schedule_step(request, report)

    def _after_schedule_step(self, request, report):
        # Back to the revisions page when the buttons were there, else to the form.
        if request.POST.get("back") == "revisions":
            return redirect(reverse("admin:forum_report_revisions", args=[report.pk]))
        return self._back(report)


# --- The translation queue ---------------------------------------------------------------


def translation_queue(codes, user):
    """[{report, state, tasks}] of reports (not withdrawn) the user may open with a missing
    or outdated translation in a language of `codes`; each task with the source rendered and, for an
    outdated one, what changed in it paragraph by paragraph. One query for the reports."""
    columns = [
        languages.column(field, code)
        for field in freshness.TRANSLATED_FIELDS
        for code in languages.EDITED
    ]
    # Only reports that can have a task: a field empty somewhere, a working copy (which
    # may empty one), or translations marked outdated.
    maybe = Q(translations_outdated=True) | ~Q(pending_changes={})
    for column in columns:
        maybe |= Q(**{column: ""}) | Q(**{f"{column}__isnull": True})
    # Reports in the trash have no tasks until they are restored.
    reports = openable_reports(
        user, Report.objects.outside_trash().exclude(status=Status.WITHDRAWN)
    )
    reports = reports.filter(maybe).order_by("-pk")
    queue = []
    for report in reports:
        wanted = [
            code for code in codes if not report.single_language or code == report.single_language
        ]
        tasks = freshness.translation_tasks(report, wanted) if wanted else []
        if tasks:
            queue.append(
                {
                    "report": report,
                    "state": state_label(workflow.working_state(report)),
                    "tasks": [task_view(report, task) for task in tasks],
                }
            )
    return queue


def task_view(report, task):
    source = languages.get(task.source_language_code)
    target = languages.get(task.language_code)
    view = {
        "task": task,
        "field": Report._meta.get_field(task.field).verbose_name,
        "language": target.badge,
        "source_language": source.badge,
        "source_tag": source.tag,
        "target_tag": target.tag,
        "source": rendered(task.field, task.source_now),
        "edit_url": reverse("admin:forum_report_change", args=[report.pk]) + "#id_" + task.column,
    }
    if task.kind == "outdated":
        view["changes"] = task.paragraph_diff()
        view["translation"] = rendered(task.field, report.working_values().get(task.column))
    return view


def rendered(field, text):
    """A report text as readers see it: the body's rich text sanitised again (it is HTML),
    the others escaped, line breaks kept."""
    if field == "body":
        return mark_safe(Report._meta.get_field("body").sanitize(text or ""))  # noqa: S308 (sanitised)
    return format_html("{}", text or "")


def ready_for_translation_done(codes, user):
    """[{report, state, languages}] of reports the user may open, in draft or review, whose
    translation in a language of `codes` is complete and current, saved by a translator
    since the last workflow step: what waits for the translator's "translation done"."""
    last_step = ReportTransition.objects.filter(report=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    working = (Status.DRAFT, Status.IN_REVIEW)
    reports = (
        openable_reports(user, Report.objects.outside_trash())
        .filter(
            Q(status__in=working) | Q(status=Status.PUBLISHED, pending_status__in=working),
            updated_by__groups__name=roles.TRANSLATORS,
        )
        .annotate(last_step_at=Subquery(last_step.values("created_at")[:1]))
        .filter(Q(last_step_at__isnull=True) | Q(last_step_at__lt=F("updated_at")))
        .distinct()
        .order_by("-updated_at")
    )
    ready = []
    for report in reports:
        done = [
            code
            for code in codes
            if code != report.original_language
            and code in workflow.required_languages(report)
            and not freshness.translation_tasks(report, [code])
        ]
        if done:
            ready.append(
                {
                    "report": report,
                    "state": state_label(workflow.working_state(report)),
                    "languages": [(code, languages.get(code).badge) for code in done],
                }
            )
    return ready


# --- Revisions ---------------------------------------------------------------------------


def revision_marks(report, versions):
    """{version pk: "live" | "scheduled"}: the revision the public reads now (that of the
    latest publication) or will read at the scheduled time. `versions` newest first.

    Only publishing sets live_updated_at, so every revision since the latest publication
    carries its value; the oldest of that unbroken run is the publication's own.
    """
    if not report.is_released or report.live_updated_at is None:
        return {}
    published = None
    for version in versions:
        if version.field_dict.get("live_updated_at") != report.live_updated_at:
            break
        published = version
    if published is None:
        return {}
    return {published.pk: "scheduled" if report.is_scheduled else "live"}


def schedule_context(request, report):
    """For includes/schedule_panel.html: the scheduled time and whether this user may
    cancel or move it."""
    if not report.is_scheduled:
        return {"schedule": None}
    return {
        "schedule": {
            "report": report,
            "at": report.published_at,
            "can_change": workflow.may_take(request.user, "reschedule"),
            "zone": timezone.get_current_timezone_name(),
            "minimum": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        }
    }


def value_rows(old, new):
    """Field by field (texts language by language, then the links a reader sees): what
    differs from `old` to `new`, each with the keys of workflow.current_values, with the
    inline diff."""
    rows = []
    for field in REVISION_FIELDS:
        for code in languages.EDITED:
            column = languages.column(field, code)
            before, after = old.get(column) or "", new.get(column) or ""
            rows.append(
                {
                    "field": Report._meta.get_field(field).verbose_name,
                    "language": languages.get(code).badge,
                    "changed": before != after,
                    "diff": inline_diff(before, after),
                }
            )
    for key in LINKED_FIELDS:
        before, after = link_text(key, old.get(key)), link_text(key, new.get(key))
        rows.append(
            {
                "field": gettext("credits")
                if key == "credits"
                else Report._meta.get_field(key).verbose_name,
                "language": "",
                "changed": before != after,
                "diff": inline_diff(before, after),
            }
        )
    return rows


def link_text(key, value):
    """A link of a report (as workflow.current_values holds it) as words to compare."""
    if key == "credits":
        return credit_text(value or [])
    if key == "include_background":
        return gettext("yes") if value else gettext("no")
    if key == "hero_image":
        return value or ""
    if not value:
        return ""
    related = Report._meta.get_field(key).related_model
    ids = value if isinstance(value, list | tuple) else [value]
    found = related._default_manager.in_bulk(ids)
    return "; ".join(str(found.get(pk, pk)) for pk in ids)


def credit_text(credits):
    from forum.models import Person

    names = {p.pk: p.full_name() for p in Person.objects.filter(pk__in=[c[0] for c in credits])}
    return "; ".join(f"{role}: {names.get(person, person)}" for person, role in credits)


def inline_diff(before, after):
    """Word-level diff with <del>/<ins>, every piece escaped (tags stripped first)."""
    old_words = strip_tags(before or "").split()
    new_words = strip_tags(after or "").split()
    # Chinese has no spaces: compare character by character when words are long.
    if any(len(word) > 40 for word in old_words + new_words):
        old_words, new_words = list(" ".join(old_words)), list(" ".join(new_words))
        joiner = ""
    else:
        joiner = " "
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", joiner.join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", joiner.join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", joiner.join(new_words[j1:j2])))
    return (
        format_html("{}", "")
        if not parts
        else format_html("".join(["{}"] * len(parts)).replace("}{", "}" + joiner + "{"), *parts)
    )


# --- What the change form shows on top ----------------------------------------------------


def state_label(value):
    """A workflow state as people read it ("In review", "Scheduled"); other values of a
    step's from/to (times, language codes) as they are."""
    if value == "scheduled":
        return pgettext("report state", "Scheduled")
    if value in Status.values:
        return Status(value).label
    return value


def step_label(action):
    try:
        return workflow.action_label(action)
    except KeyError:
        return action


def step_view(step):
    return {
        "step": step,
        "who": (step.user.get_full_name() or step.user.get_username()) if step.user else "—",
        "action": step_label(step.action),
        "from": state_label(step.from_state),
        "to": state_label(step.to_state),
        "returned": step.action == "reject",
    }


def form_context(request, report, limit=3):
    """What the report's change form shows above the fields: the latest workflow comments
    (a rejection's reason first of all: `returned` when the latest step sent it back),
    newest first, for includes/form_notes.html; and the schedule, for
    includes/schedule_panel.html."""
    steps = list(report.transitions.select_related("user")[:20])
    commented = [step_view(step) for step in steps if step.comment.strip()][:limit]
    return {
        "form_notes": commented,
        "form_notes_returned": bool(steps) and steps[0].action == "reject",
        **schedule_context(request, report),
    }


def returned_to(user, limit=10):
    """Reports sent back to `user` (created or last saved by them) whose latest step is a
    rejection: [{report, step}] newest first, for the admin home."""
    latest = ReportTransition.objects.filter(report=OuterRef("pk")).order_by("-created_at", "-pk")
    reports = (
        Report.objects.outside_trash()
        .filter(Q(created_by=user) | Q(updated_by=user))
        .annotate(
            last_step=Subquery(latest.values("pk")[:1]),
            last_action=Subquery(latest.values("action")[:1]),
        )
        .filter(last_action="reject")
        .order_by("-updated_at")[:limit]
    )
    reports = list(reports)
    steps = ReportTransition.objects.select_related("user").in_bulk(
        [report.last_step for report in reports]
    )
    return [
        {
            "report": report,
            **step_view(steps[report.last_step]),
            "url": reverse("admin:forum_report_change", args=[report.pk]),
        }
        for report in reports
    ]
