"""Pages a package adds under another capability's admin register themselves (as Wagtail's
register_admin_urls hook); the owning admin routes them, nothing is assigned onto it."""

from django.contrib import admin
from django.http import HttpResponse
from django.test import RequestFactory

from forum.core import admin as core_admin
from forum.models import Person, Report
from tests.factories import UserFactory


def test_a_registered_page_is_routed_by_the_models_admin_with_it(monkeypatch):
    monkeypatch.setattr(core_admin, "_ADDED_VIEWS", {})
    seen = {}

    def page(request, model_admin):
        seen["model_admin"] = model_admin
        return HttpResponse("added")

    core_admin.register_admin_view(Report, "extra/", page, "extra")
    report_admin = admin.site._registry[Report]
    urls = {url.name: url for url in report_admin.get_urls()}
    assert str(urls["forum_report_extra"].pattern) == "extra/"
    # Only under the model it was registered for.
    assert "forum_person_extra" not in {url.name for url in admin.site._registry[Person].get_urls()}
    request = RequestFactory().get("/admin/forum/report/extra/")
    request.user = UserFactory.build(is_staff=True)
    assert urls["forum_report_extra"].callback(request).content == b"added"
    assert seen["model_admin"] is report_admin


def test_the_press_release_import_registers_its_pages_under_reports():
    names = [name for _route, _view, name in core_admin.admin_views_for(Report)]
    assert names == ["import_release", "import_release_confirm"]
