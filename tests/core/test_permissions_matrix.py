"""Who reaches what: anonymous readers, a logged-in reader who is not staff, and each
editorial role (forum/core/roles.py), against the admin, previews, media-contact import and
export, private press data (details, notes, history: forum.press.policy),
workflow steps and the API.

The matrix below is the whole specification; each role's row of results is computed by
requesting every target, and compared with it at once, so a failure shows every cell that
differs.
"""

import csv
import io

import pytest
import reversion
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from forum.core import roles
from forum.models import MediaContact, Report
from forum.press.imports import MediaContactResource, PublicMediaContactResource
from tests.factories import MediaContactFactory, ReportFactory, UserFactory, user_in
from tests.press.data import assert_no_private_details, contact_row, to_csv

ANONYMOUS, READER = "anonymous", "reader (not staff)"
ROLES = (
    ANONYMOUS,
    READER,
    roles.AUTHORS,
    roles.TRANSLATORS,
    roles.REVIEWERS,
    roles.EDITORS,
    roles.PRESS_OFFICERS,
)

# Outcomes: ok 200 · login: redirected to the admin login · 403 · 404 · 405 (method refused)
# · done / refused: a workflow step took effect or not.
#                                   anon     reader   author   transl.  review.  editor   press
MATRIX = {
    "admin index": ("login", "login", "ok", "ok", "ok", "ok", "ok"),
    "edition list": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    "edition add": ("login", "login", "403", "403", "403", "ok", "403"),
    "forum list": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    "forum add": ("login", "login", "403", "403", "403", "ok", "403"),
    "session list": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    "session add": ("login", "login", "403", "403", "403", "ok", "403"),
    "speech list": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    "speech add": ("login", "login", "403", "403", "403", "ok", "403"),
    "person list": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    "person add": ("login", "login", "ok", "403", "ok", "ok", "403"),
    "organisation list": ("login", "login", "ok", "ok", "ok", "ok", "ok"),
    "organisation add": ("login", "login", "403", "403", "403", "ok", "403"),
    "report list": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    "report add": ("login", "login", "ok", "403", "403", "ok", "403"),
    "report outdated translations": ("login", "login", "ok", "ok", "ok", "ok", "403"),
    # An author opens only their own reports in the admin (workflow.can_open).
    "report revisions": ("login", "login", "403", "ok", "ok", "ok", "403"),
    "report delete": ("login", "login", "403", "403", "403", "ok", "403"),
    "media contact list": ("login", "login", "ok", "ok", "ok", "ok", "ok"),
    "media contact add": ("login", "login", "403", "403", "403", "ok", "ok"),
    "media contact import": ("login", "login", "403", "403", "403", "ok", "ok"),
    "media contact import upload": ("login", "login", "403", "403", "403", "ok", "ok"),
    "media contact export": ("login", "login", "ok", "ok", "ok", "ok", "ok"),
    "media contact view": ("login", "login", "ok", "ok", "ok", "ok", "ok"),
    "media contact change": ("login", "login", "403", "403", "403", "ok", "ok"),
    "media contact history": ("login", "login", "403", "403", "403", "ok", "ok"),
    "media contact revision": ("login", "login", "403", "403", "403", "ok", "ok"),
    "media contact private details": ("login", "login", "no", "no", "no", "yes", "yes"),
    "media contact found by email": ("login", "login", "0", "0", "0", "1", "1"),
    "media contact filter on notes": ("login", "login", "400", "400", "400", "ok", "ok"),
    "user list": ("login", "login", "403", "403", "403", "403", "403"),
    "user add": ("login", "login", "403", "403", "403", "403", "403"),
    "group list": ("login", "login", "403", "403", "403", "403", "403"),
    "login attempts (axes)": ("login", "login", "403", "403", "403", "403", "403"),
    "preview of a draft, en": ("404", "404", "404", "ok", "ok", "ok", "404"),
    "preview of a draft, zh-hans": ("404", "404", "404", "ok", "ok", "ok", "404"),
    "public page of a draft": ("404", "404", "404", "404", "404", "404", "404"),
    # Refused by the workflow, or (not at their step) the report is closed to them.
    "publish an approved report": (
        "login",
        "login",
        "403",
        "403",
        "refused",
        "done",
        "403",
    ),
    "API list": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "API detail": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "API draft report": ("404", "404", "404", "404", "404", "404", "404"),
    "API POST": ("405", "405", "405", "405", "405", "405", "405"),
    "API PUT": ("405", "405", "405", "405", "405", "405", "405"),
    "API PATCH": ("405", "405", "405", "405", "405", "405", "405"),
    "API DELETE": ("405", "405", "405", "405", "405", "405", "405"),
    "API POST contact": ("405", "405", "405", "405", "405", "405", "405"),
}


