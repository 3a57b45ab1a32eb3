"""Serves anonymous readers' public pages from the page cache (see tags.py).

Sits right after WhiteNoise, before the session, locale, CSRF and authentication
middleware: a cached page costs one cache read and none of their work. A request that
carries a session cookie or credentials (an editor, a logged-in reader) passes straight
through, neither served from nor stored in the cache.

A page is keyed by its address with only the query parameters its view reads
(tags.PAGE_PARAMETERS): tracking parameters are served the cached page. The requests it
would cache are also those whose fragments are cached (fragments.py): it collects their
tags, the page cache on or off.
"""

import hashlib
import time
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from forum.core import fragments as page_data
from forum.core import images, languages
from forum.pagecache import fragments, store
from forum.pagecache.tags import PAGE_COLLECTIONS, PAGE_PARAMETERS, collecting_tags, page_tags

# Headers of the stored response that are not replayed (set again for each hit).
NOT_REPLAYED = {"content-length", "date", "etag", "last-modified", "x-page-cache"}
# Browsers and proxies may keep a copy but must ask again (and get a 304 if unchanged):
# invalidation can only reach the copies we hold.
CACHE_CONTROL = "public, max-age=0, must-revalidate"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(f"/{code}/" for code in languages.CODES)

    def __call__(self, request):
        caches_pages, caches_fragments = store.is_enabled(), fragments.is_enabled()
        if not ((caches_pages or caches_fragments) and self.is_candidate(request)):
            return self.get_response(request)
        language = self.language(request)
        view_name = cached_view(language, request.path_info)
        if view_name is None:
            return self.get_response(request)
        request.page_address = page_address(request, PAGE_PARAMETERS.get(view_name, ()))
        key = store.page_key(language, request.page_address)
        if caches_pages:
            entry = store.lookup(key)
            if entry is not None:
                return self.replay(request, entry)

        rendered_at = time.time()
        with collecting_tags() as tags, images.watching_storage() as storage_failed:
            if caches_fragments:  # the page's fragments are cached under these tags too
                setattr(request, page_data.REQUEST_ATTRIBUTE, tags)
                request.page_rendered_at = rendered_at
            response = self.get_response(request)
        if not caches_pages:
            return response
        collections = self.page_collections(request)
        # A page whose images were left out while the media storage failed is not kept.
        if collections is not None and not storage_failed() and self.is_storable(request, response):
            content = response.content
            etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
            response["ETag"] = etag
            response["Last-Modified"] = http_date(rendered_at)
            response["Cache-Control"] = CACHE_CONTROL
            headers = tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_REPLAYED
            )
            entry = (content, headers, etag, int(rendered_at))
            stored = store.store(key, entry, tags | collections, rendered_at)
            response["X-Page-Cache"] = "miss" if stored else "skip"
            return get_conditional_response(
                request, etag=etag, last_modified=int(rendered_at), response=response
            )
        return response

    def process_template_response(self, request, response):
        # The collection tags come from what the view put in the context.
        request._page_cache_context = response.context_data
        return response

    def is_candidate(self, request):
        """Anonymous GETs of language-prefixed pages and the sitemaps; no previews."""
        if request.method != "GET":
            return False
        path = request.path_info
        is_sitemap = path.startswith("/sitemap") and path.endswith(".xml")
        if not (path.startswith(self.prefixes) or is_sitemap):
            return False
        if "/preview/" in path:
            return False
        return not (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
        )

    def language(self, request):
        # Outside the language prefixes LocaleMiddleware negotiates (Accept-Language).
        return translation.get_language_from_path(
            request.path_info
        ) or translation.get_language_from_request(request)

    def page_collections(self, request):
        match = getattr(request, "resolver_match", None)
        if match is None:
            return None
        # The URL's arguments too, as TemplateView puts them in its context: a sitemap
        # file's section is only there.
        context = getattr(request, "_page_cache_context", None) or {}
        return page_tags(match.view_name, {**match.kwargs, **context})

    def is_storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = response.get("Vary", "").lower()
        return "cookie" not in vary and "*" not in vary

    def replay(self, request, entry):
        content, headers, etag, last_modified = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )


@receiver(setting_changed)
def _forget_views(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES"}:
        cached_view.cache_clear()


@lru_cache(maxsize=4096)
def cached_view(language, path):
    """The name of the cached view (tags.PAGE_COLLECTIONS) serving the path, or None."""
    with translation.override(language):
        try:
            name = resolve(path).view_name
        except Resolver404:
            return None
    return name if name in PAGE_COLLECTIONS else None


def page_address(request, parameters):
    """The page's absolute address with the query parameters its view reads, in the
    declared order, and no other: the key of the page and of its fragments."""
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    if parameters and request.META.get("QUERY_STRING"):
        used = [(name, value) for name in parameters for value in request.GET.getlist(name)]
        if used:
            address = f"{address}?{urlencode(used)}"
    return address
