from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

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
