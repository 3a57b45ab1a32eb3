"""The admin, one module per capability; importing them registers their ModelAdmins."""

from forum.press import admin as press_admin  # noqa: F401
from forum.programme import admin as programme_admin  # noqa: F401
from forum.reports import admin as reports_admin  # noqa: F401
