from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum content")

    def ready(self):
        import reversion

        from forum.core import checks  # noqa: F401  (registers the language model's check)
        from forum.core import receivers as image_receivers
        from forum.discovery import receivers as search_receivers
        from forum.hant import receivers as derived_receivers
        from forum.models import Credit, Report
        from forum.pagecache import receivers as page_cache_receivers

        # Every save of a report keeps a revision of both languages and its credits.
        reversion.register(Credit)
        reversion.register(Report, follow=("credits",))

        # Each capability's signal receivers: converted (Traditional) text, image
        # renditions, the search index, and page cache invalidation follow every save,
        # whatever the path. Converted text first: the others read it.
        derived_receivers.connect()
        image_receivers.connect()
        search_receivers.connect()
        page_cache_receivers.connect()
