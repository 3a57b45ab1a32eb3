from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from forum.core.roles import is_editor

LANGUAGE_BADGES = (("en", "EN"), ("zh-hans", "中文"))


class CompletenessMixin:
    """Adds the "EN ✓ / 中文 ✗" column for models with required translations."""

    @admin.display(description=_("Languages"))
    def languages(self, obj):
        return format_html_join(
            " / ",
            '<span title="{}">{} {}</span>',
            (
                (
                    ", ".join(obj.missing_translations(code)) or _("complete"),
                    badge,
                    "✗" if obj.missing_translations(code) else "✓",
                )
                for code, badge in LANGUAGE_BADGES
            ),
        )


class PublishSwitchMixin:
    """The simple published/unpublished switch of editions, sessions, speeches and people.

    Only editors flip it (others, e.g. translators, see it read-only); list actions
    publish or unpublish a selection.
    """

    actions = ("publish_selected", "unpublish_selected")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_editor(request.user):
            readonly.append("is_published")
        return readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_editor(request.user):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    @admin.action(description=_("Publish selected"))
    def publish_selected(self, request, queryset):
        self._switch(request, queryset, True)

    @admin.action(description=_("Unpublish selected"))
    def unpublish_selected(self, request, queryset):
        self._switch(request, queryset, False)

    def _switch(self, request, queryset, published):
        if not is_editor(request.user):
            raise PermissionDenied
        for obj in queryset:
            obj.is_published = published
            obj.save(update_fields=["is_published", "updated_at"])
        self.message_user(request, _("%(count)d updated.") % {"count": queryset.count()})
