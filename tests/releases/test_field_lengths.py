"""A text longer than its field is refused at review, naming the field in words, in the
importer's language; a record that fails its model's checks when confirmed is explained
in the importer's language too, never as a raw model error in the release's."""

import pytest
from django.utils import translation

from forum import models
from forum.releases import ReleaseError
from forum.releases.matching import plan_release
from forum.releases.parser import parse_release
from forum.releases.services import release_import
from tests.releases.importing import editor, seed_text, seed_zh_text

START = "/admin/forum/report/import-release/"
LONG_GIVEN_NAME = "Wenhai" * 20  # 120 letters: a family or given name holds 100
LONG_TITLE = "示例" * 130  # a speaker's title as printed holds 255 characters


def nothing_written():
    return not (
        models.Report.objects.exists()
        or models.Person.objects.exists()
        or models.Session.objects.exists()
    )


def seed_with_a_long_name():
    return seed_text().replace("LI Wenhai", f"LI {LONG_GIVEN_NAME}", 1)


def zh_seed_with_a_long_title():
    return seed_zh_text().replace(
        "天津市人民政府副市长李文海作为嘉宾", f"天津市人民政府{LONG_TITLE}副市长李文海作为嘉宾", 1
    )


def test_an_over_long_name_is_refused_at_review_naming_its_field(db):
    with translation.override("en"):
        plan = plan_release(parse_release(seed_with_a_long_name()), user=editor())

    (problem,) = [str(each) for each in plan.problems]
    assert "given name" in problem
    assert "120 characters, more than the 100" in problem


def test_an_over_long_name_is_refused_with_nothing_written(db):
    with translation.override("en"), pytest.raises(ReleaseError) as refusal:
        release_import(draft=parse_release(seed_with_a_long_name()), user=editor())

    assert "given name" in str(refusal.value)
    assert nothing_written()


def test_a_chinese_release_with_an_over_long_title_is_refused_in_the_english_admin(client, db):
    client.force_login(editor())

    response = client.post(START, {"text": zh_seed_with_a_long_title()}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert "title as printed in the release has 270 characters, more than the 255" in page
    assert 'name="release"' not in page  # no confirm button
    assert "确保" not in page
    assert nothing_written()


def test_a_record_refused_when_confirmed_is_explained_in_the_importers_language(db):
    draft = parse_release(seed_zh_text())
    draft["organisation_contact"]["website"] = "https://not a web address"

    with translation.override("en"), pytest.raises(ReleaseError) as refusal:
        release_import(draft=draft, user=editor())

    message = str(refusal.value)
    assert "Website: Enter a valid URL." in message
    assert "website:" not in message
    assert not any("\u4e00" <= char <= "\u9fff" for char in message.split("(")[-1])
    assert nothing_written()
