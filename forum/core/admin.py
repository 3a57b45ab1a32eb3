import re

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.http import HttpResponseBadRequest
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


def _is_id(field, value):
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True
