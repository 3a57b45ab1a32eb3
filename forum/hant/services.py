"""Converting derived columns, and the overrides editors write (see the package docstring)."""

from functools import lru_cache, reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from modeltranslation.translator import NotRegistered, translator

from forum.core import languages, names, scripts
from forum.models import MediaContact, Person, TermOverride, TraditionalOverride

# People's and contacts' names are converted as names, not as running text (余 stays 余,
# 钟 becomes 鍾, forum/core/names.py): a pair of fields is (family name, given name), one
# field a name stored whole. Their full names then steer the conversion of every text
# they occur in, as term overrides do (name_terms()).
NAME_FIELDS = {
    Person: ("family_name", "given_name"),
    MediaContact: ("name",),
}


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
    """{derived language: {source term: converted term}}: people's and contacts' full
    names as names (name_terms()), and every term override, which wins over a name."""
    found = name_terms()
    for language, source, text in TermOverride.objects.values_list("language", "source", "text"):
        found.setdefault(language, {})[source] = text
    return found


def name_fields(model):
    """The model's name fields (NAME_FIELDS), () for a model without any."""
    return NAME_FIELDS.get(model, ())


def _name_texts(instance, code):
    """The texts of the instance's name fields in the source language of `code`."""
    source = languages.origin(code)
    return tuple(
        getattr(instance, languages.column(field, source)) or ""
        for field in name_fields(type(instance))
    )


def _as_name(texts, family_name_first, code):
    """(the name fields' texts converted as a name, the Simplified full name ("" for a
    name that is not Chinese, or of one character), that full name converted as text)."""
    return _as_name_by(texts, family_name_first, code, languages.get(code).conversion)


@lru_cache(maxsize=65536)
def _as_name_by(texts, family_name_first, code, conversion):
    # Cached per configuration too: the list of names is read on every save.
    if len(texts) == 2:
        converted = names.traditional_name(*texts, code, family_name_first)
        full = "".join(texts) if family_name_first else ""
    else:
        converted = (names.traditional_full_name(texts[0], code, family_name_first),)
        full = texts[0]
    if not (scripts.has_han(full) and len(full) >= 2):
        full = ""
    return tuple(converted), full, scripts.convert(full, code) if full else ""


def converted_names(instance, code):
    """{name field: text} of the instance in the derived language `code`, converted as a
    name (no override applied); {} for a model without name fields."""
    fields = name_fields(type(instance))
    if not fields:
        return {}
    first = getattr(instance, "family_name_first", True)
    converted, _full, _text = _as_name(_name_texts(instance, code), first, code)
    return dict(zip(fields, converted, strict=True))


def _term(fields, texts, first, code, derived):
    """(Simplified full name, Traditional full name) for name_terms(), or None."""
    _converted, name, as_text = _as_name(texts, first, code)
    if not name:
        return None
    text = "".join(derived.get(field) or "" for field in fields)
    if not text or text == as_text:
        return None
    return name, text


def name_term(instance, code, *, derived=None):
    """(Simplified full name, its Traditional form) of a person or contact in the derived
    language `code`, from their columns (or `derived`, {field: text}); None when their
    name is not a Chinese one, or converting it as text gives the same."""
    fields = name_fields(type(instance))
    if not fields:
        return None
    if derived is None:
        derived = {field: getattr(instance, languages.column(field, code)) for field in fields}
    first = getattr(instance, "family_name_first", True)
    return _term(fields, _name_texts(instance, code), first, code, derived)


def name_terms_of(instance):
    """{derived language: name_term()} of a person or contact as their columns hold it."""
    return {code: name_term(instance, code) for code in languages.DERIVED}


def stored_name_terms(model, pk):
    """name_terms_of() the row as the database holds it ({} for a new row)."""
    fields = name_fields(model)
    if not fields or pk is None:
        return {}
    codes = [*languages.DERIVED, *(languages.origin(code) for code in languages.DERIVED)]
    columns = {languages.column(field, code) for field in fields for code in codes}
    extra = ["family_name_first"] if hasattr(model, "family_name_first") else []
    stored = model._default_manager.filter(pk=pk).only(*columns, *extra).first()
    return name_terms_of(stored) if stored is not None else {}


def follow_name_change(before, after):
    """Re-converts the texts that contain a person's or contact's full name when the name,
    or its Traditional form, changed (`before` and `after` as name_terms_of() gives them):
    other texts write it as the name now is. Returns how many rows changed."""
    changed = 0
    for code in languages.DERIVED:
        old, new = before.get(code), after.get(code)
        if old != new:
            changed += rederive_containing(code, *{pair[0] for pair in (old, new) if pair})
    return changed


