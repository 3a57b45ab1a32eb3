"""A circuit breaker: a dependency that keeps failing is left alone for a while.

A storage that accepts connections and never answers costs each request its whole read
timeout; under load every request thread ends up waiting on it. With a breaker, only the
first few requests wait: after FAILURES failures in a row the breaker opens, and for
PAUSE seconds every call fails at once (CircuitOpen) without reaching the dependency, so
pages are served at once in their degraded form (without images, uncached). Then one
call is let through: its success closes the breaker, its failure opens it again.

    media_storage = CircuitBreaker("media storage", counts=is_outage)
    with media_storage:  # raises CircuitOpen at once while open
        ...

One breaker per dependency and process, shared by its threads. The media storage's is
used by forum/core/storage.py (every call to the bucket goes through it); Redis has its
own (forum/core/cache.py).
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitOpen(ConnectionError):
    """The dependency is not asked: it failed too often just now. A ConnectionError, so
    code that handles the dependency being unreachable handles this too."""


class CircuitBreaker:
    FAILURES = 3
    PAUSE = 30  # seconds

    def __init__(self, name, *, counts=lambda error: True):
        self.name = name
        self.counts = counts  # which errors say the dependency is failing (not "not found")
        self.lock = threading.Lock()
        self.failures = 0
        self.open_until = None  # time.monotonic() until which no call goes through

    def is_open(self):
        return self.open_until is not None and time.monotonic() < self.open_until

    def __enter__(self):
        with self.lock:
            if self.open_until is None:
                return self
            if time.monotonic() < self.open_until:
                raise CircuitOpen(f"{self.name}: not asked after {self.failures} failures")
            # The pause is over: this call goes through; the others wait for its outcome
            # for another pause rather than all piling onto a dependency still failing.
            self.open_until = time.monotonic() + self.PAUSE
        return self

    def __exit__(self, error_type, error, traceback):
        if error is None or not self.counts(error):  # an answer, even "not found"
            self._succeeded()
        else:
            self._failed(error)
        return False

    def _succeeded(self):
        with self.lock:
            was_open = self.open_until is not None
            self.failures, self.open_until = 0, None
        if was_open:
            logger.warning("%s answers again", self.name.capitalize())

    def _failed(self, error):
        with self.lock:
            self.failures += 1
            opens = self.failures >= self.FAILURES
            if opens:
                self.open_until = time.monotonic() + self.PAUSE
        if opens:
            logger.error(
                "%s failed %d times in a row; not asked for %d s: %s",
                self.name.capitalize(),
                self.failures,
                self.PAUSE,
                error,
            )

    def reset(self):
        """Closed, as at start (tests)."""
        with self.lock:
            self.failures, self.open_until = 0, None
