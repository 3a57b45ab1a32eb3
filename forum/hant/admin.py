"""The admin of converted text: term overrides and field overrides, each shown beside what
the converter makes of the source text, field overrides flagged when their source changed."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

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
        return Truncator(services.converted(obj.current_source(), obj.language)).chars(80)

    @admin.display(description=_("source text now"))
    def source_now(self, obj):
        return obj.current_source()

    @admin.display(description=_("converted text"))
    def converted_now(self, obj):
        return services.converted(obj.current_source(), obj.language)

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
