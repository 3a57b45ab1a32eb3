from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from forum.models import Forum, Organisation


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ("name", "short_name", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name_en", "name_zh_hans", "short_name_en", "short_name_zh_hans")
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "logo")}),
        (
            _("Contact"),
            {
                "fields": (
                    "address",
                    "postal_code",
                    ("phone", "phone_extension"),
                    ("fax", "fax_extension"),
                    "website",
                    "email",
                )
            },
        ),
    )


@admin.register(Forum)
class ForumAdmin(TabbedTranslationAdmin):
    list_display = ("name", "short_name", "first_year")
    search_fields = ("name_en", "name_zh_hans")
    prepopulated_fields = {"slug": ("name_en",)}
