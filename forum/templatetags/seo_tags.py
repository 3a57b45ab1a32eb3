"""The page head for search engines and sharing: canonical URL, hreflang alternates,
Open Graph and Twitter tags, feed links, and schema.org JSON-LD.

Where a page is in each language is answered once, by `page_versions()`, for the head and
for the language switcher (forum_tags.language_alternates):

- an object's page (report, person, edition, session) exists in the object's languages
  (forum/reports/availability.py), each at its own address;
- a list's page N exists in a language when that language's list is that long (the views
  say so: `page_languages`), at the same ?page=N; the switcher leads to the list's first
  page where page N does not exist;
- search results and the page saying a report is not in this language are not indexed
  (`robots`): they name no alternates, and their switcher leads to the same search, or
  to the report, in the other language.

A canonical link always names the page itself, with the query that makes it a page of its
own (?q= of a search, ?page=N past the first) and nothing else.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from forum.core import images, languages
from forum.discovery import share_image, structured_data
from forum.models import Edition, Person, Report, Session
from forum.reports.availability import default_language, page_languages, url_in_language

register = template.Library()

DESCRIPTION_LENGTH = 200
SEARCH = "search"
NOINDEX = "noindex, follow"


@dataclass(frozen=True)
class Versions:
    canonical: str  # this page's path, with the query that makes it a page of its own
    alternates: dict  # code -> this page in each language it exists in (hreflang)
    switcher: dict  # code -> where the language switcher leads
    robots: str  # the robots meta tag's content, "" for an indexed page


def page_object(context, request):
    """The object the page is about, when the page is that object's own page."""
    obj = context.get("object")
    if obj is None or not hasattr(obj, "get_absolute_url"):
        return None
    try:
        return obj if obj.get_absolute_url() == request.path else None
    except NoReverseMatch:  # a report with no slug in this language
        return None


def page_versions(context):
    """The page's Versions: its canonical path, its alternates and the switcher's links."""
    request = context["request"]
    match = request.resolver_match
    is_search = match is not None and match.url_name == SEARCH
    robots = context.get("robots") or (NOINDEX if is_search else "")
    obj = page_object(context, request)
    if obj is not None:
        addresses = {code: url_in_language(obj, code) for code in page_languages(obj)}
        canonical = addresses.get(translation.get_language(), request.path)
        return Versions(canonical, {} if robots else addresses, addresses, robots)

    query = {"q": context["query"]} if is_search and context.get("query") else {}
    page = context.get("page_obj")
    own = {**query, "page": page.number} if page and page.number > 1 else query
    alternates = {
        code: _with_query(translate_url(request.path, code), own)
        for code in context.get("page_languages") or languages.CODES
        if not robots
    }
    # Where the page has no alternate in a language, the switcher leads to the first page
    # of the same list or search there.
    switcher = context.get("language_versions") or {
        code: alternates.get(code) or _with_query(translate_url(request.path, code), query)
        for code in languages.CODES
    }
    return Versions(_with_query(request.path, own), alternates, switcher, robots)


def _with_query(path, params):
    return f"{path}?{urlencode(params)}" if params else path


def _title_and_description(obj, url_name):
    """The page's own title (without the site name) and a description, in the page language."""
    default = gettext(
        "News, programme and speeches of the China Development Forum, in English and Chinese."
    )
    if isinstance(obj, Report):
        return obj.headline, obj.summary or default
    if isinstance(obj, Session):
        return obj.title, obj.summary or default
    if isinstance(obj, Edition):
        return obj.title, obj.summary or obj.theme or default
    if isinstance(obj, Person):
        return obj.full_name(), obj.biography or default
    titles = {
        "report-list": gettext("Reports"),
        "person-list": gettext("People"),
        "about": gettext("About"),
        "press": gettext("Press centre"),
        SEARCH: gettext("Search"),
    }
    return titles.get(url_name, str(settings.SITE_NAME)), default


def page_edition(context, obj):
    """The edition a page belongs to: its object's, or the current one (the navigation's)."""
    if isinstance(obj, Report | Session):
        return obj.edition
    for name in ("object", "edition", "nav_edition"):
        if isinstance(context.get(name), Edition):
            return context[name]
    return None


