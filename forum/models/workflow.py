from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportTransition(models.Model):
    """One step of a report's workflow: who did what, when, from which state to which."""

    report = models.ForeignKey(
        "forum.Report",
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
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
