"""Uploaded images: only real JPEG, PNG or WebP files of a sensible size, safely named.

Every image field (report image, photo, logo) is an `ImageUploadField`:

- its form field checks the upload before Django's own image check, so an editor reads
  *why* a file is refused (too big, too many pixels, not one of the three formats, a
  name that says another format, damaged) instead of "Upload a valid image";
- an upload while the media storage does not answer is refused with a message saying so
  (forum/core/storage.py), the form and its input kept;
- the model field runs the same checks in `full_clean()` for any other path;
- the stored name is random, with the file's extension ("Photo 李文海 (1).JPG" ->
  "people/3f9c…e1.jpg"): nothing of what the editor called the file is kept, and no
  address can be guessed from it. Uploads are never served to the public anyway, only
  their renditions (forum/core/images.py).

Pillow first reads the header and checks the structure (verify()), so a decompression
bomb (a small file declaring a huge image) is refused by its declared size before it
costs memory. Only then is every pixel decoded: a file cut short (a truncated JPEG) passes
verify() but could never be shown, so it is refused too. Truncated files are never
decoded leniently (Pillow's ImageFile.LOAD_TRUNCATED_IMAGES stays off). Pillow is limited
to the three formats, so no other image parser ever sees an upload. SVG, HTML or anything
merely named .jpg is refused.
"""

import posixpath
import secrets
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from forum.core import storage

# Pillow format -> the extensions a file of that format may have (the first is used).
FORMATS = {
    "JPEG": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
}
EXTENSIONS = {extension: name for name, extensions in FORMATS.items() for extension in extensions}
ACCEPT = "image/jpeg,image/png,image/webp"

MESSAGES = {
    "extension": _(
        "Upload a JPEG, PNG or WebP image (.jpg, .png or .webp). “%(name)s” is not one."
    ),
    "too_big": _("The file is %(size)s; images may be at most %(limit)s."),
    "not_image": _(
        "“%(name)s” is not a JPEG, PNG or WebP image, or it is damaged. Save it as "
        "JPEG, PNG or WebP and upload it again."
    ),
    "too_many_pixels": _(
        "The image is %(width)s × %(height)s pixels; images may have at most "
        "%(limit)s million pixels. Make it smaller and upload it again."
    ),
    "bomb": _(
        "The image has far more than %(limit)s million pixels, the most an image may "
        "have. Make it smaller and upload it again."
    ),
    "damaged": _(
        "“%(name)s” is damaged: part of the image is missing, so it could not be shown. "
        "Save or export it again and upload the new file."
    ),
    "storage": _(
        "The image cannot be stored just now: the file storage is not answering. Nothing "
        "was saved; try again in a few minutes."
    ),
    "mismatch": _(
        "“%(name)s” is named like a %(named)s file but is a %(actual)s image. Rename it "
        "to end in %(extension)s and upload it again."
    ),
}


def inspect_image(file, name=None):
    """Checks an uploaded (or opened) file; returns its Pillow format ("JPEG", …).

    Raises ValidationError with a message for the editor. Leaves the file at position 0.
    """
    name = posixpath.basename(name or getattr(file, "name", "") or "")
    extension = posixpath.splitext(name)[1].lower()
    if extension not in EXTENSIONS:
        raise ValidationError(MESSAGES["extension"], code="extension", params={"name": name})
    size = getattr(file, "size", None)
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            MESSAGES["too_big"],
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that: both are bombs.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=tuple(FORMATS))
            width, height = image.size
            _check_pixels(width, height)
            image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            MESSAGES["bomb"],
            code="too_many_pixels",
            params={"limit": settings.IMAGE_UPLOAD_MAX_PIXELS // 1_000_000},
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(MESSAGES["not_image"], code="not_image", params={"name": name}) from (
            error
        )
    finally:
        file.seek(0)
    actual = image.format
    if EXTENSIONS[extension] != actual:
        raise ValidationError(
            MESSAGES["mismatch"],
            code="mismatch",
            params={
                "name": name,
                "named": EXTENSIONS[extension],
                "actual": actual,
                "extension": FORMATS[actual][0],
            },
        )
    _decode_fully(file, name)
    return actual


def _decode_fully(file, name):
    """Decodes every pixel, on a fresh open (verify() leaves its image unusable), as the
    renditions will: a file cut short passes verify() and then never shows. The pixel
    limit was checked already, so this costs at most that many pixels of memory."""
    try:
        with Image.open(file, formats=tuple(FORMATS)) as image:
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(MESSAGES["damaged"], code="damaged", params={"name": name}) from (
            error
        )
    finally:
        file.seek(0)


def _check_pixels(width, height):
    limit = settings.IMAGE_UPLOAD_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            MESSAGES["too_many_pixels"],
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": limit // 1_000_000},
        )


def validate_image_upload(value):
    """Model-field validator: checks a newly assigned file; stored files are left alone."""
    if not value or getattr(value, "_committed", True):
        return
    inspect_image(value.file, value.name)


def stored_name(filename):
    """ "Photo 李文海 (1).JPG" -> "3f9c…e1.jpg": 128 random bits and the format's extension."""
    extension = posixpath.splitext(filename.replace("\\", "/"))[1].lower()
    extension = FORMATS[EXTENSIONS[extension]][0] if extension in EXTENSIONS else ""
    return f"{secrets.token_hex(16)}{extension}"


class ImageUploadFormField(forms.ImageField):
    """Django's image field, with `inspect_image()`'s clear errors checked first."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" in attrs:  # the file chooser offers only the three formats
            attrs["accept"] = ACCEPT
        return attrs

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        inspect_image(upload)
        # Refused here, with the form and its input kept, rather than failing on save.
        if not storage.available():
            raise ValidationError(MESSAGES["storage"], code="storage")
        return super().to_python(data)


class ImageUploadField(models.ImageField):
    """An ImageField for editors' uploads (see the module docstring)."""

    default_validators = [validate_image_upload]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})

    def generate_filename(self, instance, filename):
        return super().generate_filename(instance, stored_name(filename))
