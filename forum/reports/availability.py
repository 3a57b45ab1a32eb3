"""In which languages a public page exists, and its address in each.

Search, feeds, sitemaps, the page head and the API all ask the same question; the answer
lives here so that they agree. Reports can lack a language (no slug in it, or an editor
published them in one language only), and so can a page of the reports list past the
first; every other page exists in both languages.
"""

from django.utils import translation

from forum.core import languages
from forum.models import Report


def page_languages(obj):
    """The languages in which the object's public page exists, in settings order."""
    if isinstance(obj, Report):
        return obj.available_languages()
    return list(languages.CODES)


def listed_in(queryset, language_code):
    """The items of `queryset` whose public page exists in the language: the queryset form
    of page_languages(), for lists (the API's ?language=). Reports published in it (or in
    the language it is derived from); anything else in every language, a name or a title
    known in one language only shown as given."""
    if queryset.model is Report:
        return queryset.filter(pk__in=Report.objects.public(language_code).values("pk"))
    return queryset


def url_in_language(obj, language_code):
    """The object's page address (path) in the language, or None where it has none."""
    if language_code not in page_languages(obj):
        return None
    with translation.override(language_code):
        return obj.get_absolute_url()


def default_language(codes):
    """The language x-default points at: the site's default when the page has it, else
    the first."""
    return languages.DEFAULT if languages.DEFAULT in codes else (codes[0] if codes else None)


def list_page_languages(number, per_page):
    """The languages in which page `number` of the reports list exists, in settings order:
    each language lists the reports public in it, so single-language reports make one
    language's list longer than another's. One count per language but the reader's."""
    active = languages.active()
    before = (number - 1) * per_page
    return [
        code
        for code in languages.CODES
        if code == active or Report.objects.public(code).count() > before
    ]
