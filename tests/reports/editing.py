"""Helpers of the report form's tests: complete reports, the form as a browser posts it
(people in each role: the `people` fixture, tests/conftest.py)."""

import datetime
import io

import pytest
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from forum.models import Credit, Report
from forum.reports import workflow
from tests.factories import CreditFactory, ReportFactory

Status = Report.Status


def complete_report(author, **kwargs):
    """A report complete in both languages with an author and a reviewer credited."""
    kwargs.setdefault("status", Status.DRAFT)
    kwargs.setdefault("published_at", None)
    with reversion.create_revision():  # as the workflow keeps one of every version
        report = ReportFactory(created_by=author, **kwargs)
        CreditFactory(report=report, role=Credit.Role.AUTHOR, order=1)
        CreditFactory(report=report, role=Credit.Role.REVIEWER, order=2)
    return report


def live_report(people, **kwargs):
    """A complete report published through the workflow an hour ago."""
    report = complete_report(people["author"], status=Status.APPROVED, **kwargs)
    workflow.report_publish(
        report=report,
        user=people["editor"],
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return Report.objects.get(pk=report.pk)


def change_url(report):
    return f"/admin/forum/report/{report.pk}/change/"


def open_form(client, form_data, report):
    """(url, data) of the report's change form as the browser would post it unchanged."""
    url = change_url(report)
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(page)


def post(client, url, data, action="save", **files):
    return client.post(url, {**data, "_action": action, **files})


def image_upload(name="photo.png", colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_errors(response):
    return response.context["adminform"].form.errors if response.context else None


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
