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
