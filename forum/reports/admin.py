"""The report admin: editing goes through forum.reports.workflow, which checks roles and states.

The change form shows the working copy (for a published report, its pending changes),
a workflow panel (state, the publication gate's problems, outdated translations, the
history) and one action menu at the foot of the form: each button saves the form *and*
takes its step, in one transaction, or nothing happens and the form comes back with the
edits and the reason. A save over someone else's is merged field by field; only fields
both changed come back, in full, for the editor to choose. Credits are picked per role.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TabbedTranslationAdmin

from forum.core import languages, slugs, staging
from forum.core.admin import CompletenessMixin, TrashMixin, admin_views_for
from forum.models import (
    Credit,
    Edition,
    MediaContact,
    Organisation,
    Person,
    Report,
    Session,
    Speech,
)
from forum.models.reports import content_columns
from forum.reports import desk, freshness, merge, workflow
from forum.reports.desk import ReportDeskViews
from forum.reports.selectors import openable_reports, reports_in_working_state

Status = Report.Status

# --- Credits: one ordered field per role ------------------------------------------------

CREDIT_LABELS = {
    Credit.Role.AUTHOR: pgettext_lazy("credits field", "Authors"),
    Credit.Role.REVIEWER: pgettext_lazy("credits field", "Reviewers"),
    Credit.Role.EDITOR: pgettext_lazy("credits field", "Editors"),
    Credit.Role.TRANSLATOR: pgettext_lazy("credits field", "Translators"),
    Credit.Role.PHOTOGRAPHER: pgettext_lazy("credits field", "Photographers"),
}
# Form field name ("authors") → role ("author"), in the byline's order of roles.
CREDIT_FIELDS = {f"{role}s": role for role in Credit.Role.values}


def credit_label(role):
    return CREDIT_LABELS.get(role) or Credit.Role(role).label


class OrderedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """The admin's autocomplete, with the chosen people in the order they were picked:
    options are printed in the order of the value (static/js/report-form.js moves each
    newly picked option to the end, so the browser sends them in that order)."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        position = {str(pk): index for index, pk in enumerate(value)}
        options = groups[0][1]
        options.sort(key=lambda option: position.get(str(option["value"]), len(position)))
        for index, option in enumerate(options):
            option["index"] = str(index)
        return groups


class OrderedPeopleField(forms.ModelMultipleChoiceField):
    """People in the order they were sent (a plain multiple choice returns them unordered)."""

    def clean(self, value):
        people = super().clean(value)
        order = {str(pk): index for index, pk in enumerate(dict.fromkeys(value or ()))}
        return sorted(people, key=lambda person: order.get(str(person.pk), 0))


def credit_form_fields():
    person_field = Credit._meta.get_field("person")
    return {
        name: OrderedPeopleField(
            queryset=Person.objects.all(),
            required=False,
            label=capfirst(credit_label(role)),
            widget=OrderedAutocompleteSelectMultiple(
                person_field, admin.site, attrs={"class": "ordered-autocomplete"}
            ),
            help_text=_("In byline order: people are listed in the order you pick them."),
        )
        for name, role in CREDIT_FIELDS.items()
    }


def credits_by_field(credits):
    """{"authors": [person ids in order], …} from [[person id, role], …]."""
    return {
        name: [int(person) for person, credited in credits if credited == role]
        for name, role in CREDIT_FIELDS.items()
    }


# --- The form ---------------------------------------------------------------------------

# Fields of the form that are not the report's own, never shown read-only.
FORM_ONLY_FIELDS = (
    "expected_version",
    "merge_version",
    "hero_image_staged",
    "workflow_comment",
    "publish_at",
)
LINK_MODELS = {"edition": Edition, "session": Session, "publisher": Organisation}
MANY_MODELS = {"speeches": Speech, "media_contacts": MediaContact}


