import re

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ForeignObjectRel, Q
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from import_export.forms import SelectableFieldsExportForm
from modeltranslation import admin as translation_admin

from forum.core import languages


def edited_columns(*fields):
    """The columns a translated field shows in admin forms: the languages editors write.
    Derived languages' columns are converted text (forum/hant/, with its own admin)."""
    return [languages.column(field, code) for field in fields for code in languages.EDITED]


# The one place every translation admin (tabs, inlines, fieldsets) expands a field into its
# columns: listing only the edited ones keeps converted text out of every existing form.
translation_admin.get_translation_fields = edited_columns


class CompletenessMixin:
    """Adds the "EN ✓ / 中文 ✗" column for models with required translations, and the
    state of each translated field on the change form (templates/admin/change_form.html
    hands it to the side-by-side columns of static/js/bilingual-columns.js)."""

    def translation_status(self, obj):
        """{field: {code: "missing" | "outdated"}}; a field or language not named is
        current. Missing comes from the model's required translations; outdated from the
        admin's `translation_freshness(obj)` ((field, code) pairs), where it has one."""
        status = {}
        if obj is None or obj.pk is None:
            return status
        for code in languages.EDITED:
            for field in obj.missing_translations(code):
                status.setdefault(field, {})[code] = "missing"
        freshness = getattr(self, "translation_freshness", None)
        for field, code in freshness(obj) if freshness else ():
            status.setdefault(field, {}).setdefault(code, "outdated")
        return status

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["translation_status"] = self.translation_status(obj)
        # Rich-text columns, which a read-only form shows rendered rather than as HTML source
        # (modeltranslation's per-language copies carry `translated_field`).
        context["rich_text_columns"] = [
            languages.column(field.name, code)
            for field in self.model._meta.get_fields()
            if isinstance(field, ProseEditorField) and not hasattr(field, "translated_field")
            for code in languages.EDITED
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("Languages"))
    def languages(self, obj):
        return format_html_join(
            " / ",
            '<span title="{}"><span lang="{}">{}</span> {}</span>',
            (
                (
                    ", ".join(field_names(type(obj), obj.missing_translations(language.code)))
                    or _("complete"),
                    language.tag,
                    language.badge,
                    "✗" if obj.missing_translations(language.code) else "✓",
                )
                for language in map(languages.get, languages.EDITED)
            ),
        )


class NameToConfirmFilter(admin.SimpleListFilter):
    """People and contacts without a name in a language: known only by the name as given."""

    title = _("name to confirm")
    parameter_name = "name_to_confirm"

    def lookups(self, request, model_admin):
        return [
            (code, languages.get(code).badge)
            for code in languages.EDITED
            if code != languages.DEFAULT
        ]

    def queryset(self, request, queryset):
        if not languages.is_site_language(self.value() or ""):
            return queryset
        column = languages.column(queryset.model.CONFIRMED_NAME_FIELD, self.value())
        return queryset.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""}))


class NameToConfirmMixin:
    """A column naming the languages in which a name still needs confirming. A name known
    only in Latin letters is never given guessed characters: an editor who knows them
    adds them; until then pages show the name as given."""

    @admin.display(description=_("name to confirm"))
    def name_to_confirm(self, obj):
        field = type(obj).CONFIRMED_NAME_FIELD
        badges = [
            language.badge
            for language in map(languages.get, languages.EDITED)
            if not (getattr(obj, languages.column(field, language.code)) or "").strip()
        ]
        return ", ".join(badges) or "—"


def field_names(model, names):
    """The verbose names of a model's fields, for messages ("standfirst, body", not
    "summary, body")."""
    return [str(model._meta.get_field(name).verbose_name) for name in names]


def column_label(model, name):
    """What a person reads for a column or field name: its verbose name, with the language
    of a translated column ("Name (Simplified Chinese)" for "name_zh_hans")."""
    language = None
    for candidate in languages.LANGUAGES:
        end = f"_{candidate.suffix}"
        if name.endswith(end):
            name, language = name.removesuffix(end), candidate
            break
    try:
        label = capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = capfirst(name.replace("_", " "))
    return f"{label} ({language.name})" if language else label


