"""Public report pages: the list, a report in the reader's language, and staff previews."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from forum.core import fragments, languages
from forum.hant.services import derive
from forum.models import Report
from forum.reports import availability, byline, workflow
from forum.reports.selectors import listed_reports, report_page_queryset


class ReportListView(ListView):
    template_name = "forum/report_list.html"
    paginate_by = 20
    extra_context = {
        "intro": _("Reports on the speeches and sessions of the China Development Forum.")
    }

    def get_queryset(self):
        return listed_reports()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number = context["page_obj"].number
        if number > 1:  # the first page exists in every language, even empty
            context["page_languages"] = availability.list_page_languages(number, self.paginate_by)
        return context


def unavailable_context(request, report):
    """What a report's address in a language it is not published in shows: a notice, not
    indexed, whose language switcher leads to the report where it is published."""
    active = languages.active()
    available = report.available_languages()
    versions = {
        code: request.path if code == active else availability.url_in_language(report, code)
        for code in languages.CODES
        if code == active or code in available
    }
    return {
        "report": report,
        "available_language": available[0],
        "available_in_han": languages.writes_han(available[0]),
        "available_url": versions[available[0]],
        "language_versions": versions,
        "robots": "noindex",
    }


class ReportDetailView(DetailView):
    template_name = "forum/report_detail.html"

    def get_queryset(self):
        if fragments.caches_fragments(self.request):
            # Enough to tell in which languages it is public; what the page shows is read
            # when a fragment needs it (page_data).
            columns = [languages.column("slug", code) for code in languages.CODES]
            return Report.objects.published().only("pk", "single_language", *columns)
        return report_page_queryset(Report.objects.published())

    def get_object(self, queryset=None):
        # The slug is looked up in the active language's column (modeltranslation).
        report = get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
        if languages.active() not in report.available_languages():
            raise Http404  # marked single-language by an editor
        return report

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            report = self.published_in_another_language()
            if report is None:
                raise
            return render(
                request, "forum/report_unavailable.html", unavailable_context(request, report)
            )

    def published_in_another_language(self):
        """The report the slug names, in any language, when it is not published in this one."""
        active = languages.active()
        for code in languages.CODES:
            column = languages.column("slug", code)
            report = Report.objects.published().filter(**{column: self.kwargs["slug"]}).first()
            available = report.available_languages() if report else []
            if available and active not in available:
                return report
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return fragments.defer(context, self.request, self.page_data)

    def page_data(self):
        """What the page shows beside the report's own columns."""
        report = self.object
        if fragments.caches_fragments(self.request):
            report = report_page_queryset(Report.objects.all()).get(pk=report.pk)
        return {
            "object": report,
            "report": report,
            "session": report.session if report.session and report.session.is_public else None,
            "press_office": report.edition.press_office,
            "byline": byline.groups(report),
        }


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
        if not workflow.can_open(user, report):
            raise Http404
        copy = report.working_copy()
        if report.pending_changes:  # the working text, converted as publishing will
            derive(copy, record=False)
        return copy

    def get(self, request, *args, **kwargs):
        response = DetailView.get(self, request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["session"] = self.object.session
        return context
