"""Fixtures of the report tests (see tests/reports/editing.py)."""

from tests.reports.editing import media  # noqa: F401
