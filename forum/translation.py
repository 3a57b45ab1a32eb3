"""Translated fields: modeltranslation adds a column per site language to each
(`<field>_<suffix>`, see forum/core/languages.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Edition,
    Forum,
    MediaContact,
    Organisation,
    Person,
    Position,
    Report,
    Session,
    SessionRole,
    Speech,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name", "address")


@register(Forum)
class ForumTranslation(TranslationOptions):
    fields = ("name", "short_name", "mandate", "background")


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("theme", "summary", "venue", "city")


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "summary", "venue", "room")


@register(SessionRole)
class SessionRoleTranslation(TranslationOptions):
    fields = ("printed_titles",)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("family_name", "given_name", "honorific", "biography")


@register(Position)
class PositionTranslation(TranslationOptions):
    fields = ("title",)


@register(Speech)
class SpeechTranslation(TranslationOptions):
    fields = ("title", "printed_title")


@register(Report)
class ReportTranslation(TranslationOptions):
    fields = ("headline", "summary", "body", "slug", "hero_image_alt")
    # An empty slug is stored as NULL so that unique slugs allow a missing translation.
    empty_values = {"slug": None}


@register(MediaContact)
class MediaContactTranslation(TranslationOptions):
    fields = ("name", "job_title", "hours")
