"""Admin of the programme: organisations, the forum and its editions, sessions, speeches
and people."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from forum.core import languages
from forum.core.admin import (
    CompletenessMixin,
    NameToConfirmFilter,
    NameToConfirmMixin,
    TrashMixin,
)
from forum.hant.admin import ConvertedNamesMixin
from forum.models import (
    Edition,
    Forum,
    Organisation,
    Person,
    Position,
    Session,
    SessionRole,
    Speech,
)
from forum.programme.services import (
    may_publish,
    programme_item_publish,
    programme_item_restore_from_trash,
    programme_item_trash,
    programme_item_unpublish,
)


class PublishSwitchMixin:
    """The published switch of editions, sessions, speeches and people, flipped through
    forum.programme.services (which refuses anyone but editors): from the list's actions,
    the change form's checkbox, and the checkbox of inline items that have one (a
    session's speeches). Others see the switch read-only and get no actions."""

    actions = ("publish_selected", "unpublish_selected")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if may_publish(request.user) else [*readonly, "is_published"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_publish(request.user):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    @admin.action(description=_("Publish selected"))
    def publish_selected(self, request, queryset):
        self._switch_selected(request, queryset, programme_item_publish)

    @admin.action(description=_("Unpublish selected"))
    def unpublish_selected(self, request, queryset):
        self._switch_selected(request, queryset, programme_item_unpublish)

    def _switch_selected(self, request, queryset, service):
        try:
            with transaction.atomic():  # all of the selection or none of it
                for item in queryset:
                    service(item=item, user=request.user)
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        self.message_user(request, gettext("%(count)d updated.") % {"count": len(queryset)})

    def save_model(self, request, obj, form, change):
        switched = _hold_switch(form)
        super().save_model(request, obj, form, change)
        self._switch_saved(request, obj, switched)

    def save_formset(self, request, form, formset, change):
        switched = {inline: _hold_switch(inline) for inline in formset.forms}
        super().save_formset(request, form, formset, change)
        for inline, published in switched.items():
            if inline.instance.pk is not None:  # not deleted
                self._switch_saved(request, inline.instance, published)

    def _switch_saved(self, request, item, published):
        if published is None:
            return
        service = programme_item_publish if published else programme_item_unpublish
        try:
            service(item=item, user=request.user)
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)


class ProgrammeTrashMixin(TrashMixin):
    """Editions, sessions and people go to the trash through forum.programme.services."""

    def trash_item(self, item, user):
        programme_item_trash(item=item, user=user)

    def restore_item(self, item, user):
        programme_item_restore_from_trash(item=item, user=user)


def _hold_switch(form):
    """The published state a form asks for when it flips the switch (None when it does
    not); the form then saves the item as it was, and the service flips it."""
    if "is_published" not in form.changed_data:
        return None
    published = form.instance.is_published
    form.instance.is_published = not published
    return published


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ("name", "short_name", "kind", "website")
    list_filter = ("kind",)
    search_fields = languages.columns("name", "short_name")
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
    search_fields = languages.columns("name")
    prepopulated_fields = {"slug": (languages.default_column("name"),)}


@admin.register(Edition)
class EditionAdmin(
    ProgrammeTrashMixin, PublishSwitchMixin, CompletenessMixin, TabbedTranslationAdmin
):
    list_display = ("__str__", "year", "start_date", "end_date", "is_published", "languages")
    list_filter = ("is_published", "forum")
    list_select_related = ("forum",)
    search_fields = (*languages.columns("theme"), "slug", "year")
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
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if may_publish(request.user) else [*readonly, "is_published"]


@admin.register(Session)
class SessionAdmin(
    ProgrammeTrashMixin, PublishSwitchMixin, CompletenessMixin, TabbedTranslationAdmin
):
    list_display = ("title", "edition", "kind", "date", "part_of_day", "is_published", "languages")
    list_filter = ("is_published", "edition", "kind", "date")
    list_select_related = ("edition__forum",)
    search_fields = (*languages.columns("title"), "slug")
    autocomplete_fields = ("edition",)
    prepopulated_fields = {"slug": (languages.default_column("title"),)}
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
    search_fields = languages.columns("title", "speaker__family_name", "speaker__given_name")
    autocomplete_fields = ("session", "speaker")


class PositionInline(TranslationTabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("title", "organisation", "start_date", "end_date", "order")


@admin.register(Person)
class PersonAdmin(
    ConvertedNamesMixin,
    ProgrammeTrashMixin,
    PublishSwitchMixin,
    CompletenessMixin,
    NameToConfirmMixin,
    TabbedTranslationAdmin,
):
    list_display = ("__str__", "slug", "is_published", "languages", "name_to_confirm")
    list_filter = ("is_published", NameToConfirmFilter)
    search_fields = (*languages.columns("family_name", "given_name"), "slug")
    prepopulated_fields = {
        "slug": (languages.default_column("family_name"), languages.default_column("given_name"))
    }
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
