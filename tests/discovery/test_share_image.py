"""The share image: one per edition and language, drawn once, shared by every page without
an image of its own (og:image with its size and description, twitter:image, JSON-LD)."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from forum.core import languages
from forum.discovery import share_image
from forum.models import Edition, Person, Session
from tests.factories import EditionFactory, PersonFactory, ReportFactory

BASE = "http://testserver"
ACCENT = (0xA4, 0x16, 0x1A)  # static/css/site.css --accent
TINT = (0xF6, 0xF3, 0xEE)  # --tint


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploads get new names: no rendition is remembered
    settings.SERVE_MEDIA = True
    return tmp_path


def stored(media, shared):
    return media / shared.url.removeprefix("/media/")


def meta(response):
    head = response.content.decode().split("</head>")[0]
    return dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', head))


def test_share_image_is_a_1200_by_630_png_among_public_renditions(db, media):
    shared = share_image.for_edition(EditionFactory())
    assert shared.url.startswith("/media/renditions/public/drawn/")
    assert (shared.width, shared.height) == (1200, 630)
    with Image.open(stored(media, shared)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


def test_share_image_is_drawn_in_the_site_colours(db, media):
    shared = share_image.for_edition(EditionFactory())
    with Image.open(stored(media, shared)) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((20, 20)) == ACCENT  # the band behind the mark
        assert rgb.getpixel((1180, 20)) == TINT


def test_share_image_is_drawn_once(db, media, monkeypatch):
    edition = EditionFactory()
    first = share_image.for_edition(edition)
    monkeypatch.setattr(share_image, "draw", pytest.fail)
    assert share_image.for_edition(edition) == first


def test_share_image_is_drawn_again_when_the_theme_changes(db, media):
    edition = EditionFactory(theme_en="Openness")
    before = share_image.for_edition(edition)
    edition.theme_en = "Innovation"
    after = share_image.for_edition(edition)
    assert after.url != before.url
    assert stored(media, before).exists() and stored(media, after).exists()


def test_share_image_leaves_out_text_its_font_cannot_draw(db, media):
    # The English image's font comes with Pillow and has Latin letters only: a theme known
    # only in Chinese is left out rather than drawn as empty boxes.
    edition = EditionFactory(theme_en="", theme_zh_hans="数字经济")
    chinese_only = share_image.for_edition(edition)
    edition.theme_zh_hans = ""
    assert share_image.for_edition(edition).url == chinese_only.url


def test_share_image_without_an_edition_shows_the_forum(db, media):
    shared = share_image.for_edition(None)
    assert shared.alt == "China Development Forum"
    assert stored(media, shared).exists()


def test_share_image_cannot_be_written_shares_nothing(db, media, settings, caplog):
    blocker = media / "blocked"
    blocker.write_text("a file where the folder should be")
    settings.MEDIA_ROOT = blocker
    assert share_image.for_edition(EditionFactory()) is None
    assert "No share image" in caplog.text


def test_share_image_is_served_to_everyone(client, db, media):
    shared = share_image.for_edition(EditionFactory())
    response = client.get(shared.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


# --- On pages -------------------------------------------------------------------------


def pages_without_an_image():
    return [
        "/en/",
        "/zh-hans/about/",
        "/en/2024/",
        "/zh-hans/2024/press/",
        "/en/reports/",
        "/zh-hans/people/",
        "/en/search/?q=digital+economy",
        "/en/reports/li-wenhai-digital-empowerment-industrial-transformation/",
    ]


@pytest.mark.parametrize("path", pages_without_an_image())
def test_page_without_an_image_shares_the_edition_image(client, demo, path):
    with translation.override(path.split("/")[1]):
        shared = share_image.for_edition(Edition.objects.get())
    tags = meta(client.get(path))
    assert tags["og:image"] == BASE + shared.url
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:image:alt"] == shared.alt
    assert tags["twitter:image"] == BASE + shared.url
    assert tags["twitter:card"] == "summary_large_image"


def test_session_and_person_without_photo_share_the_edition_image(client, demo):
    shared = share_image.for_edition(Edition.objects.get())
    session = Session.objects.first()
    person = Person.objects.filter(photo="").first()
    for page in (session, person):
        assert meta(client.get(page.get_absolute_url()))["og:image"] == BASE + shared.url


def test_share_image_description_is_in_the_page_language(client, demo):
    tags = meta(client.get("/zh-hans/"))
    assert tags["og:image:alt"].startswith("中国发展高层论坛")
    assert "：" in tags["og:image:alt"]  # edition and theme, the Chinese way


def test_report_with_an_image_shares_its_own(client, db, media):
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), (20, 90, 160)).save(buffer, format="JPEG")
    report = ReportFactory(
        hero_image=SimpleUploadedFile("keynote.jpg", buffer.getvalue()),
        hero_image_alt_en="Li Wenhai speaking",
    )
    tags = meta(client.get(report.get_absolute_url()))
    assert "/renditions/public/hero/" in tags["og:image"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1440", "720")
    assert tags["og:image:alt"] == "Li Wenhai speaking"


def test_person_with_a_photo_shares_it(client, db, media):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (20, 90, 160)).save(buffer, format="JPEG")
    person = PersonFactory(photo=SimpleUploadedFile("face.jpg", buffer.getvalue()))
    tags = meta(client.get(person.get_absolute_url()))
    assert "/renditions/public/photo/" in tags["og:image"]
    assert tags["og:image:alt"] == person.full_name()
    assert Path(tags["og:image"]).suffix == ".jpg"


# --- In each language -----------------------------------------------------------------

LANGUAGE_PAGES = ["/en/2024/", "/zh-hans/2024/", "/zh-hant/2024/"]
LINE_WIDTH = (share_image.WIDTH - share_image.BAND - 2 * share_image.MARGIN) * share_image.SCALE


def json_ld_image(response):
    """The `image` of the page's JSON-LD (a page may also carry an ItemList block)."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    [image] = [data["image"] for data in map(json.loads, blocks) if "image" in data]
    return image


