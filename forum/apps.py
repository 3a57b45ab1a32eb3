from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum content")

    def ready(self):
        import reversion

        from .models import Credit, Report

        # Every save of a report keeps a revision of both languages and its credits.
        reversion.register(Credit)
        reversion.register(Report, follow=("credits",))

        # Page cache invalidation and image renditions follow saves (forum/cache.py,
        # forum/images.py).
        from . import cache, images

        cache.connect_signals()
        images.connect_signals()
