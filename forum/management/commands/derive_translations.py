from django.core.management.base import BaseCommand

from forum.hant.services import rederive_all


class Command(BaseCommand):
    help = (
        "Convert every translated field into the derived languages (Traditional Chinese) "
        "again, keeping editors' overrides. Saves do this as they happen; run it after "
        "changing TRADITIONAL_CHINESE_CONVERSION or after bulk changes that bypass save()."
    )

    def handle(self, *args, **options):
        for label, changed in rederive_all().items():
            self.stdout.write(f"{label}: {changed} changed")
