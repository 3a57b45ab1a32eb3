"""Search page, calendar files and robots.txt. Feeds are in feeds.py, sitemaps in sitemaps.py."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from . import calendars
from .models import Edition, Session
from .search import MAX_QUERY_LENGTH, search

RESULTS_PER_PAGE = 10
# The link from an empty result to the same search in the other language.
OTHER_LANGUAGE_SEARCH = {
    "en": gettext_lazy("Search the English pages for “%(query)s”"),
    "zh-hans": gettext_lazy("Search the Chinese pages for “%(query)s”"),
}


@require_GET
def search_view(request):
    """/<lang>/search/?q=…&page=…: results among the pages in the reader's language."""
    query = " ".join(request.GET.get("q", "").split())
    language = translation.get_language()
    context = {
        "query": query,
        "max_length": MAX_QUERY_LENGTH,
        "results": None,
        # Shown on the empty search page, in the page language.
        "search_examples": [
            gettext("digital economy"),
            gettext("Tianjin"),
            gettext("computing power"),
        ],
    }
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = gettext(
            "Your search is too long. Please use at most %(count)s characters."
        ) % {"count": MAX_QUERY_LENGTH}
        return render(request, "forum/search.html", context, status=400)
    if query:
        try:
            context["results"] = search(
                query, language, page=request.GET.get("page") or 1, per_page=RESULTS_PER_PAGE
            )
        except InvalidPage as error:
            raise Http404(gettext("There is no such page of results.")) from error
        context["page_obj"] = context["results"].page
        context["other_languages"] = [
            {
                "code": code,
                "label": OTHER_LANGUAGE_SEARCH[code] % {"query": query},
                "url": _search_url(code, query),
            }
            for code, _name in settings.LANGUAGES
            if code != language
        ]
    return render(request, "forum/search.html", context)


def _search_url(language_code, query):
    with translation.override(language_code):
        return f"{reverse('forum:search')}?{urlencode({'q': query})}"


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def session_calendar_view(request, edition, slug):
    session = get_object_or_404(
        Session.objects.published().select_related("edition__forum", "edition__organiser"),
        edition__slug=edition,
        slug=slug,
    )
    content = calendars.session_calendar(session, request.build_absolute_uri)
    return _ics_response(content, f"cdf-{session.edition.slug}-{session.slug}.ics")


@require_GET
def edition_calendar_view(request, edition):
    edition = get_object_or_404(
        Edition.objects.published().select_related("forum", "organiser"), slug=edition
    )
    sessions = edition.sessions.published().select_related("edition__forum", "edition__organiser")
    content = calendars.edition_calendar(edition, sessions, request.build_absolute_uri)
    return _ics_response(content, f"cdf-{edition.slug}.ics")


@require_GET
def robots_txt(request):
    """Crawl everything public; not the admin, the API or search results. Names the sitemap."""
    disallowed = ["/admin/", "/api/"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            disallowed.append(reverse("forum:search"))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
