"""The admin of converted text: term overrides and field overrides, each shown beside what
the converter makes of the source text, field overrides flagged when their source changed."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from forum.core import languages
from forum.hant import services
from forum.models import TermOverride, TraditionalOverride


def _translated_content_types():
    return ContentType.objects.get_for_models(*services.translated_models()).values()


class TraditionalOverrideForm(forms.ModelForm):
    field = forms.ChoiceField(label=_("field"), choices=())

    class Meta:
        model = TraditionalOverride
        fields = ("content_type", "object_id", "field", "language", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = sorted(
            {
                field
                for model in services.translated_models()
                for field in services.translated_fields(model)
            }
        )
        if "field" in self.fields:  # read-only once the override exists
            self.fields["field"].choices = [(name, name) for name in names]
        if "content_type" in self.fields:
            self.fields["content_type"].queryset = ContentType.objects.filter(
                pk__in=[content_type.pk for content_type in _translated_content_types()]
            )

    def clean(self):
        cleaned = super().clean()
        content_type, object_id = cleaned.get("content_type"), cleaned.get("object_id")
        field = cleaned.get("field")
        if content_type is None or object_id is None or not field:
            return cleaned
        model = content_type.model_class()
        if field not in services.translated_fields(model):
            self.add_error(
                "field",
                _("A %(kind)s has no translated field “%(field)s”; its fields: %(fields)s.")
                % {
                    "kind": content_type.name,
                    "field": field,
                    "fields": ", ".join(services.translated_fields(model)),
                },
            )
        if not model._default_manager.filter(pk=object_id).exists():
            self.add_error(
                "object_id",
                _("There is no %(kind)s #%(id)s.") % {"kind": content_type.name, "id": object_id},
            )
        return cleaned


@admin.register(TraditionalOverride)
class TraditionalOverrideAdmin(admin.ModelAdmin):
    form = TraditionalOverrideForm
    list_display = ("item_label", "field", "language", "override", "converted", "state")
    list_filter = ("outdated", "language", ("content_type", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("content_type",)
    search_fields = ("text", "source_text", "field")
    readonly_fields = ("source_now", "converted_now", "source_when_overridden", "state")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # an override stays with its item and field
            readonly = ["item_label", "field", "language", *readonly]
        return readonly

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("content_type", "object_id", "field", "language", "text")}),)
        return (
            (None, {"fields": ("item_label", "field", "language")}),
            (
                _("Text"),
                {
                    "fields": (
                        "source_now",
                        "converted_now",
                        "text",
                        "source_when_overridden",
                        "state",
                    )
                },
            ),
        )

    @admin.display(description=_("item"))
    def item_label(self, obj):
        return f"{obj.content_type.name}: {obj.item or '#' + str(obj.object_id)}"

    @admin.display(description=_("outdated"), ordering="outdated")
    def state(self, obj):
        """Words, not a tick: a green tick would read as "fine" for an outdated override."""
        return format_html("<strong>{}</strong>", _("outdated")) if obj.outdated else "—"

    @admin.display(description=_("override"))
    def override(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("converted text"))
    def converted(self, obj):
        return Truncator(services.converted_field(obj.item, obj.field, obj.language)).chars(80)

    @admin.display(description=_("source text now"))
    def source_now(self, obj):
        return obj.current_source()

    @admin.display(description=_("converted text"))
    def converted_now(self, obj):
        return services.converted_field(obj.item, obj.field, obj.language)

    @admin.display(description=_("source text when overridden"))
    def source_when_overridden(self, obj):
        if not obj.outdated:
            return _("(unchanged since)")
        return format_html("<del>{}</del>", obj.source_text)

    def save_model(self, request, obj, form, change):
        services.save_override(obj, user=request.user)

    def delete_model(self, request, obj):
        services.remove_override(obj)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            services.remove_override(override)


@admin.register(TermOverride)
class TermOverrideAdmin(admin.ModelAdmin):
    list_display = ("source", "text", "by_converter", "language", "note", "updated_at")
    list_filter = ("language",)
    search_fields = ("source", "text", "note")
    fields = ("language", "source", "text", "note")

    @admin.display(description=_("converter alone"))
    def by_converter(self, obj):
        """What the term would be without the override."""
        return services.converted(obj.source, obj.language, {})


# Who may confirm a name's form: it is written as a field override.
CONFIRM_PERMISSIONS = tuple(
    f"forum.{action}_traditionaloverride" for action in ("add", "change", "delete")
)


def _choice_field_name(field, code):
    return languages.column(f"converted_{field}", code)


class ConvertedNamesMixin:
    """A person's or media contact's change form shows each name field as the converted
    pages publish it (Traditional Chinese: 余淼杰 → 余淼傑, forum/hant/services.py), warns
    where a character has several forms there (于: 于 or 於), and lets an editor confirm
    one: a choice saved as a field override, which the conversion then keeps."""

    def _name_choices(self, obj):
        if obj is None or obj.pk is None:
            return []
        if getattr(obj, "_name_choices_of", None) != obj.pk:
            obj._name_choices = services.name_choices(obj)
            obj._name_choices_of = obj.pk
        return obj._name_choices

    def _confirmable(self, request, obj):
        """The name fields the user is asked to confirm: those with several spellings or
        an override already, for a user who may write overrides and change the item."""
        if not (
            self.has_change_permission(request, obj) and request.user.has_perms(CONFIRM_PERMISSIONS)
        ):
            return []
        return [
            choice
            for choice in self._name_choices(obj)
            if len(choice["spellings"]) > 1 or choice["override"] is not None
        ]

    def get_fieldsets(self, request, obj=None):
        return [
            *super().get_fieldsets(request, obj),
            *self.converted_names_fieldsets(request, obj),
        ]

    def converted_names_fieldsets(self, request, obj):
        """The fieldset of converted names, [] for an item without any (a new one). An
        admin that builds its own fieldsets adds these."""
        if not self._name_choices(obj):
            return []
        fields = [
            "converted_names",
            *(
                _choice_field_name(choice["field"], choice["code"])
                for choice in self._confirmable(request, obj)
            ),
        ]
        description = _(
            "How the name reads on the converted pages. Where a character has several "
            "forms, choose the right one: it is kept as a field override."
        )
        return [(_("Converted names"), {"fields": fields, "description": description})]

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "converted_names")

    def get_form(self, request, obj=None, **kwargs):
        confirmable = self._confirmable(request, obj) if obj is not None else []
        names = {_choice_field_name(c["field"], c["code"]): c for c in confirmable}
        if "fields" in kwargs:
            kwargs["fields"] = [field for field in kwargs["fields"] if field not in names]
        form = super().get_form(request, obj, **kwargs)
        if not names:
            return form
        attrs = {name: self._choice_field(obj, choice) for name, choice in names.items()}
        attrs["converted_name_choices"] = names
        return type(form.__name__, (form,), attrs)

    @staticmethod
    def _choice_field(obj, choice):
        spellings = list(choice["spellings"])
        if choice["override"] is not None and choice["override"] not in spellings:
            spellings.append(choice["override"])
        options = [
            ("", gettext("As converted: %(text)s") % {"text": choice["converted"]}),
            *((spelling, spelling) for spelling in spellings),
        ]
        return forms.ChoiceField(
            label=_name_label(obj, choice),
            choices=options,
            required=False,
            initial=choice["override"] or "",
            help_text=_("The form the converted pages show; choosing one confirms it."),
        )

    @admin.display(description=_("as published"))
    def converted_names(self, obj):
        choices = self._name_choices(obj)
        if not choices:
            return "—"
        lines = []
        for choice in choices:
            language = languages.get(choice["code"])
            state = ""
            if choice["override"] is not None:
                state = gettext("(confirmed)")
            lines.append(
                format_html(
                    '{}: <span lang="{}">{}</span> {}',
                    _name_label(obj, choice),
                    language.tag,
                    choice["published"] or "—",
                    state,
                )
            )
            if choice["override"] is None:
                lines.extend(
                    format_html(
                        "<strong>{}</strong>",
                        gettext(
                            "“%(character)s” has several forms in %(language)s: %(forms)s. "
                            "Confirm the right one."
                        )
                        % {
                            "character": character,
                            "language": language.name,
                            "forms": pgettext("list of names", ", ").join(forms),
                        },
                    )
                    for character, forms in choice["ambiguous"]
                )
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for name, choice in getattr(form, "converted_name_choices", {}).items():
            source = languages.column(choice["field"], languages.origin(choice["code"]))
            if name not in form.changed_data or {source, "family_name_first"} & set(
                form.changed_data
            ):
                continue  # unchanged, or chosen for the name as it was before this edit
            services.confirm_name(
                obj,
                choice["field"],
                form.cleaned_data[name],
                code=choice["code"],
                user=request.user,
            )


def _name_label(obj, choice):
    field = type(obj)._meta.get_field(choice["field"])
    return gettext("%(field)s (%(language)s)") % {
        "field": capfirst(field.verbose_name),
        "language": languages.get(choice["code"]).name,
    }
