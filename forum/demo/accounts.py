"""Demo accounts, one per editorial role, for trying the site locally."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from forum.core import roles

DEMO_ACCOUNTS = [
    # username, password, group (None: superuser)
    ("admin", "cdf-admin-2024", None),
    ("author", "cdf-author-2024", roles.AUTHORS),
    ("translator", "cdf-translator-2024", roles.TRANSLATORS),
    ("reviewer", "cdf-reviewer-2024", roles.REVIEWERS),
    ("editor", "cdf-editor-2024", roles.EDITORS),
    ("press", "cdf-press-2024", roles.PRESS_OFFICERS),
]


def create_demo_accounts():
    """Create missing demo accounts; existing ones (and their passwords) are left alone."""
    User = get_user_model()
    created = []
    for username, password, group_name in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        if group_name is None:
            User.objects.create_superuser(username, f"{username}@example.org", password)
        else:
            user = User.objects.create_user(
                username, f"{username}@example.org", password, is_staff=True
            )
            user.groups.add(Group.objects.get(name=group_name))
        created.append(username)
    return created
