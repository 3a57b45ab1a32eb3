"""Page cache for anonymous readers, invalidated precisely with "page tags".

How it works
------------
* `forum.middleware.PageCacheMiddleware` stores the finished response of an anonymous GET
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
  backend, which is per process anyway). When an object is saved, deleted or its
  many-to-many links change, `tags_for()` names the tags whose pages may show it, and
  after the transaction commits exactly those pages are deleted, in both languages.
* Scheduled reports (published, with a future `published_at`) become public when the
  clock passes that time, with no save. A page is stored with a timeout that ends at the
  earliest scheduled publication among the reports that could appear on it (those whose
  collection tags it carries), so it is rendered afresh at that moment.
* A render that overlaps an invalidation is not kept: a global stamp records the last
  invalidation, and a page rendered before it is deleted again right after it is stored.
"""

import hashlib
import logging
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete, pre_save
from django.utils import timezone

logger = logging.getLogger(__name__)

# Models whose instances tag the pages that load them, and whose changes invalidate.
TAGGED_MODELS = (
    "Report",
    "Credit",
    "Session",
    "SessionRole",
    "Speech",
    "Person",
    "Position",
    "Edition",
    "Forum",
    "Organisation",
    "MediaContact",
)

KEY_PREFIX = "pagecache"
SCHEDULE_KEY = f"{KEY_PREFIX}:schedule"
STAMP_KEY = f"{KEY_PREFIX}:invalidated-at"
# How long the "last invalidation" stamp is kept: longer than any render can take.
STAMP_TIMEOUT = 600


def is_enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def page_timeout():
    return int(getattr(settings, "PAGE_CACHE_TIMEOUT", 300))


# --- Tags ---------------------------------------------------------------------------------


def object_tag(obj_or_model, pk=None):
    """ "report:12" for a report (or for Report and 12)."""
    if pk is None:
        pk = obj_or_model.pk
    return f"{obj_or_model._meta.model_name}:{pk}"


def collection_tag(model, pk, name):
    """ "session:5/speeches": pages listing the session's (published) speeches."""
    return f"{model._meta.model_name}:{pk}/{name}"


_collector: ContextVar[set | None] = ContextVar("page_tags", default=None)


@contextmanager
def collecting_tags():
    """Records the object tags of every tagged model instance loaded inside the block."""
    tags = set()
    token = _collector.set(tags)
    try:
        yield tags
    finally:
        _collector.reset(token)


def _record_loaded_instance(sender, instance, **kwargs):
    collected = _collector.get()
    if collected is not None and instance.pk is not None:
        collected.add(f"{sender._meta.model_name}:{instance.pk}")


# --- Which pages list which collections ---------------------------------------------------


def _pk(context, name):
    obj = (context or {}).get(name)
    return getattr(obj, "pk", None)


def _home(context):
    from .models import Edition

    tags = {"reports"}
    if pk := _pk(context, "edition"):
        tags.add(collection_tag(Edition, pk, "sessions"))
    return tags


def _report_detail(context):
    from .models import Report

    pk = _pk(context, "object")
    if pk is None:  # "not available in this language": lists the other versions
        return {"reports"}
    return {collection_tag(Report, pk, "speeches"), collection_tag(Report, pk, "contacts")}


def _person_detail(context):
    from .models import Person

    pk = _pk(context, "object")
    return {collection_tag(Person, pk, name) for name in PERSON_COLLECTIONS}


def _edition_detail(context):
    from .models import Edition

    pk = _pk(context, "object")
    return {collection_tag(Edition, pk, "sessions"), collection_tag(Edition, pk, "reports")}


def _press(context):
    from .models import Edition

    return {collection_tag(Edition, _pk(context, "object"), "contacts")}


def _session_detail(context):
    from .models import Session

    pk = _pk(context, "object")
    return {collection_tag(Session, pk, name) for name in ("roles", "speeches", "reports")}


