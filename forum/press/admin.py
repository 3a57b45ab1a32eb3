"""The press office's admin: media contacts only.

Press officers (forum.core.roles) hold every media-contact permission and may only view
organisations (for the autocomplete); reports, people and the programme stay hidden.
Import and export go through django-import-export (forum.press.imports), history through
django-reversion, merging of duplicates through forum.press.services.
"""

import re

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from forum.core import languages
from forum.core.phones import format_phone
from forum.core.spoken_languages import SpokenLanguage
from forum.models import MediaContact, Report
from forum.models.press import DETAIL_FIELDS
from forum.press.imports import MediaContactResource, PublicMediaContactResource
from forum.press.services import MergeError, can_merge_media_contacts, media_contacts_merge

# What the history records for each changed field: "Mobile: +86 … → +86 …".
HISTORY_FIELDS = (*DETAIL_FIELDS, "is_public", "is_active", "order", "notes")


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        headline = languages.first_text(obj, "headline") or f"#{obj.pk}"
        return f"{headline} ({obj.edition.year}, {obj.get_status_display()})"


class WrappedFilteredSelectMultiple(FilteredSelectMultiple):
    """The two-box picker outside a model field: SelectFilter2.js puts the boxes at the
    start of the widget's parent, so give it a parent of its own (as model fields have)."""

    def render(self, *args, **kwargs):
        return format_html(
            '<div class="related-widget-wrapper">{}</div>', super().render(*args, **kwargs)
        )


class MediaContactForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=capfirst(_("languages spoken")),
        choices=SpokenLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reports = ReportChoiceField(
        label=capfirst(_("reports covered")),
        queryset=Report.objects.select_related("edition").order_by("-published_at", "-pk"),
        widget=WrappedFilteredSelectMultiple(_("reports"), is_stacked=False),
        required=False,
        help_text=_("The contact is printed under these reports (when public)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_list()
            self.initial["reports"] = list(self.instance.reports.values_list("pk", flat=True))
            # Stored as +8618666028168; shown as +86 186 6602 8168 (saved normalised again).
            for field in ("mobile", "office_phone", "fax"):
                if self.initial.get(field):
                    self.initial[field] = format_phone(self.initial[field])

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])


class LanguageFilter(admin.SimpleListFilter):
    title = _("language spoken")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return SpokenLanguage.choices

    def queryset(self, request, queryset):
        if self.value() in SpokenLanguage.values:
            return queryset.speaking(self.value())
        return queryset


class EditionFilter(admin.RelatedOnlyFieldListFilter):
    """Editions the contact covers directly."""


