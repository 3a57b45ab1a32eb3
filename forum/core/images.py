"""Image renditions: each uploaded image resized once to a few widths, in WebP and in a
JPEG (photos) or PNG (transparency, drawings) fallback, stored under MEDIA_ROOT/renditions.

    picture = renditions(report.hero_image, "hero")
    picture.sources["image/webp"]  -> [Rendition(url, width, height), ...] narrowest first
    picture.fallback               -> the <img src> (a JPEG or PNG of a middle width)

Renditions are made when the image is saved (a post_save signal) and, for images that
came another way (demo content, files copied in), the first time a page shows them. A
manifest written last marks a complete set; later requests read it once per process and
then serve from memory. Images are never enlarged: a small upload gets fewer widths.

The storage must be on the local file system (the default): renditions are written next
to the uploads and served from MEDIA_URL like them.
"""

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

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
MANIFEST_VERSION = 1


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


class RenditionError(Exception):
    """The source is missing or is not an image Pillow can read."""


_memo = {}
_memo_lock = threading.Lock()
_MEMO_SIZE = 4096


def renditions(image_field_file, kind):
    """The Picture for an image field's file, making the renditions if they are missing.

    Raises RenditionError when the file cannot be read as an image.
    """
    name = image_field_file.name
    kind = KINDS[kind]  # the plain str: templates pass SafeStrings, which Path refuses
    memo_key = (name, kind)
    picture = _memo.get(memo_key)
    if picture is not None:
        return picture
    directory = rendition_directory(name, kind)
    manifest = _read_manifest(directory, name)
    if manifest is None:
        manifest = generate(Path(settings.MEDIA_ROOT) / name, directory, kind, name)
    picture = _picture(manifest, directory)
    with _memo_lock:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[memo_key] = picture
    return picture


def rendition_directory(name, kind):
    """MEDIA_ROOT-relative folder of one source's renditions of one kind."""
    digest = hashlib.sha1(f"{name}|{kind}".encode(), usedforsecurity=False).hexdigest()[:16]
    stem = Path(name).stem[:40] or "image"
    return Path("renditions") / kind / digest[:2] / f"{stem}-{digest}"


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


def generate(source_path, directory, kind, name):
    """Writes every rendition of the source and then its manifest; returns the manifest."""
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
    fallback_type = PNG if has_alpha or source_format in ("PNG", "GIF") else JPEG
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)

    widths = sorted({min(width, image.width) for width in WIDTHS[kind]})
    target = Path(settings.MEDIA_ROOT) / directory
    target.mkdir(parents=True, exist_ok=True)
    stem = Path(name).stem[:40] or "image"
    files = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for media_type in (WEBP, fallback_type):
            filename = f"{stem}-{width}w.{EXTENSIONS[media_type]}"
            options = SAVE_OPTIONS[media_type]
            _write_atomically(
                target / filename,
                lambda path, picture=resized, options=options: picture.save(path, **options),
            )
            files.append({"file": filename, "type": media_type, "width": width, "height": height})
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
    return manifest


def _picture(manifest, directory):
    base = f"{settings.MEDIA_URL.rstrip('/')}/{directory.as_posix()}/"
    if not base.startswith(("/", "http://", "https://")):
        base = f"/{base}"
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


# --- Made on upload ------------------------------------------------------------------------

# model label -> (image field, kind)
IMAGE_FIELDS = {
    "forum.Report": ("hero_image", "hero"),
    "forum.Person": ("photo", "photo"),
    "forum.Organisation": ("logo", "logo"),
}
