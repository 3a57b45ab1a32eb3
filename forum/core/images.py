"""Image renditions: each uploaded image resized once to a few widths, in WebP and in a
JPEG (photos) or PNG (transparency, drawings) fallback. Only renditions are ever linked.

    picture = renditions(report.hero_image, "hero")
    picture.sources["image/webp"]  -> [Rendition(url, width, height), ...] narrowest first
    picture.fallback               -> the <img src> (a JPEG or PNG of a middle width)
    public_url(report.hero_image)  -> the largest JPEG or PNG, for the API, og:image and
                                      JSON-LD; None while the report is not public

What the public may fetch is one folder of the media storage (`is_public_path()`, asked
by serve_media; the proxy or CDN in front of a production site serves that folder only):

    reports/, people/, organisations/   the uploads as sent (random names, metadata and
                                        all): never public
    renditions/public/<kind>/…          renditions of what the public sees now
    renditions/public/drawn/…           images the site draws (`drawn()`)
    renditions/private/<kind>/…         renditions of drafts, scheduled and withdrawn
                                        reports, unpublished people: staff only (previews)

An image's renditions are made in the folder its owner's state calls for
(`owner_is_public()`, the instance form of the model's `published()`): when it is saved
(forum/core/receivers.py, which also empties the other folder, so a withdrawn report's
image stops being public, and drops a replaced image's) or the first time a page shows
it, so a scheduled report's image goes public with the first page shown after its time,
with no save. A manifest written last marks a complete set; a process reads it once and
then links the set from memory without asking the storage, as long as the owner has not
been saved since (renditions are removed only when their owner is saved or deleted, which
changes its `updated_at`): pages do not wait on the storage to render. Images are never
enlarged: a small upload gets fewer widths.

Renditions carry pixels only: none of the upload's EXIF (GPS position, camera, date),
XMP, ICC profile or comments is written.

Every file is read and written through Django's default storage (forum/core/storage.py):
MEDIA_ROOT on the local disk, or a bucket shared by every instance, so a rendition one
instance made is found by all the others. Paths below are relative to that storage. A
storage that cannot be reached makes a RenditionError: the page is shown without the
image, and `watching_storage()` tells the page cache not to keep it. Once the storage has
failed in a response, the rest of that response's images are left out without asking it
again, and after a few failures it is not asked at all for a while (forum/core/breaker.py).
"""

import contextlib
import contextvars
import hashlib
import io
import json
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from forum.core.breaker import CircuitOpen
from forum.core.storage import STORAGE_ERRORS, local_path

logger = logging.getLogger(__name__)

