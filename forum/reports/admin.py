"""The report admin: editing goes through forum.reports.workflow, which checks roles and states.

The change form shows the working copy (for a published report, its pending changes),
a workflow panel with the actions the user may take, the publication gate's problems,
outdated translations and the workflow history; revisions can be listed, compared and
restored. Saving refuses a stale form (someone else saved meanwhile) and keeps the input.
"""

from functools import partial

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.models import Version

from forum.core import languages
from forum.core.admin import CompletenessMixin
from forum.models import Credit, Report
from forum.models.reports import content_columns
from forum.reports import freshness, workflow
from forum.reports.desk import ReportDeskViews
from forum.reports.selectors import reports_in_working_state

Status = Report.Status


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "role", "order")

    def _may_edit(self, request, obj):
        if workflow.is_translator(request.user):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class ReportForm(forms.ModelForm):
    """Adds the version the editor started from, to refuse a save over someone else's."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None  # set per request by ReportAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        working = self.instance.working_values() if self.instance.pk else {}
        submitted = {
            column: cleaned.get(column) if column in self.fields else working.get(column)
            for column in content_columns()
        }
        try:
            workflow.check_edit(
                report=self.instance,
                user=self.user,
                expected_version=cleaned.get("expected_version"),
                values=submitted,
            )
        except workflow.ConcurrentEditError as error:
            current = error.current
            # Let the next save go through knowingly: the form now refers to the current
            # version, and the editor has seen what changed.
            data = self.data.copy()
            data["expected_version"] = current.version
            self.data = data
            raise ValidationError(
                [str(error)] + changes_since(current, cleaned.get("expected_version"))
            ) from error
        except workflow.WorkflowError as error:
            raise ValidationError(str(error)) from error
        return cleaned


def column_label(column):
    for code in languages.CODES:
        suffix = "_" + code.replace("-", "_")
        if column.endswith(suffix):
            field = Report._meta.get_field(column.removesuffix(suffix))
            return f"{field.verbose_name} ({languages.get(code).badge})"
    return column


def _short(text, limit=80):
    text = strip_tags(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes_since(current, version_number):
    """What changed in `current` since the editor loaded `version_number`, as sentences."""
    loaded = None
    for version in Version.objects.get_for_object(current).select_related("revision"):
        if version.field_dict.get("version") == version_number:
            loaded = version
            break
    who = current.updated_by.get_username() if current.updated_by_id else "?"
    when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
    lines = [gettext("Saved by %(user)s at %(time)s.") % {"user": who, "time": when}]
    if loaded is None:
        return lines
    before = workflow.version_content(loaded)["content"]
    for column, old, new in workflow.changed_content(before, current.working_values()):
        lines.append(
            gettext("%(field)s changed: “%(old)s” → “%(new)s”")
            % {"field": column_label(column), "old": _short(old), "new": _short(new)}
        )
    return lines


class WorkflowStateFilter(admin.SimpleListFilter):
    title = _("workflow state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (
            (Status.DRAFT, _("Draft")),
            (Status.IN_REVIEW, _("In review")),
            (Status.APPROVED, _("Approved")),
            ("scheduled", _("Scheduled")),
            (Status.PUBLISHED, _("Published")),
            ("changes", _("Published, with changes in progress")),
            (Status.WITHDRAWN, _("Withdrawn")),
        )

    def queryset(self, request, queryset):
        return reports_in_working_state(queryset, self.value())


class MineFilter(admin.SimpleListFilter):
    title = _("author")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return (("1", _("Created by me")),)

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "1" else queryset


class OutdatedFilter(admin.SimpleListFilter):
    title = _("translations")
    parameter_name = "outdated"

    def lookups(self, request, model_admin):
        return (("1", _("Outdated")), ("0", _("Up to date")))

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(translations_outdated=self.value() == "1")
        return queryset


class TransitionForm(forms.Form):
    comment = forms.CharField(required=False, max_length=2000)
    publish_at = forms.DateTimeField(
        required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    )


@admin.register(Report)
class ReportAdmin(ReportDeskViews, CompletenessMixin, TabbedTranslationAdmin):
    form = ReportForm
    change_form_template = "admin/forum/report/change_form.html"
    list_display = ("headline", "edition", "state", "published_at", "languages", "outdated")
    list_filter = (WorkflowStateFilter, MineFilter, OutdatedFilter, "edition")
    list_select_related = ("edition__forum",)
    search_fields = languages.columns("headline", "slug")
    date_hierarchy = "published_at"
    autocomplete_fields = ("edition", "session", "speeches", "publisher", "media_contacts")
    inlines = (CreditInline,)
    readonly_fields = ("state", "published_at")
    fieldsets = (
        (None, {"fields": ("headline", "slug", "summary", "body", "expected_version")}),
        (_("Image"), {"fields": ("hero_image", "hero_image_alt")}),
        (_("Publication"), {"fields": ("state", "published_at", "publisher", "original_language")}),
        (
            _("Context"),
            {"fields": ("edition", "session", "speeches", "include_background", "media_contacts")},
        ),
    )

    # --- Columns -------------------------------------------------------------------------

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.pk is None:
            return Status.DRAFT.label
        if obj.is_scheduled:
            local = timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            return gettext("Scheduled for %(time)s") % {"time": local}
        label = Status(obj.status).label
        if obj.status == Status.PUBLISHED and obj.pending_status:
            label = gettext("%(state)s · changes: %(changes)s") % {
                "state": label,
                "changes": Status(obj.pending_status).label.lower(),
            }
        if obj.single_language:
            label = f"{label} · {languages.get(obj.single_language).badge} only"
        return label

    @admin.display(description=_("outdated"))
    def outdated(self, obj):
        if not obj.translations_outdated:
            return "—"
        return ", ".join(
            f"{languages.get(item.language_code).badge} {item.field}"
            for item in freshness.outdated_translations(obj)
        )

    # --- Permissions: the workflow decides ---------------------------------------------

    def has_add_permission(self, request):
        return super().has_add_permission(request) and workflow.can_create(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and workflow.is_translator(request.user):
            allowed = workflow.editable_columns(request.user, obj) or set()
            form_fields = [
                name
                for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                if name not in ("expected_version", *readonly)
            ]
            readonly += [name for name in form_fields if name not in allowed]
        return readonly

    # --- Form and saving -----------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_object(self, request, object_id, from_field=None):
        report = super().get_object(request, object_id, from_field)
        if report is not None:
            # Editors work on the working copy; the live text stays on the public page.
            for column, value in (report.pending_changes or {}).items():
                setattr(report, column, value)
        return report

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        workflow.report_save(
            report=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(self.workflow_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, report):
        live = Report.objects.get(pk=report.pk)
        actions = workflow.available_actions(request.user, live)
        return {
            "workflow_state": self.state(live),
            "workflow_actions": [(action, workflow.action_label(action)) for action in actions],
            "publication_problems": workflow.publication_problems(live)
            if {"approve", "publish"} & set(actions)
            else [],
            "outdated_translations": freshness.outdated_translations(live),
            "can_override": workflow.is_editor(request.user),
            "transitions": live.transitions.select_related("user")[:20],
            "preview_links": [
                (languages.get(code).badge, reverse_preview(live, code)) for code in languages.CODES
            ],
            "single_language": live.single_language,
            "language_choices": [("", gettext("Both languages"))]
            + [(code, languages.get(code).badge) for code in languages.CODES],
            "site_timezone": timezone.get_current_timezone_name(),
        }

    # --- Extra views ---------------------------------------------------------------------

    # The desk's own pages: (address below the report admin, view method, URL name suffix).
    EXTRA_VIEWS = (
        ("outdated/", "outdated_view", "outdated"),
        ("<int:object_id>/transition/<str:action>/", "transition_view", "transition"),
        ("<int:object_id>/override/", "override_view", "override"),
        ("<int:object_id>/languages/", "languages_view", "languages"),
        ("<int:object_id>/revisions/", "revisions_view", "revisions"),
        ("<int:object_id>/revisions/compare/", "compare_view", "compare"),
        ("<int:object_id>/revisions/<int:version_id>/restore/", "restore_view", "restore"),
    )

    # Pages of packages above the capabilities, which this module cannot import (the
    # press-release import): (address, view(request, model_admin), URL name suffix), set
    # by forum/admin.py.
    ADDED_VIEWS = ()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *(
                path(route, view(getattr(self, method)), name=f"forum_report_{name}")
                for route, method, name in self.EXTRA_VIEWS
            ),
            *(
                path(route, view(partial(page, model_admin=self)), name=f"forum_report_{name}")
                for route, page, name in self.ADDED_VIEWS
            ),
            *super().get_urls(),
        ]

    def _report_or_404(self, request, object_id):
        report = get_object_or_404(Report, pk=object_id)
        if not self.has_view_or_change_permission(request, report):
            raise PermissionDenied
        return report

    def _back(self, report):
        return redirect(reverse("admin:forum_report_change", args=[report.pk]))

    def _act(self, request, report, service, success):
        """Runs a workflow service on the report and says how it went, on its page."""
        try:
            service(report=report, user=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, success)
        return self._back(report)

    @method_decorator(require_POST)
    def transition_view(self, request, object_id, action):
        report = self._report_or_404(request, object_id)
        if action not in workflow.TRANSITIONS:
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return self._back(report)
        comment = form.cleaned_data["comment"]
        if action == "publish":
            publish_at = form.cleaned_data["publish_at"]
            service = partial(workflow.report_publish, publish_at=publish_at, comment=comment)
        elif action == "unpublish":
            service = partial(workflow.report_unpublish, reason=comment)
        else:
            service = partial(getattr(workflow, f"report_{action}"), comment=comment)
        done = gettext("Done: %(action)s.") % {"action": workflow.action_label(action)}
        return self._act(request, report, service, done)

    @method_decorator(require_POST)
    def override_view(self, request, object_id):
        service = partial(
            workflow.report_override_outdated,
            field=request.POST.get("field", ""),
            language_code=request.POST.get("language", ""),
            comment=request.POST.get("comment", "")[:2000],
        )
        report = self._report_or_404(request, object_id)
        return self._act(request, report, service, gettext("The translation is marked as current."))

    @method_decorator(require_POST)
    def languages_view(self, request, object_id):
        language_code = request.POST.get("language", "")
        service = partial(workflow.report_set_single_language, language_code=language_code)
        report = self._report_or_404(request, object_id)
        return self._act(request, report, service, gettext("The report's languages are updated."))


def reverse_preview(report, language_code):
    from django.utils import translation

    with translation.override(language_code):
        return reverse("forum:report-preview", kwargs={"pk": report.pk})
