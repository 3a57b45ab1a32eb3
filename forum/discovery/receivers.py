"""Search index receivers: a save, delete or change of links (a report's speeches) brings
every search document that holds text of the object up to date, whatever the path (admin,
workflow, demo loader). They only maintain the index, as a cache is invalidated.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from forum.discovery import search
from forum.models import Forum, Organisation, Person, Session, TermOverride
from forum.models.dependencies import (
    WATCHED_MODELS,
    affects_search,
    link_tables,
    linked_objects,
    model_of,
)


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: related rows may not exist yet; run rebuild_search_index after
        return
    search.update_documents(search.documents_showing(instance))


def _before_delete(sender, instance, **kwargs):
    # Afterwards the links to the documents that show it are gone.
    instance._search_documents = search.documents_showing(instance)


def _on_delete(sender, instance, **kwargs):
    documents = getattr(instance, "_search_documents", [])
    search.update_documents(documents, deleted=(sender, instance.pk))


def _on_links_changed(sender, instance, action, model, pk_set, **kwargs):
    """Objects linked or unlinked (a report's speeches, whose speakers are part of the
    report's text): the documents holding text of either side, found while the links are
    in place, are brought up to date once the links have changed."""
    if action in {"pre_remove", "pre_clear"}:
        instance._search_documents_linked = _showing(
            linked_objects(sender, instance, model, pk_set)
        )
    elif action in {"post_add", "post_remove", "post_clear"}:
        before = instance.__dict__.pop("_search_documents_linked", [])
        after = []
        if action == "post_add":
            after = _showing(linked_objects(sender, instance, model, pk_set))
        search.update_documents(list(dict.fromkeys([*before, *after])))


def _showing(objects):
    return [document for obj in objects for document in search.documents_showing(obj)]


def _site_words_changed(sender, **kwargs):
    search.site_words_changed()


# Whose names and titles the Chinese segmenter keeps whole (search.site_words).
SITE_WORD_MODELS = (Person, Organisation, Forum, Session, TermOverride)


def connect():
    """Called from ForumConfig.ready()."""
    for model in SITE_WORD_MODELS:
        uid = f"search-words-{model.__name__}"
        post_save.connect(_site_words_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_site_words_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for model in map(model_of, WATCHED_MODELS):
        if not affects_search(model):
            continue
        uid = f"search-{model.__name__}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-before-delete")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")
    for through in link_tables(text=True):
        m2m_changed.connect(
            _on_links_changed, sender=through, dispatch_uid=f"search-{through.__name__}"
        )
