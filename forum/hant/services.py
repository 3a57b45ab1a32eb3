"""Converting derived columns, and the overrides editors write (see the package docstring)."""

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from modeltranslation.translator import NotRegistered, translator

from forum.core import languages, scripts
from forum.models import TermOverride, TraditionalOverride


def translated_models():
    """Every model with translated fields (forum/translation.py)."""
    return list(translator.get_registered_models(abstract=False))


def translated_fields(model):
    """The model's translated fields, () for a model without any."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def derived_columns(model):
    """{derived column: (field, derived language)} of the model."""
    return {
        languages.column(field, code): (field, code)
        for field in translated_fields(model)
        for code in languages.DERIVED
    }


def terms():
    """{derived language: {source term: converted term}}: every term override."""
    found = {code: {} for code in languages.DERIVED}
    for language, source, text in TermOverride.objects.values_list("language", "source", "text"):
        found.setdefault(language, {})[source] = text
    return found


def converted(text, code, term_overrides=None):
    """The source text as the converter makes it for a derived language (terms applied)."""
    if term_overrides is None:
        term_overrides = terms()
    return scripts.convert(text, code, term_overrides.get(code))


def derive(instance, *, term_overrides=None, record=True):
    """Sets every derived column of the instance: the editor's override where there is
    one, else the conversion of the source column. Side effect (unless `record` is False,
    for an unsaved copy such as a preview): marks the instance's overrides outdated (or
    current again) as their source text differs from the one they were written for.
    Returns the derived columns whose text changed."""
    columns = derived_columns(type(instance))
    if not columns:
        return []
    overrides = {}
    if instance.pk is not None:
        overrides = {
            (override.field, override.language): override
            for override in TraditionalOverride.objects.for_object(instance)
        }
    if term_overrides is None:
        term_overrides = terms()
    changed = []
    for column, (field, code) in columns.items():
        source = getattr(instance, languages.column(field, languages.origin(code)))
        override = overrides.get((field, code))
        if override is not None:
            value = override.text
            outdated = (source or "") != override.source_text
            if record and outdated != override.outdated:
                TraditionalOverride.objects.filter(pk=override.pk).update(outdated=outdated)
        else:
            value = scripts.convert(source, code, term_overrides.get(code))
        if getattr(instance, column) != value:
            setattr(instance, column, value)
            changed.append(column)
    return changed


def _save_derived(instance, term_overrides=None):
    """Converts the instance's derived columns and saves them (signals run: pages and the
    search index follow)."""
    changed = derive(instance, term_overrides=term_overrides)
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def rederive(queryset):
    """Converts and saves the derived columns of every row of the queryset; returns how
    many changed."""
    term_overrides = terms()
    return sum(_save_derived(obj, term_overrides) for obj in queryset.iterator(chunk_size=200))


def rederive_all():
    """Every row of every translated model (after a change of configuration or a new
    derived language): {model label: rows changed}."""
    return {
        model._meta.verbose_name_plural: rederive(model._default_manager.all())
        for model in translated_models()
    }


def rederive_containing(code, *sources):
    """Re-converts the rows whose source text of a derived language contains a term
    (after a term override is added, changed or removed)."""
    sources = [source for source in sources if source]
    if not sources:
        return 0
    changed = 0
    for model in translated_models():
        source_columns = [
            languages.column(field, languages.origin(code)) for field in translated_fields(model)
        ]
        condition = reduce(
            or_,
            (Q(**{f"{column}__contains": term}) for column in source_columns for term in sources),
        )
        changed += rederive(model._default_manager.filter(condition))
    return changed


def set_override(item, field, text, *, code, user=None):
    """Makes `text` the item's field in the derived language `code` (see save_override)."""
    if field not in translated_fields(type(item)):
        raise ValueError(f"{type(item).__name__} has no translated field {field!r}")
    override = TraditionalOverride.objects.filter(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        field=field,
        language=code,
    ).first() or TraditionalOverride(item=item, field=field, language=code)
    override.text = text
    return save_override(override, user=user)


@transaction.atomic
def save_override(override, *, user=None):
    """Saves an editor's override, recording the source text it is written for (so that
    it is current until that text changes). Side effect: saves the item's derived column.

    Raises ValidationError, nothing saved, for a text the item's column would not accept
    (TraditionalOverride.clean(): an invalid or taken slug, a title too long)."""
    override.full_clean(exclude=["updated_by"])
    override.source_text = override.current_source()
    override.outdated = False
    override.updated_by = user
    override.save()
    refresh_item(override)
    return override


def refresh_item(override):
    """Converts and saves the derived columns of the override's item, if it still exists."""
    item = override.item
    if item is not None:
        _save_derived(item)


@transaction.atomic
def remove_override(override):
    """Deletes the override; the item's field is converted again. Side effect: saves it."""
    override.delete()
    refresh_item(override)