PERSON_COLLECTIONS = ("speeches", "roles", "reports", "positions")

# View name -> collection tags of the page, from the template context (None for views
# that render without a TemplateResponse). Only these views are cached.
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
    "sitemap": lambda context: {"reports", "people", "sessions"},
}
# Every page shows the current edition in its navigation and footer.
EVERY_PAGE = frozenset({"editions"})


def page_tags(view_name, context):
    """The collection tags of a page, or None if pages of this view are never cached."""
    collections = PAGE_COLLECTIONS.get(view_name)
    if collections is None:
        return None
    return set(EVERY_PAGE) | collections(context)


# --- What a change invalidates ------------------------------------------------------------


def _values(queryset, field):
    return set(queryset.values_list(field, flat=True))


def report_is_visible(report):
    """Public now, or scheduled: either way the report (will) show on pages."""
    from .models import Report

    return report.status == Report.Status.PUBLISHED and report.published_at is not None


def report_collections(report):
    """Collection tags of the pages a report appears on when it is public."""
    from .models import Credit, Edition, Person, Session, Speech

    tags = {"reports", "search", collection_tag(Edition, report.edition_id, "reports")}
    if report.session_id:
        tags.add(collection_tag(Session, report.session_id, "reports"))
    if report.pk:
        people = _values(Credit.objects.filter(report_id=report.pk), "person_id")
        people |= _values(Speech.objects.filter(reports=report.pk), "speaker_id")
        tags |= {collection_tag(Person, pk, "reports") for pk in people}
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
    if not report_is_visible(report):
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
    """Tags of every page that shows the instance now or will show it after the change."""
    from .models import (
        Credit,
        Edition,
        Forum,
        MediaContact,
        Organisation,
        Person,
        Position,
        Report,
        Session,
        SessionRole,
        Speech,
    )

    tags = {object_tag(instance)}
    if isinstance(instance, Report):
        tags |= report_collections(instance)
        old = getattr(instance, "_page_cache_before", None) or {}
        if old.get("edition_id"):
            tags.add(collection_tag(Edition, old["edition_id"], "reports"))
        if old.get("session_id"):
            tags.add(collection_tag(Session, old["session_id"], "reports"))
    elif isinstance(instance, Credit):
        tags |= {
            object_tag(Report, instance.report_id),
            collection_tag(Person, instance.person_id, "reports"),
            "search",
        }
    elif isinstance(instance, Speech):
        session = Session.objects.filter(pk=instance.session_id).values("edition_id").first()
        tags |= {
            collection_tag(Session, instance.session_id, "speeches"),
            collection_tag(Person, instance.speaker_id, "speeches"),
            collection_tag(Person, instance.speaker_id, "reports"),
            "search",
        }
        if session:
            tags.add(collection_tag(Edition, session["edition_id"], "sessions"))
        if instance.pk:
            for report_pk in _values(Report.objects.filter(speeches=instance.pk), "pk"):
                tags.add(collection_tag(Report, report_pk, "speeches"))
    elif isinstance(instance, SessionRole):
        session = Session.objects.filter(pk=instance.session_id).values("edition_id").first()
        tags |= {
            collection_tag(Session, instance.session_id, "roles"),
            collection_tag(Person, instance.person_id, "roles"),
            "search",
        }
        if session:
            tags.add(collection_tag(Edition, session["edition_id"], "sessions"))
    elif isinstance(instance, Session):
        tags |= {"sessions", "search", collection_tag(Edition, instance.edition_id, "sessions")}
        if instance.pk:
            # Its speeches and roles show elsewhere only while the session is published.
            speeches = Speech.objects.filter(session_id=instance.pk)
            for speaker in _values(speeches, "speaker_id"):
                tags.add(collection_tag(Person, speaker, "speeches"))
            for report_pk in _values(Report.objects.filter(speeches__in=speeches), "pk"):
                tags.add(collection_tag(Report, report_pk, "speeches"))
            for person in _values(SessionRole.objects.filter(session_id=instance.pk), "person_id"):
                tags.add(collection_tag(Person, person, "roles"))
    elif isinstance(instance, Person):
        tags |= {"people", "search"}
    elif isinstance(instance, Position):
        tags |= {collection_tag(Person, instance.person_id, "positions"), "search"}
    elif isinstance(instance, Edition):
        tags |= {"editions", "search"}  # the current edition is on every page
    elif isinstance(instance, Forum):
        tags |= {"forums", "search"}
    elif isinstance(instance, MediaContact):
        tags |= contact_collections(instance.pk, instance.organisation_id)
    elif isinstance(instance, Organisation):
        pass  # pages that print it loaded it: its object tag is enough
    return tags


