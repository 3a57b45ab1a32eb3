"""Uploads kept across a re-shown form.

When a form with a newly chosen image comes back with an error (any error: a missing
field, a refused step, a merge to decide), the browser does not send the file again. The
form therefore keeps the checked upload in a private staging folder of the media storage
and carries a signed token naming it in a hidden field; the next submission picks it up
from there. The token is signed for one user and expires (STAGING_MAX_AGE), so nobody
can point a form at another file. The staged file is checked again on the way out with
forum/core/uploads.py's checks.
"""

import datetime
import posixpath

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from forum.core.uploads import inspect_image, stored_name

FOLDER = "staging"
STAGING_MAX_AGE = 24 * 60 * 60  # seconds: a form left open for a day starts again
_SALT = "forum.core.staging"


def stage(upload, user):
    """Keeps a checked upload; returns the token for the form's hidden field."""
    sweep()
    path = default_storage.save(posixpath.join(FOLDER, stored_name(upload.name)), upload)
    upload.seek(0)
    name = posixpath.basename(upload.name.replace("\\", "/"))
    return signing.dumps({"path": path, "name": name, "user": user.pk}, salt=_SALT)


def staged_file(token, user):
    """The staged upload named by `token` as a File with the name the editor gave it, or
    None for a bad, foreign, expired or vanished token."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=STAGING_MAX_AGE)
    except signing.BadSignature:
        return None
    path = data.get("path") or ""
    if data.get("user") != user.pk or not path.startswith(FOLDER + "/"):
        return None
    if not default_storage.exists(path):
        return None
    file = File(default_storage.open(path), name=data.get("name") or posixpath.basename(path))
    try:
        inspect_image(file, file.name)
    except ValidationError:
        file.close()
        return None
    return file


def discard(token, user):
    """Deletes a staged upload once the form is saved with it."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=STAGING_MAX_AGE)
    except signing.BadSignature:
        return
    path = data.get("path") or ""
    if data.get("user") == user.pk and path.startswith(FOLDER + "/"):
        default_storage.delete(path)


def sweep():
    """Deletes staged uploads older than their tokens (forms abandoned with an upload)."""
    limit = timezone.now() - datetime.timedelta(seconds=STAGING_MAX_AGE)
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = posixpath.join(FOLDER, name)
        if default_storage.get_modified_time(path) < limit:
            default_storage.delete(path)
