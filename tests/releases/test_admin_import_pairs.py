"""The admin's import with a Chinese release, and with a release and its twin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forum.core import languages
from forum.models import Person, Report
from tests.releases.importing import ZH_TWO_SPEAKERS, editor, seed_text, seed_zh_text
from tests.releases.test_admin_import import CONFIRM, START, nothing_written, signed_release

ZH = languages.HAN_SCRIPT


@pytest.fixture
def editor_client(client, db):
    client.force_login(editor())
    return client


def upload(text, name="release.txt"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_chinese_release_reviewed_and_imported_as_a_chinese_draft(editor_client):
    text = ZH_TWO_SPEAKERS.read_text(encoding="utf-8")

    review = editor_client.post(START, {"upload": upload(text)})

    page = review.content.decode()
    assert review.status_code == 200
    assert "陈强" in page and "国家能源局副局长" in page
    assert 'aria-labelledby="release-source-heading-1" lang="zh-Hans">' in page
    response = editor_client.post(CONFIRM, {"release": signed_release(review)})
    report = Report.objects.get()
    assert response.status_code == 302
    assert getattr(report, languages.column("headline", ZH)) == "能源转型示例专题研讨会"


def test_pair_reviewed_and_imported_as_one_bilingual_draft(editor_client):
    review = editor_client.post(
        START, {"upload": upload(seed_zh_text(), "zh.txt"), "twin_upload": upload(seed_text())}
    )

    page = review.content.decode()
    assert "Records to be created, unpublished: 21." in page
    assert 'Li Wenhai / <span lang="zh-Hans">李文海</span>' in page
    assert "What was read in the Chinese release" in page
    editor_client.post(CONFIRM, {"release": signed_release(review)})
    report = Report.objects.get()
    assert report.headline_en.startswith("Li Wenhai:")
    assert getattr(report, languages.column("headline", ZH)) == "李文海：数字化赋能产业转型"
    assert Person.objects.count() == 4


def test_twin_in_the_same_language_is_a_form_error(editor_client):
    response = editor_client.post(START, {"text": seed_text(), "twin_upload": upload(seed_text())})

    assert response.status_code == 200
    assert "same language" in " ".join(response.context["form"].errors["twin_upload"])
    assert nothing_written()


def test_unreadable_twin_is_a_form_error(editor_client):
    response = editor_client.post(
        START,
        {"text": seed_text(), "twin_upload": SimpleUploadedFile("zh.pdf", b"%PDF-1.4 ...")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["twin_upload"]
    assert nothing_written()


def test_chinese_release_without_a_session_shows_the_problem_in_chinese(client, db):
    client.force_login(editor())
    text = "中国发展高层论坛2025年年会\n\n会议在北京举行。"

    response = client.post(START, {"text": text}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="release-confirm-form"' not in page
    assert "新闻稿未写明会议：缺少会议名称。" in page
    assert nothing_written()


def test_pair_of_different_editions_is_refused_on_the_review(editor_client):
    response = editor_client.post(
        START,
        {
            "text": seed_text(),
            "twin_upload": upload(ZH_TWO_SPEAKERS.read_text(encoding="utf-8")),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This release cannot be imported" in page
    assert "different editions: 2024 and 2025" in page
    assert 'id="release-confirm-form"' not in page
    assert nothing_written()
