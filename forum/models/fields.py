"""Field declarations several models share, so that each kind is declared one way."""

from django.conf import settings
from django.db import models

# --- Links between models -----------------------------------------------------------
# Named for what deleting the object linked to does to this one.


def part_of(to, verbose_name, *, related_name):
    """A link to the object this one is part of: deleting that deletes this too (CASCADE)."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.CASCADE, related_name=related_name
    )


def required_link(to, verbose_name, *, related_name):
    """A link that must be set; the object it points to cannot be deleted while this one
    points to it (PROTECT): a published page would lose part of what it shows."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name
    )


def optional_link(to, verbose_name, *, related_name, **options):
    """A link that may be left empty; while set, it protects its object like required_link."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        null=True,
        blank=True,
        **options,
    )


def user_link(verbose_name, **options):
    """The user who did something. Deleting the account keeps the record and empties the
    link (SET_NULL); users get no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        **options,
    )


# --- Phone numbers (NormalisedPhonesMixin in .common normalises them) ----------------


def phone_field(verbose_name, **options):
    """An optional phone number; NormalisedPhonesMixin stores it in E.164 (+861064255855)."""
    return models.CharField(verbose_name, max_length=32, blank=True, **options)


def extension_field(verbose_name, **options):
    """The optional extension of a phone_field (NormalisedPhonesMixin moves a typed one here)."""
    return models.CharField(verbose_name, max_length=8, blank=True, **options)
