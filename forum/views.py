"""Public pages. Every view reads through a `published()` queryset: anything else is a 404."""

from itertools import groupby

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from . import availability
from .models import (
    Credit,
    Edition,
    Forum,
    MediaContact,
    Person,
    Position,
    Report,
    Session,
    SessionRole,
    Speech,
)
from .models.common import LANGUAGE_CODES, translated_column

REPORT_LIST_RELATED = ("edition__forum", "session")


def published_speeches():
    return Speech.objects.published().select_related("speaker", "session__edition")


def listed_reports():
    """Published reports that exist in the reader's language, for lists and cards."""
    return Report.objects.published().in_language().select_related(*REPORT_LIST_RELATED)


def public_contacts():
    """Active public contacts; templates show only `public_details()` of each."""
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
        context["contacts"] = public_contacts().covering(self.object)
        context["press_office"] = self.object.press_office
        return context


class SessionDetailView(DetailView):
    template_name = "forum/session_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            # The organiser and host are the event's organisers in its JSON-LD.
            Session.objects.published().select_related(
                "edition__forum", "edition__organiser", "edition__host"
            ),
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
        return Person.objects.published().prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("organisation"))
        )

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


def report_page_queryset(reports):
    """What a report page shows beside the report, fetched in a fixed number of queries."""
    return reports.select_related(
        "edition__forum", "edition__press_office", "session__edition", "publisher"
    ).prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("person")),
        Prefetch("speeches", queryset=published_speeches()),
        Prefetch("media_contacts", queryset=public_contacts()),
    )


class ReportDetailView(DetailView):
    template_name = "forum/report_detail.html"

    def get_queryset(self):
        return report_page_queryset(Report.objects.published())

    def get_object(self, queryset=None):
        # The slug is looked up in the active language's column (modeltranslation).
        report = get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
        if get_language() not in report.available_languages():
            raise Http404  # marked single-language by an editor
        return report

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            elsewhere = self.published_in_another_language()
            if elsewhere is None:
                raise
            return render(
                request,
                "forum/report_unavailable.html",
                {
                    "report": elsewhere[0],
                    "available_language": elsewhere[1],
                    "available_url": elsewhere[2],
                },
            )

    def published_in_another_language(self):
        """(report, language, url) when the slug names a report not published in this language."""
        active = get_language()
        for code in LANGUAGE_CODES:
            column = translated_column("slug", code)
            report = Report.objects.published().filter(**{column: self.kwargs["slug"]}).first()
            available = report.available_languages() if report else []
            if available and active not in available:
                return report, available[0], availability.url_in_language(report, available[0])
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context["session"] = (
            report.session if report.session and report.session.is_published else None
        )
        context["press_office"] = report.edition.press_office
        return context


@method_decorator(never_cache, name="dispatch")
class ReportPreviewView(ReportDetailView):
    """Staff preview of any report's working copy with the public template; never indexed.

    Anyone else gets a 404, as for any unpublished page.
    """

    def get_object(self, queryset=None):
        user = self.request.user
        if not (user.is_active and user.is_staff and user.has_perm("forum.view_report")):
            raise Http404
        report = get_object_or_404(report_page_queryset(Report.objects.all()), pk=self.kwargs["pk"])
        return report.working_copy()

    def get(self, request, *args, **kwargs):
        response = DetailView.get(self, request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["session"] = self.object.session
        return context
