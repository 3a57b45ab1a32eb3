"""The site's languages: the one registry every other module asks.

Which languages the site has comes from `settings.LANGUAGES` (codes as Django spells them,
which are also the URL prefixes: /en/, /zh-hans/); this module adds what each language
needs beyond its name, and the column names django-modeltranslation gives each translated
field ("body" -> "body_en", "body_zh_hans"). No other module spells a language code or a
column suffix: adding a language means a line in settings and an entry in `_DETAILS`.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Language:
    code: str  # Django's code and URL prefix: "zh-hans"
    name: str  # translated name: "Simplified Chinese"
    badge: str  # the short label editors see on tabs and columns: "中文"
    tag: str  # BCP 47, for lang and hreflang attributes: "zh-Hans"
    og_locale: str  # Open Graph locale: "zh_CN"
    adjective: str  # translated, for "the Chinese pages"
    # A language converted from another rather than written by editors (Traditional
    # Chinese from Simplified): its texts follow their source, so workflow, gates and
    # translators' queues skip it.
    derived_from: str | None = None
    conversion: str = ""  # how: the OpenCC configuration (forum/core/scripts.py)
    # The regional glyph forms its Chinese characters are drawn in (the faces of Noto Sans
    # CJK: "SC", "TC", "HK"), for the images the site draws itself; "" for Latin script.
    han_glyphs: str = ""
    # The interface catalogue's configuration, if not `conversion` (derive_catalogues):
    # Taiwan's vocabulary for the interface, the content's words kept as written.
    interface_conversion: str = ""
    # 「」 and 『』 for “” and ‘’ in converted Han text (Taiwan and Hong Kong usage).
    corner_quotes: bool = False
    # One form of a variant the converter writes otherwise, in content as in the
    # interface ({converter's form: the form this language writes}).
    preferred_forms: dict = dataclass_field(default_factory=dict)
    # Other names of the language's catalogue folders in third-party apps (django-reversion
    # writes zh_Hans, older apps zh_CN): derive_catalogues looks for the apps' catalogues
    # under each.
    catalogue_aliases: tuple = ()

    @property
    def suffix(self):
        """modeltranslation's column suffix: "zh_hans"."""
        return self.code.replace("-", "_")


# What settings.LANGUAGES does not say. Badges are written in their own language so that
# an editor finds their language whatever the admin's language is.
_DETAILS = {
    "en": {
        "badge": "EN",
        "tag": "en",
        "og_locale": "en_GB",
        "adjective": pgettext_lazy("pages in a language", "English"),
    },
    "zh-hans": {
        "badge": "中文",
        "tag": "zh-Hans",
        "og_locale": "zh_CN",
        "adjective": pgettext_lazy("pages in a language", "Chinese"),
        "han_glyphs": "SC",
        "catalogue_aliases": ("zh_CN",),
    },
    "zh-hant": {
        "badge": "繁體",
        "tag": "zh-Hant",
        "og_locale": "zh_TW",
        "adjective": pgettext_lazy("pages in a language", "Traditional Chinese"),
        "derived_from": "zh-hans",
        "conversion": settings.TRADITIONAL_CHINESE_CONVERSION,
        # Hong Kong's character forms (s2hk) are drawn in Hong Kong's glyphs, the others
        # in Taiwan's.
        "han_glyphs": "HK" if settings.TRADITIONAL_CHINESE_CONVERSION == "s2hk" else "TC",
        "interface_conversion": "s2twp",
        "corner_quotes": True,
        # Taiwan's Ministry of Education writes 發布 (OpenCC: 發佈), as the interface does.
        "preferred_forms": {"發佈": "發布"},
        "catalogue_aliases": ("zh_TW",),
    },
}


def language_model(codes):
    """(the codes editors write, {derived code: its source}) among `codes`: the language
    model, read from _DETAILS (forum/core/checks.py checks it at start-up)."""
    derived = {code: _DETAILS[code]["derived_from"] for code in codes if _derived(code)}
    return tuple(code for code in codes if code not in derived), derived


def _derived(code):
    return bool(_DETAILS.get(code, {}).get("derived_from"))


def is_described(code):
    """Whether the registry knows what the language needs beyond its name."""
    return code in _DETAILS


LANGUAGES = tuple(
    Language(code=code, name=name, **_DETAILS[code]) for code, name in settings.LANGUAGES
)
CODES = tuple(language.code for language in LANGUAGES)
# The languages editors write and translators translate (every language but derived ones),
# and those converted from another: {code: the code of its source}. Editors write exactly
# two; code that relies on it is listed in forum/core/checks.py.
EDITED, DERIVED = language_model(CODES)
# Choices of a language editors write (a report's original language).
EDITED_CHOICES = [(code, name) for code, name in settings.LANGUAGES if code in EDITED]
# The language pages fall back to (x-default) and original texts are written in first.
DEFAULT = settings.LANGUAGE_CODE
_BY_CODE = {language.code: language for language in LANGUAGES}


def get(code):
    """The Language of a code; KeyError for a code the site does not have."""
    return _BY_CODE[code]


def is_site_language(code):
    return code in _BY_CODE


def active():
    """The active language's code (the default outside a request)."""
    code = translation.get_language()
    return code if code in _BY_CODE else DEFAULT


def others(code):
    """Every site language but this one, in settings order."""
    return tuple(other for other in CODES if other != code)


def writes_han(code):
    """Whether the language is written in Chinese characters (family name first, no
    spaces): Simplified and Traditional Chinese."""
    return get(code).tag.startswith("zh-Han")


# The language of a text written in Chinese characters (a name, an address) when nothing
# else says: the first Chinese one.
HAN_SCRIPT = next((code for code in EDITED if writes_han(code)), DEFAULT)


def catalogue_folders(code):
    """The locale folder names under which an app may keep the language's catalogue:
    Django's ("zh_Hans") first, then the registry's aliases ("zh_CN")."""
    return (translation.to_locale(code), *get(code).catalogue_aliases)


def origin(code):
    """The language whose text a language shows: its source for a derived language."""
    return DERIVED.get(code, code)


def with_derived(codes):
    """The codes and every language derived from them, in settings order: a report
    published in Simplified Chinese only is also read in Traditional."""
    return tuple(code for code in CODES if origin(code) in codes)


def derived_columns(field):
    """{derived column: its source column} of a translated field."""
    return {column(field, code): column(field, source) for code, source in DERIVED.items()}


def suffix(code):
    return get(code).suffix


def column(field, code=None):
    """The column of a translated field in a language (default: the active one)."""
    return f"{field}_{suffix(code or active())}"


def columns(*fields):
    """Every language's column of each field, field by field: for search_fields and lists."""
    return tuple(column(field, code) for field in fields for code in CODES)


def by_code(field, obj):
    """{code: the object's text of the field in that language}."""
    return {code: getattr(obj, column(field, code)) for code in CODES}


def keyed(*texts):
    """{code: text} for texts given in the order of the languages editors write (English,
    then Simplified Chinese); languages after the texts given are left out, and derived
    languages are converted when the object is saved."""
    return dict(zip(EDITED, texts, strict=False))


def spread(field, *texts):
    """{column: text} for texts given in settings order, as keyed()."""
    return {column(field, code): text for code, text in keyed(*texts).items()}


def first_text(obj, field):
    """The field's text in the first language that has one (for labels, never pages)."""
    return next((text for text in by_code(field, obj).values() if text), "")


def default_column(field):
    """The column in the default language: admin sorting, slugs filled from a title."""
    return column(field, DEFAULT)
