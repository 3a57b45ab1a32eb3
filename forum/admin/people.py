from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from forum.models import Person, Position

from .common import CompletenessMixin, PublishSwitchMixin


class PositionInline(TranslationTabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("title", "organisation", "start_date", "end_date", "order")


@admin.register(Person)
class PersonAdmin(PublishSwitchMixin, CompletenessMixin, TabbedTranslationAdmin):
    list_display = ("__str__", "slug", "is_published", "languages")
    list_filter = ("is_published",)
    search_fields = (
        "family_name_en",
        "given_name_en",
        "family_name_zh_hans",
        "given_name_zh_hans",
        "slug",
    )
    prepopulated_fields = {"slug": ("family_name_en", "given_name_en")}
    inlines = (PositionInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "family_name",
                    "given_name",
                    "family_name_first",
                    "uppercase_family_name",
                    "honorific",
                    "slug",
                    "is_published",
                )
            },
        ),
        (_("Profile"), {"fields": ("biography", "photo")}),
    )