@admin.register(MediaContact)
class MediaContactAdmin(ImportMixin, ExportActionMixin, VersionAdmin, TabbedTranslationAdmin):
    form = MediaContactForm
    resource_classes = (MediaContactResource, PublicMediaContactResource)
    import_formats = (CSV, XLSX)
    export_formats = (CSV, XLSX)
    # With a byte-order mark Excel opens a UTF-8 CSV with the Chinese names intact.
    to_encoding = "utf-8-sig"
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_template_name = "admin/forum/mediacontact/import.html"
    # Only the row's message (no tracebacks) in the error report.
    import_error_display = ("message",)

    list_display = (
        "name",
        "job_title",
        "organisation",
        "mobile_column",
        "office_column",
        "email_column",
        "public_column",
        "is_active",
        "order",
    )
    list_display_links = ("name",)
    list_filter = (
        "is_public",
        "is_active",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("editions", EditionFilter),
        LanguageFilter,
    )
    list_select_related = ("organisation",)
    search_fields = (
        *languages.columns("name", "job_title"),
        "email",
        *languages.columns("organisation__name", "organisation__short_name"),
    )
    search_help_text = _("Name, title, organisation, email or any part of a phone number.")
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("editions", "sessions")
    actions = ("merge_contacts",)
    fieldsets = (
        (None, {"fields": ("name", "job_title", "organisation")}),
        (
            _("How to reach them"),
            {
                "description": _(
                    "Each detail appears on public pages, vCards and public exports only "
                    "when its box is ticked and the contact is public."
                ),
                "fields": (
                    ("mobile", "mobile_public"),
                    ("office_phone", "office_extension", "office_phone_public"),
                    ("fax", "fax_public"),
                    ("email", "email_public"),
                    "languages",
                    "hours",
                ),
            },
        ),
        (_("Publication"), {"fields": ("is_public", "is_active", "order")}),
        (_("What they cover"), {"fields": ("editions", "sessions", "reports")}),
        (_("Internal"), {"fields": ("notes",)}),
    )

    # --- Change list ------------------------------------------------------------------

    @admin.display(description=_("mobile"), ordering="mobile")
    def mobile_column(self, obj):
        return self._phone(format_phone(obj.mobile), obj.mobile, obj.mobile_public)

    @admin.display(description=_("office phone"), ordering="office_phone")
    def office_column(self, obj):
        text = format_phone(obj.office_phone, obj.office_extension)
        return self._phone(text, obj.office_phone, obj.office_phone_public)

    @admin.display(description=_("email"), ordering="email")
    def email_column(self, obj):
        return self._phone(obj.email, obj.email, obj.email_public)

    @staticmethod
    def _phone(text, value, is_public):
        if not value:
            return "—"
        return text if is_public else gettext("%(detail)s (private)") % {"detail": text}

    @admin.display(description=_("shown publicly"))
    def public_column(self, obj):
        if not obj.is_listed:
            return gettext("nothing")
        labels = {
            "mobile": gettext("mobile"),
            "office_phone": gettext("office"),
            "fax": gettext("fax"),
            "email": gettext("email"),
        }
        shown = [gettext("name")] + [
            labels[field] for field in obj.DETAIL_FLAGS if obj.is_detail_public(field)
        ]
        return ", ".join(shown)

    def get_search_results(self, request, queryset, search_term):
        """Phone numbers are stored as +8618666028168: also match the digits typed in
        any style ("186 6602 8168", "010-6425 5855")."""
        base = queryset
        queryset, may_have_duplicates = super().get_search_results(request, base, search_term)
        digits = re.sub(r"\D", "", search_term)
        if len(digits) >= 4:
            national = digits.lstrip("0")
            phones = Q()
            for field in ("mobile", "office_phone", "fax"):
                phones |= Q(**{f"{field}__contains": digits})
                if national:
                    phones |= Q(**{f"{field}__contains": national})
            phones |= Q(office_extension=digits)
            queryset |= base.filter(phones)
        return queryset, may_have_duplicates

    # --- Import and export ------------------------------------------------------------

    def has_import_permission(self, request):
        return request.user.has_perm("forum.add_mediacontact") and request.user.has_perm(
            "forum.change_mediacontact"
        )

    def has_export_permission(self, request):
        return request.user.has_perm("forum.view_mediacontact")

    def get_import_resource_classes(self, request):
        return [MediaContactResource]

    def get_export_resource_classes(self, request):
        # Private details leave the admin only for people who may edit them.
        if request.user.has_perm("forum.change_mediacontact"):
            return [MediaContactResource, PublicMediaContactResource]
        return [PublicMediaContactResource]

    # --- Saving and history -----------------------------------------------------------

    def save_model(self, request, obj, form, change):
        before = MediaContact.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        request._media_contact_changes = describe_changes(before, obj) if before else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "reports" in form.cleaned_data:
            before = set(form.initial.get("reports") or [])
            after = {report.pk for report in form.cleaned_data["reports"]}
            if before != after:
                form.instance.reports.set(form.cleaned_data["reports"])
                request._media_contact_changes = [
                    *getattr(request, "_media_contact_changes", []),
                    gettext("Reports: %(reports)s")
                    % {"reports": ", ".join(str(r) for r in form.cleaned_data["reports"]) or "—"},
                ]

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        changes = getattr(request, "_media_contact_changes", [])
        if changes and reversion.is_active():
            reversion.set_comment(f"{entry.get_change_message()} {'; '.join(changes)}")
        return entry

    # --- Merging duplicates -----------------------------------------------------------

    def has_merge_permission(self, request):
        return can_merge_media_contacts(request.user)

    @admin.action(description=_("Merge selected contacts"), permissions=("merge",))
    def merge_contacts(self, request, queryset):
        contacts = list(queryset.select_related("organisation"))
        if len(contacts) < 2:
            self.message_user(
                request, gettext("Choose at least two contacts to merge."), messages.WARNING
            )
            return None
        if request.POST.get("confirm-merge"):
            keep = next((c for c in contacts if str(c.pk) == request.POST.get("keep")), None)
            if keep is None:
                self.message_user(request, gettext("Choose the contact to keep."), messages.ERROR)
            else:
                try:
                    media_contacts_merge(
                        keep=keep,
                        duplicates=[c for c in contacts if c.pk != keep.pk],
                        user=request.user,
                    )
                except (MergeError, PermissionDenied) as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return None
                self.message_user(
                    request,
                    ngettext(
                        "Merged %(count)d contact into %(contact)s.",
                        "Merged %(count)d contacts into %(contact)s.",
                        len(contacts) - 1,
                    )
                    % {"count": len(contacts) - 1, "contact": keep},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge media contacts"),
            "opts": self.model._meta,
            "contacts": [(contact, contact.reports.count()) for contact in contacts],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "suggested": min(contacts, key=lambda c: (c.created_at, c.pk)),
        }
        return TemplateResponse(request, "admin/forum/mediacontact/merge.html", context)


def describe_changes(before, after):
    """ "Mobile: “+8618666028168” → “+8613912345678”" for each changed field."""
    changes = []
    for name in HISTORY_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        label = str(MediaContact._meta.get_field(name).verbose_name)
        changes.append(f"{label[:1].upper()}{label[1:]}: {_shown(old)} → {_shown(new)}")
    return changes


def _shown(value):
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return f"“{value}”" if value not in (None, "") else "—"
