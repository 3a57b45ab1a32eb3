from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from forum.models import Edition, Session, SessionRole, Speech

from .common import CompletenessMixin, PublishSwitchMixin


@admin.register(Edition)
class EditionAdmin(PublishSwitchMixin, CompletenessMixin, TabbedTranslationAdmin):
    list_display = ("__str__", "year", "start_date", "end_date", "is_published", "languages")
    list_filter = ("is_published", "forum")
    list_select_related = ("forum",)
    search_fields = ("theme_en", "theme_zh_hans", "slug", "year")
    autocomplete_fields = ("host", "organiser", "press_office")
    fieldsets = (
        (None, {"fields": ("forum", "year", "slug", "theme", "summary", "is_published")}),
        (_("When and where"), {"fields": ("start_date", "end_date", "venue", "city")}),
        (_("Organisations"), {"fields": ("host", "organiser", "press_office")}),
    )


class SessionRoleInline(TranslationStackedInline):
    model = SessionRole
    extra = 0
    autocomplete_fields = ("person",)
    fields = (("person", "role", "order"), "printed_titles")


class SpeechInline(TranslationStackedInline):
    model = Speech
    extra = 0
    autocomplete_fields = ("speaker",)
    fields = (("speaker", "kind", "order", "is_published"), "title", "printed_title")
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        from forum.workflow import is_editor

        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if is_editor(request.user) else [*readonly, "is_published"]


@admin.register(Session)
class SessionAdmin(PublishSwitchMixin, CompletenessMixin, TabbedTranslationAdmin):
    list_display = ("title", "edition", "kind", "date", "part_of_day", "is_published", "languages")
    list_filter = ("is_published", "edition", "kind", "date")
    list_select_related = ("edition__forum",)
    search_fields = ("title_en", "title_zh_hans", "slug")
    autocomplete_fields = ("edition",)
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = (SessionRoleInline, SpeechInline)
    fieldsets = (
        (
            None,
            {"fields": ("edition", "kind", "title", "slug", "summary", "order", "is_published")},
        ),
        (
            _("When and where"),
            {
                "fields": (
                    "date",
                    "part_of_day",
                    ("start_time", "end_time"),
                    "venue",
                    "room",
                )
            },
        ),
    )


@admin.register(Speech)
class SpeechAdmin(PublishSwitchMixin, CompletenessMixin, TabbedTranslationAdmin):
    list_display = ("__str__", "session", "kind", "order", "is_published", "languages")
    list_filter = ("is_published", "kind", "session__edition")
    list_select_related = ("speaker", "session")
    search_fields = (
        "title_en",
        "title_zh_hans",
        "speaker__family_name_en",
        "speaker__family_name_zh_hans",
        "speaker__given_name_en",
    )
    autocomplete_fields = ("session", "speaker")