def contact_collections(contact_pk, organisation_id):
    """The report and press pages that may list a media contact."""
    from .models import Edition, Report

    if contact_pk is None:
        return set()
    reports = Report.objects.filter(media_contacts=contact_pk)
    covers = (
        Q(media_contacts=contact_pk)
        | Q(sessions__media_contacts=contact_pk)
        | Q(reports__media_contacts=contact_pk)
    )
    if organisation_id:  # the press office's own staff are listed too
        covers |= Q(press_office_id=organisation_id)
    editions = _values(Edition.objects.filter(covers), "pk")
    tags = {collection_tag(Report, pk, "contacts") for pk in _values(reports, "pk")}
    tags |= {collection_tag(Edition, pk, "contacts") for pk in editions}
    return tags


# --- The tag index: tag -> cache keys of the pages that carry it -------------------------


class LocalTagIndex:
    """Per-process index for the local-memory cache (which is per process too).

    Bounded: entries past their page's timeout are dropped when the index grows, and if it
    is still too large the oldest pages are deleted from the cache with their entries, so
    no cached page is ever left without its tags.
    """

    max_keys = 20_000

    def __init__(self):
        self.lock = threading.Lock()
        self.tags = defaultdict(set)
        self.keys = {}  # key -> (tags, expires_at)

    def add(self, cache, key, tags, timeout):
        with self.lock:
            self.keys[key] = (frozenset(tags), time.time() + timeout)
            for tag in tags:
                self.tags[tag].add(key)
            if len(self.keys) > self.max_keys:
                self._prune(cache)

    def _prune(self, cache):
        now = time.time()
        live = {key: entry for key, entry in self.keys.items() if entry[1] > now}
        if len(live) > self.max_keys // 2:
            by_age = sorted(live, key=lambda key: live[key][1])
            dropped = by_age[: len(live) - self.max_keys // 2]
            cache.delete_many(dropped)
            for key in dropped:
                del live[key]
        self.keys = live
        self.tags = defaultdict(set)
        for key, (tags, _expires) in live.items():
            for tag in tags:
                self.tags[tag].add(key)

    def pop(self, cache, tags):
        with self.lock:
            keys = set()
            for tag in tags:
                keys |= self.tags.pop(tag, set())
            for key in keys:
                self.keys.pop(key, None)
        if keys:
            cache.delete_many(list(keys))
        return keys


class RedisTagIndex:
    """Tag sets kept in Redis next to the pages, so every process and server shares them.

    Uses the client of Django's Redis backend (a single primary server) for SADD and
    SMEMBERS, which the cache API does not offer.
    """

    def _client(self, cache):
        return cache._cache.get_client(write=True)

    def _tag_key(self, cache, tag):
        return cache.make_and_validate_key(f"{KEY_PREFIX}:tag:{tag}")

    def add(self, cache, key, tags, timeout):
        full_key = cache.make_and_validate_key(key)
        pipe = self._client(cache).pipeline(transaction=False)
        for tag in tags:
            tag_key = self._tag_key(cache, tag)
            pipe.sadd(tag_key, full_key)
            # A tag set outlives every page in it.
            pipe.expire(tag_key, page_timeout())
        pipe.execute()

    def pop(self, cache, tags):
        client = self._client(cache)
        pipe = client.pipeline(transaction=True)
        for tag in tags:
            tag_key = self._tag_key(cache, tag)
            pipe.smembers(tag_key)
            pipe.delete(tag_key)
        results = pipe.execute()
        keys = set()
        for members in results[::2]:
            keys |= members
        if keys:
            client.delete(*keys)
        return keys


_local_indexes = {}
_local_indexes_lock = threading.Lock()


def tag_index(cache):
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        return RedisTagIndex()
    # Local-memory caches with the same LOCATION share their storage within a process.
    name = getattr(cache, "_cache", None)
    with _local_indexes_lock:
        index = _local_indexes.get(id(name))
        if index is None or index[0] is not name:
            index = _local_indexes[id(name)] = (name, LocalTagIndex())
    return index[1]


# --- Scheduled publications ---------------------------------------------------------------


def scheduled_publications():
    """[(timestamp, collection tags)] of reports scheduled for later, soonest first.

    Cached; refreshed after every invalidation (any change of a report or its links).
    """
    from .models import Report

    cache = page_cache()
    schedule = cache.get(SCHEDULE_KEY)
    if schedule is None:
        reports = Report.objects.filter(
            status=Report.Status.PUBLISHED, published_at__gt=timezone.now()
        ).order_by("published_at")
        schedule = [
            (report.published_at.timestamp(), frozenset(report_collections(report)))
            for report in reports
        ]
        cache.set(SCHEDULE_KEY, schedule, page_timeout())
    return schedule


def expiry_for(tags, rendered_at):
    """The earliest time a scheduled report that could appear on the page goes public."""
    for timestamp, report_tags in scheduled_publications():
        if timestamp > rendered_at and not report_tags.isdisjoint(tags):
            return timestamp
    return None


# --- Storing, looking up and invalidating pages -------------------------------------------


def page_key(language, absolute_path):
    digest = hashlib.md5(absolute_path.encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}:page:{language}:{digest}"


def store(key, entry, tags, rendered_at):
    """Caches a page under its tags; returns False when it must not be kept."""
    cache = page_cache()
    timeout = page_timeout()
    expires = expiry_for(tags, rendered_at)
    if expires is not None:
        timeout = min(timeout, int(expires - time.time()))
    if timeout <= 0:
        return False
    index = tag_index(cache)
    index.add(cache, key, tags, timeout)
    cache.set(key, entry, timeout)
    # An invalidation while the page rendered may have missed it: drop it again.
    stamp = cache.get(STAMP_KEY)
    if stamp is not None and stamp >= rendered_at:
        cache.delete(key)
        return False
    return True


def lookup(key):
    return page_cache().get(key)


def invalidate(tags):
    """Deletes every cached page carrying any of the tags. Returns the deleted keys."""
    tags = set(tags)
    if not tags:
        return set()
    cache = page_cache()
    cache.set(STAMP_KEY, time.time(), STAMP_TIMEOUT)
    cache.delete(SCHEDULE_KEY)
    keys = tag_index(cache).pop(cache, tags)
    logger.debug("page cache: %d pages invalidated by %s", len(keys), sorted(tags))
    return keys


def invalidate_on_commit(tags):
    """Invalidates once the transaction commits (at once outside one): a page rendered
    between the change and the commit would otherwise be cached with the old content."""
    tags = set(tags)
    if tags:
        transaction.on_commit(lambda: invalidate(tags))


# --- Signal receivers ---------------------------------------------------------------------


def _remember_report_state(sender, instance, raw=False, **kwargs):
    if raw or not is_enabled() or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._page_cache_before = (
        {
            "public": public_state(old),
            "edition_id": old.edition_id,
            "session_id": old.session_id,
        }
        if old
        else None
    )


def _on_save(sender, instance, raw=False, **kwargs):
    if raw or not is_enabled():
        return
    from .models import Credit, Report

    if isinstance(instance, Report):
        before = getattr(instance, "_page_cache_before", None)
        was_public = before["public"] if before else None
        if was_public == public_state(instance):
            return  # a draft, or a working-copy save: nothing public changed
    elif isinstance(instance, Credit) and not _report_visible(instance.report_id):
        return
    invalidate_on_commit(tags_for(instance))


def _on_delete(sender, instance, **kwargs):
    if not is_enabled():
        return
    from .models import Credit, Report

    if isinstance(instance, Report) and not report_is_visible(instance):
        return
    if isinstance(instance, Credit) and not _report_visible(instance.report_id):
        return
    invalidate_on_commit(tags_for(instance))


def _report_visible(report_pk):
    from .models import Report

    return Report.objects.filter(
        pk=report_pk, status=Report.Status.PUBLISHED, published_at__isnull=False
    ).exists()


def _linked_pks(through, instance, model):
    """The pks of `model` linked to `instance` through the table (before a clear)."""
    fields = {field.related_model: field.attname for field in through._meta.fields}
    source, target = fields[type(instance)], fields[model]
    return _values(through.objects.filter(**{source: instance.pk}), target)


def _on_links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Report speeches or media contacts, or the editions and sessions a contact covers."""
    if action not in {"post_add", "post_remove", "pre_clear"} or not is_enabled():
        return
    from .models import Edition, MediaContact, Person, Report, Session, Speech

    if action == "pre_clear":  # pk_set is None: the links still in the table go
        pk_set = _linked_pks(sender, instance, model)
    pk_set = set(pk_set or ())
    tags = set()
    if sender in (Report.speeches.through, Report.media_contacts.through):
        reports = list(Report.objects.filter(pk__in=pk_set)) if reverse else [instance]
        reports = [report for report in reports if report_is_visible(report)]
        for report in reports:
            tags |= {object_tag(report)} | report_collections(report)
        if sender is Report.speeches.through and reports:
            speeches = {instance.pk} if reverse else pk_set
            for speaker in _values(Speech.objects.filter(pk__in=speeches), "speaker_id"):
                tags.add(collection_tag(Person, speaker, "reports"))
        if sender is Report.media_contacts.through and reports:
            contacts = {instance.pk} if reverse else pk_set
            tags |= {object_tag(MediaContact, pk) for pk in contacts}
    else:  # the editions or sessions a contact covers
        if isinstance(instance, MediaContact):
            contacts = [instance]
            linked = pk_set
        else:
            contacts = list(MediaContact.objects.filter(pk__in=pk_set))
            linked = {instance.pk}
        for contact in contacts:
            tags.add(object_tag(contact))
            tags |= contact_collections(contact.pk, contact.organisation_id)
        if sender is MediaContact.sessions.through:
            linked = _values(Session.objects.filter(pk__in=linked), "edition_id")
        tags |= {collection_tag(Edition, pk, "contacts") for pk in linked}
    invalidate_on_commit(tags)


def model_of(name):
    from django.apps import apps

    return apps.get_model("forum", name)


def connect_signals():
    """Called from ForumConfig.ready()."""
    for name in TAGGED_MODELS:
        model = model_of(name)
        uid = f"page-cache-{name}"
        post_init.connect(_record_loaded_instance, sender=model, dispatch_uid=f"{uid}-init")
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")
    report = model_of("Report")
    contact = model_of("MediaContact")
    pre_save.connect(_remember_report_state, sender=report, dispatch_uid="page-cache-report-pre")
    for through in (
        report.speeches.through,
        report.media_contacts.through,
        contact.editions.through,
        contact.sessions.through,
    ):
        m2m_changed.connect(
            _on_links_changed, sender=through, dispatch_uid=f"page-cache-{through.__name__}"
        )
