"""Reading configuration from environment variables: the settings (cdfsite/settings/base.py)
and gunicorn's configuration (cdfsite/gunicorn.py) read the same variables the same way."""

import os


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def forwarded_allow_ips():
    """The addresses of our own proxies: the only peers whose X-Forwarded-For,
    X-Forwarded-Proto and X-Request-ID are believed, by gunicorn (cdfsite/gunicorn.py) and by
    Django (settings.FORWARDED_ALLOW_IPS, forum/core/proxies.py) alike.

    FORWARDED_ALLOW_IPS is gunicorn's own variable: addresses or networks, comma-separated,
    loopback when unset. It counts only once a proxy is declared (TRUST_X_FORWARDED_PROTO,
    PROXY_COUNT or TRUST_X_REQUEST_ID); without one, no peer is believed.
    """
    declared = (
        env_bool("TRUST_X_FORWARDED_PROTO")
        or env_int("PROXY_COUNT", 0) > 0
        or env_bool("TRUST_X_REQUEST_ID")
    )
    return env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if declared else []


def env_float(name, default):
    """A number of seconds, which may have a fraction (timeouts: "0.5")."""
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def media_bucket_storage(environ):
    """The default storage (a STORAGES entry) for media in the bucket that environ's
    AWS_STORAGE_BUCKET_NAME names (forum/core/storage.py); credentials are left to boto3
    (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the instance's role)."""
    from botocore.config import Config

    endpoint = environ.get("AWS_S3_ENDPOINT_URL") or None

    def seconds(name, default):
        value = environ.get(name, "").strip()
        return float(value) if value else default

    return {
        "BACKEND": "forum.core.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": endpoint,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": environ.get("AWS_LOCATION", ""),
            # S3-compatible services other than AWS mostly want the bucket in the path.
            "addressing_style": environ.get(
                "AWS_S3_ADDRESSING_STYLE", "path" if endpoint else "auto"
            ),
            # Renditions are replaced in place; uploads have random names anyway.
            "file_overwrite": True,
            # Private objects: the bucket's policy decides, never a public ACL.
            "default_acl": None,
            "querystring_auth": False,
            # A storage that does not answer holds a request a second, once: one attempt,
            # no retry (botocore's defaults are 60 s × up to 5 attempts). After a few
            # failures it is not asked at all for a while (forum/core/breaker.py). A
            # storage slow to confirm large uploads may need a longer read timeout.
            "client_config": Config(
                connect_timeout=seconds("AWS_S3_CONNECT_TIMEOUT", 0.5),
                read_timeout=seconds("AWS_S3_READ_TIMEOUT", 1),
                retries={"mode": "standard", "total_max_attempts": 1},
            ),
        },
    }