def admin_url(model, view, *args, app="forum"):
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return "login"
    return {200: "ok"}.get(response.status_code, str(response.status_code))


@pytest.fixture
def world(demo):
    """A published report, a draft, an approved report and a contact with private notes."""
    published = Report.objects.published().order_by("pk").first()
    draft = ReportFactory(edition=published.edition, status=Report.Status.DRAFT, published_at=None)
    approved = ReportFactory(
        edition=published.edition, status=Report.Status.APPROVED, published_at=None
    )
    approved.credits.create(person=published.credits.first().person, role="author")
    approved.credits.create(person=published.credits.last().person, role="reviewer", order=1)
    with reversion.create_revision():
        contact = MediaContactFactory(
            notes="Internal: prefers WeChat in the evening",
            email="private.desk@example.org",
            email_public=False,
        )
    return {"published": published, "draft": draft, "approved": approved, "contact": contact}


def user_for(role):
    if role == ANONYMOUS:
        return None
    if role == READER:
        return UserFactory(username="reader", is_staff=False)
    return user_in(role, username=f"role-{role.lower().replace(' ', '-')}")


def requests(client, world):
    """{target: outcome} for the client's user."""
    published, draft, approved = world["published"], world["draft"], world["approved"]
    contact = world["contact"]
    results = {"admin index": outcome(client.get(reverse("admin:index")))}
    for model, label in (
        ("edition", "edition"),
        ("forum", "forum"),
        ("session", "session"),
        ("speech", "speech"),
        ("person", "person"),
        ("organisation", "organisation"),
        ("report", "report"),
        ("mediacontact", "media contact"),
    ):
        results[f"{label} list"] = outcome(client.get(admin_url(model, "changelist")))
        results[f"{label} add"] = outcome(client.get(admin_url(model, "add")))
    results["report outdated translations"] = outcome(
        client.get(reverse("admin:forum_report_outdated"))
    )
    results["report revisions"] = outcome(
        client.get(reverse("admin:forum_report_revisions", args=[published.pk]))
    )
    results["report delete"] = outcome(client.get(admin_url("report", "delete", published.pk)))
    results["media contact import"] = outcome(client.get(admin_url("mediacontact", "import")))
    upload = io.BytesIO(to_csv([contact_row(150)]))
    upload.name = "contacts.csv"
    results["media contact import upload"] = outcome(
        client.post(admin_url("mediacontact", "import"), {"format": "0", "import_file": upload})
    )
    results["media contact export"] = outcome(client.get(admin_url("mediacontact", "export")))
    view = client.get(admin_url("mediacontact", "change", contact.pk))
    results["media contact view"] = outcome(view)
    # An incomplete form: "ok" is the form shown again with its errors, nothing saved.
    results["media contact change"] = outcome(
        client.post(admin_url("mediacontact", "change", contact.pk), {"name_en": "Changed"})
    )
    results["media contact history"] = outcome(
        client.get(admin_url("mediacontact", "history", contact.pk))
    )
    version = Version.objects.get_for_object(contact).get()
    results["media contact revision"] = outcome(
        client.get(admin_url("mediacontact", "revision", contact.pk, version.pk))
    )
    changelist = client.get(admin_url("mediacontact", "changelist"))
    if outcome(view) == "ok":
        text = view.content.decode() + changelist.content.decode()
        private = ("private.desk@example.org" in text, "prefers WeChat" in text)
        results["media contact private details"] = {(True, True): "yes", (False, False): "no"}.get(
            private, str(private)
        )
        found = client.get(admin_url("mediacontact", "changelist"), {"q": "private.desk"})
        results["media contact found by email"] = str(found.context["cl"].result_count)
    else:
        results["media contact private details"] = outcome(view)
        results["media contact found by email"] = outcome(view)
    results["media contact filter on notes"] = outcome(
        client.get(admin_url("mediacontact", "changelist"), {"notes__contains": "WeChat"})
    )
    results["user list"] = outcome(client.get(admin_url("user", "changelist", app="auth")))
    results["user add"] = outcome(client.get(admin_url("user", "add", app="auth")))
    results["group list"] = outcome(client.get(admin_url("group", "changelist", app="auth")))
    results["login attempts (axes)"] = outcome(
        client.get(admin_url("accessattempt", "changelist", app="axes"))
    )
    for language in ("en", "zh-hans"):
        with translation.override(language):
            preview = reverse("forum:report-preview", kwargs={"pk": draft.pk})
        results[f"preview of a draft, {language}"] = outcome(client.get(preview))
    results["public page of a draft"] = outcome(client.get(f"/en/reports/{draft.slug_en}/"))

    response = client.post(
        reverse("admin:forum_report_transition", args=[approved.pk, "publish"]), {"comment": ""}
    )
    approved.refresh_from_db()
    if approved.status == Report.Status.PUBLISHED:
        results["publish an approved report"] = "done"
    elif response.status_code == 302 and "login" not in response["Location"]:
        results["publish an approved report"] = "refused"
    else:
        results["publish an approved report"] = outcome(response)

    results["API list"] = outcome(client.get("/api/v1/reports/"))
    results["API detail"] = outcome(client.get(f"/api/v1/reports/{published.pk}/"))
    results["API draft report"] = outcome(client.get(f"/api/v1/reports/{draft.pk}/"))
    detail = f"/api/v1/reports/{published.pk}/"
    body = {"headline": {"en": "Hacked"}}
    results["API POST"] = outcome(client.post("/api/v1/reports/", body, "application/json"))
    results["API PUT"] = outcome(client.put(detail, body, "application/json"))
    results["API PATCH"] = outcome(client.patch(detail, body, "application/json"))
    results["API DELETE"] = outcome(client.delete(detail))
    results["API POST contact"] = outcome(
        client.post("/api/v1/media-contacts/", {"name": "x"}, "application/json")
    )
    return results


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    column = ROLES.index(role)
    expected = {target: row[column] for target, row in MATRIX.items()}
    assert requests(client, world) == expected
    # Nothing was written through the API, whatever the role.
    assert Report.objects.filter(headline_en="Hacked").count() == 0
    assert not MediaContact.objects.filter(name_en__in=["x", "Changed"]).exists()
    assert Report.objects.filter(pk=world["published"].pk).exists()


