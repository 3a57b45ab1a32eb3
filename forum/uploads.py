"""Import shim: migration 0006 imports this module; uploads live in forum.core.uploads."""

from forum.core.uploads import ImageUploadField  # noqa: F401