class LabelledExportForm(SelectableFieldsExportForm):
    """django-import-export's choice of columns, each named as in the admin ("Name (Simplified
    Chinese)", "Mobile is public") rather than by its spelled-out key ("Name Zh Hans")."""

    def _get_field_label(self, resource, field_name):
        return column_label(resource._meta.model, field_name)


# --- Pages added under another package's admin ------------------------------------------

# {model label: {URL name suffix: (address, view)}}, filled when the admin modules load.
_ADDED_VIEWS = {}


def register_admin_view(model, route, view, name):
    """Adds a page under `model`'s admin for a package that admin cannot import (as
    Wagtail's `register_admin_urls` hook): the page of the owning package registers itself,
    and the model's admin routes it in `get_urls()` (see `admin_views_for`).

    `route` is the address below the model's admin, `view(request, model_admin)` the page;
    its URL name is `admin:<app label>_<model name>_<name>`.
    """
    _ADDED_VIEWS.setdefault(model._meta.label_lower, {})[name] = (route, view)


def admin_views_for(model):
    """[(address, view, URL name suffix)] of the pages registered under `model`'s admin."""
    added = _ADDED_VIEWS.get(model._meta.label_lower, {})
    return [(route, view, name) for name, (route, view) in added.items()]


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" (/admin/r/<type>/<id>/), refused (404) for an object the
    user may not open in its admin: Django's own shortcut redirects any staff member to any
    object's address, and a draft's address is its slug, made from its headline."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as missing:
        raise Http404 from missing
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        raise Http404
    obj = model_admin.get_object(request, object_id)
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)


# --- The trash (forum/models/trash.py) ---------------------------------------------------


class TrashFilter(admin.SimpleListFilter):
    """Lists leave the trash out unless this filter asks for it."""

    title = _("trash")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return (("1", _("In the trash")),)

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        # Django calls the first choice "All"; without a choice the trash is left out.
        choices[0]["display"] = _("Outside the trash")
        return choices

    def queryset(self, request, queryset):
        return queryset.in_trash() if self.value() == "1" else queryset.outside_trash()


