"""The press office's admin: media contacts only.

Press officers (forum.core.roles) hold every media-contact permission and may only view
organisations (for the autocomplete); reports, people and the programme stay hidden, and
the pickers of what a contact covers offer only published editions, sessions and reports
to those who may not open drafts (a link to a draft is kept when they save).
Import and export go through django-import-export (forum.press.imports), history through
django-reversion, merging of duplicates through forum.press.services.

Who sees, searches, filters, exports and changes what is decided by the press-privacy
policy (forum.press.policy), which every hook below asks: press officers, editors and
superusers get the full view; every other role the public view (PUBLIC_VIEW): read-only,
of the details only what `MediaContact.public_details()` releases, no history.
"""

import re
from dataclasses import dataclass

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ImportMixin
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from forum.core import languages, revision_notes
from forum.core.admin import (
    LabelledExportForm,
    NameToConfirmFilter,
    NameToConfirmMixin,
    TrashMixin,
)
from forum.core.phones import format_phone
from forum.core.spoken_languages import SpokenLanguage
from forum.hant.admin import ConvertedNamesMixin
from forum.models import MediaContact, Report
from forum.models.press import DETAIL_FIELDS
from forum.press.imports import (
    BoundedCSV,
    BoundedXLSX,
    ImportLimitError,
    MediaContactResource,
    PublicMediaContactResource,
    SpreadsheetCSV,
    SpreadsheetXLSX,
)
from forum.press.policy import SEARCH_FIELDS, policy
from forum.press.services import (
    MergeError,
    can_merge_media_contacts,
    media_contact_restore_from_trash,
    media_contact_trash,
    media_contacts_merge,
)
from forum.reports import workflow

# What the history records for each changed field: "Mobile: +86 … → +86 …".
HISTORY_FIELDS = (*DETAIL_FIELDS, "is_public", "is_active", "order", "notes")

# The public view's details: display methods reading MediaContact.public_details().
PUBLIC_DETAILS = (
    "public_mobile",
    "public_office_phone",
    "public_fax",
    "public_email",
    "public_languages",
    "public_hours",
)
NOT_SHOWN = "—"  # an empty or private detail in the public view
# What the contact covers: pickers offer drafts only to those who may open them.
COVERAGE_FIELDS = ("editions", "sessions", "reports")


def may_open_drafts(user, model):
    """Whether the user may open the model's unpublished rows in the admin."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


def offered_to(user, queryset):
    """The rows a picker or filter offers the user: all, or the published ones."""
    return queryset if may_open_drafts(user, queryset.model) else queryset.published()


def report_label(report):
    headline = languages.first_text(report, "headline") or f"#{report.pk}"
    return f"{headline} ({report.edition.year}, {report.get_status_display()})"


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return report_label(obj)


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
        help_text=_(
            "The contact is printed under these reports (when public). For a published "
            "report the change waits in its working copy until an editor publishes it."
        ),
    )

    # The user the admin made this form class for (MediaContactAdmin.get_form).
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_list()
            # As the reports' working copies have it (a published report's public
            # contacts change only when an editor publishes its working copy).
            self.initial["reports"] = sorted(workflow.covered_by(self.instance))
            # Stored as +8618666028168; shown as +86 186 6602 8168 (saved normalised again).
            for field in ("mobile", "office_phone", "fax"):
                if self.initial.get(field):
                    self.initial[field] = format_phone(self.initial[field])
        # Links to rows the picker does not offer the user: kept as they are on save.
        self.kept_links = {}
        for name in COVERAGE_FIELDS:
            field = self.fields.get(name)
            if field is None or self.user is None:
                continue
            field.queryset = offered_to(self.user, field.queryset)
            linked = {getattr(item, "pk", item) for item in self.initial.get(name) or ()}
            offered = set(field.queryset.filter(pk__in=linked).values_list("pk", flat=True))
            self.kept_links[name] = linked - offered

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])

    def clean(self):
        cleaned_data = super().clean()
        for name, kept in self.kept_links.items():
            if kept and name in cleaned_data:
                chosen = {obj.pk for obj in cleaned_data[name]}
                model = self.fields[name].queryset.model
                cleaned_data[name] = model.objects.filter(pk__in=chosen | kept)
        return cleaned_data


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
    """Editions the contact covers directly (published ones for those who may not open
    drafts)."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if may_open_drafts(request.user, field.related_model):
            return choices
        editions = offered_to(request.user, field.related_model.objects.all())
        offered = set(editions.values_list("pk", flat=True))
        return [(pk, label) for pk, label in choices if pk in offered]


@dataclass(frozen=True)
class AdminView:
    """What the admin shows of media contacts to one kind of user (MediaContactAdmin.layout)."""

    list_display: tuple
    fieldsets: tuple
    search_help_text: str