def pixels(image):
    return image.convert("RGB").tobytes()


def missing_glyphs(text):
    """The text with every character swapped for one no font draws (its "missing" box)."""
    return "".join(character if character.isspace() else "\U0010fffd" for character in text)


def test_each_language_shares_its_own_image(client, demo, media):
    urls = []
    for path in LANGUAGE_PAGES:
        response = client.get(path)
        tags = meta(response)
        assert tags["twitter:image"] == tags["og:image"]
        assert json_ld_image(response) == [tags["og:image"]]
        urls.append(tags["og:image"])
    assert len(set(urls)) == len(LANGUAGE_PAGES)
    for url in urls:
        image = client.get(url.removeprefix(BASE))
        assert image["Content-Type"] == "image/png"
        with Image.open(io.BytesIO(image.getvalue())) as png:
            assert (png.format, png.size) == ("PNG", (1200, 630))


@pytest.mark.parametrize(
    "path",
    [
        "/zh-hant/2024/sessions/digital-empowerment-industrial-transformation/",
        "/zh-hant/reports/li-wenhai-shuzihua-funeng-chanye-zhuanxing/",
        "/zh-hant/people/",
    ],
)
def test_traditional_pages_share_the_traditional_image(client, demo, path):
    edition_page = meta(client.get("/zh-hant/2024/"))
    tags = meta(client.get(path))
    assert tags["og:image"] == tags["twitter:image"] == edition_page["og:image"]
    assert tags["og:image"] != meta(client.get("/zh-hans/2024/"))["og:image"]


def test_share_image_description_follows_the_page_language(client, demo):
    alts = {path: meta(client.get(path))["og:image:alt"] for path in LANGUAGE_PAGES}
    assert alts["/en/2024/"] == "China Development Forum 2024: The Continuous Development of China"
    assert alts["/zh-hans/2024/"].startswith("中国发展高层论坛")
    assert alts["/zh-hans/2024/"].endswith("：持续发展的中国")
    assert alts["/zh-hant/2024/"].startswith("中國發展高層論壇")
    assert alts["/zh-hant/2024/"].endswith("：持續發展的中國")


@pytest.mark.parametrize(
    ("code", "name", "theme"),
    [
        ("zh-hans", "中国发展高层论坛", "骨干企业的创新"),
        ("zh-hant", "中國發展高層論壇", "骨幹企業的創新"),
    ],
)
def test_chinese_images_draw_the_chinese_text(db, media, code, name, theme):
    edition = EditionFactory(year=2024, theme_zh_hans="骨干企业的创新")
    glyphs = languages.get(code).han_glyphs
    assert share_image._lines(edition, code, glyphs) == (name, "2024", theme)
    with Image.open(stored(media, share_image.for_edition(edition, code))) as image:
        drawn = pixels(image)
    assert drawn == pixels(share_image.draw(name, "2024", theme, glyphs=glyphs))
    # Glyphs, not the font's "missing" boxes, and the text was not left out.
    boxes = share_image.draw(missing_glyphs(name), "2024", missing_glyphs(theme), glyphs=glyphs)
    assert drawn != pixels(boxes)
    assert drawn != pixels(share_image.draw("", "2024", "", glyphs=glyphs))


