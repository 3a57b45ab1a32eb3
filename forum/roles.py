"""Import shim: migration 0002 imports this module; the roles live in forum.core.roles."""

from forum.core.roles import ROLE_PERMISSIONS, sync_role_groups  # noqa: F401
