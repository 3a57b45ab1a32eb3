from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from forum.models import MediaContact


@admin.register(MediaContact)
class MediaContactAdmin(TabbedTranslationAdmin):
    list_display = (
        "name",
        "organisation",
        "mobile",
        "office_phone",
        "office_extension",
        "is_public",
        "order",
    )
    list_filter = ("is_public", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("name_en", "name_zh_hans", "email", "mobile", "office_phone")
    autocomplete_fields = ("organisation",)
    fields = (
        "name",
        "job_title",
        "organisation",
        "mobile",
        ("office_phone", "office_extension"),
        "email",
        "order",
        "is_public",
    )
