"""Fragments of public pages (their head, body, navigation…) kept in the page cache's
store under the same tags, so a change invalidates a fragment exactly when it invalidates
the pages showing it (tags.py, store.py).

The page still runs its view and its outer template for every request: the view finds
the page's object or answers 404 with a narrow read, and only the wide reads a fragment
needs are deferred until a fragment is missing (forum/core/fragments.py). Fragments are
used only for the requests the page cache middleware marks (anonymous GETs of the cached
views, never a preview, an error page or a logged-in reader) and are of two kinds:

* a page's own fragment ("head", "body"): keyed by the page's address with the query
  parameters the view reads (tags.PAGE_PARAMETERS), its template and its language, and
  tagged with every object loaded for the request until it was rendered and with the
  page's collection tags;
* a fragment shared by every page ("navigation", "footer"), keyed by its name, its
  language and the values it varies with, and tagged like a page's (EVERY_PAGE).

A cached fragment's tags are added to the page's, so a page cached whole (with the page
cache on) is invalidated by everything its fragments showed.
"""

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe

from forum.core import fragments as page_data
from forum.core import images
from forum.pagecache import store
from forum.pagecache.tags import EVERY_PAGE, PAGE_COLLECTIONS, page_tags, record_tags


def is_enabled():
    return getattr(settings, "FRAGMENT_CACHE_ENABLED", False)


def _request_tags(context):
    """The tags collected for the request, or None when its fragments are not cached."""
    request = context.get("request")
    if request is None or not is_enabled():
        return None
    return getattr(request, page_data.REQUEST_ATTRIBUTE, None)


def _digest(*parts):
    return hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def page_fragment_key(context, name):
    """The key of the page's own fragment, or None when it is not cached."""
    request = context["request"]
    match = request.resolver_match
    if match is None or match.view_name not in PAGE_COLLECTIONS:
        return None
    if context.get("is_preview") or context.get("request_path"):
        return None  # staff previews and error pages are rendered every time
    template = context.template.origin.template_name if context.template else ""
    digest = _digest(request.page_address, template, name)
    return f"{store.KEY_PREFIX}:fragment:{translation.get_language()}:{digest}"


def shared_fragment_key(name, vary):
    return f"{store.KEY_PREFIX}:fragment:{translation.get_language()}:{_digest(name, *vary)}"


def render(context, nodelist, name, shared=False, vary=()):
    """The fragment's HTML: from the cache, or rendered (with the deferred page data) and
    stored under its tags."""
    request_tags = _request_tags(context)
    if request_tags is None:
        return nodelist.render(context)
    key = shared_fragment_key(name, vary) if shared else page_fragment_key(context, name)
    if key is None:
        return nodelist.render(context)
    entry = store.lookup(key)
    if entry is not None:
        html, tags = entry
        record_tags(tags)
        return mark_safe(html)  # noqa: S308 (our own rendered template output)

    request = context["request"]
    deferred = context.get(page_data.CONTEXT_KEY)
    with context.push(deferred() if deferred else {}):
        html = nodelist.render(context)
        if shared:
            collections = set(EVERY_PAGE)
        else:  # with the deferred data: the page's object as the collection tags name it
            match = request.resolver_match
            collections = page_tags(match.view_name, {**match.kwargs, **context.flatten()})
    record_tags(collections)  # the page's too
    # Every object loaded for the request so far: what the view read as well as the fragment.
    tags = frozenset(request_tags)
    if not images.storage_failed():  # a fragment whose images were left out is not kept
        store.store(key, (str(html), tags), tags, request.page_rendered_at)
    return html
