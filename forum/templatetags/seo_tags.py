"""The page head for search engines and sharing: canonical URL, hreflang alternates,
Open Graph and Twitter tags, feed links, and schema.org JSON-LD."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext

from forum.core import languages
from forum.discovery import structured_data
from forum.models import Edition, Person, Report, Session
from forum.reports.availability import default_language, page_languages, url_in_language

register = template.Library()

# Open Graph wants language_TERRITORY locales.
DESCRIPTION_LENGTH = 200
# List pages whose ?page=N is a page of its own (canonical keeps it).
PAGINATED = {"report-list", "person-list"}


def page_object(context, request):
    """The object the page is about, when the page is that object's own page."""
    obj = context.get("object")
    if obj is None or not hasattr(obj, "get_absolute_url"):
        return None
    try:
        return obj if obj.get_absolute_url() == request.path else None
    except NoReverseMatch:  # a report with no slug in this language
        return None


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
        "search": gettext("Search"),
    }
    return titles.get(url_name, str(settings.SITE_NAME)), default


@register.inclusion_tag("includes/seo_head.html", takes_context=True)
def seo_head(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or context.get("request_path") or context.get("is_preview"):
        return {"enabled": False}  # error pages and staff previews: nothing to share
    current = translation.get_language()
    absolute = request.build_absolute_uri
    obj = page_object(context, request)
    if obj is not None:
        codes = page_languages(obj)
        urls = {code: url_in_language(obj, code) for code in codes}
    else:
        codes = list(languages.CODES)
        urls = {code: translate_url(request.path, code) for code in codes}

    canonical = request.path if current in codes else urls[default_language(codes)]
    page = request.GET.get("page", "")
    if match.url_name in PAGINATED and page.isdigit() and int(page) > 1:
        canonical = f"{canonical}?page={int(page)}"

    title, description = _title_and_description(obj, match.url_name)
    image = None
    if isinstance(obj, Report) and obj.hero_image:
        image = absolute(obj.hero_image.url)
    elif isinstance(obj, Person) and obj.photo:
        image = absolute(obj.photo.url)
    og_type = {Report: "article", Person: "profile"}.get(type(obj), "website")

    return {
        "enabled": True,
        "canonical": absolute(canonical),
        "alternates": [{"code": code, "url": absolute(urls[code])} for code in codes],
        "x_default": absolute(urls[default_language(codes)]) if codes else None,
        "noindex": match.url_name == "search",
        "title": title,
        "description": Truncator(" ".join(str(description).split())).chars(DESCRIPTION_LENGTH),
        "site_name": settings.SITE_NAME,
        "og_type": og_type,
        "locale": languages.get(current).og_locale,
        "locale_alternates": [languages.get(code).og_locale for code in codes if code != current],
        "image": image,
        "image_alt": obj.hero_image_alt if isinstance(obj, Report) and image else "",
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
