"""Settings for the test suite: production-like (DEBUG off) plus cheap test choices.

pytest uses this module (pyproject.toml, [tool.pytest.ini_options]); a subprocess that
should behave like the suite sets DJANGO_SETTINGS_MODULE=cdfsite.settings.test.
Everything else is read from the environment exactly as in base.py.
"""

import os

# base.py refuses to start with DEBUG off and no SECRET_KEY. The suite runs with DEBUG off,
# so base.py gets a development key while it is imported when none is set. The key is
# taken out of os.environ again: subprocesses started by tests see the caller's
# environment, not this key.
_caller_secret_key = os.environ.get("SECRET_KEY")
if not _caller_secret_key:
    os.environ["SECRET_KEY"] = "django-insecure-development-only-key"  # noqa: S105 (tests only)
try:
    from .base import *  # noqa: E402, F403
    from .base import STORAGES, env_bool  # noqa: E402
finally:
    if _caller_secret_key is None:
        os.environ.pop("SECRET_KEY", None)
    else:
        os.environ["SECRET_KEY"] = _caller_secret_key

# Fast password hashing: factories and logins hash a password in most tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# One local-memory cache per process, even when REDIS_URL is set: tests never share (or
# flush) a Redis with other processes. tests/pagecache/test_cache.py tries Redis explicitly.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cdfsite",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", 60))
# The page cache is off unless PAGE_CACHE is set; tests/pagecache/test_cache.py turns it on.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=False)

# Tests log in with Client.login(), which passes no request; tests/core/test_security_logins.py
# turns django-axes on.
AXES_ENABLED = env_bool("AXES_ENABLED", default=False)

# No collectstatic before the suite: plain storage, no manifest of hashed names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
