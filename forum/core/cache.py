"""Django's Redis cache, which a Redis outage does not turn into a site outage.

While Redis does not answer, the cache behaves as an empty one that keeps nothing: reads
miss, writes are dropped, so pages are rendered and served uncached (the page cache,
forum/pagecache/, and the password-reset limits, forum/core/security.py, go on without
it). After a failure Redis is left alone for RETRY_SECONDS, so a request does not wait
for a dead server each time; then it is tried again and, once it answers, used again.
The failure is logged once per LOG_INTERVAL seconds per process (and Redis server), the
recovery once, and `cache_recovered` is sent (the page cache drops the pages it kept
before the outage, which an edit made meanwhile could not invalidate).

CACHES["default"]["BACKEND"] is this class when REDIS_URL is set (cdfsite/settings/base.py).
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

cache_recovered = Signal()  # sender: the cache

ERRORS = (RedisError, OSError)


class _Outage:
    """What a process knows of one Redis server: shared by its threads, each of which has a
    cache object of its own (Django's caches are per thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # time.monotonic() of the first failure of an outage
        self.retry_at = 0.0
        self.logged_at = None


_outages = {}
_outages_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    RETRY_SECONDS = 5
    LOG_INTERVAL = 60

    def __init__(self, server, params):
        super().__init__(server, params)
        with _outages_lock:
            self._outage = _outages.setdefault((str(server), self.key_prefix), _Outage())

    def available(self):
        """False from a failure until Redis has answered again."""
        return self._outage.down_since is None

    def guard(self, operation, default=None):
        """operation()'s result, or `default` while Redis does not answer."""
        outage = self._outage
        if outage.down_since is not None and time.monotonic() < outage.retry_at:
            return default
        try:
            result = operation()
        except ERRORS as error:
            self._failed(error)
            return default
        if outage.down_since is not None:
            self._recovered()
        return result

    def _failed(self, error):
        outage, now = self._outage, time.monotonic()
        with outage.lock:
            outage.down_since = outage.down_since or now
            outage.retry_at = now + self.RETRY_SECONDS
            due = outage.logged_at is None or now - outage.logged_at >= self.LOG_INTERVAL
            if due:
                outage.logged_at = now
            down_for = now - outage.down_since
        if due:
            logger.error(
                "Cache unreachable for %d s; pages are served uncached until it answers: %s",
                down_for,
                error,
            )

    def _recovered(self):
        outage = self._outage
        with outage.lock:
            down_since, outage.down_since, outage.logged_at = outage.down_since, None, None
        if down_since is not None:
            logger.warning(
                "Cache reachable again after %d s; caching resumed",
                time.monotonic() - down_since,
            )
            for receiver, error in cache_recovered.send_robust(sender=self):
                if isinstance(error, Exception):
                    logger.error("After the cache outage, %s failed: %r", receiver, error)

    # --- The cache API, guarded ---------------------------------------------------------

    def add(self, key, value, timeout=None, version=None):
        return self.guard(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key, default=None, version=None):
        return self.guard(
            lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def set(self, key, value, timeout=None, version=None):
        self.guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version))

    def touch(self, key, timeout=None, version=None):
        return self.guard(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self.guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self.guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self.guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self.guard(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing
        )
        if result is missing:  # as for a key that is not there
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result

    def set_many(self, data, timeout=None, version=None):
        return self.guard(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        self.guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version))

    def clear(self):
        return self.guard(lambda: super(ResilientRedisCache, self).clear(), False)
