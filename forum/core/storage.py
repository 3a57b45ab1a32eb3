"""Where uploads and renditions are kept: MEDIA_ROOT on the local disk, or a bucket of an
S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set (cdfsite/settings/base.py).

Every file is reached through Django's default storage (forum/core/images.py writes and
reads renditions through it), so any instance finds what another one made. In a bucket
every object is private (no ACL is set: the bucket's own policy decides); the site links
its images at MEDIA_URL, which the app serves with its checks (forum/core/security.py
`serve_media`): public renditions to anyone, uploads and previews' renditions to staff.
With AWS_S3_CUSTOM_DOMAIN (a CDN whose origin may read `renditions/public/` only), public
renditions are linked there instead.

Every call to the bucket goes through `breaker` (forum/core/breaker.py) and has short
timeouts (cdfsite/env.py): a storage that stops answering is left alone for a while, and
pages are served without their images at once.

    STORAGE_ERRORS   what an unreachable or failing storage raises (disk or bucket)
    breaker          the bucket's circuit breaker
    available()      whether the storage answers now (uploads, /readyz)
    all_files()      every stored file's name (backups, snapshots)
"""

import logging
import os
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from storages.backends.s3 import S3Storage

from forum.core.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

# CircuitOpen is an OSError (a ConnectionError): handled wherever these are.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def _is_outage(error):
    """Whether an error says the storage is failing: no connection, no answer in time.
    An answer (a missing file, a refused request: ClientError) is not one."""
    return isinstance(error, (BotoCoreError, OSError)) and not isinstance(error, FileNotFoundError)


breaker = CircuitBreaker("media storage", counts=_is_outage)


def _through_breaker(method):
    def call(self, *args, **kwargs):
        with breaker:
            return method(self, *args, **kwargs)

    call.__name__ = method.__name__
    return call


# A name no file has: asking whether it exists reaches the storage and changes nothing.
PROBE_NAME = "renditions/.probe"


class MediaStorage(S3Storage):
    """django-storages' S3 storage whose addresses are the site's own (MEDIA_URL), except
    public renditions when a CDN domain is configured."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        from forum.core.images import is_public_path

        if self.custom_domain and is_public_path(name):
            return super().url(name, parameters, expire, http_method)
        return media_url(name)

    # Every method that reaches the bucket (url() does not: it only builds an address).
    _open = _through_breaker(S3Storage._open)
    _save = _through_breaker(S3Storage._save)
    delete = _through_breaker(S3Storage.delete)
    exists = _through_breaker(S3Storage.exists)
    listdir = _through_breaker(S3Storage.listdir)
    size = _through_breaker(S3Storage.size)
    get_modified_time = _through_breaker(S3Storage.get_modified_time)


def media_url(name):
    """The site's own address of a stored file (served by `serve_media`)."""
    url = f"{settings.MEDIA_URL.rstrip('/')}/{name.lstrip('/')}"
    return url if url.startswith(("/", "http://", "https://")) else f"/{url}"


def local_path(name, storage=None):
    """The file's path on the local disk, or None when the storage is a bucket."""
    storage = storage or default_storage
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def available(storage=None):
    """Whether the storage answers now: one HEAD request to a bucket, a stat on disk."""
    storage = storage or default_storage
    try:
        storage.exists(PROBE_NAME)
    except STORAGE_ERRORS as error:
        logger.warning("Media storage unreachable: %s", error)
        return False
    return True


def all_files(storage=None):
    """Every stored file's name, relative to the storage's root, sorted."""
    storage = storage or default_storage
    root = local_path("", storage)
    if root is not None:
        if not root.is_dir():
            return []
        return sorted(
            os.path.relpath(path, root)
            for path in root.rglob("*")
            if path.is_file() and not path.is_symlink()
        )
    prefix = f"{storage.location.strip('/')}/" if storage.location else ""
    objects = storage.bucket.objects.filter(Prefix=prefix)
    return sorted(item.key[len(prefix) :] for item in objects if not item.key.endswith("/"))
