"""Public pages. Every view reads through a `published()` queryset: anything else is a 404."""

from itertools import groupby

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import (
    Credit,
    Edition,
    Forum,
    MediaContact,
    Person,
    Report,
    Session,
    SessionRole,
    Speech,
)

REPORT_LIST_RELATED = ("edition__forum", "session")


def published_speeches():
    return Speech.objects.published().select_related("speaker", "session__edition")


def listed_reports():
    """Published reports that exist in the reader's language, for lists and cards."""
    return Report.objects.published().in_language().select_related(*REPORT_LIST_RELATED)


def public_contacts():
    return MediaContact.objects.public().select_related("organisation")


class HomeView(TemplateView):
    template_name = "forum/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = (
            Edition.objects.published()
            .select_related("forum", "host", "organiser")
            .order_by("-start_date")
            .first()
        )
        context["edition"] = edition
        context["latest_reports"] = listed_reports()[:6]
        if edition:
            context["sessions"] = edition.sessions.published().select_related("edition")[:6]
        return context


class AboutView(TemplateView):
    template_name = "forum/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forum"] = Forum.objects.first()
        context["editions"] = Edition.objects.published().select_related(
            "forum", "host", "organiser"
        )
        return context


class EditionDetailView(DetailView):
    template_name = "forum/edition_detail.html"
    slug_url_kwarg = "edition"

    def get_queryset(self):
        return Edition.objects.published().select_related(
            "forum", "host", "organiser", "press_office"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = (
            self.object.sessions.published()
            .select_related("edition")
            .prefetch_related(
                Prefetch("roles", queryset=SessionRole.objects.select_related("person")),
                Prefetch("speeches", queryset=published_speeches()),
            )
        )
        context["sessions_by_day"] = [
            (day, list(day_sessions))
            for day, day_sessions in groupby(sessions, key=lambda s: s.date)
        ]
        context["reports"] = listed_reports().filter(edition=self.object)
        return context


class PressView(DetailView):
    """An edition's press page: its public media contacts and the press office."""

    template_name = "forum/press.html"
    slug_url_kwarg = "edition"

    def get_queryset(self):
        return Edition.objects.published().select_related("forum", "press_office")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        covers_edition = Q(reports__edition=self.object)
        if self.object.press_office_id:
            covers_edition |= Q(organisation=self.object.press_office_id)
        context["contacts"] = public_contacts().filter(covers_edition).distinct()
        context["press_office"] = self.object.press_office
        return context


class SessionDetailView(DetailView):
    template_name = "forum/session_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Session.objects.published().select_related("edition__forum"),
            edition__slug=self.kwargs["edition"],
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = self.object.roles.select_related("person")
        context["speeches"] = published_speeches().filter(session=self.object)
        context["reports"] = listed_reports().filter(session=self.object)
        return context


class PersonDetailView(DetailView):
    template_name = "forum/person_detail.html"

    def get_queryset(self):
        return Person.objects.published().prefetch_related("positions__organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["speeches"] = (
            published_speeches().filter(speaker=person).select_related("session__edition__forum")
        )
        context["session_roles"] = SessionRole.objects.filter(
            person=person, session__in=Session.objects.published()
        ).select_related("session__edition__forum")
        context["reports"] = (
            listed_reports()
            .filter(Q(credits__person=person) | Q(speeches__speaker=person))
            .distinct()
        )
        return context


class PersonListView(ListView):
    template_name = "forum/person_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Person.objects.published()


class ReportListView(ListView):
    template_name = "forum/report_list.html"
    paginate_by = 20

    def get_queryset(self):
        return listed_reports()


class ReportDetailView(DetailView):
    template_name = "forum/report_detail.html"

    def get_queryset(self):
        return (
            Report.objects.published()
            .select_related(
                "edition__forum", "edition__press_office", "session__edition", "publisher"
            )
            .prefetch_related(
                Prefetch("credits", queryset=Credit.objects.select_related("person")),
                Prefetch("speeches", queryset=published_speeches()),
                Prefetch("media_contacts", queryset=public_contacts()),
            )
        )

    def get_object(self, queryset=None):
        # The slug is looked up in the active language's column (modeltranslation).
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context["session"] = (
            report.session if report.session and report.session.is_published else None
        )
        context["press_office"] = report.edition.press_office
        return context
