"""The site's languages for the admin's scripts (static/js/bilingual-columns.js), which
read them from a JSON data block rather than spelling codes themselves."""

from django import template
from django.utils import translation

from forum.core import languages

register = template.Library()


@register.simple_tag
def admin_languages():
    """[{code, suffix, tag, badge, name, label}] in settings order. `name` is in the admin's
    language ("Simplified Chinese" / "简体中文"); `label` is the language's name in itself
    ("English", "简体中文"), so that an editor finds their language whatever the admin's."""
    items = []
    for language in languages.LANGUAGES:
        with translation.override(language.code):
            label = str(language.name)
        items.append(
            {
                "code": language.code,
                "suffix": language.suffix,
                "tag": language.tag,
                "badge": language.badge,
                "name": str(language.name),
                "label": label,
                "edited": language.code in languages.EDITED,
            }
        )
    return items
