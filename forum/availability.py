"""In which languages a public page exists, and its address in each.

Search, feeds, sitemaps, the page head and the API all ask the same question; the answer
lives here so that they agree. Reports can lack a language (no slug in it, or an editor
published them in one language only); every other page exists in both languages.
"""

from django.utils import translation

from .models import Report
from .models.common import LANGUAGE_CODES


def reports_available_in(language_code):
    """Published reports the public can read in the language (cf. Report.available_languages)."""
    return Report.objects.published().in_language(language_code)


def page_languages(obj):
    """The languages in which the object's public page exists, in settings order."""
    if isinstance(obj, Report):
        return obj.available_languages()
    return list(LANGUAGE_CODES)


def url_in_language(obj, language_code):
    """The object's page address (path) in the language, or None where it has none."""
    if language_code not in page_languages(obj):
        return None
    with translation.override(language_code):
        return obj.get_absolute_url()


def default_language(languages):
    """The language x-default points at: English when the page has it, else the first."""
    return "en" if "en" in languages else (languages[0] if languages else None)
