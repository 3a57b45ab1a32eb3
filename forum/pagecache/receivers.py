"""Page cache receivers: after a save, delete or link change of anything a public page
shows, the pages that show it are invalidated once the transaction commits (see tags.py);
when Redis answers again after an outage, every page kept before it is dropped.
"""

import logging

from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete, pre_save

from forum.core.cache import cache_recovered
from forum.models import Credit, Report
from forum.models.dependencies import WATCHED_MODELS, link_tables, linked_objects, model_of
from forum.pagecache import store
from forum.pagecache.store import invalidate_on_commit, keeps_anything
from forum.pagecache.tags import lists_of, public_state, record_loaded_instance, tags_for


def _remember_report_state(sender, instance, raw=False, **kwargs):
    if raw or not keeps_anything() or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._page_cache_before = {"public": public_state(old)} if old else None


def _on_save(sender, instance, raw=False, **kwargs):
    if raw or not keeps_anything():
        return
    if isinstance(instance, Report):
        before = getattr(instance, "_page_cache_before", None)
        was_public = before["public"] if before else None
        if was_public == public_state(instance):
            return  # a draft, or a working-copy save: nothing public changed
    elif isinstance(instance, Credit) and not _report_visible(instance.report_id):
        return
    invalidate_on_commit(tags_for(instance))


def _on_delete(sender, instance, **kwargs):
    if not keeps_anything():
        return
    if isinstance(instance, Report) and not instance.is_released:
        return
    if isinstance(instance, Credit) and not _report_visible(instance.report_id):
        return
    invalidate_on_commit(tags_for(instance))


def _report_visible(report_pk):
    return Report.objects.released().filter(pk=report_pk).exists()


def _on_links_changed(sender, instance, action, model, pk_set, **kwargs):
    """Objects linked or unlinked: the lists they are in are read while the links are in
    place, after an add and before a removal."""
    if action not in {"post_add", "pre_remove", "pre_clear"} or not keeps_anything():
        return
    if isinstance(instance, Report) and not instance.is_released:
        return  # a draft's links are on no public page
    linked = [
        obj
        for obj in linked_objects(sender, instance, model, pk_set)
        if not isinstance(obj, Report) or obj.is_released
    ]
    if len(linked) > 1:
        invalidate_on_commit(lists_of(linked))


logger = logging.getLogger(__name__)


def _on_cache_recovered(sender, **kwargs):
    """Pages kept before a Redis outage may show what an edit during it changed."""
    if sender is store.page_cache():
        logger.warning("Page cache emptied after the outage: %d keys", store.clear())


def connect():
    """Called from ForumConfig.ready()."""
    cache_recovered.connect(_on_cache_recovered, dispatch_uid="page-cache-recovered")
    for model in map(model_of, WATCHED_MODELS):
        uid = f"page-cache-{model.__name__}"
        post_init.connect(record_loaded_instance, sender=model, dispatch_uid=f"{uid}-init")
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")
    pre_save.connect(_remember_report_state, sender=Report, dispatch_uid="page-cache-report-pre")
    for through in link_tables():
        m2m_changed.connect(
            _on_links_changed, sender=through, dispatch_uid=f"page-cache-{through.__name__}"
        )
