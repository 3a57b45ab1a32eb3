"""The admin, one module per capability; importing them registers their ModelAdmins."""

from forum.hant import admin as hant_admin  # noqa: F401
from forum.press import admin as press_admin  # noqa: F401
from forum.programme import admin as programme_admin  # noqa: F401
from forum.releases import admin as releases_admin
from forum.reports import admin as reports_admin

# "Import a press release" lives under the report admin, which cannot import it.
reports_admin.ReportAdmin.ADDED_VIEWS = releases_admin.REPORT_ADMIN_VIEWS
