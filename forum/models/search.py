"""The site search index: one document per public page and language, and its terms.

The index lives in the database so that search works the same on SQLite and PostgreSQL
with no search server. How text becomes terms, and why, is in forum/discovery/text.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import SearchDocumentKind
from .fields import part_of


class SearchDocument(models.Model):
    """A page as the search sees it, in one language (rebuilt from the content on save)."""

    Kind = SearchDocumentKind

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

    document = part_of("forum.SearchDocument", _("search document"), related_name="terms")
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
