"""Page cache storage: pages kept under their tags, found again, and deleted by tag.

Each tag keeps the set of cache keys of the pages that carry it: a Redis set with the
Redis backend (shared by every process and server), an in-process index with the
local-memory backend (per process anyway). See tags.py for what the tags mean.

While Redis does not answer (forum/core/cache.py) nothing is stored or found: pages are
rendered and served uncached. When it answers again, `clear()` drops every page it kept,
since an edit published during the outage could not invalidate them.
"""

import hashlib
import logging
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from forum.models import Report
from forum.pagecache.tags import collections_of

logger = logging.getLogger(__name__)

KEY_PREFIX = "pagecache"
SCHEDULE_KEY = f"{KEY_PREFIX}:schedule"
STAMP_KEY = f"{KEY_PREFIX}:invalidated-at"
# How long the "last invalidation" stamp is kept: longer than any render can take.
STAMP_TIMEOUT = 600


def is_enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def keeps_anything():
    """Pages or fragments of pages are cached: changes must invalidate them."""
    return is_enabled() or getattr(settings, "FRAGMENT_CACHE_ENABLED", False)


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def page_timeout():
    return int(getattr(settings, "PAGE_CACHE_TIMEOUT", 300))


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
    SMEMBERS, which the cache API does not offer; guarded as the cache's own calls are.
    """

    def _client(self, cache):
        return cache._cache.get_client(write=True)

    def _guarded(self, cache, operation, default):
        guard = getattr(cache, "guard", None)
        return guard(operation, default) if guard else operation()

    def _tag_key(self, cache, tag):
        return cache.make_and_validate_key(f"{KEY_PREFIX}:tag:{tag}")

    def add(self, cache, key, tags, timeout):
        full_key = cache.make_and_validate_key(key)

        def add():
            pipe = self._client(cache).pipeline(transaction=False)
            for tag in tags:
                tag_key = self._tag_key(cache, tag)
                pipe.sadd(tag_key, full_key)
                # A tag set outlives every page in it.
                pipe.expire(tag_key, page_timeout())
            pipe.execute()

        self._guarded(cache, add, None)

    def pop(self, cache, tags):
        def pop():
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

        return self._guarded(cache, pop, set())

    def clear(self, cache):
        """Deletes every page and tag set of the page cache; returns how many keys."""

        def clear():
            client = self._client(cache)
            pattern = cache.make_key(f"{KEY_PREFIX}:*")
            keys = list(client.scan_iter(match=pattern, count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
            return len(keys)

        return self._guarded(cache, clear, 0)


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

    cache = page_cache()
    schedule = cache.get(SCHEDULE_KEY)
    if schedule is None:
        reports = Report.objects.scheduled().order_by("published_at")
        schedule = [
            (report.published_at.timestamp(), frozenset(collections_of(report)))
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
    if not getattr(cache, "available", lambda: True)():
        return False  # Redis is not answering: nothing would be kept
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


def clear():
    """Deletes every cached page (Redis: this site's key prefix); returns how many keys.
    After a restore, and when Redis answers again after an outage."""
    cache = page_cache()
    index = tag_index(cache)
    if isinstance(index, RedisTagIndex):
        return index.clear(cache)
    cache.clear()
    return 0


def invalidate_on_commit(tags):
    """Invalidates once the transaction commits (at once outside one): a page rendered
    between the change and the commit would otherwise be cached with the old content."""
    tags = set(tags)
    if tags:
        transaction.on_commit(lambda: invalidate(tags))