def share_picture(context, obj):
    """The ShareImage shared with the page: its own image (a report's, a person's photo) or
    its edition's share image; None if there is none to give."""
    own, alt = None, ""
    if isinstance(obj, Report):
        own, alt = images.public_rendition(obj.hero_image), obj.hero_image_alt
    elif isinstance(obj, Person):
        own, alt = images.public_rendition(obj.photo), obj.full_name()
    if own is not None:
        return share_image.ShareImage(own.url, own.width, own.height, alt)
    return share_image.for_edition(page_edition(context, obj))


@register.inclusion_tag("includes/seo_head.html", takes_context=True)
def seo_head(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or context.get("request_path") or context.get("is_preview"):
        return {"enabled": False}  # error pages and staff previews: nothing to share
    current = translation.get_language()
    absolute = request.build_absolute_uri
    obj = page_object(context, request)
    versions = page_versions(context)
    codes = list(versions.alternates)
    default = default_language(codes)

    title, description = _title_and_description(obj, match.url_name)
    picture = share_picture(context, obj)
    og_type = {Report: "article", Person: "profile"}.get(type(obj), "website")

    return {
        "enabled": True,
        "canonical": absolute(versions.canonical),
        "alternates": [
            {"code": code, "tag": languages.get(code).tag, "url": absolute(url)}
            for code, url in versions.alternates.items()
        ],
        "x_default": absolute(versions.alternates[default]) if default else None,
        "robots": versions.robots,
        "title": title,
        "description": Truncator(" ".join(str(description).split())).chars(DESCRIPTION_LENGTH),
        "site_name": settings.SITE_NAME,
        "og_type": og_type,
        "locale": languages.get(current).og_locale,
        "locale_alternates": [languages.get(code).og_locale for code in codes if code != current],
        "image": picture,
        "image_url": absolute(picture.url) if picture else None,
        "report": obj if isinstance(obj, Report) else None,
        "atom_feed": reverse("forum:report-feed-atom"),
        "rss_feed": reverse("forum:report-feed-rss"),
    }


@register.simple_tag(takes_context=True)
def json_ld(context, obj=None):
    """schema.org JSON-LD for the page's object; the WebSite (with search) without one.

    Reuses what the view already loaded (roles, speeches, sessions) so the page costs
    no extra queries.
    """
    request = context.get("request")
    if request is None:
        return ""
    absolute = request.build_absolute_uri
    if isinstance(obj, Report):
        data = structured_data.report(obj, absolute)
    elif isinstance(obj, Session):
        data = structured_data.session(
            obj, absolute, roles=context.get("roles") or (), speeches=context.get("speeches") or ()
        )
    elif isinstance(obj, Edition):
        sessions = [
            session
            for _day, day_sessions in context.get("sessions_by_day") or ()
            for session in day_sessions
        ]
        data = structured_data.edition(obj, absolute, sessions=sessions)
    elif isinstance(obj, Person):
        data = structured_data.person(obj, absolute)
    else:
        data = structured_data.website(
            settings.SITE_NAME, absolute(reverse("forum:home")), absolute(reverse("forum:search"))
        )
    return structured_data.json_ld_script(data)


@register.simple_tag(takes_context=True)
def json_ld_organization(context, forum=None, press_office=None, contacts=()):
    """The forum as an Organization (about page); on the press page with its press office
    and the page's media contacts as contact points, their public details only."""
    request = context.get("request")
    if request is None:
        return ""
    points = [structured_data.office_contact_point(press_office)]
    points += [structured_data.contact_point(contact) for contact in contacts]
    data = structured_data.forum_organization(
        forum, request.build_absolute_uri, static("img/logo.svg"), points
    )
    return structured_data.json_ld_script(data)


@register.simple_tag(takes_context=True)
def json_ld_item_list(context, items, name=None):
    """An ItemList of the items a list page shows, numbered across its pages."""
    request = context.get("request")
    items = list(items or ())
    if request is None or not items:
        return ""
    page = context.get("page_obj")
    first = page.start_index() if page else 1
    data = structured_data.item_list(items, request.build_absolute_uri, name, first)
    return structured_data.json_ld_script(data)
