"""The picture shared with a page that has none of its own (og:image, JSON-LD `image`).

One per edition, 1200 × 630 PNG (the size Open Graph and X cards show whole): the forum's
mark (static/img/logo.svg, redrawn with Pillow shapes) on the site's red
(static/css/site.css), the forum's name, the edition's year and its theme; without an
edition, the mark and the name. It is drawn the first time a page asks for it and kept
in the public renditions folder (forum/core/images.py `drawn()`), named by a digest of
what it shows: a new theme makes a new file, and sharers fetch it afresh.

The text is drawn with the font Pillow itself ships (Aileron Regular, public domain: a
Latin character set), never one of the machine's: a text is drawn in the first site
language whose version the font can draw, and left out if none can (the year always can).
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from forum.core import images, languages

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
VERSION = 1  # part of the file name: raise it when the drawing changes
SCALE = 2  # drawn at twice the size and reduced, which smooths the mark's curves

# static/css/site.css
ACCENT = "#a4161a"
ACCENT_DARK = "#7a0f12"
INK = "#1a1a1a"
INK_SOFT = "#4a4a4a"
TINT = "#f6f3ee"
WHITE = "#ffffff"

BAND = 420  # the red band holding the mark, on the left
MARGIN = 72
THEME_LINES = 3


@dataclass(frozen=True)
class ShareImage:
    url: str  # MEDIA_URL-based path
    width: int
    height: int
    alt: str  # in the page language


def for_edition(edition):
    """The ShareImage of an edition (None: the forum's own), or None if it cannot be
    written (logged; the page is shared without an image)."""
    lines = _lines(edition)
    digest = hashlib.sha256(repr((VERSION, lines)).encode()).hexdigest()[:32]
    try:
        rendition = images.drawn(f"share-{digest}.png", (WIDTH, HEIGHT), lambda: draw(*lines))
    except images.RenditionError as error:
        logger.warning("No share image: %s", error)
        return None
    return ShareImage(rendition.url, rendition.width, rendition.height, _alt(edition))


def _alt(edition):
    if edition is None:
        return str(settings.SITE_NAME)
    if edition.theme:
        return gettext("%(edition)s: %(theme)s") % {
            "edition": edition.title,
            "theme": edition.theme,
        }
    return edition.title


def _lines(edition):
    """(name, year, theme): what the image shows, each in a language the font can draw."""
    if edition is None:
        names = []
        for code in languages.CODES:
            with translation.override(code):
                names.append(str(settings.SITE_NAME))
        return _drawable(names), "", ""
    forum_names = languages.by_code("name", edition.forum).values()
    themes = languages.by_code("theme", edition).values()
    return _drawable(forum_names), str(edition.year), _drawable(themes)


def _drawable(texts):
    return next((text for text in texts if text and all(map(_has_glyph, text))), "")


@cache
def _font(size):
    return ImageFont.load_default(size=size * SCALE)


@cache
def _has_glyph(character):
    """Whether the font draws the character rather than its "missing" box."""
    if character.isspace():
        return True
    font = _font(40)

    def pixels(text):
        image = Image.new("L", (160, 160))
        ImageDraw.Draw(image).text((20, 20), text, font=font, fill=255)
        return image.tobytes()

    return pixels(character) != pixels("\U0010fffd")  # a private-use point: never drawn


def draw(name, year, theme):
    """The image: the mark on the red band, then the name, the year and the theme."""
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), TINT)
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((0, 0, BAND * SCALE, HEIGHT * SCALE), fill=ACCENT)
    mark = 280
    _mark(canvas, (BAND - mark) // 2, (HEIGHT - mark) // 2, mark)
    canvas.rectangle(
        (BAND * SCALE, (HEIGHT - 14) * SCALE, WIDTH * SCALE, HEIGHT * SCALE), fill=ACCENT_DARK
    )

    left, width = BAND + MARGIN, WIDTH - BAND - 2 * MARGIN
    blocks = [(name, 50 if year else 64, INK, 1)]
    if year:
        blocks.append((year, 150, ACCENT, 1))
    if theme:
        blocks.append((theme, 38, INK_SOFT, THEME_LINES))
    laid_out = [
        (line, size, colour)
        for text, size, colour, most in blocks
        for line in _wrap(text, _font(size), width * SCALE, most)
    ]
    heights = [round(size * 1.3) for _line, size, _colour in laid_out]
    top = (HEIGHT - sum(heights)) // 2
    for (line, size, colour), height in zip(laid_out, heights, strict=True):
        position = (left * SCALE, (top + height / 2) * SCALE)
        canvas.text(position, line, font=_font(size), fill=colour, anchor="lm")
        top += height
    return image.resize((WIDTH, HEIGHT), Image.LANCZOS)


def _wrap(text, font, width, most):
    """The text in at most `most` lines no wider than `width`, the last one shortened."""
    lines, words = [], text.split()
    while words and len(lines) < most:
        line = words.pop(0)
        while words and font.getlength(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        last = lines[-1]
        while last and font.getlength(f"{last} …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = f"{last} …"
    return lines


def _mark(canvas, x, y, size):
    """static/img/logo.svg (64 × 64): a globe, its meridian and parallels, and the axis,
    in white strokes; the red square is the band behind it."""

    def point(px, py):
        return ((x + px * size / 64) * SCALE, (y + py * size / 64) * SCALE)

    def width(stroke):
        return round(stroke * size / 64 * SCALE)

    def ring(rx, ry, stroke):
        # SVG strokes straddle the outline; Pillow's grow inwards from the box.
        outer_x, outer_y = rx + stroke / 2, ry + stroke / 2
        box = (*point(32 - outer_x, 32 - outer_y), *point(32 + outer_x, 32 + outer_y))
        canvas.ellipse(box, outline=WHITE, width=width(stroke))

    def line(start, end, stroke, *, round_caps=False):
        ends = [point(*start), point(*end)]
        canvas.line(ends, fill=WHITE, width=width(stroke))
        radius = width(stroke) / 2
        for cx, cy in ends if round_caps else ():
            canvas.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=WHITE)

    ring(19, 19, 3.5)
    ring(8, 19, 3)
    for top in (22, 32, 42):  # the equator reaches further than the parallels
        line((13 if top == 32 else 16, top), (51 if top == 32 else 48, top), 3)
    line((32, 6), (32, 12), 3.5, round_caps=True)
    line((32, 52), (32, 58), 3.5, round_caps=True)