# --- What an export may contain -----------------------------------------------------------


def export(client, resource_class, index):
    fields = resource_class().get_export_order()
    data = {
        "format": "0",
        "resource": str(index),
        **{f"{resource_class.__name__.lower()}_{field}": "on" for field in fields},
    }
    return client.post(admin_url("mediacontact", "export"), data)


def exported_text(response):
    if response.get("Content-Disposition", "").startswith("attachment"):
        return response.content.decode("utf-8-sig")
    return ""


@pytest.mark.parametrize("role", [roles.AUTHORS, roles.TRANSLATORS, roles.REVIEWERS])
def test_roles_that_cannot_edit_contacts_export_only_public_details(client, world, role):
    client.force_login(user_for(role))
    contact = world["contact"]
    choices = client.get(admin_url("mediacontact", "export")).context["form"]
    assert len(choices.fields["resource"].choices) == 1
    for resource_class in (MediaContactResource, PublicMediaContactResource):
        for index in ("0", "1"):
            text = exported_text(export(client, resource_class, index))
            assert_no_private_details(text, contact)
    public = exported_text(export(client, PublicMediaContactResource, 0))
    rows = list(csv.DictReader(io.StringIO(public)))
    assert contact.name_en in {row["name_en"] for row in rows}


@pytest.mark.parametrize("role", [roles.EDITORS, roles.PRESS_OFFICERS])
def test_roles_that_edit_contacts_may_export_everything(client, world, role):
    client.force_login(user_for(role))
    text = exported_text(export(client, MediaContactResource, 0))
    assert "private.desk@example.org" in text
    assert "prefers WeChat" in text
