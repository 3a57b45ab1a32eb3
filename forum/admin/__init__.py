"""The admin, one module per area; importing them registers the ModelAdmins."""

from . import organisations, people, press, programme, reports  # noqa: F401
