from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from forum.core import languages, revision_notes
from forum.core.roles import is_editor, is_translator
from forum.models import Report
from forum.reports import desk
from forum.reports.selectors import openable_reports
from forum.reports.selectors import reports_in_working_state as in_state
from forum.templatetags.forum_tags import machine_time

register = template.Library()


@register.simple_tag
def editor_dashboard(user):
    """The admin home's work list: [(label, count, change-list URL)], for report users."""
    if not user.has_perm("forum.view_report"):
        return []
    # Counted among the reports the user may open, as the lists they link to show them
    # (which leave the trash out).
    reports = openable_reports(user, Report.objects.outside_trash())
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
    if is_translator(user) or is_editor(user):
        items.append(
            (
                _("Translation queue: missing and outdated translations"),
                None,
                reverse("admin:forum_report_outdated"),
            )
        )
    return items


@register.simple_tag
def returned_to_me(user):
    """Reports sent back to this user with a comment (the admin home's "Returned to you")."""
    if not user.has_perm("forum.view_report"):
        return []
    return desk.returned_to(user)


@register.simple_tag
def site_time(moment, fmt="Y-m-d H:i"):
    """A time in the site's zone, the zone named, as a <time> element that
    static/js/local-times.js completes with the reader's own zone."""
    if not moment:
        return "—"
    zone = timezone.get_current_timezone_name()
    return format_html(
        '<time datetime="{}" class="site-time" data-zone="{}" data-local-label="{}">'
        '{} <span class="time-zone">{}</span></time>',
        machine_time(moment),
        zone,
        _("your time"),
        date_format(timezone.localtime(moment), fmt),
        zone,
    )


@register.filter
def written_texts(obj, field):
    """A translated field's text in each language editors write, "—" where empty:
    "Li Wenhai / 李文海"."""
    return " / ".join(
        getattr(obj, languages.column(field, code)) or "—" for code in languages.EDITED
    )


@register.filter
def revision_comment(revision):
    """A revision's comment in the reader's language (forum.core.revision_notes)."""
    return revision_notes.readable(revision.comment)
