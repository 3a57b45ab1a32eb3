"""`manage.py import_press_release FILE [--dry-run] [--json] [--user U]`."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from forum.models import MediaContact, Person, Report
from tests.releases.importing import SEED, author, editor, seed_text


def run(*args, stdin=None):
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO()}
    if stdin is not None:
        options["stdin"] = stdin
    call_command("import_press_release", *args, **options)
    return out.getvalue()


def test_command_json_prints_draft_and_plan(db):
    data = json.loads(run(str(SEED), "--dry-run", "--json"))

    assert {
        "forum",
        "edition",
        "session",
        "speeches",
        "report",
        "background",
        "media_contacts",
        "organisation_contact",
        "warnings",
        "plan",
    } <= set(data)
    assert data["edition"]["year"] == 2024
    assert data["speeches"][0]["speaker"]["name"] == "Li Wenhai"
    assert data["report"]["authors"] == ["Liu Changjie"]
    assert data["media_contacts"][0]["mobile"] == "+8618666028168"
    assert {item["action"] for item in data["plan"]["items"]} == {"create"}
    assert "imported" not in data


def test_command_dry_run_writes_nothing(db):
    output = run(str(SEED), "--dry-run")

    assert "Dry run: nothing written (21 to create)." in output
    assert "create         Person: Li Wenhai" in output
    assert Report.objects.count() == Person.objects.count() == 0


def test_command_imports_draft_report_for_user(db):
    user = editor(username="liu")

    output = run(str(SEED), "--user", "liu")

    report = Report.objects.get()
    assert (report.status, report.created_by) == (Report.Status.DRAFT, user)
    assert f"draft report #{report.pk} (/admin/forum/report/{report.pk}/change/)" in output
    assert MediaContact.objects.count() == 5


def test_command_reads_standard_input(db):
    editor(username="liu")
    stdin = io.TextIOWrapper(io.BytesIO(seed_text().encode()), encoding="utf-8")

    data = json.loads(run("-", "--user", "liu", "--json", stdin=stdin))

    assert data["imported"] == {
        "report": Report.objects.get().pk,
        "report_created": True,
        "records": 21,
    }


def test_command_on_demo_creates_nothing_and_lists_differences(demo):
    author(username="liu")
    reports = list(Report.objects.all())

    output = run(str(SEED), "--user", "liu")

    assert list(Report.objects.all()) == reports
    assert "Created 0 records; the release's report exists" in output
    assert (
        "headline: “Li Wenhai: Digital empowerment is accelerating industrial transformation” "
        "→ “Li Wenhai: Digital Empowerment for Industrial Transformation”"
    ) in output


def test_command_without_user_asks_for_one(db):
    with pytest.raises(CommandError, match="--user USERNAME"):
        run(str(SEED))

    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("release.pdf", b"%PDF-1.4", "Upload the press release as a text file"),
        ("release.txt", b"", "is empty"),
        ("release.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "is not a text file"),
        ("release.txt", b"Hello.\n\nNothing about a forum.", "The release names no session"),
    ],
)
def test_command_refuses_bad_input_with_nothing_written(db, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(str(path), "--dry-run")

    assert Report.objects.count() == Person.objects.count() == 0


def test_command_missing_file_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.txt"), "--dry-run")


def test_command_bad_input_exits_non_zero(tmp_path):
    path = tmp_path / "release.docx"
    path.write_bytes(b"not a zip")
    command = [sys.executable, "manage.py", "import_press_release", str(path), "--dry-run"]

    finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603

    assert finished.returncode != 0
    assert "is not a Word document (.docx)" in finished.stderr
