"""Editions, sessions, speeches and people: a published/unpublished switch for editors."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied

from forum.core import roles
from forum.models import Session
from forum.programme.services import programme_item_publish, programme_item_unpublish
from tests.factories import (
    EditionFactory,
    PersonFactory,
    SessionFactory,
    SpeechFactory,
    user_in,
)


@pytest.mark.django_db
def test_editor_unpublishes_sessions_with_list_action(client):
    session = SessionFactory()
    client.force_login(user_in(roles.EDITORS))
    client.post(
        "/admin/forum/session/",
        {"action": "unpublish_selected", "_selected_action": [session.pk]},
    )
    assert not Session.objects.get(pk=session.pk).is_published
    path = f"/en/{session.edition.slug}/sessions/{session.slug}/"
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_translator_cannot_flip_the_switch(client, form_data):
    session = SessionFactory()
    client.force_login(user_in(roles.TRANSLATORS))
    client.post(
        "/admin/forum/session/",
        {"action": "unpublish_selected", "_selected_action": [session.pk]},
    )
    assert Session.objects.get(pk=session.pk).is_published
    page = client.get(f"/admin/forum/session/{session.pk}/change/")
    assert 'name="is_published"' not in page.content.decode()


# --- The publishing services: the permission is checked inside ---------------------------

ITEM_FACTORIES = {
    "edition": EditionFactory,
    "session": SessionFactory,
    "speech": SpeechFactory,
    "person": PersonFactory,
}


def history(item):
    return [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(item.pk)).order_by("pk")
        if entry.content_type.model_class() is type(item)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ITEM_FACTORIES)
@pytest.mark.parametrize("role", [roles.TRANSLATORS, roles.REVIEWERS, roles.AUTHORS])
def test_only_editors_may_call_the_publishing_services(kind, role):
    item = ITEM_FACTORIES[kind](is_published=True)
    with pytest.raises(PermissionDenied, match="Only editors"):
        programme_item_unpublish(item=item, user=user_in(role))
    assert type(item).objects.get(pk=item.pk).is_published
    assert history(item) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ITEM_FACTORIES)
def test_editor_publishes_and_the_history_says_who(kind):
    item = ITEM_FACTORIES[kind](is_published=False)
    editor = user_in(roles.EDITORS)
    programme_item_publish(item=item, user=editor)
    assert type(item).objects.get(pk=item.pk).is_published
    entry = LogEntry.objects.get(object_id=str(item.pk), user=editor)
    assert entry.get_change_message() == "Changed Published."
    # Publishing what is already public changes nothing and records nothing.
    programme_item_publish(item=item, user=editor)
    assert history(item) == ["Changed Published."]


@pytest.mark.django_db
def test_a_refused_list_action_is_a_message_not_an_error(rf):
    session = SessionFactory(is_published=True)
    request = rf.post("/admin/forum/session/")
    request.user = user_in(roles.TRANSLATORS)
    request.session = {}
    request._messages = FallbackStorage(request)
    admin.site._registry[Session].unpublish_selected(request, Session.objects.all())
    assert [str(message) for message in request._messages] == [
        "Only editors can publish or unpublish editions, sessions, speeches and people."
    ]
    assert Session.objects.get(pk=session.pk).is_published


@pytest.mark.django_db
def test_editor_publishes_a_speech_from_its_session_form(client, form_data):
    speech = SpeechFactory(is_published=False)
    client.force_login(user_in(roles.EDITORS))
    url = f"/admin/forum/session/{speech.session.pk}/change/"
    data = form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-id") and data[key] == str(speech.pk))
    data[prefix.removesuffix("-id") + "-is_published"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.is_published
    assert "Changed Published." in history(speech)