def name_choices(instance):
    """What the admin shows beside a person's or contact's name, per name field and
    derived language: [{"field", "code", "published" (the text the pages show),
    "converted" (the converter's), "spellings" (the converted one first, then the other
    forms of characters that have several), "ambiguous" ([(character, forms)]),
    "override" (the editor's confirmed text, or None)}]; [] for a model without names."""
    fields = name_fields(type(instance))
    if not fields or instance.pk is None:
        return []
    overrides = {
        (override.field, override.language): override.text
        for override in TraditionalOverride.objects.for_object(instance).filter(field__in=fields)
    }
    first = getattr(instance, "family_name_first", True)
    choices = []
    for code in languages.DERIVED:
        source = languages.origin(code)
        texts = [getattr(instance, languages.column(field, source)) or "" for field in fields]
        if len(fields) == 2:
            forms = names.name_forms(*texts, code, first)
            per_field = dict(zip(fields, (forms["family"], forms["given"]), strict=True))
            by_field = dict(
                zip(fields, (forms["family_ambiguous"], forms["given_ambiguous"]), strict=True)
            )
        else:
            forms = names.whole_name_forms(texts[0], code, first)
            per_field = {fields[0]: forms["name"]}
            by_field = {fields[0]: forms["ambiguous"]}
        for field in fields:
            converted, spellings = per_field[field]
            choices.append(
                {
                    "field": field,
                    "code": code,
                    "published": getattr(instance, languages.column(field, code)) or "",
                    "converted": converted,
                    "spellings": spellings,
                    "ambiguous": by_field[field],
                    "override": overrides.get((field, code)),
                }
            )
    return choices


def confirm_name(item, field, text, *, code, user=None):
    """The editor's choice of a name field's form in the derived language `code`: `text`
    becomes a field override (a confirmed spelling); an empty `text` removes the override,
    so the field is converted again. Returns the override, or None."""
    if field not in name_fields(type(item)):
        raise ValueError(f"{type(item).__name__} has no name field {field!r}")
    if text:
        return set_override(item, field, text, code=code, user=user)
    override = (
        TraditionalOverride.objects.for_object(item).filter(field=field, language=code).first()
    )
    if override is not None:
        remove_override(override)
    return None


def name_terms():
    """{derived language: {Simplified full name: Traditional full name}}: the names of
    people and media contacts whose conversion as a name differs from their conversion as
    text (余淼杰 → 余淼傑, not 餘淼傑), with the editors' field overrides of their name
    fields. Three queries, whatever the number of names."""
    found = {code: {} for code in languages.DERIVED}
    overrides = {}
    content_types = ContentType.objects.get_for_models(*NAME_FIELDS)
    condition = reduce(
        or_,
        (
            Q(content_type=content_types[model], field__in=fields)
            for model, fields in NAME_FIELDS.items()
        ),
    )
    for override in TraditionalOverride.objects.filter(condition).values(
        "content_type_id", "object_id", "field", "language", "text"
    ):
        key = (override["content_type_id"], override["object_id"], override["language"])
        overrides.setdefault(key, {})[override["field"]] = override["text"]
    for model, fields in NAME_FIELDS.items():
        sources = {
            code: [languages.column(field, languages.origin(code)) for field in fields]
            for code in languages.DERIVED
        }
        columns = list(dict.fromkeys(column for group in sources.values() for column in group))
        content_type = content_types[model]
        rows = model._default_manager.values_list("pk", "family_name_first", *columns)
        for pk, first, *values in rows.iterator(chunk_size=2000):
            row = dict(zip(columns, values, strict=True))
            for code in languages.DERIVED:
                texts = tuple(row[column] or "" for column in sources[code])
                converted, _name, _text = _as_name(texts, first, code)
                derived = {
                    **dict(zip(fields, converted, strict=True)),
                    **overrides.get((content_type.pk, pk, code), {}),
                }
                if pair := _term(fields, texts, first, code, derived):
                    found[code][pair[0]] = pair[1]
    return found


def converted_field(item, field, code):
    """What the converter makes of the item's field in the derived language `code`: a
    name field converted as a name, any other as text (terms applied)."""
    if item is not None and field in name_fields(type(item)):
        source = getattr(item, languages.column(field, languages.origin(code)))
        if source:
            return converted_names(item, code)[field]
    source = getattr(item, languages.column(field, languages.origin(code)), "") if item else ""
    return converted(source or "", code)


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
    as_names = {code: converted_names(instance, code) for code in languages.DERIVED}
    changed = []
    for column, (field, code) in columns.items():
        source = getattr(instance, languages.column(field, languages.origin(code)))
        override = overrides.get((field, code))
        if override is not None:
            value = override.text
            outdated = (source or "") != override.source_text
            if record and outdated != override.outdated:
                TraditionalOverride.objects.filter(pk=override.pk).update(outdated=outdated)
        elif source and field in as_names[code]:
            value = as_names[code][field]
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
