"""Page cache receivers: after a save, delete or link change of anything a public page
shows, the pages that show it are invalidated once the transaction commits (see tags.py);
when Redis answers again after an outage, every page kept before it is dropped.
"""

import logging

from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete, pre_save

from forum.core.cache import cache_recovered
from forum.models import Credit, Edition, MediaContact, Person, Report, Session, Speech
from forum.models.dependencies import WATCHED_MODELS, model_of
from forum.pagecache import store
from forum.pagecache.store import invalidate_on_commit, keeps_anything
from forum.pagecache.tags import (
    collection_tag,
    collections_of,
    object_tag,
    public_state,
    record_loaded_instance,
    tags_for,
)


def _remember_report_state(sender, instance, raw=False, **kwargs):
    if raw or not keeps_anything() or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._page_cache_before = (
        {
            "public": public_state(old),
            "edition_id": old.edition_id,
            "session_id": old.session_id,
        }
        if old
        else None
    )


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


def _values(queryset, field):
    return set(queryset.values_list(field, flat=True))


def _linked_pks(through, instance, model):
    """The pks of `model` linked to `instance` through the table (before a clear)."""
    fields = {field.related_model: field.attname for field in through._meta.fields}
    source, target = fields[type(instance)], fields[model]
    return _values(through.objects.filter(**{source: instance.pk}), target)


def _on_links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Report speeches or media contacts, or the editions and sessions a contact covers."""
    if action not in {"post_add", "post_remove", "pre_clear"} or not keeps_anything():
        return
    if action == "pre_clear":  # pk_set is None: the links still in the table go
        pk_set = _linked_pks(sender, instance, model)
    pk_set = set(pk_set or ())
    tags = set()
    if sender in (Report.speeches.through, Report.media_contacts.through):
        reports = list(Report.objects.filter(pk__in=pk_set)) if reverse else [instance]
        reports = [report for report in reports if report.is_released]
        for report in reports:
            tags |= {object_tag(report)} | collections_of(report)
        if sender is Report.speeches.through and reports:
            speeches = {instance.pk} if reverse else pk_set
            for speaker in _values(Speech.objects.filter(pk__in=speeches), "speaker_id"):
                tags.add(collection_tag(Person, speaker, "reports"))
        if sender is Report.media_contacts.through and reports:
            contacts = {instance.pk} if reverse else pk_set
            tags |= {object_tag(MediaContact, pk) for pk in contacts}
    else:  # the editions or sessions a contact covers
        if isinstance(instance, MediaContact):
            contacts = [instance]
            linked = pk_set
        else:
            contacts = list(MediaContact.objects.filter(pk__in=pk_set))
            linked = {instance.pk}
        for contact in contacts:
            tags.add(object_tag(contact))
            tags |= collections_of(contact)
        if sender is MediaContact.sessions.through:
            linked = _values(Session.objects.filter(pk__in=linked), "edition_id")
        tags |= {collection_tag(Edition, pk, "contacts") for pk in linked}
    invalidate_on_commit(tags)


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
    for through in (
        Report.speeches.through,
        Report.media_contacts.through,
        MediaContact.editions.through,
        MediaContact.sessions.through,
    ):
        m2m_changed.connect(
            _on_links_changed, sender=through, dispatch_uid=f"page-cache-{through.__name__}"
        )