class Refused(Exception):
    """A save or step refused after the form was valid: everything is undone and the form
    comes back with the reason (ReportAdmin.changeform_view)."""


class ReportForm(forms.ModelForm):
    """The report form with its action menu's fields. Refuses nothing for being stale:
    a save over a newer version is merged field by field against the version the editor
    loaded (`expected_version`); fields both changed come back as `conflicts`."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The version the conflicts shown were computed against: a choice applies to it only.
    merge_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hero_image_staged = forms.CharField(widget=forms.HiddenInput, required=False)
    workflow_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    user = None  # set per request by ReportAdmin.get_form
    refusal = None  # the reason a first attempt was refused (ReportAdmin.changeform_view)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = (self.data.get("_action") or "save") if self.is_bound else "save"
        self.conflicts = []
        self.saved_against = None
        self.kept_upload = self.staged_token = None
        # Slugs may be left blank: they are made from the headline (clean()).
        for code in languages.EDITED:
            if (column := languages.column("slug", code)) in self.fields:
                self.fields[column].required = False
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            links = workflow.working_links(self.instance)
            for key in MANY_MODELS:
                self.initial[key] = links[key]
            for name, people in credits_by_field(links["credits"]).items():
                self.initial[name] = people

    # --- Validation ----------------------------------------------------------------

    def clean_hero_image(self):
        image = self.cleaned_data.get("hero_image")
        token = self.data.get("hero_image_staged") or ""
        if image is False:  # cleared
            self._put("hero_image_staged", "")
        elif isinstance(image, File) and not isinstance(image, FieldFile):
            # A new upload: kept aside, so that a form shown again still has it.
            self.staged_token = staging.stage(image, self.user)
            self._put("hero_image_staged", self.staged_token)
            self.kept_upload = image.name
        elif token and (staged := staging.staged_file(token, self.user)):
            image, self.staged_token, self.kept_upload = staged, token, staged.name
        if self.kept_upload:
            kept = gettext("Kept: %(name)s — uploaded with this form, saved with it.") % {
                "name": self.kept_upload
            }
            # The bound field copied the help text when it was made.
            self.fields["hero_image"].help_text = self["hero_image"].help_text = kept
        return image

    def clean(self):
        cleaned = super().clean()
        if self.refusal:
            self.add_error(None, self.refusal)
        self._fill_slugs(cleaned)
        self._check_step_input(cleaned)
        # Whether this user may save and take the step is the workflow's decision alone,
        # made when ReportAdmin.save_model calls it: a refusal undoes the save and brings
        # the form back with the workflow's reason.
        if self.instance.pk:
            current = Report.objects.get(pk=self.instance.pk)
            expected = cleaned.get("expected_version")
            if expected is not None and expected != current.version:
                self._merge(cleaned, current, expected)
            else:
                self.saved_against = expected
        return cleaned

    def _fill_slugs(self, cleaned):
        for code in languages.EDITED:
            column = languages.column("slug", code)
            if column not in self.fields or cleaned.get(column) or column in self.errors:
                continue
            headline = cleaned.get(languages.column("headline", code)) or ""
            base = slugs.slug_from_title(headline, code) if headline.strip() else ""
            if base:
                slug = slugs.unique_slug(Report, column, base, exclude_pk=self.instance.pk)
                cleaned[column] = slug
                self._put(column, slug)
            elif code == languages.DEFAULT:
                self.add_error(column, gettext("Give the slug (letters, digits and hyphens)."))
            else:
                cleaned[column] = None  # no page in that language yet

    def _check_step_input(self, cleaned):
        """What the chosen step needs from the form, as errors beside the fields."""
        comment = (cleaned.get("workflow_comment") or "").strip()
        if self.action == "reject" and not comment:
            self.add_error(
                "workflow_comment",
                gettext("Say why the report is sent back: a comment is required."),
            )
        if self.action == "unpublish" and not comment:
            self.add_error(
                "workflow_comment",
                gettext("Say why the report is withdrawn: a reason is required."),
            )
        if self.action == "schedule" and "publish_at" not in self.errors:
            publish_at = cleaned.get("publish_at")
            if publish_at is None or publish_at <= timezone.now():
                self.add_error(
                    "publish_at", gettext("Choose a publication time in the future to schedule.")
                )

    # --- Merging a save over a newer version ----------------------------------------

    def _merge(self, cleaned, current, expected):
        """Merges my values with theirs (now) against the loaded version (forum.reports.
        merge): theirs go into the form where only they changed a field; fields both
        changed become `conflicts`, shown in full for a choice."""
        original = workflow.values_at_version(current, expected)
        if original is not None:
            original.update(credits_by_field(original.pop("credits")))
        theirs = workflow.current_values(current)
        theirs.update(credits_by_field(theirs.pop("credits")))
        mine = self._mine(cleaned)
        # A choice counts only if made against the version saved now.
        choosing = cleaned.get("merge_version") == current.version
        choices = {key: self.data.get(f"merge_{key}") for key in mine} if choosing else {}
        merged = merge.three_way(original=original, mine=mine, theirs=theirs, choices=choices)
        self.saved_against = current.version
        for key in merged.theirs:
            self._take(cleaned, key, theirs[key])
        self.conflicts = [
            {
                "key": key,
                "label": field_label(key),
                "mine": shown(key, mine[key]),
                "theirs": shown(key, theirs[key]),
                "original": shown(key, original.get(key)) if original is not None else None,
            }
            for key in merged.conflicts
        ]
        if self.conflicts:
            self._put("merge_version", str(current.version))
            who = current.updated_by.get_username() if current.updated_by_id else "?"
            when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
            self.add_error(
                None,
                gettext(
                    "Someone else saved this report after you opened it (%(user)s at "
                    "%(time)s). Their other changes are kept and yours are applied; for "
                    "the fields you both changed, choose below which text to keep."
                )
                % {"user": who, "time": when},
            )

    def _mine(self, cleaned):
        """My submitted values, for the fields I could change (with current_values' keys,
        credits per field); an image left as it was is not mine to merge."""
        values = {}
        for column in content_columns():
            if column in self.fields and column in cleaned:
                values[column] = cleaned[column]
        for key in LINK_MODELS:
            if key in self.fields and key in cleaned:
                values[key] = cleaned[key].pk if cleaned[key] else None
        for key in ("include_background", "original_language"):
            if key in self.fields and key in cleaned:
                values[key] = cleaned[key]
        for key in MANY_MODELS:
            if key in self.fields and key in cleaned:
                values[key] = sorted(item.pk for item in cleaned[key])
        for name in CREDIT_FIELDS:
            if name in self.fields and name in cleaned:
                values[name] = [person.pk for person in cleaned[name]]
        image = cleaned.get("hero_image")
        if "hero_image" in self.fields and image is False:
            values["hero_image"] = ""
        elif isinstance(image, File) and not isinstance(image, FieldFile):
            values["hero_image"] = merge.Upload(image.name)
        return values

    def _take(self, cleaned, key, value):
        """Puts their value in the form's result and in the form shown again."""
        if key in LINK_MODELS:
            cleaned[key] = LINK_MODELS[key].objects.filter(pk=value).first()
            self._put(key, "" if value is None else str(value))
        elif key in MANY_MODELS:
            cleaned[key] = MANY_MODELS[key].objects.filter(pk__in=value)
            self._put(key, [str(pk) for pk in value])
        elif key in CREDIT_FIELDS:
            people = Person.objects.in_bulk(value)
            cleaned[key] = [people[pk] for pk in value if pk in people]
            self._put(key, [str(pk) for pk in value])
        elif key == "include_background":
            cleaned[key] = bool(value)
            self._put(key, "on" if value else None)
        elif key == "hero_image":
            cleaned[key] = value or False
            self.kept_upload = self.staged_token = None
            self._put("hero_image_staged", "")
        else:
            cleaned[key] = value
            self._put(key, value or "")

    def _put(self, name, value):
        """Changes what the form shows if it comes back (bound data is what it prints)."""
        data = self.data.copy()
        if value is None:
            data.pop(name, None)
        elif isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
        self.data = data

    # --- What the admin saves --------------------------------------------------------

    def relation_links(self):
        """Speeches, media contacts and credits for workflow.report_save (only what the
        form may change, and credits only when a role's list differs: their order across
        roles is the byline's)."""
        links = {}
        for key in MANY_MODELS:
            if key in self.fields:
                links[key] = [item.pk for item in self.cleaned_data.get(key) or ()]
        names = [name for name in CREDIT_FIELDS if name in self.fields]
        if names:
            before = workflow.working_credits(self.instance) if self.instance.pk else []
            now = credits_by_field(before)
            for name in names:
                now[name] = [person.pk for person in self.cleaned_data.get(name) or ()]
            if now != credits_by_field(before):
                links["credits"] = [
                    [person, role] for name, role in CREDIT_FIELDS.items() for person in now[name]
                ]
        return links

    def discard_staged(self):
        if self.staged_token:
            staging.discard(self.staged_token, self.user)


