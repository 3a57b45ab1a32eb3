"""The site search index: one document per public page and language, and its terms.

The index lives in the database so that search works the same on SQLite and PostgreSQL
with no search server. How text becomes terms, and why, is in forum/search.py.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """A page as the search sees it, in one language (rebuilt from the content on save)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("report")
        EDITION = "edition", _("edition")
        SESSION = "session", _("session")
        SPEECH = "speech", _("speech")
        PERSON = "person", _("person")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    # Breaks ties between equally good matches: reports before editions, sessions…
    kind_order = models.PositiveSmallIntegerField(_("order of its kind"), default=0)
    # Reports scheduled for later are indexed ahead and hidden until this moment.
    visible_from = models.DateTimeField(_("visible from"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        ordering = ("kind_order", "pk")
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "object_id", "language"), name="search_document_unique"
            )
        ]
        indexes = [models.Index(fields=("language", "kind"), name="search_doc_language_kind")]

    def __str__(self):
        return f"{self.kind} {self.object_id} [{self.language}] {self.title}"


class SearchTerm(models.Model):
    """How often a term occurs in a document's title and in its text."""

    document = models.ForeignKey(
        "forum.SearchDocument",
        verbose_name=_("search document"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    term = models.CharField(_("term"), max_length=40)
    in_title = models.PositiveIntegerField(_("occurrences in the title"), default=0)
    in_body = models.PositiveIntegerField(_("occurrences in the text"), default=0)

    class Meta:
        ordering = ("document", "term")
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=("document", "term"), name="search_term_unique")
        ]
        indexes = [models.Index(fields=("term", "document"), name="search_term_lookup")]

    def __str__(self):
        return self.term


# --- Index maintenance ------------------------------------------------------------------
# Signals keep the index in step with every save and delete, whatever the path (admin,
# workflow services, the demo loader). They only maintain the index, as a cache would be
# invalidated; no workflow happens here. forum.search is imported late: it needs the models.

INDEXED_SENDERS = (
    "forum.Report",
    "forum.Credit",
    "forum.Edition",
    "forum.Forum",
    "forum.Session",
    "forum.SessionRole",
    "forum.Speech",
    "forum.Person",
    "forum.Position",
)


def _reindex_on_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: related rows may not exist yet; run rebuild_search_index after
        return
    from forum import search

    search.update_for(instance)


def _reindex_on_delete(sender, instance, **kwargs):
    from forum import search

    search.update_for(instance, deleted=True)


def _reindex_on_speeches_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A report's speeches changed (their speakers are part of the report's text)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from forum import search

    if not reverse:
        search.update_for(instance)
    else:  # speech.reports.add(...): the reports in pk_set changed
        for report in instance.reports.model.objects.filter(pk__in=pk_set or ()):
            search.update_for(report)


for _sender in INDEXED_SENDERS:
    post_save.connect(_reindex_on_save, sender=_sender, dispatch_uid=f"search-save-{_sender}")
    post_delete.connect(_reindex_on_delete, sender=_sender, dispatch_uid=f"search-delete-{_sender}")
m2m_changed.connect(
    _reindex_on_speeches_changed,
    sender="forum.Report_speeches",
    dispatch_uid="search-report-speeches",
)
