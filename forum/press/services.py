"""Press-office services: changes to media contacts that the admin, imports and tests share."""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from forum.core import languages, revision_notes
from forum.models import MediaContact, trash
from forum.press.policy import policy

# Details taken from a duplicate when the kept contact has none. A detail's public flag
# comes with it; the kept contact's own flags are never widened.
FILLED_DETAILS = (
    ("mobile", ("mobile_public",)),
    ("office_phone", ("office_extension", "office_phone_public")),
    ("fax", ("fax_public",)),
    ("email", ("email_public",)),
    *(
        (languages.column(field, code), ())
        for field in ("name", "job_title", "hours")
        for code in languages.CODES
    ),
)


class MergeError(Exception):
    pass


def can_merge_media_contacts(user):
    return user.has_perm("forum.change_mediacontact") and user.has_perm("forum.delete_mediacontact")


@transaction.atomic
def media_contacts_merge(*, keep, duplicates, user):
    """Merge `duplicates` into `keep` and delete them; returns `keep`.

    Side effects: every report, edition and session a duplicate covers is linked to
    `keep`; details `keep` lacks are filled from the duplicates (with their public flag),
    languages are combined and notes appended; the duplicates are deleted. Revisions
    record, with the user, each duplicate's last state (so "Recover deleted" can restore
    it) and the kept contact, with a comment naming what was merged.
    Raises PermissionDenied without change and delete permission, MergeError when there
    is nothing to merge or the merged contact would not be valid.
    """
    if not can_merge_media_contacts(user):
        raise PermissionDenied(gettext("You do not have permission to merge media contacts."))
    duplicates = [contact for contact in duplicates if contact.pk != keep.pk]
    if not duplicates:
        raise MergeError(gettext("Choose at least two contacts to merge."))

    keep = MediaContact.objects.select_for_update().get(pk=keep.pk)
    reports, editions, sessions = set(), set(), set()
    spoken = keep.language_list()
    notes = [keep.notes.strip()] if keep.notes.strip() else []
    for duplicate in duplicates:
        reports.update(duplicate.reports.all())
        editions.update(duplicate.editions.all())
        sessions.update(duplicate.sessions.all())
        for field, companions in FILLED_DETAILS:
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
                for companion in companions:
                    setattr(keep, companion, getattr(duplicate, companion))
        spoken += [code for code in duplicate.language_list() if code not in spoken]
        if duplicate.notes.strip() and duplicate.notes.strip() not in notes:
            notes.append(duplicate.notes.strip())
    keep.languages = ",".join(spoken)
    keep.notes = "\n\n".join(notes)
    keep.order = min([keep.order, *(duplicate.order for duplicate in duplicates)])

    names = ", ".join(f"{duplicate} (#{duplicate.pk})" for duplicate in duplicates)
    # Each duplicate's last state is kept in its own revision before it is deleted (a
    # revision only keeps objects that still exist), so "Recover deleted" can restore it.
    for duplicate in duplicates:
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(
                revision_notes.note(
                    (
                        gettext_noop("Merged into %(contact)s (#%(id)s) and deleted."),
                        {"contact": str(keep), "id": keep.pk},
                    )
                )
            )
            reversion.add_to_revision(duplicate)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            revision_notes.note(
                (gettext_noop("Merged %(names)s into this contact."), {"names": names})
            )
        )
        for duplicate in duplicates:
            duplicate.delete()
        try:
            keep.full_clean()
        except ValidationError as error:
            raise MergeError(
                gettext("The merged contact would not be valid: %(errors)s")
                % {"errors": "; ".join(error.messages)}
            ) from error
        keep.save()
        keep.reports.add(*reports)
        keep.editions.add(*editions)
        keep.sessions.add(*sessions)
        reversion.add_to_revision(keep)
    return keep


@transaction.atomic
def media_contact_trash(*, contact, user):
    """Moves a media contact to the trash (forum/models/trash.py): off press pages, vCards,
    feeds and the API until it is restored or purged; reports and editions keep their link.

    Side effects: those of forum.models.trash.move_to_trash. Raises PermissionDenied for
    anyone the press policy does not let delete contacts (press officers and editors may).
    """
    _check_trash_right(user)
    return trash.move_to_trash(contact, user=user)


@transaction.atomic
def media_contact_restore_from_trash(*, contact, user):
    """Restores a media contact from the trash, as it was; the side effects and the refusal
    of media_contact_trash."""
    _check_trash_right(user)
    return trash.take_out_of_trash(contact, user=user)


def _check_trash_right(user):
    if not policy.user_has_permission(user, "delete"):
        raise PermissionDenied(
            gettext("Only press officers and editors can move media contacts to the trash or back.")
        )
