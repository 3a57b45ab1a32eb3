"""Editorial roles as Django groups, and the model permissions each one holds.

A data migration creates the groups from this table; the workflow services add the
per-object rules (an author edits only their own drafts, only editors publish).
"""

from django.utils.translation import gettext_lazy as _

AUTHORS = "Authors"
TRANSLATORS = "Translators"
REVIEWERS = "Reviewers"
EDITORS = "Editors"
PRESS_OFFICERS = "Press officers"

ROLE_LABELS = {
    AUTHORS: _("Authors"),
    TRANSLATORS: _("Translators"),
    REVIEWERS: _("Reviewers"),
    EDITORS: _("Editors"),
    PRESS_OFFICERS: _("Press officers"),
}

CONTENT_MODELS = (
    "organisation",
    "forum",
    "edition",
    "session",
    "sessionrole",
    "person",
    "position",
    "speech",
    "report",
    "credit",
    "mediacontact",
)
# Editors' word on converted (Traditional) text: editors write it, translators and
# reviewers read it.
OVERRIDE_MODELS = ("termoverride", "traditionaloverride")
ALL_ACTIONS = ("add", "change", "delete", "view")


def _perms(model, *actions):
    return [f"{action}_{model}" for action in actions]


def _view_all():
    return [f"view_{model}" for model in CONTENT_MODELS]


ROLE_PERMISSIONS = {
    AUTHORS: sorted(
        set(_view_all())
        | set(_perms("report", "add", "change"))
        | set(_perms("credit", "add", "change", "delete"))
        | set(_perms("person", "add", "change"))
        | set(_perms("position", "add", "change", "delete"))
    ),
    TRANSLATORS: sorted(
        set(_view_all())
        | {f"change_{model}" for model in CONTENT_MODELS if model != "mediacontact"}
        | {f"view_{model}" for model in OVERRIDE_MODELS}
    ),
    REVIEWERS: sorted(
        set(_view_all())
        | set(_perms("report", "change"))
        | set(_perms("credit", "add", "change", "delete"))
        | set(_perms("person", "add", "change"))
        | set(_perms("position", "add", "change", "delete"))
        | {f"view_{model}" for model in OVERRIDE_MODELS}
    ),
    EDITORS: sorted(
        {
            perm
            for model in (*CONTENT_MODELS, *OVERRIDE_MODELS)
            for perm in _perms(model, *ALL_ACTIONS)
        }
    ),
    PRESS_OFFICERS: sorted(
        set(_perms("mediacontact", *ALL_ACTIONS)) | set(_perms("organisation", "view"))
    ),
}


def sync_role_groups(apps):
    """Create the role groups and give each exactly its permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="forum", codename__in=codenames)
        )


# --- Who holds which role ------------------------------------------------------------


def user_roles(user):
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_forum_roles"):
        user._forum_roles = set(user.groups.values_list("name", flat=True))
    return user._forum_roles


def is_editor(user):
    return user.is_active and (user.is_superuser or EDITORS in user_roles(user))


def is_reviewer(user):
    return is_editor(user) or REVIEWERS in user_roles(user)


def is_translator(user):
    return TRANSLATORS in user_roles(user) and not is_reviewer(user)


def is_author(user):
    return AUTHORS in user_roles(user)
