"""The desk's pages around a report beyond its form: the translators' list, revisions,
comparing and restoring them. ReportAdmin (forum/reports/admin.py) inherits them and
routes them through its EXTRA_VIEWS table."""

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from reversion.models import Version

from forum.core import languages
from forum.models import Report
from forum.reports import freshness, workflow

Status = Report.Status


class ReportDeskViews:
    """Mixed into ReportAdmin: needs its admin_site, model, _report_or_404 and _back."""

    def outdated_view(self, request):
        """Translators' list: every outdated field with the source-language diff."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        reports = Report.objects.filter(translations_outdated=True).exclude(status=Status.WITHDRAWN)
        items = [
            {"report": report, "item": item, "diff": item.source_diff()}
            for report in reports.select_related("edition__forum")
            for item in freshness.outdated_translations(report)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Outdated translations"),
            "opts": self.model._meta,
            "items": items,
            "language_labels": {language.code: language.badge for language in languages.LANGUAGES},
        }
        return TemplateResponse(request, "admin/forum/report/outdated.html", context)

    def revisions_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        versions = Version.objects.get_for_object(report).select_related("revision__user")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revisions of “%(report)s”") % {"report": report},
            "opts": self.model._meta,
            "original": report,
            "versions": versions,
            "can_restore": workflow.is_editor(request.user),
        }
        return TemplateResponse(request, "admin/forum/report/revisions.html", context)

    def compare_view(self, request, object_id):
        report = self._report_or_404(request, object_id)
        versions = Version.objects.get_for_object(report).select_related("revision__user")
        try:
            first = versions.get(pk=int(request.GET.get("a", "")))
            second = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, gettext("Choose two revisions of this report to compare."))
            return redirect(reverse("admin:forum_report_revisions", args=[report.pk]))
        if first.revision.date_created > second.revision.date_created:
            first, second = second, first
        old, new = workflow.version_content(first), workflow.version_content(second)
        rows = []
        for field in ("headline", "slug", "summary", "body", "hero_image_alt"):
            for code in languages.CODES:
                column = languages.column(field, code)
                before, after = old["content"].get(column, ""), new["content"].get(column, "")
                rows.append(
                    {
                        "field": Report._meta.get_field(field).verbose_name,
                        "language": languages.get(code).badge,
                        "changed": before != after,
                        "diff": inline_diff(before, after),
                    }
                )
        rows.append(
            {
                "field": gettext("credits"),
                "language": "",
                "changed": old["credits"] != new["credits"],
                "diff": inline_diff(credit_text(old["credits"]), credit_text(new["credits"])),
            }
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Compare revisions"),
            "opts": self.model._meta,
            "original": report,
            "first": first,
            "second": second,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/forum/report/compare.html", context)

    @method_decorator(require_POST)
    def restore_view(self, request, object_id, version_id):
        report = self._report_or_404(request, object_id)
        version = get_object_or_404(Version.objects.get_for_object(report), pk=version_id)
        try:
            workflow.report_restore(report=report, user=request.user, version=version)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(reverse("admin:forum_report_revisions", args=[report.pk]))
        messages.success(request, gettext("The revision is restored as a new revision."))
        return self._back(report)


def credit_text(credits):
    from forum.models import Person

    names = {p.pk: p.full_name() for p in Person.objects.filter(pk__in=[c[0] for c in credits])}
    return "; ".join(f"{role}: {names.get(person, person)}" for person, role in credits)


def inline_diff(before, after):
    """Word-level diff with <del>/<ins>, every piece escaped (tags stripped first)."""
    old_words = strip_tags(before or "").split()
    new_words = strip_tags(after or "").split()
    # Chinese has no spaces: compare character by character when words are long.
    if any(len(word) > 40 for word in old_words + new_words):
        old_words, new_words = list(" ".join(old_words)), list(" ".join(new_words))
        joiner = ""
    else:
        joiner = " "
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", joiner.join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", joiner.join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", joiner.join(new_words[j1:j2])))
    return (
        format_html("{}", "")
        if not parts
        else format_html("".join(["{}"] * len(parts)).replace("}{", "}" + joiner + "{"), *parts)
    )
