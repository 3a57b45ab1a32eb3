"""Who may see, search, filter, export and change what of a media contact.

One policy object, asked by every admin hook and view of the press office and by the
press-release import (after Wagtail's permission policies: one object, many hooks).

Private details (numbers and addresses not marked public), internal notes and history are
for press officers, editors and superusers. Every other role sees what the public sees:
the contact's name, job title and organisation, and of its details only what
`MediaContact.public_details()` releases; it may not search, filter or sort by a private
field, exports only the public columns, sees no history and changes nothing.
"""

from django.contrib.auth import get_permission_codename

from forum.core import languages
from forum.core.roles import EDITORS, PRESS_OFFICERS, user_roles
from forum.models import MediaContact

# Fields only those who see private data may see, search, filter, sort by or export.
PRIVATE_FIELDS = frozenset(("mobile", "office_phone", "office_extension", "fax", "email", "notes"))
SEARCH_FIELDS = (
    *languages.columns("name", "job_title"),
    "email",
    *languages.columns("organisation__name", "organisation__short_name"),
)
# The details a contact is presented by, in this order (see MediaContactPolicy.details).
DETAILS = ("mobile", "office_phone", "office_extension", "fax", "email")


class MediaContactPolicy:
    model = MediaContact

    def sees_private(self, user):
        """Private details, internal notes and history: press officers, editors, superusers."""
        return user.is_active and (
            user.is_superuser or bool({EDITORS, PRESS_OFFICERS} & user_roles(user))
        )

    def user_has_permission(self, user, action):
        """ "add", "change", "delete" or "view" of media contacts. Changing a contact shows
        all its details, so only those who see private data add, change or delete."""
        opts = self.model._meta
        # As Django's admin: changing a model implies viewing it.
        actions = (action, "change") if action == "view" else (action,)
        if not any(
            user.has_perm(f"{opts.app_label}.{get_permission_codename(name, opts)}")
            for name in actions
        ):
            return False
        return action == "view" or self.sees_private(user)

    def may_manage(self, user):
        """Creating and changing contacts (the admin's import, a press release's import)."""
        return self.user_has_permission(user, "add") and self.user_has_permission(user, "change")

    def may_see_field(self, user, name):
        return name not in PRIVATE_FIELDS or self.sees_private(user)

    def search_fields(self, user):
        return tuple(field for field in SEARCH_FIELDS if self.may_see_field(user, field))

    def searches_numbers(self, user):
        """Whether digits typed in the search box are looked for in phone numbers."""
        return self.sees_private(user)

    def lookup_allowed(self, user, lookup):
        """A filter or ordering through the address (?notes__contains=…, ?o=…)."""
        return all(self.may_see_field(user, part) for part in lookup.split("__"))

    def exports_private(self, user):
        """Whether exports may hold private details (else only the public columns)."""
        return self.sees_private(user)

    def sees_history(self, user):
        # Revision comments hold old values ("Mobile: “+86…” → …") and notes.
        return self.sees_private(user)

    def details(self, user, contact):
        """{detail: value} of the contact's DETAILS this user may see: all of them, or
        those `public_details()` releases; empty ones left out. Numbers in E.164."""
        if self.sees_private(user):
            shown = {name: getattr(contact, name) for name in DETAILS}
        else:
            shown = contact.public_details()
        return {name: shown[name] for name in DETAILS if shown.get(name)}


policy = MediaContactPolicy()
