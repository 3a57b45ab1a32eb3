"""Reads of the programme for public pages, feeds and the API: what the public may see.

Each model's `published()` queryset says what is public; these add the joins the pages
need so that a page costs a fixed number of queries whatever the content's size.

People: an unpublished person appears nowhere, not even by name. `Speech.objects.published()`
and `SessionRole.objects.published()` require a published speaker or person, so a speech or
a role of theirs is left out of session, edition, person and home pages, calendars, JSON-LD,
the API and search alike. (A published report's byline is frozen at publication and keeps
their name, without a link: forum/reports/byline.py.)
"""

from django.db.models import Prefetch

from forum.models import Edition, Person, Position, Session, SessionRole, Speech


def published_editions():
    return Edition.objects.published().select_related("forum", "host", "organiser")


def published_sessions():
    # The organiser and host are the event's organisers in calendars and JSON-LD.
    return Session.objects.published().select_related(
        "edition__forum", "edition__organiser", "edition__host"
    )


def published_speeches():
    return Speech.objects.published().select_related("speaker", "session__edition")


def published_people():
    return Person.objects.published().prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organisation"))
    )


def session_roles():
    """Roles the public may see (published people at published sessions)."""
    return SessionRole.objects.published().select_related("person")


def sessions_with_people(sessions):
    """Sessions with their presiders and published speeches, for an edition's programme."""
    return sessions.prefetch_related(
        Prefetch("roles", queryset=session_roles()),
        Prefetch("speeches", queryset=published_speeches()),
    )


def roles_of(person):
    """A person's roles in published sessions (presider, moderator…)."""
    return session_roles().filter(person=person).select_related("session__edition__forum")
