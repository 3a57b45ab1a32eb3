"""Image renditions: each uploaded image resized once to a few widths, in WebP and in a
JPEG (photos) or PNG (transparency, drawings) fallback. Only renditions are ever linked.

    picture = renditions(report.hero_image, "hero")
    picture.sources["image/webp"]  -> [Rendition(url, width, height), ...] narrowest first
    picture.fallback               -> the <img src> (a JPEG or PNG of a middle width)
    public_url(report.hero_image)  -> the largest JPEG or PNG, for the API, og:image and
                                      JSON-LD; None while the report is not public

What the public may fetch is one folder (`is_public_path()`, asked by serve_media; the
proxy in front of a production site serves that folder only):

    MEDIA_ROOT/reports/, people/, organisations/   the uploads as sent (random names,
                                                   metadata and all): never public
    MEDIA_ROOT/renditions/public/<kind>/…          renditions of what the public sees now
    MEDIA_ROOT/renditions/public/drawn/…           images the site draws (`drawn()`)
    MEDIA_ROOT/renditions/private/<kind>/…         renditions of drafts, scheduled and
                                                   withdrawn reports, unpublished people:
                                                   staff only (previews)

An image's renditions are made in the folder its owner's state calls for
(`owner_is_public()`, the instance form of the model's `published()`): when it is saved
(forum/core/receivers.py, which also empties the other folder, so a withdrawn report's
image stops being public, and drops a replaced image's) or the first time a page shows
it, so a scheduled report's image goes public with the first page shown after its time,
with no save. A manifest written last marks a complete set; later requests read it once
per process and then serve from memory while it is still there. Images are never
enlarged: a small upload gets fewer widths.

Renditions carry pixels only: none of the upload's EXIF (GPS position, camera, date),
XMP, ICC profile or comments is written.

The storage must be on the local file system (the default): renditions are written next
to the uploads and served from MEDIA_URL.
"""

import hashlib
import json
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

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
    "forum.Person": ImageField("photo", "photo", "is_published"),
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
    """The source is missing or is not an image Pillow can read."""


_memo = {}
_memo_lock = threading.Lock()
_MEMO_SIZE = 4096


# --- What is public -----------------------------------------------------------------------


def is_public_path(path):
    """Whether a MEDIA_ROOT-relative path (normalised, no "..") is for everyone: the one rule.

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
    public = owner_is_public(field_file.instance)
    return renditions_of(field_file.name, _kind_of(field_file, kind), public=public)


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
    relative = Path(PUBLIC_FOLDER) / "drawn" / name
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.exists():
        image = draw()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, lambda target: image.save(target, **SAVE_OPTIONS[PNG]))
        except OSError as error:
            raise RenditionError(f"{name}: {error}") from error
    return Rendition(_media_url(relative), *size)


# --- Making and removing renditions ---------------------------------------------------------


def renditions_of(name, kind, *, public):
    """The Picture of a stored file's renditions in one folder, made if they are missing."""
    memo_key = (name, kind, public)
    directory = rendition_directory(name, kind, public=public)
    picture = _memo.get(memo_key)
    # The manifest may have gone since (the owner withdrawn, in this process or another).
    if picture is not None and (Path(settings.MEDIA_ROOT) / directory / "manifest.json").exists():
        return picture
    manifest = _read_manifest(directory, name)
    if manifest is None:
        manifest = generate(Path(settings.MEDIA_ROOT) / name, directory, kind, name)
    picture = _picture(manifest, directory)
    with _memo_lock:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[memo_key] = picture
    return picture


def discard(name, kind, *, public=None):
    """Deletes a stored file's renditions from one folder, or from both (public=None).

    Safe at any time: renditions still needed are made again when next shown.
    """
    for folder in (True, False) if public is None else (public,):
        directory = Path(settings.MEDIA_ROOT) / rendition_directory(name, kind, public=folder)
        with _memo_lock:
            _memo.pop((name, kind, folder), None)
        shutil.rmtree(directory, ignore_errors=True)


def rendition_directory(name, kind, *, public):
    """MEDIA_ROOT-relative folder of one source's renditions of one kind.

    Named by a digest of the stored name, which tells nothing of the file the editor
    uploaded (uploads are stored under random names: forum/core/uploads.py).
    """
    digest = hashlib.sha256(f"{name}|{kind}".encode()).hexdigest()[:32]
    folder = PUBLIC_FOLDER if public else PRIVATE_FOLDER
    return Path(folder) / kind / digest[:2] / digest


def _source_size(name):
    try:
        return (Path(settings.MEDIA_ROOT) / name).stat().st_size
    except OSError:
        return None


def _read_manifest(directory, name):
    path = Path(settings.MEDIA_ROOT) / directory / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    fresh = (
        manifest.get("version") == MANIFEST_VERSION
        and manifest.get("source") == name
        and manifest.get("source_size") == _source_size(name)
    )
    return manifest if fresh else None


def _write_atomically(path, write):
    """Writes through a temporary file and renames: readers never see half a file, and two
    processes making the same rendition at once both leave a whole one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _pixels(source_path, name):
    """The source's pixels, the right way up, as RGB or RGBA, with no metadata at all."""
    try:
        with Image.open(source_path) as opened:
            source_format = opened.format
            image = ImageOps.exif_transpose(opened)
            image.load()
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


def generate(source_path, directory, kind, name):
    """Writes every rendition of the source and then its manifest; returns the manifest."""
    image, fallback_type = _pixels(source_path, name)
    widths = sorted({min(width, image.width) for width in WIDTHS[kind]})
    target = Path(settings.MEDIA_ROOT) / directory
    files = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for width in widths:
            height = max(1, round(image.height * width / image.width))
            resized = (
                image if width == image.width else image.resize((width, height), Image.LANCZOS)
            )
            for media_type in (WEBP, fallback_type):
                filename = f"{kind}-{width}w.{EXTENSIONS[media_type]}"
                options = SAVE_OPTIONS[media_type]
                _write_atomically(
                    target / filename,
                    lambda path, picture=resized, options=options: picture.save(path, **options),
                )
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
        _write_atomically(
            target / "manifest.json",
            lambda path: path.write_text(json.dumps(manifest, indent=1)),
        )
    except OSError as error:  # the folder removed meanwhile (its owner withdrawn), disk full
        raise RenditionError(f"{name}: {error}") from error
    return manifest


def _media_url(relative):
    url = f"{settings.MEDIA_URL.rstrip('/')}/{relative.as_posix()}"
    return url if url.startswith(("/", "http://", "https://")) else f"/{url}"


def _picture(manifest, directory):
    base = f"{_media_url(directory)}/"
    sources = {}
    for item in manifest["files"]:
        sources.setdefault(item["type"], []).append(
            Rendition(base + item["file"], item["width"], item["height"])
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
