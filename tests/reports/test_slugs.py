"""Slugs from headlines: ASCII, pinyin without tones for Chinese, unique, at most 120
characters, and the admin address the form's script asks while a headline is typed."""

import pytest
from django.core.exceptions import ValidationError

from forum.core.slugs import MAX_LENGTH, slug_from_title, unique_slug
from forum.models import Report
from forum.models.reports import ascii_slug
from tests.factories import ReportFactory, UserFactory

SLUG = "/admin/forum/report/slug/"


@pytest.mark.parametrize(
    ("title", "code", "slug"),
    [
        (
            "Li Wenhai’s keynote: Growth & the “new” economy",
            "en",
            "li-wenhais-keynote-growth-the-new-economy",
        ),
        ("Café société", "en", "cafe-societe"),
        ("中国发展高层论坛2024年会", "zh-hans", "zhong-guo-fa-zhan-gao-ceng-lun-tan-2024-nian-hui"),
        # Read by phrase: 行 is hang in 银行 and 行长; ü is written v.
        ("银行行长谈绿色转型", "zh-hans", "yin-hang-hang-zhang-tan-lv-se-zhuan-xing"),
        ("李文海：AI 与增长", "zh-hans", "li-wen-hai-ai-yu-zeng-zhang"),
        ("Keynote by 李文海", "en", "keynote-by-li-wen-hai"),
        ("！？", "zh-hans", ""),
    ],
)
def test_slug_from_title(title, code, slug):
    assert slug_from_title(title, code) == slug


def test_slug_is_cut_between_words_within_the_column_and_passes_the_validator():
    slug = slug_from_title("growth " * 40, "en")
    assert len(slug) <= MAX_LENGTH and not slug.endswith("-")
    ascii_slug(slug)
    chinese = slug_from_title("发展" * 80, "zh-hans")
    assert len(chinese) <= MAX_LENGTH
    ascii_slug(chinese)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        slug_from_title("A title", "xx")


def test_validator_refuses_what_slugs_never_are():
    with pytest.raises(ValidationError):
        ascii_slug("zhong-guo-")


def test_unique_slug_appends_numbers(db):
    first = ReportFactory(slug_en="growth")
    assert unique_slug(Report, "slug_en", "growth") == "growth-2"
    assert unique_slug(Report, "slug_en", "growth", exclude_pk=first.pk) == "growth"
    ReportFactory(slug_en="growth-2")
    assert unique_slug(Report, "slug_en", "growth") == "growth-3"
    assert unique_slug(Report, "slug_zh_hans", "growth") == "growth"


def test_unique_slug_of_a_long_base_stays_within_the_column(db):
    base = slug_from_title("word " * 40, "en")
    ReportFactory(slug_en=base)
    slug = unique_slug(Report, "slug_en", base)
    assert slug.endswith("-2") and len(slug) <= MAX_LENGTH and slug != base


def test_unique_slug_refuses_an_empty_base(db):
    with pytest.raises(ValueError):
        unique_slug(Report, "slug_en", "")


def test_slug_address_answers_pinyin_for_chinese(people, client):
    client.force_login(people["author"])
    response = client.get(SLUG, {"text": "绿色转型", "language": "zh-hans"})
    assert response.status_code == 200
    assert response.json() == {"slug": "lv-se-zhuan-xing"}
    # The column suffix the form's field ids carry works as well as the code.
    suffix = client.get(SLUG, {"text": "绿色转型", "language": "zh_hans"})
    assert suffix.json() == {"slug": "lv-se-zhuan-xing"}


def test_slug_address_skips_slugs_taken_but_not_the_reports_own(people, client):
    report = ReportFactory(slug_en="growth")
    client.force_login(people["author"])
    assert client.get(SLUG, {"text": "Growth", "language": "en"}).json()["slug"] == "growth-2"
    own = client.get(SLUG, {"text": "Growth", "language": "en", "report": report.pk})
    assert own.json()["slug"] == "growth"


@pytest.mark.parametrize(
    "query",
    [
        {"text": "Growth"},
        {"text": "Growth", "language": "xx"},
        {"text": "x" * 1001, "language": "en"},
        {"text": "Growth", "language": "en", "report": "abc"},
    ],
)
def test_slug_address_bad_input_is_400(people, client, query):
    client.force_login(people["author"])
    assert client.get(SLUG, query).status_code == 400


def test_slug_address_is_for_staff_only(db, client):
    assert client.get(SLUG, {"text": "Growth", "language": "en"}).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert client.get(SLUG, {"text": "Growth", "language": "en"}).status_code == 302


def test_slug_address_is_get_only(people, client):
    client.force_login(people["author"])
    assert client.post(SLUG, {"text": "Growth", "language": "en"}).status_code == 405
