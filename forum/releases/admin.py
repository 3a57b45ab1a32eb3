"""The admin's "Import a press release", under the report admin (registered below).

Paste the text or upload a .txt or .docx file → a review screen: every field read from
the release beside the source text, what matches existing records (with what differs) and
what will be created, the parser's warnings → confirm → a draft report in the workflow.

The release travels from the review to the confirmation as its text, signed with
django.core.signing for this user and for a short time, never as record ids: the
confirmation reads it again and matches it again. If the records changed meanwhile (the
plan is not the one reviewed), the review is shown again instead of importing.
"""

import hashlib
import html
import json
import re

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from forum import models
from forum.core import languages
from forum.core.admin import register_admin_view
from forum.releases import ReleaseError
from forum.releases.matching import CREATE, plan_release
from forum.releases.parser import parse_release
from forum.releases.reader import MAX_BYTES, check_text_limits, read_release
from forum.releases.services import may_import, release_import

SIGNING_SALT = "forum.releases.admin"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPT = f".txt,.docx,text/plain,{DOCX_TYPE}"
REVIEW_MAX_AGE = 2 * 60 * 60  # seconds a review may be confirmed in

# The draft's parts, in the order of the release, and their names on the review screen.
SECTIONS = (
    ("forum", _("Forum")),
    ("edition", _("Edition")),
    ("session", _("Session")),
    ("speeches", _("Speech")),
    ("report", _("Report")),
    ("background", _("Background information")),
    ("media_contacts", _("Media contact")),
    ("organisation_contact", _("Press office")),
)
FIELD_LABELS = {
    "name": _("name"),
    "short_name": _("short name"),
    "year": _("year"),
    "theme": _("theme"),
    "venue": _("venue"),
    "city": _("city"),
    "start_date": _("start date"),
    "end_date": _("end date"),
    "host": _("host"),
    "organiser": _("organiser"),
    "organisation": _("organisation"),
    "title": _("title"),
    "titles": _("titles as printed"),
    "printed_title": _("speaker's title as printed"),
    "kind": _("kind"),
    "date": _("date"),
    "part_of_day": _("part of day"),
    "presiders": _("Presided by"),
    "speaker": _("speaker"),
    "headline": _("headline"),
    "summary": _("summary"),
    "authors": _("Authors"),
    "reviewers": _("Reviewer"),
    "publisher": _("publisher"),
    "mobile": _("mobile"),
    "office": _("office phone"),
    "extension": _("extension"),
    "email": _("email"),
    "postal_code": _("postal code"),
    "phone": _("phone"),
    "phone_extension": _("phone extension"),
    "fax": _("fax"),
    "fax_extension": _("fax extension"),
    "website": _("website"),
    "family_name": _("family name"),
    "given_name": _("given name"),
    "uppercase_family_name": _("family name in capitals in English"),
    "family_name_first": _("family name first"),
    "role": _("role"),
    "order": _("order"),
    "note": _("note"),
    "segment": _("segment"),
}
# Values shown by their label ("Afternoon", not "afternoon"), by part of the draft.
CHOICES = {
    "session": {
        "kind": models.Session.Kind,
        "part_of_day": models.Session.PartOfDay,
        "role": models.SessionRole.Role,
    },
    "speeches": {"kind": models.Speech.Kind},
}
# Parts of the draft the review shows elsewhere, or that repeat another part.
NOT_LISTED = {"body", "credits", "language", "warnings"}


class ReleaseForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the press release"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90, "spellcheck": "false"}),
        help_text=_("Paste the whole release, from the edition line to the address block."),
    )
    upload = forms.FileField(
        label=_("Or a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("A text file (.txt) or a Word document (.docx)."),
    )
    twin_upload = forms.FileField(
        label=_("The same release in the other language (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "The English and the Chinese release of one session become one bilingual draft: "
            "a .txt or .docx file."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        self.clean_release(cleaned)
        twin = cleaned.get("twin_upload")
        if twin:
            try:
                cleaned["twin"] = read_release(twin, twin.name)
            except ReleaseError as error:
                self.add_error("twin_upload", str(error))
        if cleaned.get("release") and cleaned.get("twin"):
            languages_read = {
                parse_release(cleaned[key])["language"] for key in ("release", "twin")
            }
            if len(languages_read) == 1:
                self.add_error(
                    "twin_upload",
                    _(
                        "Both releases are written in the same language: choose the release "
                        "in the other language (one English, one Chinese)."
                    ),
                )
        return cleaned

    def clean_release(self, cleaned):
        upload, text = cleaned.get("upload"), cleaned.get("text") or ""
        if upload and text.strip():
            # Which of the two the editor meant cannot be told: neither is read.
            raise ValidationError(
                _("Give the release either as a file or as pasted text, not both.")
            )
        if upload:
            try:
                cleaned["release"] = read_release(upload, upload.name)
            except ReleaseError as error:
                self.add_error("upload", str(error))
        elif not text.strip():
            raise ValidationError(_("Paste the text of the release, or choose a file."))
        elif len(text.encode()) > MAX_BYTES:
            self.add_error("text", _("This is far longer than a press release."))
        else:
            try:
                cleaned["release"] = check_text_limits(text.replace("\r\n", "\n"))
            except ReleaseError as error:
                self.add_error("text", str(error))


def _refuse_unless_allowed(request):
    if not may_import(request.user):
        raise PermissionDenied


def import_view(request, model_admin):
    """The first screen (paste or upload); its form leads to the review."""
    _refuse_unless_allowed(request)
    form = ReleaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        twin_text = form.cleaned_data.get("twin") or ""
        return _review(request, model_admin, form.cleaned_data["release"], twin_text=twin_text)
    context = _context(request, model_admin, gettext("Import a press release"), form=form)
    return TemplateResponse(request, "admin/forum/releases/import.html", context)


@require_POST
def confirm_view(request, model_admin):
    """Imports the reviewed release, read and matched again, as a draft report."""
    _refuse_unless_allowed(request)
    try:
        signed = signing.loads(
            request.POST.get("release", ""), salt=SIGNING_SALT, max_age=REVIEW_MAX_AGE
        )
        if signed["user"] != request.user.pk:
            raise signing.BadSignature
    except (signing.BadSignature, KeyError, TypeError):
        messages.error(
            request,
            gettext("This review has expired or is not yours: read the release again."),
        )
        return redirect("admin:forum_report_import_release")
    text, twin_text = signed["text"], signed.get("twin") or ""
    draft = parse_release(text)
    twin = parse_release(twin_text) if twin_text else None
    plan = plan_release(draft, user=request.user, twin=twin)
    again = {"draft": draft, "plan": plan, "twin_text": twin_text, "twin": twin}
    if plan_digest(plan) != signed["plan"]:
        messages.warning(
            request,
            gettext("The records changed since this review: check it again, then confirm."),
        )
        return _review(request, model_admin, text, **again)
    try:
        result = release_import(draft=draft, user=request.user, twin=twin)
    except ReleaseError as error:
        messages.error(request, str(error))
        return _review(request, model_admin, text, **again)
    count = len(result.created)
    if result.report_created:
        messages.success(
            request,
            ngettext(
                "The press release is imported as the draft report “%(report)s” "
                "(%(count)d record created).",
                "The press release is imported as the draft report “%(report)s” "
                "(%(count)d records created).",
                count,
            )
            % {"report": result.report, "count": count},
        )
    else:
        messages.info(
            request,
            ngettext(
                "The release's report exists already and was left as it is; %(count)d "
                "missing record was created.",
                "The release's report exists already and was left as it is; %(count)d "
                "missing records were created.",
                count,
            )
            % {"count": count},
        )
    return redirect("admin:forum_report_change", result.report.pk)


def _review(request, model_admin, text, draft=None, plan=None, twin_text="", twin=None):
    draft = draft if draft is not None else parse_release(text)
    if twin is None and twin_text:
        twin = parse_release(twin_text)
    plan = plan if plan is not None else plan_release(draft, user=request.user, twin=twin)
    signed = {"text": text, "user": request.user.pk, "plan": plan_digest(plan)}
    if twin_text:
        signed["twin"] = twin_text
    release = signing.dumps(signed, salt=SIGNING_SALT, compress=True)
    # Each release read in its language (the plan puts the English one first).
    releases = [(draft, text), (twin, twin_text)] if twin is not None else [(draft, text)]
    if twin is not None and plan.language != draft.get("language"):
        releases.reverse()
    read = [
        {
            "tag": languages.get(plan.language if number == 0 else plan.twin_language).tag,
            "sections": draft_sections(part),
            "body": body_paragraphs((part.get("report") or {}).get("body")),
            "text": source,
            "number": number + 1,
            "adjective": languages.get(
                plan.language if number == 0 else plan.twin_language
            ).adjective,
        }
        for number, (part, source) in enumerate(releases)
    ]
    items = [{"item": item, "url": _admin_url(item.record)} for item in plan.items()]
    context = _context(
        request,
        model_admin,
        gettext("Review the press release"),
        text=text,
        release=release,
        plan=plan,
        items=items,
        sections=read[0]["sections"],
        body=read[0]["body"],
        releases=read,
        twin_tag=languages.get(plan.twin_language).tag if plan.twin_language else "",
        to_create=len(plan.to_create()),
        report_created=plan.report.action == CREATE,
        matched=sum(1 for item in plan.items() if item.record is not None),
    )
    return TemplateResponse(request, "admin/forum/releases/review.html", context)


def _context(request, model_admin, title, **values):
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        **values,
    }


def _admin_url(record):
    if record is None:
        return None
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:  # roles and credits are edited within their session or report
        return None


def plan_digest(plan):
    """What the review showed, in short: which records match and what is to be created."""
    summary = [
        (
            item.key or item.model._meta.model_name,
            item.label,
            item.action,
            item.record and item.record.pk,
        )
        for item in plan.items()
    ]
    return hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()


# --- What the review lists --------------------------------------------------------------


def draft_sections(draft):
    """[(section, [(field, value)])]: every field read from the release, as text."""
    sections = []
    for key, label in SECTIONS:
        value = draft.get(key)
        choices = CHOICES.get(key, {})
        if isinstance(value, list):
            for number, entry in enumerate(value, start=1):
                sections.append((f"{label} {number}", _fields(entry, choices=choices)))
        elif value:
            sections.append((str(label), _fields(value, choices=choices)))
    return sections


def _label(key):
    """A draft key's name on the review screen: "address (EN)" for "address_<suffix>"."""
    for language in languages.LANGUAGES:
        if key == languages.column("address", language.code):
            return f"{gettext('address')} ({language.badge})"
    return str(FIELD_LABELS.get(key, key.replace("_", " ")))


def _fields(value, prefix="", choices=None):
    if not isinstance(value, dict):
        return [(prefix or "", _text(value))]
    choices = choices or {}
    rows = []
    for key, entry in value.items():
        if key in NOT_LISTED:
            continue
        label = _label(key)
        label = f"{prefix} › {label}" if prefix else label
        if isinstance(entry, dict):
            rows += _fields(entry, label, choices)
        elif isinstance(entry, list) and any(isinstance(part, dict) for part in entry):
            for number, part in enumerate(entry, start=1):
                rows += _fields(part, f"{label} {number}", choices)
        elif key in choices and entry in choices[key].values:
            rows.append((label, str(choices[key](entry).label)))
        else:
            rows.append((label, _text(entry)))
    return rows


def _text(value):
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return "\n".join(_text(part) for part in value)
    return "" if value is None else str(value)


def body_paragraphs(body):
    """The report's text as plain paragraphs (the review never renders the release's HTML)."""
    parts = re.split(r"</p>|<br\s*/?>", body or "")
    return [text for part in parts if (text := html.unescape(strip_tags(part)).strip())]


# Under the report admin, which cannot import this package (admin:forum_report_import_release).
register_admin_view(models.Report, "import-release/", import_view, "import_release")
register_admin_view(
    models.Report, "import-release/confirm/", confirm_view, "import_release_confirm"
)
