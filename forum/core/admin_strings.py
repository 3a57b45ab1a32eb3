"""Words of the admin's packages that their Chinese catalogues lack: Django 5.2's column
headings in the model lists (read by screen readers), django-import-export's export form.
Listed here so that `make messages` keeps them in our catalogue,
cdfsite/locale/zh_Hans/LC_MESSAGES/django.po, which Django consults before the packages'."""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
IMPORT_EXPORT_STRINGS = (gettext_noop("Resource"),)
