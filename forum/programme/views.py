"""Public pages of the programme: home, about, editions, sessions, people, calendars.

Every view reads through a selector built on a `published()` queryset: anything else is a
404.
"""

from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from forum.core import fragments
from forum.models import Edition, Forum, Person
from forum.programme import calendars
from forum.programme.selectors import (
    published_editions,
    published_people,
    published_sessions,
    published_speeches,
    roles_of,
    session_roles,
    sessions_with_people,
)
from forum.reports.selectors import listed_reports, reports_about


class HomeView(TemplateView):
    template_name = "forum/home.html"

    def get_context_data(self, **kwargs):
        return fragments.defer(super().get_context_data(**kwargs), self.request, self.page_data)

    def page_data(self):
        edition = published_editions().order_by("-start_date").first()
        data = {"edition": edition, "latest_reports": listed_reports()[:6]}
        if edition:
            data["sessions"] = edition.sessions.published().select_related("edition")[:6]
        return data


class AboutView(TemplateView):
    template_name = "forum/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forum"] = Forum.objects.first()
        context["editions"] = published_editions()
        return context


class EditionDetailView(fragments.DeferredObjectMixin, DetailView):
    template_name = "forum/edition_detail.html"
    slug_url_kwarg = "edition"

    def get_queryset(self):
        return published_editions().select_related("press_office")

    def page_extras(self, edition):
        sessions = list(
            sessions_with_people(edition.sessions.published().select_related("edition"))
        )
        return {
            "sessions": sessions,
            "sessions_by_day": [
                (day, list(day_sessions))
                for day, day_sessions in groupby(sessions, key=lambda s: s.date)
            ],
            "reports": listed_reports().filter(edition=edition),
        }


def _session(edition_slug, slug):
    return get_object_or_404(published_sessions(), edition__slug=edition_slug, slug=slug)


class SessionDetailView(fragments.DeferredObjectMixin, DetailView):
    template_name = "forum/session_detail.html"

    def get_queryset(self):
        return published_sessions().filter(edition__slug=self.kwargs["edition"])

    def page_extras(self, session):
        return {
            "roles": session_roles().filter(session=session),
            "speeches": published_speeches().filter(session=session),
            "reports": listed_reports().filter(session=session),
        }


class PersonDetailView(fragments.DeferredObjectMixin, DetailView):
    template_name = "forum/person_detail.html"

    def get_queryset(self):
        return published_people()

    def page_extras(self, person):
        return {
            "speeches": published_speeches()
            .filter(speaker=person)
            .select_related("session__edition__forum"),
            "session_roles": roles_of(person),
            "reports": reports_about(person),
        }


class PersonListView(ListView):
    template_name = "forum/person_list.html"
    paginate_by = 50
    extra_context = {"intro": _("Speakers, chairs and authors of the China Development Forum.")}

    def get_queryset(self):
        return Person.objects.published()


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe  # GET, and HEAD for clients that check a calendar before fetching it
def session_calendar_view(request, edition, slug):
    session = _session(edition, slug)
    content = calendars.session_calendar(session, request.build_absolute_uri)
    return _ics_response(content, f"cdf-{session.edition.slug}-{session.slug}.ics")


@require_safe  # GET, and HEAD for clients that check a calendar before fetching it
def edition_calendar_view(request, edition):
    edition = get_object_or_404(
        Edition.objects.published().select_related("forum", "organiser"), slug=edition
    )
    sessions = edition.sessions.published().select_related("edition__forum", "edition__organiser")
    content = calendars.edition_calendar(edition, sessions, request.build_absolute_uri)
    return _ics_response(content, f"cdf-{edition.slug}.ics")