FULL_VIEW = AdminView(
    list_display=(
        "name_column",
        "job_title",
        "organisation",
        "mobile_column",
        "office_column",
        "email_column",
        "public_column",
        "is_active",
        "order",
        "name_to_confirm",
    ),
    fieldsets=(
        (None, {"fields": ("name", "family_name_first", "job_title", "organisation")}),
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
    ),
    search_help_text=_("Name, title, organisation, email or any part of a phone number."),
)
# Read-only, and of the details only those public_details() releases.
PUBLIC_VIEW = AdminView(
    list_display=(
        "name_column",
        "job_title",
        "organisation",
        "public_mobile",
        "public_office_phone",
        "public_email",
        "public_column",
        "is_active",
        "order",
    ),
    fieldsets=(
        (None, {"fields": ("name", "family_name_first", "job_title", "organisation")}),
        (
            _("How to reach them"),
            {
                "description": _("Only the details shown on public pages."),
                "fields": PUBLIC_DETAILS,
            },
        ),
        (_("Publication"), {"fields": ("is_public", "is_active", "order")}),
        (_("What they cover"), {"fields": ("editions", "sessions", "published_reports")}),
    ),
    search_help_text=_("Name, title or organisation."),
)


# Rows listed on the import's review page (and error rows); its counts cover the whole file.
IMPORT_PREVIEW_ROWS = 100


