from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from forum.models import Credit, Report

from .common import CompletenessMixin


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "role", "order")


@admin.register(Report)
class ReportAdmin(CompletenessMixin, TabbedTranslationAdmin):
    list_display = ("headline", "edition", "status", "published_at", "languages")
    list_filter = ("status", "edition")
    list_select_related = ("edition__forum",)
    search_fields = ("headline_en", "headline_zh_hans", "slug_en", "slug_zh_hans")
    date_hierarchy = "published_at"
    autocomplete_fields = ("edition", "session", "speeches", "publisher", "media_contacts")
    inlines = (CreditInline,)
    fieldsets = (
        (None, {"fields": ("headline", "slug", "summary", "body")}),
        (_("Image"), {"fields": ("hero_image", "hero_image_alt")}),
        (_("Publication"), {"fields": ("status", "published_at", "publisher")}),
        (
            _("Context"),
            {
                "fields": (
                    "edition",
                    "session",
                    "speeches",
                    "include_background",
                    "media_contacts",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
