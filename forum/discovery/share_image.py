"""The picture shared with a page that has none of its own (og:image, JSON-LD `image`).

One per edition and language, 1200 × 630 PNG (the size Open Graph and X cards show whole):
the forum's mark (static/img/logo.svg, redrawn with Pillow shapes) on the site's red
(static/css/site.css), the forum's name, the edition's year and its theme, in the page's
language; without an edition, the mark and the name. It is drawn the first time a page
asks for it and kept in the public renditions folder (forum/core/images.py `drawn()`),
named by the language and a digest of what it shows: a new theme makes a new file, and
sharers fetch it afresh.

Fonts are the project's own, never the machine's. Latin-script languages use the font
Pillow itself ships (Aileron Regular, public domain: Latin letters only); languages written
in Chinese characters use Noto Sans CJK Regular (SIL Open Font License 1.1, from the pinned
`noto-cjk-sans-otc` package), in the face of the language's regional glyph forms
(`Language.han_glyphs`: SC for Simplified, TC for Traditional), which draws Latin letters
and digits too. A text is drawn in the page's language when its font can draw it, else in
the first other language it can draw, and left out if none can (the year always can).
Chinese text wraps between characters (never before a closing mark or after an opening
one), other text between words; a text too long for its lines ends in an ellipsis.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from forum.core import images, languages
from forum.core.scripts import HAN, has_han

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
VERSION = 2  # part of the file name: raise it when the drawing changes
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

CJK_FAMILY = "Noto Sans CJK"  # its faces: "Noto Sans CJK SC", "… TC", "… HK", "… JP", "… KR"

# A line may break before and after a Chinese character or a CJK or full-width mark; the
# quotation marks, ellipsis and dash Chinese text shares with English are pieces of their
# own, kept to their neighbours as the rules below say.
_BREAKABLE = f"{HAN}\u3000-\u303f\uff00-\uffef"
_CJK = f"{_BREAKABLE}\u2018-\u201f\u2026\u2014"
_PIECE = re.compile(f"[{_CJK}]|[^{_CJK}]+")
_BREAKABLE_PIECE = re.compile(f"[{_BREAKABLE}]")
_NO_LINE_START = set("，。、：；！？）」』》〉】〕”’…—%,.;:!?)]}")
_NO_LINE_END = set("（「『《〈【〔“‘([{")
_BEFORE_ELLIPSIS = "，、：；,;: "  # dropped where the ellipsis cuts the text


@dataclass(frozen=True)
class ShareImage:
    url: str  # MEDIA_URL-based path
    width: int
    height: int
    alt: str  # in the page language


def for_edition(edition, code=None):
    """The ShareImage of an edition (None: the forum's own) in a language (default: the
    active one), or None if it cannot be written (logged; the page is shared without an
    image)."""
    code = code or languages.active()
    glyphs = languages.get(code).han_glyphs
    lines = _lines(edition, code, glyphs)
    font = _font(glyphs, 40).getname()  # a missing Chinese font draws another image
    digest = hashlib.sha256(repr((VERSION, font, lines)).encode()).hexdigest()[:32]
    try:
        rendition = images.drawn(
            f"share-{code}-{digest}.png", (WIDTH, HEIGHT), lambda: draw(*lines, glyphs=glyphs)
        )
    except images.RenditionError as error:
        logger.warning("No share image: %s", error)
        return None
    with translation.override(code):
        alt = _alt(edition)
    return ShareImage(rendition.url, rendition.width, rendition.height, alt)


def _alt(edition):
    if edition is None:
        return str(settings.SITE_NAME)
    if edition.theme:
        return gettext("%(edition)s: %(theme)s") % {
            "edition": edition.title,
            "theme": edition.theme,
        }
    return edition.title


def _lines(edition, code, glyphs):
    """(name, year, theme): what the image shows, each in the language `code`, or else in
    the first other language whose text the font of `glyphs` can draw."""
    order = (code, *languages.others(code))
    if edition is None:
        names = []
        for other in order:
            with translation.override(other):
                names.append(str(settings.SITE_NAME))
        return _drawable(names, glyphs), "", ""
    forum_names = languages.by_code("name", edition.forum)
    themes = languages.by_code("theme", edition)
    return (
        _drawable([forum_names[other] for other in order], glyphs),
        str(edition.year),
        _drawable([themes[other] for other in order], glyphs),
    )


def _drawable(texts, glyphs):
    drawn = (text for text in texts if text and all(_has_glyph(glyphs, c) for c in text))
    return next(drawn, "")


@cache
def _font(glyphs, size):
    """The font of a language's images: Noto Sans CJK in the face of its glyph forms for
    Chinese characters, Pillow's own (Latin) font without."""
    if glyphs:
        try:
            return ImageFont.truetype(str(cjk_font_path()), size * SCALE, index=_face(glyphs))
        except (ImportError, OSError, LookupError) as error:
            logger.warning("No Chinese font, Chinese text left out of share images: %s", error)
    return ImageFont.load_default(size=size * SCALE)


