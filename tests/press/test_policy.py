"""The press-privacy policy (forum.press.policy), asked for each role."""

import pytest

from forum.core import roles
from forum.press.policy import policy
from tests.factories import MediaContactFactory, UserFactory, user_in

pytestmark = pytest.mark.django_db

PUBLIC_VIEW_ROLES = (roles.AUTHORS, roles.TRANSLATORS, roles.REVIEWERS)
PRIVATE_VIEW_ROLES = (roles.EDITORS, roles.PRESS_OFFICERS, "superuser")


def person(role):
    if role == "superuser":
        return UserFactory(username="root", superuser=True)
    return user_in(role)


@pytest.fixture
def contact():
    """Listed publicly, with a public office line and a private mobile and e-mail."""
    return MediaContactFactory(
        mobile="+8613900001111",
        mobile_public=False,
        office_phone="+861064255855",
        office_extension="9917",
        office_phone_public=True,
        email="hidden.desk.7731@example.org",
        email_public=False,
        notes="Prefers WeChat",
    )


@pytest.mark.parametrize("role", PUBLIC_VIEW_ROLES)
def test_roles_without_private_access_get_the_public_view(role, contact):
    user = person(role)

    assert policy.sees_private(user) is False
    assert policy.sees_history(user) is False
    assert "email" not in policy.search_fields(user)
    assert "name_en" in policy.search_fields(user)
    assert policy.searches_numbers(user) is False
    assert policy.lookup_allowed(user, "notes__contains") is False
    assert policy.lookup_allowed(user, "mobile") is False
    assert policy.lookup_allowed(user, "organisation__name_en") is True
    assert policy.exports_private(user) is False
    assert policy.details(user, contact) == {
        "office_phone": "+861064255855",
        "office_extension": "9917",
    }


@pytest.mark.parametrize("role", PRIVATE_VIEW_ROLES)
def test_press_office_editors_and_superusers_see_everything(role, contact):
    user = person(role)

    assert policy.sees_private(user) is True
    assert policy.sees_history(user) is True
    assert "email" in policy.search_fields(user)
    assert policy.searches_numbers(user) is True
    assert policy.lookup_allowed(user, "notes__contains") is True
    assert policy.exports_private(user) is True
    assert policy.details(user, contact) == {
        "mobile": "+8613900001111",
        "office_phone": "+861064255855",
        "office_extension": "9917",
        "email": "hidden.desk.7731@example.org",
    }


@pytest.mark.parametrize(
    ("role", "view", "manage"),
    [
        (roles.AUTHORS, True, False),
        (roles.TRANSLATORS, True, False),
        (roles.REVIEWERS, True, False),
        (roles.EDITORS, True, True),
        (roles.PRESS_OFFICERS, True, True),
        ("superuser", True, True),
    ],
)
def test_who_may_view_add_change_and_delete_contacts(role, view, manage):
    user = person(role)

    assert policy.user_has_permission(user, "view") is view
    for action in ("add", "change", "delete"):
        assert policy.user_has_permission(user, action) is manage, action
    assert policy.may_manage(user) is manage


def test_a_private_contact_shows_no_details_to_an_author():
    contact = MediaContactFactory(is_public=False, email="desk@example.org", email_public=True)

    assert policy.details(user_in(roles.AUTHORS), contact) == {}
    assert policy.details(user_in(roles.PRESS_OFFICERS), contact)["email"] == "desk@example.org"


def test_an_inactive_superuser_sees_nothing_private():
    user = UserFactory(username="root", superuser=True, is_active=False)

    assert policy.sees_private(user) is False