# Declared after the class: one per credit role.
ReportForm.declared_fields.update(credit_form_fields())
ReportForm.base_fields.update(ReportForm.declared_fields)


def column_label(column):
    for code in languages.CODES:
        suffix = "_" + code.replace("-", "_")
        if column.endswith(suffix):
            field = Report._meta.get_field(column.removesuffix(suffix))
            return f"{capfirst(field.verbose_name)} ({languages.get(code).badge})"
    return column


def field_label(key):
    if key in CREDIT_FIELDS:
        return capfirst(credit_label(CREDIT_FIELDS[key]))
    if key in content_columns():
        return column_label(key)
    return capfirst(Report._meta.get_field(key).verbose_name)


def shown(key, value):
    """A value in full, for the merge panel: rich text sanitised, text as text, links named."""
    empty = format_html("<em>{}</em>", gettext("(empty)"))
    if key in content_columns():
        if not value:
            return empty
        if key.startswith("body_"):
            return mark_safe(Report._meta.get_field("body").sanitize(value))  # noqa: S308
        # linebreaks() escapes the text itself but returns a plain str.
        return mark_safe(linebreaks(value, autoescape=True))  # noqa: S308
    if isinstance(value, merge.Upload):
        return format_html("{} {}", gettext("New upload:"), str(value))
    if key == "hero_image":
        return format_html("{}", value.rsplit("/", 1)[-1]) if value else empty
    if key in ("include_background", "original_language"):
        return format_html(
            "{}", gettext("Yes") if value is True else gettext("No") if value is False else value
        )
    if key in LINK_MODELS:
        item = LINK_MODELS[key].objects.filter(pk=value).first() if value else None
        return format_html("{}", item) if item else empty
    model = Person if key in CREDIT_FIELDS else MANY_MODELS[key]
    items = model.objects.in_bulk(value or ())
    names = [str(items[pk]) for pk in value or () if pk in items]
    return (
        format_html_join("", '<span class="merge-item">{}</span>', ((name,) for name in names))
        if names
        else empty
    )


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
    """The workflow panel's separate step forms (for those who may not edit the report)."""

    comment = forms.CharField(required=False, max_length=2000)
    publish_at = forms.DateTimeField(
        required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    )