class TrashMixin:
    """Deleting moves to the trash (the delete page and a "Move selected … to the trash"
    action); the list's trash filter shows what is there, who moved it and when, with a
    "Restore selected" action. Outside that list (change forms, pickers, other pages) an
    item in the trash is not found.

    The model's admin says how through its capability's services, which check the user's
    right: `trash_item(item, user)` and `restore_item(item, user)`.
    """

    delete_confirmation_template = "admin/trash_confirmation.html"

    def showing_trash(self, request):
        return request.GET.get(TrashFilter.parameter_name) == "1"

    # --- The list ------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        request.lists_trash = True  # TrashFilter leaves the trash out or shows only it
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if getattr(request, "lists_trash", False) else queryset.outside_trash()

    def get_list_filter(self, request):
        return (TrashFilter, *super().get_list_filter(request))

    def get_list_display(self, request):
        shown = tuple(super().get_list_display(request))
        if self.showing_trash(request):
            return (*shown, "deleted_at", "deleted_by", "purged_after")
        return shown

    def get_list_display_links(self, request, list_display):
        # An item in the trash has no form to open until it is restored.
        if self.showing_trash(request):
            return None
        return super().get_list_display_links(request, list_display)

    @admin.display(description=_("deleted for good after"))
    def purged_after(self, obj):
        return obj.purged_after

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Replaced by trash_selected: nothing is deleted for good from the admin.
        actions.pop("delete_selected", None)
        if self.showing_trash(request):
            # Publishing and the like wait until an item is restored.
            actions = {}
            wanted = "restore_selected"
        else:
            wanted = "trash_selected"
        if self.has_delete_permission(request):
            actions[wanted] = self.get_action(wanted)
        return actions

    @admin.action(description=_("Move selected %(verbose_name_plural)s to the trash"))
    def trash_selected(self, request, queryset):
        if not request.POST.get("post"):
            return TemplateResponse(
                request,
                "admin/trash_selected_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Move to the trash"),
                    "opts": self.opts,
                    "objects_name": self.opts.verbose_name_plural,
                    "queryset": queryset,
                    "trash_days": self.model.trash_retention.days,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        self._each(request, queryset, self.trash_item, _("%(count)d moved to the trash."))
        return None

    @admin.action(description=_("Restore selected %(verbose_name_plural)s"))
    def restore_selected(self, request, queryset):
        self._each(request, queryset, self.restore_item, _("%(count)d restored."))

    def _each(self, request, queryset, service, done):
        try:
            with transaction.atomic():  # all of the selection or none of it
                for item in queryset:
                    service(item, request.user)
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        self.message_user(request, done % {"count": len(queryset)}, messages.SUCCESS)

    # --- The delete page -----------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "trash_days": self.model.trash_retention.days}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted, so nothing protects the item: its parts and links stay.
        return [], {}, set(), []

    def log_deletions(self, request, queryset):
        """Nothing: the trash service records the step in the item's history."""

    def delete_model(self, request, obj):
        self.trash_item(obj, request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for item in queryset:
                self.trash_item(item, request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            gettext(
                "“%(item)s” was moved to the trash. Its list's trash filter restores it "
                "for %(days)d days."
            )
            % {"item": obj_display, "days": self.model.trash_retention.days},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )


class AutocompleteIdsMiddleware:
    """A 400 for an admin form given a value that is no id in an autocomplete field
    (`/admin/forum/report/add/?session=abc`, or posted, in the form or one of its inlines).

    The autocomplete widgets look the chosen ids up to show their labels, and that lookup
    raises on a value the id column cannot read: a 500 that any author could cause. The
    widgets themselves never send such a value, so the request is refused before the view
    runs, in one place for every admin (the admin marks its views with their `model_admin`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name == "admin:autocomplete":
            return _refused_autocomplete_source(request.GET)
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None or request.method not in ("GET", "POST"):
            return None
        data = request.GET if request.method == "GET" else request.POST
        if not data:
            return None
        fields, inline_fields = _autocomplete_id_fields(model_admin, request)
        for key, values in data.lists():
            target = fields.get(key) or inline_fields.get(_INLINE_KEY.sub("", key))
            # Several ids come comma-separated in an address (?speeches=3,5).
            ids = [part for value in values for part in value.split(",") if part]
            if target is not None and not all(_is_id(target, value) for value in ids):
                return HttpResponseBadRequest(
                    gettext("Bad request: “%(field)s” must be chosen from the list.")
                    % {"field": key},
                    content_type="text/plain; charset=utf-8",
                )
        return None


def _refused_autocomplete_source(params):
    """A 400 for the autocomplete endpoint asked about the reverse side of a relation
    (`?model_name=mediacontact&field_name=reports`): Django's view reads it as a field of
    its own and fails with a 500. Other bad parameters Django answers itself (403)."""
    try:
        model = apps.get_model(params["app_label"], params["model_name"])
        field = model._meta.get_field(params["field_name"])
    except (KeyError, LookupError, FieldDoesNotExist):
        return None
    if isinstance(field, ForeignObjectRel):
        return HttpResponseBadRequest(
            gettext("Bad request: “%(field)s” must be chosen from the list.")
            % {"field": params["field_name"]},
            content_type="text/plain; charset=utf-8",
        )
    return None


# An inline form's field name: "<prefix>-<number>-<field>".
_INLINE_KEY = re.compile(r"^.+-\d+-")


def _autocomplete_id_fields(model_admin, request):
    """({field: the id field it points at}, the same for the inlines' fields)."""

    def targets(admin_instance):
        model = admin_instance.model
        return {
            name: model._meta.get_field(name).target_field
            for name in admin_instance.get_autocomplete_fields(request)
        }

    inline_fields = {}
    for inline in model_admin.get_inline_instances(request):
        inline_fields.update(targets(inline))
    return targets(model_admin), inline_fields


# The widest id column (a 64-bit integer): a larger number cannot even be looked up.
_LARGEST_ID = 2**63 - 1


def _is_id(field, value):
    try:
        python_value = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(python_value, int) or abs(python_value) <= _LARGEST_ID
