from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from forum.models import Report
from forum.reports import workflow
from forum.reports.selectors import reports_in_working_state as in_state

register = template.Library()


@register.simple_tag
def editor_dashboard(user):
    """The admin home's work list: [(label, count, change-list URL)], for report users."""
    if not user.has_perm("forum.view_report"):
        return []
    reports = Report.objects.all()
    changelist = reverse("admin:forum_report_changelist")
    rows = [
        (
            _("My drafts"),
            in_state(reports.filter(created_by=user), "draft"),
            "?mine=1&state=draft",
        ),
        (_("Awaiting review"), in_state(reports, "in_review"), "?state=in_review"),
        (_("Approved, not yet published"), in_state(reports, "approved"), "?state=approved"),
        (_("Scheduled"), in_state(reports, "scheduled"), "?state=scheduled"),
        (_("Translations outdated"), reports.filter(translations_outdated=True), "?outdated=1"),
    ]
    items = [(label, queryset.count(), changelist + query) for label, queryset, query in rows]
    if workflow.is_translator(user) or workflow.is_editor(user):
        items.append(
            (_("Outdated fields, with what changed"), None, reverse("admin:forum_report_outdated"))
        )
    return items
