"""Derived columns follow their source on every save, whatever the path (admin, workflow,
imports, the demo loader, a revision restored); term overrides, and people's and
contacts' names, reach every text they occur in."""

from django.db.models.signals import post_delete, post_save, pre_save

from forum.hant import services
from forum.models import TermOverride


def derive_on_save(sender, instance, update_fields=None, **kwargs):
    columns = services.derived_columns(sender)
    if update_fields is not None and set(update_fields) <= set(columns):
        return  # the services saving converted columns, already derived
    changed = services.derive(instance)
    if update_fields is not None and changed:
        # A save of some fields only still has to store the derived columns they changed.
        instance._derived_changed = changed


def store_derived_of_partial_save(sender, instance, update_fields=None, **kwargs):
    changed = instance.__dict__.pop("_derived_changed", None)
    if update_fields is not None and changed:
        sender._default_manager.filter(pk=instance.pk).update(
            **{column: getattr(instance, column) for column in changed}
        )


def remember_term(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        before = TermOverride.objects.filter(pk=instance.pk).values("source", "language").first()
        instance._term_before = before


def apply_term(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_term_before", None)
    if before and before["language"] != instance.language:
        services.rederive_containing(before["language"], before["source"])
        before = None
    services.rederive_containing(instance.language, instance.source, before and before["source"])


def withdraw_term(sender, instance, **kwargs):
    services.rederive_containing(instance.language, instance.source)


def remember_name(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._name_terms_before = services.stored_name_terms(sender, instance.pk)


def follow_name(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_name_terms_before", None)
    if not raw and before is not None:
        services.follow_name_change(before, services.name_terms_of(instance))


def withdraw_name(sender, instance, **kwargs):
    services.follow_name_change(services.name_terms_of(instance), {})


def connect():
    for model in services.translated_models():
        uid = f"hant-{model._meta.label_lower}"
        pre_save.connect(derive_on_save, sender=model, dispatch_uid=uid)
        post_save.connect(store_derived_of_partial_save, sender=model, dispatch_uid=uid)
    for model in services.NAME_FIELDS:
        # After derive_on_save (connected above): the name's new Traditional form is known.
        uid = f"hant-name-{model._meta.label_lower}"
        pre_save.connect(remember_name, sender=model, dispatch_uid=uid)
        post_save.connect(follow_name, sender=model, dispatch_uid=uid)
        post_delete.connect(withdraw_name, sender=model, dispatch_uid=uid)
    pre_save.connect(remember_term, sender=TermOverride, dispatch_uid="hant-term")
    post_save.connect(apply_term, sender=TermOverride, dispatch_uid="hant-term")
    post_delete.connect(withdraw_term, sender=TermOverride, dispatch_uid="hant-term")
