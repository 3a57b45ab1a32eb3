"""Page cache for anonymous readers, invalidated precisely with "page tags".

This module names the tags; store.py keeps pages under them; receivers.py invalidates.

How it works
------------
* `forum.pagecache.middleware.PageCacheMiddleware` stores the finished response of an anonymous GET
  of a public page (the views named in `PAGE_COLLECTIONS`) in Django's cache, keyed by
  language, host and full path with query string. Logged-in readers, previews, the admin,
  non-200 responses and responses that set a cookie or vary on it are never stored.
* While a page renders, every forum object loaded from the database is recorded as an
  *object tag* ("report:12", "person:7"): the page shows it, or shows something derived
  from it. The view's URL name adds *collection tags* ("session:5/speeches", "reports"):
  the page lists a set whose members can change without any object on the page changing
  (a speech is published, a report is scheduled into a session).
* Each tag keeps the set of cache keys of the pages that carry it (a Redis set with the
  Redis backend, shared by every process; an in-process index with the local-memory
  backend, which is per process anyway). When an object is saved or deleted, `tags_for()`
  names the tags (from the one map of what shows what, forum/models/dependencies.py) of
  the pages that may show it; when its many-to-many links change, `lists_of()` those of
  the lists it joins or leaves. After the transaction commits exactly those pages are
  deleted, in both languages.
* Scheduled reports (published, with a future `published_at`) become public when the
  clock passes that time, with no save. A page is stored with a timeout that ends at the
  earliest scheduled publication among the reports that could appear on it (those whose
  collection tags it carries), so it is rendered afresh at that moment.
* A render that overlaps an invalidation is not kept: a global stamp records the last
  invalidation, and a page rendered before it is deleted again right after it is stored.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from forum.models import Edition, Person, Report, Session
from forum.models.dependencies import LISTED_IN, affects_search, owners

# --- Tags ---------------------------------------------------------------------------------


def object_tag(obj_or_model, pk=None):
    """ "report:12" for a report (or for Report and 12)."""
    if pk is None:
        pk = obj_or_model.pk
    return f"{obj_or_model._meta.model_name}:{pk}"


def collection_tag(model, pk, name):
    """ "session:5/speeches": pages listing the session's (published) speeches."""
    return f"{model._meta.model_name}:{pk}/{name}"


# The tag sets being collected, outermost first: a page's, and a fragment's inside it.
_collectors: ContextVar[tuple[set, ...]] = ContextVar("page_tags", default=())


@contextmanager
def collecting_tags():
    """Records the object tags of every tagged model instance loaded inside the block
    (into every block it is nested in as well)."""
    tags = set()
    token = _collectors.set((*_collectors.get(), tags))
    try:
        yield tags
    finally:
        _collectors.reset(token)


def record_tags(tags):
    """Adds tags to every collection under way: a cached fragment's to its page's."""
    for collected in _collectors.get():
        collected.update(tags)


def record_loaded_instance(sender, instance, **kwargs):
    if instance.pk is not None:
        for collected in _collectors.get():
            collected.add(f"{sender._meta.model_name}:{instance.pk}")


# --- Which pages list which collections ---------------------------------------------------


def _pk(context, name):
    obj = (context or {}).get(name)
    return getattr(obj, "pk", None)


def _home(context):
    tags = {"reports"}
    if pk := _pk(context, "edition"):
        tags.add(collection_tag(Edition, pk, "sessions"))
    return tags


def _report_detail(context):
    pk = _pk(context, "object")
    if pk is None:  # "not available in this language": lists the other versions
        return {"reports"}
    return {collection_tag(Report, pk, name) for name in ("credits", "speeches", "contacts")}


def _person_detail(context):
    pk = _pk(context, "object")
    return {collection_tag(Person, pk, name) for name in PERSON_COLLECTIONS}


def _edition_detail(context):
    pk = _pk(context, "object")
    return {collection_tag(Edition, pk, "sessions"), collection_tag(Edition, pk, "reports")}


def _press(context):
    return {collection_tag(Edition, _pk(context, "object"), "contacts")}


def _session_detail(context):
    pk = _pk(context, "object")
    return {collection_tag(Session, pk, name) for name in ("roles", "speeches", "reports")}


