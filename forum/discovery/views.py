"""The search page and robots.txt (sitemaps: sitemaps.py)."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from forum.core import languages
from forum.discovery.search import MAX_QUERY_LENGTH, search

RESULTS_PER_PAGE = 10


@require_safe
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
                "label": gettext("Search the %(language)s pages for “%(query)s”")
                % {"language": languages.get(code).adjective, "query": query},
                "url": _search_url(code, query),
            }
            for code in languages.others(language)
        ]
    return render(request, "forum/search.html", context)


def _search_url(language_code, query):
    with translation.override(language_code):
        return f"{reverse('forum:search')}?{urlencode({'q': query})}"


@require_safe
def robots_txt(request):
    """Crawl everything public, not the admin or the API; names the sitemap.

    Search results may be crawled: they say `noindex` themselves (includes/seo_head.html),
    which a crawler only reads on a page robots.txt lets it fetch: were they disallowed,
    a results page linked from elsewhere could still be listed, by its address alone.
    """
    disallowed = ["/admin/", "/api/"]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
