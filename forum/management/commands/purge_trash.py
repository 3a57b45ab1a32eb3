"""Deletes for good what has been in the trash longer than 30 days (forum/models/trash.py).

    python manage.py purge_trash              # run daily, e.g. from cron
    python manage.py purge_trash --days 60    # keep the trash longer this time
    python manage.py purge_trash --dry-run    # list what would go, delete nothing

Each item goes with its parts (a session's speeches, a report's credits), its workflow
history and its revisions. An item that something outside the trash still needs (a person
credited on a live report) is kept and named; a later run purges it once nothing does.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from forum.models import trash


class Command(BaseCommand):
    help = "Delete for good what has been in the trash longer than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=trash.RETENTION.days)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        purged, kept = trash.purge(older_than=timedelta(days=days), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for entry in purged:
            self.stdout.write(f"{verb} {entry.model} #{entry.pk}: {entry.label}")
        for entry in kept:
            self.stdout.write(f"Kept {entry.model} #{entry.pk}: {entry.label} (still needed)")
        self.stdout.write(f"{verb} {len(purged)}; kept {len(kept)}.")