PERSON_COLLECTIONS = ("speeches", "roles", "reports", "positions")

# Sitemap files (/sitemap-<section>.xml, forum/discovery/sitemaps.py) list the public
# objects of one kind; editions (and so the press pages) are in EVERY_PAGE already.
SITEMAP_SECTIONS = {
    "pages": set(),
    "editions": set(),
    "press": set(),
    "sessions": {"sessions"},
    "people": {"people"},
    "reports": {"reports"},
}
SITEMAP_LISTS = set().union(*SITEMAP_SECTIONS.values())

# View name -> collection tags of the page, from the template context and the URL's
# arguments (only these for views that render without a TemplateResponse). Only these
# views are cached.
PAGE_COLLECTIONS = {
    "forum:home": _home,
    "forum:about": lambda context: {"forums"},
    "forum:report-list": lambda context: {"reports"},
    "forum:report-detail": _report_detail,
    "forum:person-list": lambda context: {"people"},
    "forum:person-detail": _person_detail,
    "forum:edition-detail": _edition_detail,
    "forum:press": _press,
    "forum:session-detail": _session_detail,
    # Search results may hold any indexed page, scheduled reports included.
    "forum:search": lambda context: {"search", "reports"},
    "forum:report-feed-atom": lambda context: {"reports"},
    "forum:report-feed-rss": lambda context: {"reports"},
    # The index: each section's number of files and latest lastmod.
    "sitemap": lambda context: set(SITEMAP_LISTS),
    "sitemap-section": lambda context: set(SITEMAP_SECTIONS.get(context["section"], SITEMAP_LISTS)),
}
# Every page shows the current edition in its navigation and footer.
EVERY_PAGE = frozenset({"editions"})

# The query parameters each cached view reads (none where not listed): a page is cached
# under its address with these and nothing else, so tracking parameters (utm_source,
# fbclid…) and any other unknown ones are served the same cached page. A view that starts
# reading a parameter must be listed here (tests/pagecache/test_query_strings.py).
PAGE_PARAMETERS = {
    "forum:report-list": ("page",),
    "forum:person-list": ("page",),
    "forum:press": ("page",),
    "forum:search": ("q", "page"),
    "sitemap-section": ("p",),
}


def page_tags(view_name, context):
    """The collection tags of a page, or None if pages of this view are never cached."""
    collections = PAGE_COLLECTIONS.get(view_name)
    if collections is None:
        return None
    return set(EVERY_PAGE) | collections(context)


# --- What a change invalidates ------------------------------------------------------------


def collections_of(instance):
    """Collection tags of the pages that list the instance (a report: when it is public)."""
    return set(LISTED_IN.get(type(instance).__name__, ())) | lists_of([instance])


def lists_of(objects):
    """Collection tags of the lists the objects are in on their owners' pages, as linked now,
    and of search results where their text is searched. Of two objects just linked, or
    about to be unlinked: the lists the link changes (dependencies.py `link_tables`)."""
    tags = set()
    for instance in objects:
        if affects_search(type(instance)):
            tags.add("search")
        for owner, pk, lists in owners(instance):
            tags |= {collection_tag(owner, pk, list_name) for list_name in lists}
    return tags


# Report fields that never reach a public page (the working copy and its bookkeeping).
PRIVATE_REPORT_FIELDS = {
    "pending_changes",
    "pending_status",
    "translation_sync",
    "translations_outdated",
    "updated_by",
    "version",
    "created_by",
    "created_at",
}


def public_state(report):
    """What a report shows the public, to tell a working-copy save from a public change."""
    if not report.is_released:
        return None
    values = {
        field.attname: getattr(report, field.attname)
        for field in report._meta.concrete_fields
        if field.name not in PRIVATE_REPORT_FIELDS and field.name != "updated_at"
    }
    if report.live_updated_at is None:  # pages fall back to updated_at as "modified"
        values["updated_at"] = report.updated_at
    return values


def tags_for(instance):
    """Tags of every page that shows the instance now or will show it after the change.

    A page that showed it before (a report moved to another edition) loaded it, so it
    carries its object tag."""
    return {object_tag(instance)} | collections_of(instance)
