"""Translated fields: modeltranslation adds a column per site language to each
(`<field>_<suffix>`, see forum/core/languages.py). This table is the list.

The columns of a derived language (Traditional Chinese) are converted from their source on
every save (forum/hant/), so no form edits them: they are not editable."""

from modeltranslation.translator import TranslationOptions, translator

from forum import models
from forum.core import languages

TRANSLATED_FIELDS = {
    models.Organisation: ("name", "short_name", "address"),
    models.Forum: ("name", "short_name", "mandate", "background"),
    models.Edition: ("theme", "summary", "venue", "city"),
    models.Session: ("title", "summary", "venue", "room"),
    models.SessionRole: ("printed_titles",),
    models.Person: ("family_name", "given_name", "honorific", "biography"),
    models.Position: ("title",),
    models.Speech: ("title", "printed_title"),
    models.Report: ("headline", "summary", "body", "slug", "hero_image_alt"),
    models.MediaContact: ("name", "job_title", "hours"),
}
OPTIONS = {
    # An empty slug is stored as NULL so that unique slugs allow a missing translation.
    models.Report: {"empty_values": {"slug": None}},
}

for model, fields in TRANSLATED_FIELDS.items():
    derived = {code: {"editable": False} for code in languages.DERIVED}
    options = {
        "fields": fields,
        "field_options": dict.fromkeys(fields, derived),
        **OPTIONS.get(model, {}),
    }
    translator.register(model, type(f"{model.__name__}Translation", (TranslationOptions,), options))