# Widths in CSS pixels × 1 and × 2 for where each kind is shown: report images fill the
# article column (42rem), photos are 10rem squares, logos sit in the press-office block.
WIDTHS = {
    "hero": (480, 720, 1080, 1440),
    "photo": (160, 320),
    "logo": (120, 240),
}
KINDS = {kind: kind for kind in WIDTHS}
# The width of the <img src> for browsers without srcset: about the 1× display size.
FALLBACK_WIDTH = {"hero": 720, "photo": 160, "logo": 120}
WEBP = "image/webp"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {WEBP: "webp", JPEG: "jpg", PNG: "png"}
SAVE_OPTIONS = {
    WEBP: {"format": "WEBP", "quality": 80, "method": 4},
    JPEG: {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    PNG: {"format": "PNG", "optimize": True},
}
MANIFEST_VERSION = 2
PUBLIC_FOLDER = "renditions/public"
PRIVATE_FOLDER = "renditions/private"


class ImageField(NamedTuple):
    field: str
    kind: str
    # The owner's attribute that says the public may see it now; None: always (an
    # organisation has no publication state, and its logo is shown wherever it is named).
    public_when: str | None


# model label -> its image field
IMAGE_FIELDS = {
    "forum.Report": ImageField("hero_image", "hero", "is_public"),
    "forum.Person": ImageField("photo", "photo", "is_public"),
    "forum.Organisation": ImageField("logo", "logo", None),
}


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    width: int  # of the largest rendition: the intrinsic size for width/height attributes
    height: int
    sources: dict  # media type -> [Rendition], narrowest first; WebP first
    fallback: Rendition
    fallback_type: str

    def srcset(self, media_type):
        return ", ".join(f"{r.url} {r.width}w" for r in self.sources[media_type])

    @property
    def largest(self):
        """The widest JPEG or PNG: the one address to give where a single image is linked."""
        return self.sources[self.fallback_type][-1]


class RenditionError(Exception):
    """The source is missing or is not an image Pillow can read, or the storage failed."""


# Set while a response is made under watching_storage(): whether the storage failed.
_storage_failed = contextvars.ContextVar("storage_failed", default=None)


@contextlib.contextmanager
def watching_storage():
    """Within it, `failed()` of the yielded object says whether the storage failed
    (forum/pagecache/middleware.py keeps no page whose images were left out)."""
    flag = {"failed": False}
    token = _storage_failed.set(flag)
    try:
        yield lambda: flag["failed"]
    finally:
        _storage_failed.reset(token)


def storage_failed():
    """Whether the storage failed so far in the response being made (under
    watching_storage()): fragments of pages are not kept then either."""
    flag = _storage_failed.get()
    return bool(flag and flag["failed"])


def _skip_if_storage_failed(name):
    """One wait per response at most: once the storage has failed while this response was
    made, its other images are left out at once."""
    if storage_failed():
        raise RenditionError(f"{name}: storage unavailable earlier in this response")


def _storage_error(name, error):
    flag = _storage_failed.get()
    if flag is not None:
        flag["failed"] = True
    return RenditionError(f"{name}: storage unavailable: {error}")


# (name, kind, public) -> (Picture, the owner's updated_at when it was last confirmed);
# ("drawn", path) -> True for drawn images known to be stored (never removed by the site:
# their names change with what they show).
_memo = {}
_memo_lock = threading.Lock()
_MEMO_SIZE = 4096


# --- What is public -----------------------------------------------------------------------


def is_public_path(path):
    """Whether a storage-relative path (normalised, no "..") is for everyone: the one rule.

    Only renditions of public content are; uploads and previews' renditions are not.
    """
    return path.startswith(f"{PUBLIC_FOLDER}/")


def owner_is_public(instance):
    """Whether the public may see the image's owner now (a published report or person)."""
    attribute = IMAGE_FIELDS[instance._meta.label].public_when
    return attribute is None or bool(getattr(instance, attribute))


def _kind_of(field_file, kind):
    # The plain str: templates pass SafeStrings, which Path refuses.
    return KINDS[kind or IMAGE_FIELDS[field_file.instance._meta.label].kind]


def renditions(field_file, kind=None):
    """The Picture of an image field's file, in the folder its owner's state calls for,
    making the renditions if they are missing.

    Raises RenditionError when the file cannot be read as an image.
    """
    instance = field_file.instance
    return renditions_of(
        field_file.name,
        _kind_of(field_file, kind),
        public=owner_is_public(instance),
        owner_version=instance.updated_at,
    )


def public_rendition(field_file):
    """The Rendition to link outside a page's <picture> (API, og:image, JSON-LD): the widest
    JPEG or PNG. None without an image, while its owner is not public, or when the file is
    not an image: never the original upload."""
    if not field_file or not owner_is_public(field_file.instance):
        return None
    try:
        return renditions(field_file).largest
    except RenditionError as error:
        logger.warning("No image linked: %s", error)
        return None


def public_url(field_file):
    """The address of public_rendition(), or None."""
    rendition = public_rendition(field_file)
    return rendition.url if rendition else None


def drawn(name, size, draw):
    """The Rendition of an image the site draws itself from public facts (the share images,
    forum/discovery/share_image.py), at PUBLIC_FOLDER/drawn/<name>. draw() returns the Pillow
    image of that size; it is called only while the file is missing, so the name must change
    with what is drawn.

    Raises RenditionError when the file cannot be written.
    """
    relative = f"{PUBLIC_FOLDER}/drawn/{name}"
    if ("drawn", relative) in _memo:
        return Rendition(_url(relative), *size)
    _skip_if_storage_failed(name)
    try:
        missing = not default_storage.exists(relative)
    except STORAGE_ERRORS as error:
        raise _storage_error(name, error) from error
    if missing:
        try:
            _write(relative, _encoded(draw(), PNG))
        except STORAGE_ERRORS as error:
            raise _storage_error(name, error) from error
    _remember(("drawn", relative), True)
    return Rendition(_url(relative), *size)


# --- Making and removing renditions ---------------------------------------------------------


def renditions_of(name, kind, *, public, owner_version=None):
    """The Picture of a stored file's renditions in one folder, made if they are missing.

    Given its owner's `updated_at`, a set this process has seen for that same version is
    linked without asking the storage; otherwise the storage is asked whether the set is
    still there (another process may have removed it since).
    """
    memo_key = (name, kind, public)
    directory = rendition_directory(name, kind, public=public)
    picture, confirmed_for = _memo.get(memo_key, (None, None))
    if picture is not None and owner_version is not None and confirmed_for == owner_version:
        return picture
    _skip_if_storage_failed(name)
    try:
        if picture is None or not default_storage.exists(f"{directory}/manifest.json"):
            manifest = _read_manifest(directory, name)
            if manifest is None:
                manifest = generate(name, directory, kind, name)
            picture = _picture(manifest, directory)
    except STORAGE_ERRORS as error:
        raise _storage_error(name, error) from error
    _remember(memo_key, (picture, owner_version))
    return picture


def forget_stored():
    """Forgets which renditions and drawn images this process knows to be stored: for a
    process that switches to another storage (the test suite's media folder per test)."""
    with _memo_lock:
        _memo.clear()


def _remember(key, value):
    with _memo_lock:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[key] = value


def discard(name, kind, *, public=None):
    """Deletes a stored file's renditions from one folder, or from both (public=None).

    Safe at any time: renditions still needed are made again when next shown.
    """
    for folder in (True, False) if public is None else (public,):
        directory = rendition_directory(name, kind, public=folder)
        with _memo_lock:
            _memo.pop((name, kind, folder), None)
        _remove_folder(directory)


def _remove_folder(directory):
    """Deletes a folder of renditions, its manifest first: no reader ever takes a set
    with files missing for complete."""
    path = local_path(directory)
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        _folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for file in sorted(files, key=lambda file: file != "manifest.json"):
        default_storage.delete(f"{directory}/{file}")


def rendition_directory(name, kind, *, public):
    """Storage-relative folder of one source's renditions of one kind.

    Named by a digest of the stored name, which tells nothing of the file the editor
    uploaded (uploads are stored under random names: forum/core/uploads.py).
    """
    digest = hashlib.sha256(f"{name}|{kind}".encode()).hexdigest()[:32]
    folder = PUBLIC_FOLDER if public else PRIVATE_FOLDER
    return f"{folder}/{kind}/{digest[:2]}/{digest}"


def _source_size(name):
    try:
        return default_storage.size(name)
    except FileNotFoundError:
        return None


def _read_manifest(directory, name):
    try:
        with default_storage.open(f"{directory}/manifest.json", "rb") as file:
            manifest = json.loads(file.read())
    except (FileNotFoundError, ValueError):
        return None
    fresh = (
        manifest.get("version") == MANIFEST_VERSION
        and manifest.get("source") == name
        and manifest.get("source_size") == _source_size(name)
    )
    return manifest if fresh else None


def _encoded(image, media_type):
    buffer = io.BytesIO()
    image.save(buffer, **SAVE_OPTIONS[media_type])
    return buffer.getvalue()


def _write(name, data):
    """Stores a file under exactly this name, replacing any: on disk through a temporary
    file and a rename, in a bucket as one upload (whole or nothing either way)."""
    path = local_path(name)
    if path is None:
        default_storage.save(name, ContentFile(data))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, lambda target: target.write_bytes(data))


