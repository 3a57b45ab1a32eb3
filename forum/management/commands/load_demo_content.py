from django.conf import settings
from django.core.management.base import BaseCommand

from forum.demo.accounts import DEMO_ACCOUNTS, create_demo_accounts
from forum.demo.loader import DEMO_FILE, load_data_file


class Command(BaseCommand):
    help = (
        "Load the China Development Forum 2024 demo content in English and Chinese, and "
        "create demo accounts. Safe to run again: rows an editor changed are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE), help="The data file to load.")
        parser.add_argument(
            "--no-accounts", action="store_true", help="Do not create the demo accounts."
        )

    def handle(self, *args, **options):
        result = load_data_file(options["file"])
        self.stdout.write(
            f"Demo content: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
        if result.kept_editor_changes:
            self.stdout.write(
                "Kept as edited in the admin: " + ", ".join(result.kept_editor_changes)
            )
        if options["no_accounts"]:
            return
        create_demo_accounts()
        self.stdout.write(f"Admin at {settings.SITE_URL}/admin/ — demo logins:")
        for username, password, group in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {password:<22} {group or 'Superuser'}")
