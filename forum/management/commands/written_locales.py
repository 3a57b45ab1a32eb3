"""The makemessages options of the catalogues translators write, from the registry.

    python manage.py written_locales   ->  -l <locale> for each

`make messages` passes them to makemessages, so the Makefile names no language: every
language editors write except the default one (the source strings) has a catalogue;
derived languages' catalogues are converted by derive_catalogues instead.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

from forum.core import languages


class Command(BaseCommand):
    help = "Print the makemessages -l options of the catalogues translators write."

    def handle(self, *args, **options):
        codes = [code for code in languages.EDITED if code != languages.DEFAULT]
        self.stdout.write(" ".join(f"-l {to_locale(code)}" for code in codes))