def _write_atomically(path, write):
    """Writes through a temporary file and renames: readers never see half a file, and two
    processes making the same rendition at once both leave a whole one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _pixels(name):
    """The source's pixels, the right way up, as RGB or RGBA, with no metadata at all."""
    try:
        with default_storage.open(name, "rb") as file, Image.open(file) as opened:
            source_format = opened.format
            image = ImageOps.exif_transpose(opened)
            image.load()
    except CircuitOpen:
        raise  # the storage is failing, not the file: an outage (renditions_of)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise RenditionError(f"{name}: {error}") from error
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    # Pillow writes some of `info` back (a JPEG comment, a PNG's ICC profile) and EXIF,
    # XMP or GPS when asked: renditions are published, so nothing of it is kept.
    image.info = {}
    is_drawing = has_alpha or source_format in ("PNG", "GIF")
    return image, (PNG if is_drawing else JPEG)


def generate(source, directory, kind, name):
    """Writes every rendition of the stored file `source` and then its manifest; returns
    the manifest."""
    image, fallback_type = _pixels(source)
    widths = sorted({min(width, image.width) for width in WIDTHS[kind]})
    files = []
    try:
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = (
                image if width == image.width else image.resize((width, height), Image.LANCZOS)
            )
            for media_type in (WEBP, fallback_type):
                filename = f"{kind}-{width}w.{EXTENSIONS[media_type]}"
                _write(f"{directory}/{filename}", _encoded(resized, media_type))
                files.append(
                    {"file": filename, "type": media_type, "width": width, "height": height}
                )
        manifest = {
            "version": MANIFEST_VERSION,
            "source": name,
            "source_size": _source_size(name),
            "kind": kind,
            "fallback_type": fallback_type,
            "files": files,
        }
        _write(f"{directory}/manifest.json", json.dumps(manifest, indent=1).encode())
    except CircuitOpen:
        raise
    except OSError as error:  # the folder removed meanwhile (its owner withdrawn), disk full
        raise RenditionError(f"{name}: {error}") from error
    return manifest


def _url(name):
    """A rendition's address: the site's own (MEDIA_URL), or the storage's CDN for public
    ones (forum/core/storage.py)."""
    return default_storage.url(name)


def _picture(manifest, directory):
    sources = {}
    for item in manifest["files"]:
        sources.setdefault(item["type"], []).append(
            Rendition(_url(f"{directory}/{item['file']}"), item["width"], item["height"])
        )
    for items in sources.values():
        items.sort(key=lambda rendition: rendition.width)
    fallback_type = manifest["fallback_type"]
    fallbacks = sources[fallback_type]
    wanted = FALLBACK_WIDTH[manifest["kind"]]
    fallback = next((r for r in fallbacks if r.width >= wanted), fallbacks[-1])
    largest = fallbacks[-1]
    ordered = {WEBP: sources[WEBP], fallback_type: fallbacks}
    return Picture(largest.width, largest.height, ordered, fallback, fallback_type)
