"""An editor adds a session with a keynote speech, its speaker and a report in both
languages through the admin, publishes it and finds it on both language sites."""

import pytest

from forum.core import roles
from forum.models import Person, Report, Session
from tests.factories import PersonFactory, user_in


@pytest.fixture
def editor(client, demo):
    user = user_in(roles.EDITORS)
    client.force_login(user)
    return user


def post_add_form(client, model_name, form_data, values):
    url = f"/admin/forum/{model_name}/add/"
    data = form_data(client.get(url))
    data.update(values)
    data["_save"] = "Save"
    response = client.post(url, data)
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
    return response


def test_editor_publishes_new_session_speech_speaker_and_report(client, editor, form_data):
    from forum.models import Edition

    edition = Edition.objects.get(slug="2024")
    post_add_form(
        client,
        "person",
        form_data,
        {
            "family_name_en": "Chen",
            "given_name_en": "Lan",
            "family_name_zh_hans": "陈",
            "given_name_zh_hans": "岚",
            "slug": "chen-lan",
            "is_published": "on",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    speaker = Person.objects.get(slug="chen-lan")
    post_add_form(
        client,
        "session",
        form_data,
        {
            "edition": str(edition.pk),
            "kind": "plenary",
            "title_en": "Plenary on Green Growth",
            "title_zh_hans": "绿色增长全体会议",
            "slug": "green-growth",
            "date": "2024-03-24",
            "part_of_day": "morning",
            "venue_en": "Diaoyutai State Guesthouse",
            "venue_zh_hans": "钓鱼台国宾馆",
            "order": "2",
            "is_published": "on",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "speeches-TOTAL_FORMS": "1",
            "speeches-INITIAL_FORMS": "0",
            "speeches-0-speaker": str(speaker.pk),
            "speeches-0-kind": "keynote",
            "speeches-0-order": "1",
            "speeches-0-is_published": "on",
            "speeches-0-title_en": "Green growth",
            "speeches-0-title_zh_hans": "绿色增长",
            "speeches-0-printed_title_en": "Economist",
            "speeches-0-printed_title_zh_hans": "经济学家",
        },
    )
    session = Session.objects.get(slug="green-growth")
    speech = session.speeches.get()
    author, reviewer = PersonFactory(), PersonFactory()
    post_add_form(
        client,
        "report",
        form_data,
        {
            "headline_en": "Chen Lan calls for green growth",
            "headline_zh_hans": "陈岚呼吁绿色增长",
            "slug_en": "chen-lan-green-growth",
            "slug_zh_hans": "chen-lan-lvse-zengzhang",
            "summary_en": "A keynote on green growth.",
            "summary_zh_hans": "关于绿色增长的主旨演讲。",
            "body_en": "<p>Green growth matters.</p>",
            "body_zh_hans": "<p>绿色增长很重要。</p>",
            "original_language": "en",
            "edition": str(edition.pk),
            "session": str(session.pk),
            "speeches": str(speech.pk),
            "authors": str(author.pk),
            "reviewers": str(reviewer.pk),
            "_action": "submit",
        },
    )
    report = Report.objects.get(slug_en="chen-lan-green-growth")
    assert report.status == Report.Status.IN_REVIEW
    # The editor approves and publishes from the form's action menu in one step.
    url = f"/admin/forum/report/{report.pk}/change/"
    data = form_data(client.get(url))
    data["_action"] = "approve_publish"
    assert client.post(url, data).status_code == 302
    assert Report.objects.get(pk=report.pk).status == Report.Status.PUBLISHED

    english = client.get("/en/2024/sessions/green-growth/").content.decode()
    assert "Plenary on Green Growth" in english and "Chen Lan" in english
    assert "Chen Lan calls for green growth" in english
    chinese = client.get("/zh-hans/2024/sessions/green-growth/").content.decode()
    assert "绿色增长全体会议" in chinese and "陈岚" in chinese and "陈岚呼吁绿色增长" in chinese
    page = client.get("/zh-hans/reports/chen-lan-lvse-zengzhang/").content.decode()
    assert "绿色增长很重要。" in page
    client.logout()
    assert client.get("/en/reports/chen-lan-green-growth/").status_code == 200
    assert "Chen Lan calls for green growth" in client.get("/en/").content.decode()