def test_simplified_and_traditional_images_use_their_own_glyph_forms(db, media):
    simplified, traditional = (languages.get(code).han_glyphs for code in ("zh-hans", "zh-hant"))
    assert share_image._font(simplified, 40).getname()[0] == "Noto Sans CJK SC"
    assert share_image._font(traditional, 40).getname()[0] == "Noto Sans CJK TC"
    # 骨 is one code point drawn differently in mainland and Taiwan forms.
    assert pixels(share_image.draw("", "", "骨", glyphs=simplified)) != pixels(
        share_image.draw("", "", "骨", glyphs=traditional)
    )


def test_a_changed_chinese_theme_makes_new_chinese_images_only(db, media):
    edition = EditionFactory(theme_zh_hans="数字经济")
    before = {code: share_image.for_edition(edition, code).url for code in languages.CODES}
    edition.theme_zh_hans = "绿色发展"
    edition.save()
    after = {code: share_image.for_edition(edition, code).url for code in languages.CODES}
    assert [code for code in languages.CODES if after[code] != before[code]] == [
        "zh-hans",
        "zh-hant",
    ]
    assert all(f"/share-{code}-" in after[code] for code in languages.CODES)


def test_long_chinese_theme_wraps_between_characters_and_ends_in_an_ellipsis():
    theme = (
        "持续发展的中国：在更高水平对外开放中推动高质量发展，"
        "携手共建人类命运共同体，共享发展机遇，共创美好未来"
    )
    font = share_image._font("SC", 38)
    lines = share_image._wrap(theme, font, LINE_WIDTH, share_image.THEME_LINES)
    assert len(lines) == share_image.THEME_LINES
    assert all(font.getlength(line) <= LINE_WIDTH for line in lines)
    assert lines[-1].endswith("……")
    assert theme.startswith("".join(lines).removesuffix("……"))
    assert not any(line[0] in "，。、：；！？）」" for line in lines)  # no line opens on a mark


def test_short_chinese_theme_is_kept_whole_and_english_wraps_between_words():
    sc = share_image._font("SC", 38)
    assert share_image._wrap("持续发展的中国", sc, LINE_WIDTH, 3) == ["持续发展的中国"]
    english = "The Continuous Development of China in an Open World of Shared Growth " * 3
    latin = share_image._font("", 38)
    lines = share_image._wrap(english, latin, LINE_WIDTH, 3)
    assert len(lines) == 3
    assert lines[-1].endswith(" …")
    assert " ".join(english.split()).startswith(" ".join(lines).removesuffix(" …"))


def test_without_the_chinese_font_the_chinese_image_is_still_shared(db, media, monkeypatch, caplog):
    def not_installed():
        raise ImportError("No module named 'noto_cjk_sans_otc'")

    def forget_fonts():
        for cached in (share_image._font, share_image._face, share_image._has_glyph):
            cached.cache_clear()

    edition = EditionFactory()
    with_font = share_image.for_edition(edition, "zh-hans")
    forget_fonts()
    monkeypatch.setattr(share_image, "cjk_font_path", not_installed)
    try:
        shared = share_image.for_edition(edition, "zh-hans")
    finally:
        forget_fonts()
    assert "No Chinese font" in caplog.text
    assert stored(media, shared).exists()
    # Another file: once the font is back, the page shares the image in Chinese again.
    assert shared.url != with_font.url
    assert shared.alt == with_font.alt  # the description needs no font


def test_marks_stay_with_their_characters_and_english_words_stay_whole():
    sc = share_image._font("SC", 38)
    narrow = sc.getlength("数字经济") + 1  # about four characters a line
    lines = share_image._wrap("“数字经济”与（产业转型）：算力", sc, narrow, 10)
    assert "".join(lines) == "“数字经济”与（产业转型）：算力"
    assert not any(line[0] in "”）：" or line[-1] in "“（" for line in lines)
    latin = share_image._font("", 38)
    assert share_image._wrap("China’s growth", latin, latin.getlength("growth"), 5) == [
        "China’s",
        "growth",
    ]
