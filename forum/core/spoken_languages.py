"""Languages a media contact takes calls in (not the site's languages: core/languages.py)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from forum.core import languages


class SpokenLanguage(models.TextChoices):
    """Languages a contact can take calls in (BCP 47 codes)."""

    CHINESE = "zh", _("Chinese (Mandarin)")
    CANTONESE = "yue", _("Cantonese")
    # Not the interface language's "English" (which stays "English" in Chinese).
    ENGLISH = "en", pgettext_lazy("language spoken", "English")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    PORTUGUESE = "pt", _("Portuguese")


LANGUAGE_SEPARATORS = re.compile(r"[,;/、，；|\n]+")


def parse_languages(value):
    """Codes or names in either language ("en, 中文（普通话）", ["zh", "en"]) -> ["zh", "en"].

    The result follows the order of `SpokenLanguage`, without repeats. Raises
    ValidationError naming what it does not recognise.
    """
    if isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        items = LANGUAGE_SEPARATORS.split(value or "")
    known = {}
    for code, label in SpokenLanguage.choices:
        known[code] = code
        for language_code in languages.CODES:
            with override(language_code):
                known[str(label).casefold()] = code
    # Names people type in spreadsheets, whatever the interface language.
    known.update(
        {
            "chinese": "zh",
            "mandarin": "zh",
            "中文": "zh",
            "普通话": "zh",
            "汉语": "zh",
            "粤语": "yue",
            "广东话": "yue",
            "英语": "en",
            "英文": "en",
            "法语": "fr",
            "德语": "de",
            "西班牙语": "es",
            "俄语": "ru",
            "阿拉伯语": "ar",
            "日语": "ja",
            "韩语": "ko",
            "葡萄牙语": "pt",
        }
    )
    codes, unknown = set(), []
    for item in (item.strip() for item in items):
        if not item:
            continue
        code = known.get(item.casefold())
        if code is None:
            unknown.append(item)
        else:
            codes.add(code)
    if unknown:
        raise ValidationError(
            _("Unknown language: %(names)s. Use a name or code such as English, en, 中文, zh."),
            code="invalid",
            params={"names": ", ".join(unknown)},
        )
    return [code for code in SpokenLanguage.values if code in codes]
