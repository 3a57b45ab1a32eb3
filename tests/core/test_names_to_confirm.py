"""Names known only in Latin letters: the admin shows which languages' names need
confirming, and filters on them; nothing is guessed."""

import pytest

from forum.core import languages
from forum.models import MediaContact, Person

pytestmark = pytest.mark.django_db

OTHER = languages.others(languages.DEFAULT)[0]


def test_demo_people_known_only_in_pinyin_are_listed_to_confirm(admin_client, demo):
    response = admin_client.get(
        "/admin/forum/person/", {"name_to_confirm": OTHER}, HTTP_ACCEPT_LANGUAGE="en"
    )
    listed = {str(person) for person in response.context["cl"].result_list}
    assert {"Liu Changjie", "Cui Keliang"} <= listed
    assert not any(
        getattr(person, languages.column("family_name", OTHER))
        for person in response.context["cl"].result_list
    )
    assert Person.objects.count() > len(listed)  # those with confirmed names are not


def test_demo_contacts_known_only_in_pinyin_are_listed_to_confirm(admin_client, demo):
    response = admin_client.get(
        "/admin/forum/mediacontact/", {"name_to_confirm": OTHER}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert {str(contact) for contact in response.context["cl"].result_list} == {
        str(contact) for contact in MediaContact.objects.all()
    }
    assert languages.get(OTHER).badge in response.text


def test_unknown_language_in_the_filter_lists_everyone(admin_client, demo):
    response = admin_client.get("/admin/forum/person/", {"name_to_confirm": "xx"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == Person.objects.count()