@admin.register(Report)
class ReportAdmin(TrashMixin, ReportDeskViews, CompletenessMixin, TabbedTranslationAdmin):
    form = ReportForm
    change_form_template = "admin/forum/report/change_form.html"
    list_display = ("headline", "edition", "state", "published_at", "languages", "outdated")
    list_filter = (WorkflowStateFilter, MineFilter, OutdatedFilter, "edition")
    list_select_related = ("edition__forum",)
    search_fields = languages.columns("headline", "slug")
    date_hierarchy = "published_at"
    autocomplete_fields = ("edition", "session", "speeches", "publisher", "media_contacts")
    readonly_fields = ("state", "published_at")

    class Media:
        # The unsaved-changes warning and the credit pickers' order; slugs filled from the
        # headlines as they are typed; times in the reader's zone beside the site's.
        js = ("js/report-form.js", "js/slug-fill.js", "js/local-times.js")
        css = {"all": ("css/desk.css",)}

    fieldsets = (
        (
            None,
            {
                "fields": (
                    "headline",
                    "slug",
                    "summary",
                    "body",
                    "expected_version",
                    "merge_version",
                )
            },
        ),
        (_("Credits"), {"fields": tuple(CREDIT_FIELDS)}),
        (_("Image"), {"fields": ("hero_image", "hero_image_staged", "hero_image_alt")}),
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
            label = gettext("%(state)s · %(language)s only") % {
                "state": label,
                "language": languages.get(obj.single_language).badge,
            }
        return label

    @admin.display(description=_("outdated"))
    def outdated(self, obj):
        if not obj.translations_outdated:
            return "—"
        return ", ".join(
            f"{languages.get(item.language_code).badge} {item.field}"
            for item in freshness.outdated_translations(obj)
        )

    def translation_freshness(self, obj):
        """(field, language code) of each outdated translation, marked on the form's pairs
        (CompletenessMixin.translation_status)."""
        return [(item.field, item.language_code) for item in freshness.outdated_translations(obj)]

    # --- Permissions: the workflow decides ---------------------------------------------

    def has_add_permission(self, request):
        return super().has_add_permission(request) and workflow.can_create(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.is_editor(request.user)

    # --- The trash: the workflow decides (editors) --------------------------------------

    def trash_item(self, item, user):
        workflow.report_trash(report=item, user=user)

    def restore_item(self, item, user):
        workflow.report_restore_from_trash(report=item, user=user)

    def has_view_permission(self, request, obj=None):
        # Every page of one report (form, history, the desk's) asks this or the above.
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.can_open(request.user, obj))

    def get_queryset(self, request):
        # The list, search and autocomplete show only the reports this user may open.
        return openable_reports(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and workflow.is_translator(request.user):
            allowed = workflow.editable_columns(request.user, obj) or set()
            form_fields = [
                name
                for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                if name not in (*FORM_ONLY_FIELDS, *readonly)
            ]
            readonly += [name for name in form_fields if name not in allowed]
        return readonly

    # --- Form and saving -----------------------------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "_report_refusal", None)
        return type(form.__name__, (form,), {"user": request.user, "refusal": refusal})

    def get_object(self, request, object_id, from_field=None):
        report = super().get_object(request, object_id, from_field)
        if report is not None:
            # Editors work on the working copy; the live values stay on the public page.
            report.apply_working_copy()
        return report

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Django's view runs in one transaction: a refused save or step undoes it all, and
        # the form is shown again with the edits and the reason (ReportForm.refusal).
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            request._report_refusal = str(refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Saves the form through the workflow, then takes the menu's step."""
        data = form.cleaned_data
        try:
            report = workflow.report_save(
                report=obj,
                user=request.user,
                expected_version=form.saved_against,
                links=form.relation_links(),
            )
            workflow.report_act(
                report=report,
                user=request.user,
                action=form.action,
                comment=data.get("workflow_comment") or "",
                publish_at=data.get("publish_at"),
            )
        except workflow.WorkflowError as error:
            raise Refused(str(error)) from error
        form.discard_staged()

    def save_related(self, request, form, formsets, change):
        """Nothing: the workflow saved speeches, contacts and credits (for a live report,
        into its working copy, which a direct save of the form's links would bypass)."""

    def response_add(self, request, obj, post_url_continue=None):
        return self._response_action(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._response_action(request, obj) or super().response_change(request, obj)

    def _response_action(self, request, obj):
        action = request.POST.get("_action")
        if action not in workflow.MENU_ACTIONS:
            return None
        self.message_user(
            request,
            gettext("Done: %(action)s.") % {"action": workflow.action_label(action)},
            messages.SUCCESS,
        )
        return self._back(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(self.workflow_context(request, obj))
            # Review and rejection comments at the top, the schedule in the panel.
            context.update(desk.form_context(request, obj))
        else:
            context["menu_actions"] = self.menu_actions(request, Report())
        form = context["adminform"].form
        context["merge_conflicts"] = getattr(form, "conflicts", [])
        context["site_timezone"] = timezone.get_current_timezone_name()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def menu_actions(self, request, report):
        """[(action, label)] of the action menu: what the workflow lets the user do now,
        each saving the form first."""
        if report.pk and not self.has_change_permission(request, report):
            return []
        labels = {
            action: workflow.action_label(action)
            for action in workflow.menu_actions(request.user, report)
        }
        if report.status == Status.PUBLISHED:
            labels["save"] = gettext("Save changes for review")
        return list(labels.items())

    def workflow_context(self, request, report):
        live = Report.objects.get(pk=report.pk)
        actions = workflow.available_actions(request.user, live)
        menu = self.menu_actions(request, live)
        return {
            "workflow_state": self.state(live),
            "menu_actions": menu,
            # Separate step forms only for those without the form's menu.
            "workflow_actions": []
            if menu
            else [
                (action, workflow.action_label(action))
                for action in actions
                if action in workflow.TRANSITIONS
            ],
            "publication_problems": workflow.publication_problems(live)
            if {"approve", "publish", "approve_publish", "republish"} & set(actions)
            else [],
            "outdated_translations": [
                {
                    "item": item,
                    "language": languages.get(item.language_code).badge,
                    "field": workflow.field_names([item.field]),
                }
                for item in freshness.outdated_translations(live)
            ],
            "can_override": workflow.may_take(request.user, "override"),
            "transitions": [
                desk.step_view(step) for step in live.transitions.select_related("user")[:20]
            ],
            "preview_links": [
                (languages.get(code).badge, reverse_preview(live, code)) for code in languages.CODES
            ],
            "single_language": live.single_language,
            "language_choices": [("", gettext("Both languages"))]
            + [(code, languages.get(code).badge) for code in languages.EDITED],
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
        ("<int:object_id>/translated/", "translated_view", "translated"),
        ("<int:object_id>/schedule/cancel/", "cancel_schedule_view", "cancel_schedule"),
        ("<int:object_id>/schedule/move/", "reschedule_view", "reschedule"),
        ("slug/", "slug_view", "slug"),
    )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *(
                path(route, view(getattr(self, method)), name=f"forum_report_{name}")
                for route, method, name in self.EXTRA_VIEWS
            ),
            *(
                path(route, view(partial(page, model_admin=self)), name=f"forum_report_{name}")
                # Pages of packages this module cannot import (the press-release import).
                for route, page, name in admin_views_for(self.model)
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


def credit_display(role):
    """The read-only form of a credit role's field (for those who may not change it)."""

    @admin.display(description=capfirst(credit_label(role)))
    def display(model_admin, obj):
        credits = workflow.working_credits(obj) if obj.pk else []
        ids = [person for person, credited in credits if credited == role]
        people = Person.objects.in_bulk(ids)
        return "; ".join(str(people[pk]) for pk in ids if pk in people) or "—"

    return display


for _name, _role in CREDIT_FIELDS.items():
    setattr(ReportAdmin, _name, credit_display(_role))


def reverse_preview(report, language_code):
    from django.utils import translation

    with translation.override(language_code):
        return reverse("forum:report-preview", kwargs={"pk": report.pk})
