from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import part_of, user_link


class ReportTransition(models.Model):
    """One step of a report's workflow: who did what, when, from which state to which."""

    report = part_of("forum.Report", _("report"), related_name="transitions")
    user = user_link(_("by"))
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=40)
    to_state = models.CharField(_("to"), max_length=40)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow history")

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"