def cjk_font_path():
    """Noto Sans CJK Regular, the OpenType collection the `noto-cjk-sans-otc` package
    ships (requirements.txt). ImportError when the package is not installed."""
    from noto_cjk_sans_otc import FONT_PATH  # here: a missing package is logged, not fatal

    return FONT_PATH


@cache
def _face(glyphs):
    """The index of the collection's face with these regional glyph forms."""
    wanted, index = f"{CJK_FAMILY} {glyphs}", 0
    while True:
        try:  # OSError past the last face
            family, _style = ImageFont.truetype(str(cjk_font_path()), 10, index=index).getname()
        except OSError:
            raise LookupError(f"{wanted} is not in {cjk_font_path()}") from None
        if family == wanted:
            return index
        index += 1


@cache
def _has_glyph(glyphs, character):
    """Whether the font draws the character rather than its "missing" box."""
    if character.isspace():
        return True
    font = _font(glyphs, 40)

    def pixels(text):
        image = Image.new("L", (160, 160))
        ImageDraw.Draw(image).text((20, 20), text, font=font, fill=255)
        return image.tobytes()

    return pixels(character) != pixels("\U0010fffd")  # a private-use point: never drawn


def draw(name, year, theme, *, glyphs=""):
    """The image: the mark on the red band, then the name, the year and the theme, in the
    font of `glyphs` (a language's `han_glyphs`)."""
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
        for line in _wrap(text, _font(glyphs, size), width * SCALE, most)
    ]
    heights = [round(size * 1.3) for _line, size, _colour in laid_out]
    top = (HEIGHT - sum(heights)) // 2
    for (line, size, colour), height in zip(laid_out, heights, strict=True):
        position = (left * SCALE, (top + height / 2) * SCALE)
        canvas.text(position, line, font=_font(glyphs, size), fill=colour, anchor="lm")
        top += height
    return image.resize((WIDTH, HEIGHT), Image.LANCZOS)


def _wrap(text, font, width, most):
    """The text in at most `most` lines no wider than `width`, the last one shortened to
    end in an ellipsis ("……" in Chinese text, " …" in other text) when the text goes on."""
    atoms, lines = _atoms(text), []
    while atoms and len(lines) < most:
        line = [atoms.pop(0)]
        while atoms and font.getlength(_joined([*line, atoms[0]])) <= width:
            line.append(atoms.pop(0))
        lines.append(line)
    if not atoms:
        return [_joined(line) for line in lines]
    ellipsis = "……" if has_han(text) else " …"
    last = lines.pop()

    def shortened():
        return _joined(last).rstrip(_BEFORE_ELLIPSIS)

    while last and font.getlength(shortened() + ellipsis) > width:
        if len(last) > 1:
            last.pop()
        else:  # one word wider than the line
            spaced, word = last[0]
            last[0] = (spaced, word[:-1])
            if not word[:-1]:
                last.pop()
    return [*(_joined(line) for line in lines), (shortened() + ellipsis).strip()]


def _atoms(text):
    """The text as (spaced, atom) pairs a line may break between: words of Latin-script
    text, single Chinese characters (a closing mark kept with the character before it, an
    opening one with the character after); `spaced` when a space comes before the atom."""
    atoms = []
    for word in text.split():
        before = None
        for piece in _PIECE.findall(word):
            if before is None:
                atoms.append((bool(atoms), piece))
            elif _may_break(before, piece):
                atoms.append((False, piece))
            else:
                spaced, atom = atoms[-1]
                atoms[-1] = (spaced, atom + piece)
            before = piece
    return atoms


def _may_break(before, after):
    """Whether a line may break between two pieces of one word: next to a Chinese
    character or mark (never inside "China’s"), and not before a closing mark nor after
    an opening one."""
    beside_chinese = bool(_BREAKABLE_PIECE.fullmatch(before) or _BREAKABLE_PIECE.fullmatch(after))
    return beside_chinese and after[0] not in _NO_LINE_START and before[-1] not in _NO_LINE_END


def _joined(atoms):
    """One line's atoms as text (a line never starts with a space)."""
    return "".join(
        f" {atom}" if spaced and position else atom for position, (spaced, atom) in enumerate(atoms)
    )


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