@admin.register(MediaContact)
class MediaContactAdmin(
    ConvertedNamesMixin,
    TrashMixin,
    NameToConfirmMixin,
    ImportMixin,
    ExportActionMixin,
    VersionAdmin,
    TabbedTranslationAdmin,
):
    form = MediaContactForm
    resource_classes = (MediaContactResource, PublicMediaContactResource)
    export_form_class = LabelledExportForm
    # CSV and XLSX read with the row and cell limits (CONTACT_IMPORT_MAX_*).
    import_formats = (BoundedCSV, BoundedXLSX)
    # Cells that a spreadsheet would run as a formula are written as text.
    export_formats = (SpreadsheetCSV, SpreadsheetXLSX)
    # With a byte-order mark Excel opens a UTF-8 CSV with the Chinese names intact.
    to_encoding = "utf-8-sig"
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_template_name = "admin/forum/mediacontact/import.html"
    # import-export's change form, with the History link only where the policy allows it.
    change_form_template = "admin/forum/mediacontact/change_form.html"
    # Only the row's message (no tracebacks) in the error report.
    import_error_display = ("message",)

    list_display = FULL_VIEW.list_display
    list_display_links = ("name_column",)
    list_filter = (
        "is_public",
        "is_active",
        NameToConfirmFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("editions", EditionFilter),
        LanguageFilter,
    )
    list_select_related = ("organisation",)
    search_fields = SEARCH_FIELDS
    search_help_text = FULL_VIEW.search_help_text
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("editions", "sessions")
    actions = ("merge_contacts",)
    fieldsets = FULL_VIEW.fieldsets

    # Form fields that are not model fields, shown read-only by these methods instead.
    read_only_displays = {"languages": "spoken_languages", "reports": "published_reports"}
    display_fields = (*PUBLIC_DETAILS, *read_only_displays.values())

    # --- Who sees what: every hook asks forum.press.policy ------------------------------

    def layout(self, request):
        """The full view or the public view (read-only, public details), as the policy
        allows this user."""
        return FULL_VIEW if policy.sees_private(request.user) else PUBLIC_VIEW

    def has_add_permission(self, request):
        return policy.user_has_permission(request.user, "add")

    def has_change_permission(self, request, obj=None):
        return policy.user_has_permission(request.user, "change")

    def has_delete_permission(self, request, obj=None):
        return policy.user_has_permission(request.user, "delete")

    def has_view_permission(self, request, obj=None):
        return policy.user_has_permission(request.user, "view")

    @admin.display(
        description=pgettext_lazy("a person's name", "name"),
        ordering=languages.default_column("name"),
    )
    def name_column(self, obj):
        # The name in the admin's language, or as given (a name known only in Latin letters
        # has no Chinese form, and an empty cell would not tell the rows apart).
        return str(obj)

    def trash_item(self, item, user):
        media_contact_trash(contact=item, user=user)

    def restore_item(self, item, user):
        media_contact_restore_from_trash(contact=item, user=user)

    def get_list_display(self, request):
        return self.layout(request).list_display

    def get_search_fields(self, request):
        return policy.search_fields(request.user)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.search_help_text = self.layout(request).search_help_text
        return changelist

    def lookup_allowed(self, lookup, value, request=None):
        """No filtering on a private field through the address (?notes__contains=…)."""
        if request is not None and not policy.lookup_allowed(request.user, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": self.replace_orig_field(options["fields"])})
            for name, options in self.layout(request).fieldsets
        ]
        fieldsets += self.converted_names_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [self.read_only_displays.get(f, f) for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # Never form fields: the display methods of the public view and read-only forms.
        return (*super().get_readonly_fields(request, obj), *self.display_fields)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request (modelform_factory)
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "shows_history": policy.sees_history(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if not policy.sees_history(request.user):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not policy.sees_history(request.user):
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    # --- The public view's details ----------------------------------------------------

    @admin.display(description=_("mobile"))
    def public_mobile(self, obj):
        return _public_phone(obj.public_details(), "mobile")

    @admin.display(description=_("office phone"))
    def public_office_phone(self, obj):
        return _public_phone(obj.public_details(), "office_phone")

    @admin.display(description=_("fax"))
    def public_fax(self, obj):
        return _public_phone(obj.public_details(), "fax")

    @admin.display(description=_("email"))
    def public_email(self, obj):
        return obj.public_details().get("email") or NOT_SHOWN

    @admin.display(description=_("languages spoken"))
    def public_languages(self, obj):
        labels = dict(SpokenLanguage.choices)
        codes = obj.public_details().get("languages", ())
        return ", ".join(str(labels[code]) for code in codes if code in labels) or NOT_SHOWN

    @admin.display(description=_("hours"))
    def public_hours(self, obj):
        return obj.text_in(obj.public_details(), "hours", languages.active()) or NOT_SHOWN

    @admin.display(description=_("languages spoken"))
    def spoken_languages(self, obj):
        return obj.get_languages_display() or NOT_SHOWN

    @admin.display(description=_("reports covered"))
    def published_reports(self, obj):
        reports = obj.reports.published().select_related("edition")
        return "\n".join(report_label(report) for report in reports) or NOT_SHOWN

    # --- Change list ------------------------------------------------------------------

    @admin.display(description=_("mobile"), ordering="mobile")
    def mobile_column(self, obj):
        return self._phone(format_phone(obj.mobile), obj.mobile, obj.mobile_public)

    @admin.display(description=_("office phone"), ordering="office_phone")
    def office_column(self, obj):
        # In the admin's language: "ext. 8014" in English, "转 8014" in Chinese.
        text = format_phone(obj.office_phone, obj.office_extension, languages.active())
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
        shown = [pgettext("a person's name", "name")] + [
            labels[field] for field in obj.DETAIL_FLAGS if obj.is_detail_public(field)
        ]
        return ", ".join(shown)

    def get_search_results(self, request, queryset, search_term):
        """Phone numbers are stored as +8618666028168: also match the digits typed in
        any style ("186 6602 8168", "010-6425 5855"), for those who may see them."""
        base = queryset
        queryset, may_have_duplicates = super().get_search_results(request, base, search_term)
        digits = re.sub(r"\D", "", search_term)
        if len(digits) >= 4 and policy.searches_numbers(request.user):
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

    def get_import_context_data(self, **kwargs):
        # The review lists the first rows only, however long the file (the counts are of all).
        return {
            **super().get_import_context_data(**kwargs),
            "preview_rows": IMPORT_PREVIEW_ROWS,
            "preview_slice": f":{IMPORT_PREVIEW_ROWS}",
        }

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportLimitError):  # says which limit the file passed
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        return policy.may_manage(request.user)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_resource_classes(self, request):
        return [MediaContactResource]

    def get_export_resource_classes(self, request):
        if policy.exports_private(request.user):
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
                # Through each report's workflow: a live report keeps the change in its
                # working copy, for review.
                for report in Report.objects.filter(pk__in=before ^ after):
                    workflow.report_set_contacts(
                        report=report,
                        user=request.user,
                        add=[form.instance.pk] if report.pk in after else [],
                        remove=[form.instance.pk] if report.pk in before else [],
                    )
                # Press officers read this history: a report not public yet is named
                # by its number only, never by its draft headline.
                names = [
                    str(report) if report.is_public else f"#{report.pk}"
                    for report in form.cleaned_data["reports"]
                ]
                request._media_contact_changes = [
                    *getattr(request, "_media_contact_changes", []),
                    (gettext_noop("Reports: %(reports)s"), {"reports": ", ".join(names) or "—"}),
                ]

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        changes = getattr(request, "_media_contact_changes", [])
        if changes and reversion.is_active():
            reversion.set_comment(
                revision_notes.note(*changes, change_message=entry.change_message)
            )
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


def _public_phone(details, field):
    """A number as public_details() releases it (a dash when it is not public)."""
    if not details.get(field):
        return NOT_SHOWN
    extension = details.get("office_extension", "") if field == "office_phone" else ""
    return format_phone(details[field], extension)


def describe_changes(before, after):
    """Revision notes "Mobile: “+8618666028168” → “+8613912345678”" for each changed
    field (forum.core.revision_notes: read in each reader's language)."""
    changes = []
    for name in HISTORY_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        label = revision_notes.msgid(MediaContact._meta.get_field(name).verbose_name)
        changes.append(
            (
                gettext_noop("%(field)s: %(old)s → %(new)s"),
                {"field": label, "old": _shown(old), "new": _shown(new)},
            )
        )
    return changes


def _shown(value):
    if isinstance(value, bool):
        return revision_notes.msgid(gettext_noop("yes") if value else gettext_noop("no"))
    return f"“{value}”" if value not in (None, "") else "—"
