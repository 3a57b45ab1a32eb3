"""The admin, one module per capability; importing them registers their ModelAdmins and
the pages they add under another capability's admin (forum.core.admin.register_admin_view)."""

from forum.hant import admin as hant_admin  # noqa: F401
from forum.press import admin as press_admin  # noqa: F401
from forum.programme import admin as programme_admin  # noqa: F401
from forum.releases import admin as releases_admin  # noqa: F401
from forum.reports import admin as reports_admin  # noqa: F401
