"""Search index receivers: a save, delete or change of a report's speeches brings every
search document that holds text of the object up to date, whatever the path (admin,
workflow, demo loader). They only maintain the index, as a cache is invalidated.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from forum.discovery import search
from forum.models import Report
from forum.models.dependencies import WATCHED_MODELS, affects_search, model_of


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


def _on_speeches_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A report's speeches changed (their speakers are part of the report's text)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    reports = Report.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    search.update_documents([(Report, report.pk) for report in reports])


def connect():
    """Called from ForumConfig.ready()."""
    for model in map(model_of, WATCHED_MODELS):
        if not affects_search(model):
            continue
        uid = f"search-{model.__name__}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-before-delete")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _on_speeches_changed, sender=Report.speeches.through, dispatch_uid="search-speeches"
    )
