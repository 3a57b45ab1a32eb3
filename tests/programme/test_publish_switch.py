"""Editions, sessions, speeches and people: a published/unpublished switch for editors."""

import pytest
from django.contrib.auth.models import Group

from forum.core import roles
from forum.models import Session
from tests.factories import SessionFactory, UserFactory


def staff_in(group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.django_db
def test_editor_unpublishes_sessions_with_list_action(client):
    session = SessionFactory()
    client.force_login(staff_in(roles.EDITORS))
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
    client.force_login(staff_in(roles.TRANSLATORS))
    client.post(
        "/admin/forum/session/",
        {"action": "unpublish_selected", "_selected_action": [session.pk]},
    )
    assert Session.objects.get(pk=session.pk).is_published
    page = client.get(f"/admin/forum/session/{session.pk}/change/")
    assert 'name="is_published"' not in page.content.decode()
