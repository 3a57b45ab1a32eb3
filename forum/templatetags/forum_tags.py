import datetime

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import pgettext

from forum.core import languages
from forum.core.phones import format_phone, tel_uri
from forum.core.titles import join_titles, title_at
from forum.models import positions_label
from forum.templatetags.seo_tags import page_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """[{code, name, url, is_current}] for the language switcher: each language in which
    the page, or the nearest page to it, exists (seo_tags.page_versions)."""
    switcher = page_versions(context).switcher
    current = translation.get_language()
    alternates = []
    for language in languages.LANGUAGES:
        code = language.code
        if url := switcher.get(code):
            with translation.override(code):
                label = str(language.name)  # each language named in itself
            alternates.append(
                {
                    "code": code,
                    "tag": language.tag,
                    "name": label,
                    "url": url,
                    "is_current": code == current,
                }
            )
    return alternates


@register.simple_tag(takes_context=True)
def phone(context, e164, extension=""):
    """A phone number in the page language's style (national on Chinese pages)."""
    return format_phone(e164, extension, languages.active())


@register.simple_tag
def error_page_language(script, part):
    """For the error pages, rendered without a request: the default language ("default"),
    the first written in Chinese characters ("han") or the first converted from it
    ("converted": Traditional Chinese), as a lang attribute ("tag") or its home page
    ("home"); "" for a converted language the site does not have."""
    if script == "converted":
        code = next(
            (code for code, source in languages.DERIVED.items() if source == languages.HAN_SCRIPT),
            None,
        )
        if code is None:
            return ""
    else:
        code = languages.HAN_SCRIPT if script == "han" else languages.DEFAULT
    return languages.get(code).tag if part == "tag" else f"/{code}/"


@register.simple_tag
def current_edition():
    """The edition the header, footer and press links point at (newest published), read
    when first used: not at all when the fragments that show it are cached."""
    from forum.models import Edition

    return SimpleLazyObject(Edition.objects.current)


@register.simple_tag
def phone_uri(e164, extension=""):
    """A tel: link target for numbers that have no *_uri() method (organisations)."""
    return tel_uri(e164, extension)


@register.filter(name="positions_label")
def positions_label_filter(positions):
    """A person's positions in one line in the page's language: "Chairman, China
    Development Research Foundation; Deputy Director, …" / 中国发展研究基金会理事长、…"""
    return positions_label(positions, languages.active())


@register.simple_tag(name="title_at")
def title_at_tag(title, organisation):
    """A title at an organisation in the page's language and its order (a media
    contact's): "Press Officer, China Development Research Foundation" /
    中国发展研究基金会新闻官; the title alone without an organisation."""
    return title_at(title, organisation, languages.active())


@register.filter(name="join_titles")
def join_titles_filter(titles):
    """Titles as printed (a speech's), joined in the page's language: by 、 in Chinese, by
    "; " in English; each kept as printed."""
    return join_titles(titles, languages.active())


@register.filter
def machine_time(value):
    """A date, time or moment as the `datetime` attribute of <time> wants it (HTML's valid
    date, time or global date and time string): "2024-03-25", "14:00", a moment to the
    second with its offset, "2024-03-25T14:00:00+08:00". Never microseconds: Django's
    `|date:'c'` and isoformat() print them when a time has them, and the page is invalid."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        precision = "seconds" if value.second else "minutes"
        return value.replace(tzinfo=None, microsecond=0).isoformat(timespec=precision)
    return ""


@register.filter(expects_localtime=True)
def long_date(value):
    """ "25 March 2024" / "2024年3月25日" (the format itself is translated)."""
    if not value:
        return ""
    return date_format(value, pgettext("long date format", "j F Y"))


@register.simple_tag
def date_range(start, end):
    """ "24–25 March 2024" / "2024年3月24日至25日"; a single date when start == end."""
    if not start:
        return ""
    if not end or end == start:
        return long_date(start)
    across_months = pgettext("date range across months", "%(start)s – %(end)s")
    if (start.year, start.month) == (end.year, end.month):
        start_format = pgettext("date range start, same month", "j")
        end_format = pgettext("date range end, same month", "j F Y")
        separator = pgettext("date range within a month", "%(start)s–%(end)s")
    elif start.year == end.year:
        start_format = pgettext("date range start, same year", "j F")
        end_format = pgettext("date range end, same year", "j F Y")
        separator = across_months
    else:
        start_format = end_format = pgettext("long date format", "j F Y")
        separator = across_months
    return separator % {
        "start": date_format(start, start_format),
        "end": date_format(end, end_format),
    }
