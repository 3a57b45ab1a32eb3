"""Settings for the test suite: production-like (DEBUG off) plus cheap test choices.

pytest uses this module (pyproject.toml, [tool.pytest.ini_options]); a subprocess that
should behave like the suite sets DJANGO_SETTINGS_MODULE=cdfsite.settings.test.
Everything else is read from the environment exactly as in base.py.
"""

import os

# base.py refuses to start with DEBUG off and no SECRET_KEY, and with DEBUG off turns the
# HTTPS protections on (redirect to https, secure cookies, HSTS). The suite runs with DEBUG
# off over plain HTTP (the test client, live servers), so while base.py is imported it gets
# HTTPS=false and, when none is set, a development key. Both are taken out of os.environ
# again: subprocesses started by tests see the caller's environment, and
# tests/core/test_security_headers.py checks base.py's own defaults in one.
_import_environment = {
    "SECRET_KEY": os.environ.get("SECRET_KEY") or "django-insecure-development-only-key",
    "HTTPS": "false",
}
_caller_environment = {name: os.environ.get(name) for name in _import_environment}
os.environ.update(_import_environment)
try:
    from .base import *  # noqa: E402, F403
    from .base import STORAGES, env_bool  # noqa: E402
finally:
    for _name, _value in _caller_environment.items():
        if _value is None:
            os.environ.pop(_name, None)
        else:
            os.environ[_name] = _value

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
# So are cached fragments (tests/pagecache/test_fragments.py turns them on).
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE", default=False)

# Tests log in with Client.login(), which passes no request; tests/core/test_security_logins.py
# turns django-axes on.
AXES_ENABLED = env_bool("AXES_ENABLED", default=False)

# No collectstatic before the suite: plain storage, no manifest of hashed names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Mail stays in memory (django.core.mail.outbox), whatever base.py chose.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Reset mails sent before the answer, so a test finds them in the outbox at once;
# tests/core/test_security_accounts.py sends them after it, as production does.
PASSWORD_RESET_MAIL_IN_BACKGROUND = env_bool("PASSWORD_RESET_MAIL_IN_BACKGROUND", default=False)

# No line per request in the suite's logs (tests counting log records see only their own);
# tests of the request log turn it on with caplog.set_level(logging.INFO, "cdfsite.request").
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {**LOGGING["loggers"], "cdfsite.request": {"level": "WARNING"}},  # noqa: F405
}
