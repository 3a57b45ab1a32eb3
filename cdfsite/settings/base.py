"""Settings for the forum site, read from environment variables.

Used by manage.py, gunicorn (cdfsite.wsgi) and cdfsite.asgi. Development defaults are safe
to run locally; production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL
(docs/configuration.md). Nothing here depends on how the process was started: the test suite's
cheap choices are in cdfsite/settings/test.py.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cdfsite.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    forwarded_allow_ips,
    media_bucket_storage,
)

# The project root (this file is cdfsite/settings/base.py).
BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable, or set "
            "DEBUG=true for local development (make run does this for you)."
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its fields show up there.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "reversion",
    "import_export",  # media-contact import/export in the admin (CSV, Excel)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static, not a CDN
    "csp",  # Content-Security-Policy header (django-csp)
    "axes",  # throttles failed admin logins (django-axes)
    "forum",
]

MIDDLEWARE = [
    # HEAD answers with GET's headers and no body, whatever the view sent
    # (forum/core/head.py): outermost, so every other middleware sees the whole response.
    "forum.core.head.HeadWithoutBodyMiddleware",
    # X-Forwarded-For, -Proto and X-Request-ID dropped unless our proxy (FORWARDED_ALLOW_IPS)
    # sent them, before anything reads them (forum/core/proxies.py).
    "forum.core.proxies.TrustedProxyMiddleware",
    # /healthz and /readyz for load balancers, before anything else (forum/core/health.py).
    "forum.core.health.HealthCheckMiddleware",
    # One JSON log line per request, with the request's id (forum/core/logs.py).
    "forum.core.logs.RequestLogMiddleware",
    # A database that does not answer: a plain bilingual 503 page (forum/core/outage.py).
    "forum.core.outage.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so replayed pages and static files get the policy too.
    "forum.core.security.ConstantPolicyCSPMiddleware",
    # A 400 for a NUL character in the address, before anything looks it up.
    "forum.core.security.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the page cache, before sessions and auth (forum/pagecache/).
    "forum.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A 400 for an admin form given a value that is no id in an autocomplete field
    # (forum/core/admin.py), after the CSRF check.
    "forum.core.admin.AutocompleteIdsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cdfsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "cdfsite.wsgi.application"

# SQLite file in the project root unless DATABASE_URL says otherwise,
# e.g. postgres://postgres@127.0.0.1:5432/cdfsite
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request in seconds instead of holding it:
    # connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, and a statement running
    # longer than DATABASE_STATEMENT_TIMEOUT milliseconds is cancelled by the server (0: no
    # limit, e.g. for a long migration, or behind a pooler that refuses startup options).
    # Both end in the bilingual 503 (forum/core/outage.py).
    database_options = {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 3)}
    statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 15000)
    if statement_timeout:
        database_options["options"] = f"-c statement_timeout={statement_timeout}"
    DATABASES["default"]["OPTIONS"] = {
        **database_options,
        **DATABASES["default"].get("OPTIONS", {}),
    }
if "TEST_DATABASE_NAME" in os.environ:
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour: "www.cdrf.org.cn" means https

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security (docs/security.md) ----------------------------------------------------------
# DEBUG off means HTTPS on: a production site is reached only over HTTPS (a TLS-terminating
# proxy in front), so HSTS, secure cookies and a redirect to https are the default, and
# `check --deploy` is clean with DEBUG, SECRET_KEY and ALLOWED_HOSTS alone (tested).
# A DEBUG-off server on plain-HTTP loopback says so with HTTPS=false: `make serve`,
# `make audit`, tools/serving.py (bench, load test, two instances, backup check) and
# settings/test.py do.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# A year, the subdomains too, and preload: what the browsers' preload list asks for.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Only when a proxy is declared that sets X-Forwarded-Proto itself (and drops what clients
# send); believed only on connections from FORWARDED_ALLOW_IPS, by Django
# (forum/core/proxies.py) and gunicorn (cdfsite/gunicorn.py) alike.
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Only editors log in, through the admin: its login page, and the admin after it (a login
# without `next`, the "Log in" link after a password reset).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# A working day, then the session ends (also when the browser closes).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A password-reset link (admin "Forgotten your password?") works once, for a day. It is
# built from SITE_URL, never from the request's Host. Asking for one is limited per e-mail
# address and per client address (forum/core/security.py): past the limit the same "sent"
# page is shown and no mail goes out.
PASSWORD_RESET_TIMEOUT = 24 * 3600
PASSWORD_RESET_WINDOW = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60) * 60
PASSWORD_RESET_MAX_PER_EMAIL = env_int("PASSWORD_RESET_MAX_PER_EMAIL", 3)
PASSWORD_RESET_MAX_PER_CLIENT = env_int("PASSWORD_RESET_MAX_PER_CLIENT", 10)
# The reset mail is rendered and sent after the answer, by a thread of its own, so that the
# answer takes as long for an address without an account (settings/test.py sends at once).
PASSWORD_RESET_MAIL_IN_BACKGROUND = env_bool("PASSWORD_RESET_MAIL_IN_BACKGROUND", default=True)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files;
# the one inline element the admin needs (the prose editor's import map) carries the
# request's nonce (forum/templatetags/security_tags.py). No CDN, no inline handlers.
# JSON-LD <script type="application/ld+json"> is data, which CSP does not block.
# Tiptap, inside the prose editor, injects its base styles as one <style data-tiptap-style>
# element of fixed text; this is that text's hash (django-prose-editor 0.28.0). An upgrade
# that changes it fails tests/core/test_security_headers.py, which prints the new hash.
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE, PROSE_EDITOR_STYLE_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
}

# Failed logins (django-axes): five wrong passwords for one user name from one address lock
# that pair out for 15 minutes (HTTP 429); a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "forum.core.security.lockout_response"
# Failures and lockouts are logged as warnings; no INFO line for every login or command.
AXES_VERBOSE = False
# The client's address behind PROXY_COUNT trusted proxies (X-Forwarded-For), see
# forum/core/security.py; REMOTE_ADDR when there is no proxy.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# The proxies' own addresses or networks: their X-Forwarded-* and X-Request-ID are believed,
# anyone else's dropped (forum/core/proxies.py). The variable gunicorn reads, loopback by
# default, once a proxy is declared (PROXY_COUNT, TRUST_X_FORWARDED_PROTO or
# TRUST_X_REQUEST_ID); empty otherwise (cdfsite/env.py).
FORWARDED_ALLOW_IPS = forwarded_allow_ips()
AXES_CLIENT_IP_CALLABLE = "forum.core.security.client_ip"
# On unless AXES_ENABLED=false (settings/test.py turns it off by default).
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# Uploaded images (forum/core/uploads.py): JPEG, PNG or WebP, at most this size and pixel count.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_MB", 10)) * 1024 * 1024
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("IMAGE_UPLOAD_MAX_MEGAPIXELS", 40)) * 1_000_000
# Spreadsheet exports never carry a live formula (=HYPERLINK…); forum/press/imports.py also
# writes cells starting with + - @ as text.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Bounds on what an import reads, checked while reading: a file past one is refused (saying
# which) before more work is done. A real release is a few thousand characters and a
# hundred lines; a contact list a few thousand rows of about twenty cells.
RELEASE_IMPORT_MAX_CHARACTERS = env_int("RELEASE_IMPORT_MAX_CHARACTERS", 100_000)
RELEASE_IMPORT_MAX_LINES = env_int("RELEASE_IMPORT_MAX_LINES", 2_000)
# word/document.xml of a .docx, unpacked, checked before it is parsed.
RELEASE_IMPORT_MAX_DOCUMENT_BYTES = env_int("RELEASE_IMPORT_MAX_DOCUMENT_MB", 5) * 1024 * 1024
# The contact import's preview checks each row against every contact (duplicates) inside the
# request: 1,000 rows take about 10 s, 5,000 about two minutes, past a worker's time limit.
# Longer lists wait for imports in the task queue; until then they are split.
CONTACT_IMPORT_MAX_ROWS = env_int("CONTACT_IMPORT_MAX_ROWS", 1_000)
CONTACT_IMPORT_MAX_CELLS = env_int("CONTACT_IMPORT_MAX_CELLS", 30_000)

# Languages: English is the default; Simplified Chinese is "zh-hans" in URLs and
# "zh_Hans" for the locale folder (see DOMAIN-NOTES on zh-cn/zh-hans mix-ups); Traditional
# Chinese ("zh-hant", "zh_Hant") is converted from the Simplified text, not written
# (forum/core/languages.py, docs/languages.md).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("zh-hant", _("Traditional Chinese")),
]
# The OpenCC configuration that makes Traditional text from Simplified: "s2tw" (Taiwan's
# standard characters: 為, 群眾, 審核; the source's vocabulary kept), "s2hk" (Hong Kong
# characters), "s2t" (OpenCC's own forms: 爲, 羣衆, 覈) or "s2twp" (Taiwan characters and
# vocabulary: 數據 becomes 資料). docs/languages.md says why s2tw.
TRADITIONAL_CHINESE_CONVERSION = os.environ.get("TRADITIONAL_CHINESE_CONVERSION", "s2tw")
LOCALE_PATHS = [BASE_DIR / "cdfsite" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans", "zh-hant")
# Fallback is deliberately off: a page in one language never silently shows the other
# language's text; missing translations are reported by the completeness checks instead.
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
# modeltranslation's tabbed admin would load jQuery UI from a public CDN; serve our copy.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media in a bucket of an S3-compatible object storage (AWS S3, MinIO, Alibaba Cloud OSS,
# Tencent COS, Ceph) when AWS_STORAGE_BUCKET_NAME is set, shared by every instance
# (forum/core/storage.py); else MEDIA_ROOT. Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the instance's role (boto3 finds them). Every object is
# private; the app serves them at MEDIA_URL with its checks, or a CDN at
# AWS_S3_CUSTOM_DOMAIN serves the public renditions.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = media_bucket_storage(os.environ)

# Redis when REDIS_URL is set (shared by every process and server: needed for the page
# cache's invalidation to reach them all), else local memory, one cache per process
# (settings/test.py always uses local memory).
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that does not answer holds a request a quarter of a second (a Redis that works
# answers in a millisecond or two), not minutes; then it is left alone for a while
# (forum/core/cache.py).
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.25),
    "socket_timeout": env_float("REDIS_TIMEOUT", 0.25),
}
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, which answers as an empty cache while Redis is down:
            # pages are served uncached, and caching resumes by itself (forum/core/cache.py).
            "BACKEND": "forum.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cdfsite"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    page_cache_default_timeout = 24 * 3600
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cdfsite",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
    page_cache_default_timeout = 60
# Page cache for anonymous readers (forum/pagecache/): on in production, off with DEBUG
# and in tests (settings/test.py; tests/pagecache/test_cache.py turns it on). With local memory an
# edit reaches only the process that saved it, so pages live there a short time; Redis
# is shared.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=not DEBUG)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", page_cache_default_timeout))
# Fragments of public pages (head, body, navigation) cached on the page cache's tags and
# timeout, so pages rendered for a query the page cache does not hold (a new page, the
# page cache off) skip their wide reads and most of their templates
# (forum/pagecache/fragments.py). On and off like the page cache.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE", default=not DEBUG)
# `make bench` only: a constant 30 KB page at /bench/floor/ as the throughput floor.
BENCH_FLOOR_VIEW = env_bool("BENCH_FLOOR_VIEW")
# Serve MEDIA_ROOT from Django (DEBUG, or `make serve` on one machine); in production
# the proxy serves /media/.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)

# E-mail (password resets): through SMTP with DEBUG off, never to the log, where a reset
# link would be readable by anyone who reads the logs; printed on the console with DEBUG
# (settings/test.py: local memory).
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (port 465), not both."
    )
# A mail server that does not answer holds a request thread this long at most (seconds,
# for connecting and for each answer).
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 3)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Read-only public API at /api/ (forum/api/): anonymous, no sessions or CSRF involved.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        # JSON with <, > and & as \u escapes: no markup in the bytes (forum/core/security.py).
        "forum.core.security.EscapedJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "forum.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "China Development Forum API",
    "DESCRIPTION": (
        "Read-only data of the China Development Forum: editions, sessions, speeches, "
        "people, published reports and public media contacts. Every text is given in "
        'English and Simplified Chinese, e.g. "title": {"en": "…", "zh-hans": "…"}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from the public swagger.io validator: the docs page reaches no other site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

SITE_NAME = _("China Development Forum")
# Absolute base for canonical URLs, feeds and sitemaps when no request is at hand.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# One JSON object per line (forum/core/logs.py): time, level, logger, message, the
# request's id, an error's traceback in the same line; LOG_FORMAT=plain for reading by eye
# (the default with DEBUG). Every request is one line of the logger cdfsite.request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "forum.core.logs.JSONFormatter"},
        # The level and logger on every line, so errors can be found with grep.
        "plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {
        "request_id": {"()": "forum.core.logs.RequestIdFilter"},
        # No reset token, session cookie or link token in any line (forum/core/logs.py).
        "mask_secrets": {"()": "forum.core.logs.MaskSecretsFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id", "mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# The request id of X-Request-ID only from a proxy that sets it (and drops what clients
# send): on with PROXY_COUNT, or TRUST_X_REQUEST_ID=true; believed only from
# FORWARDED_ALLOW_IPS (forum/core/proxies.py).
TRUST_X_REQUEST_ID = env_bool("TRUST_X_REQUEST_ID", default=PROXY_COUNT > 0)

# Error reports to Sentry (or a compatible service) when SENTRY_DSN is set; nothing is sent
# otherwise. No personal data: no cookies, user names or addresses.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
