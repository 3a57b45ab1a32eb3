"""The editor's bilingual task (tools/desk_task.py) on the live demo site: within the
desk's limits of page loads, clicks and keystrokes, and with the result it should have."""

import pytest

from forum.models import Report
from tests.browser import require_browser
from tools import desk_task

require_browser()
pytestmark = pytest.mark.browser


def test_the_task_is_done_within_the_limits_and_both_languages_carry_the_correction(live_site):
    task = desk_task.run_task(live_site)
    assert not task.error, f"{task.error}\n{task.table()}"
    totals = task.totals()
    assert totals["page loads"] <= 9, task.table()
    assert totals["clicks"] <= 30, task.table()
    assert totals["keystrokes"] <= 20, task.table()
    assert [step.name for step in task.steps] == [
        "create in English",
        "submit",
        "translate into Chinese",
        "approve and publish both",
        "correct one sentence",
        "republish",
    ]
    # The counter works: each step that posts the form loads a page, editing loads none.
    loads = {step.name: step.page_loads for step in task.steps}
    assert loads["translate into Chinese"] == loads["correct one sentence"] == 0
    assert all(loads[name] >= 1 for name in ("submit", "approve and publish both", "republish"))
    assert all(step.clicks >= 1 for step in task.steps)

    # As a reader and in the history (the run's own checks), then in the database.
    assert task.failed_checks() == []
    assert len(task.checks) >= 10

    report = Report.objects.get(headline_en=desk_task.ENGLISH["headline"])
    assert report.status == Report.Status.PUBLISHED
    assert (report.pending_changes, report.pending_status) == ({}, "")
    assert desk_task.CORRECTED["en"] in report.body_en
    assert desk_task.CORRECTED["zh-hans"] in report.body_zh_hans
    assert desk_task.ENGLISH["body"][1] not in report.body_en
    assert not report.translations_outdated
    assert [credit.person.slug for credit in report.credits.order_by("order")] == [
        "liu-changjie",
        "cui-keliang",
    ]
    actions = list(report.transitions.order_by("created_at", "pk").values_list("action", flat=True))
    assert actions[0] == "submit"
    assert {"approve", "publish"} <= set(actions)
    assert actions[-1] == "republish"


def test_a_failed_step_or_a_count_over_its_limit_fails_the_run():
    """The run names the step it could not do, and the result does not pass."""
    result = desk_task.Result()
    result.steps.append(desk_task.Step("create in English", "editor", 1, 2, 0))
    result.error = "create in English: nothing to click at '#id_authors'"
    assert not result.passed
    assert "create in English" in result.table()
    assert desk_task.Result(steps=[desk_task.Step("x", "editor", 10, 0, 0)]).over_limits() == {
        "page loads": (10, 9)
    }
