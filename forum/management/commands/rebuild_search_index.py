from django.core.management.base import BaseCommand

from forum.discovery.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from the published content. Saves keep the index "
        "current; run this after bulk changes that bypass save(), such as loaddata or "
        "queryset.update()."
    )

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(f"Search index rebuilt: {count} documents.")
