import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from forum.core import languages
from forum.releases import ReleaseError
from forum.releases.matching import CREATE, plan_release
from forum.releases.parser import parse_release
from forum.releases.reader import MAX_BYTES, read_release
from forum.releases.services import release_import

ZIP_SIGNATURE = b"PK\x03\x04"  # a .docx is a zip archive


class Command(BaseCommand):
    help = (
        "Import a press release in the forum's house format as a draft report: match what "
        "it names with existing records, create what is missing (unpublished). FILE is a "
        ".txt or .docx file, or - for standard input; a second file, the same release in the "
        "other language (English and Chinese, either order), makes one bilingual draft."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The release: a .txt or .docx file, - for standard input.")
        parser.add_argument(
            "twin",
            nargs="?",
            help="Optional: the same release in the other language (a .txt or .docx file); "
            "the two become one bilingual draft.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what matches and what would be created; write nothing.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the draft read from the release, with the plan, as one JSON object.",
        )
        parser.add_argument(
            "--user",
            help="Who imports it (an author, reviewer or editor): the report's creator. "
            "Needed unless --dry-run.",
        )

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        draft = parse_release(self.read(options["file"], stdin))
        twin = None
        if options.get("twin"):
            if options["twin"] == "-" and options["file"] == "-":
                raise CommandError("Only one of the two releases can be read from standard input.")
            twin = parse_release(self.read(options["twin"], stdin))
            # The English release first, whatever the order given (as the plan does).
            if twin["language"] == languages.DEFAULT and draft["language"] != languages.DEFAULT:
                draft, twin = twin, draft
        user = self.importer(options["user"], options["dry_run"])
        if user is None:
            plan, report, created = plan_release(draft, twin=twin), None, 0
            if plan.problems:
                raise CommandError(" ".join(str(problem) for problem in plan.problems))
        else:
            try:
                result = release_import(
                    draft=draft, user=user, dry_run=options["dry_run"], twin=twin
                )
            except ReleaseError as error:
                raise CommandError(str(error)) from error
            plan, report = result.plan, result.report
            created = len(result.created)
        if options["json"]:
            # Each release's fields in its own language: the (English) release's under the
            # usual keys, its twin's, with the same keys, under "twin".
            output = {**draft, "plan": plan.as_dict()}
            if twin is not None:
                output["twin"] = twin
            if not options["dry_run"]:
                new = plan.report.action == CREATE
                output["imported"] = {
                    "report": report.pk,
                    "report_created": new,
                    "records": created,
                }
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2, default=str))
            return
        self.describe(plan)
        if options["dry_run"]:
            count = len(plan.to_create())
            self.stdout.write(f"Dry run: nothing written ({count} to create).")
            return
        address = reverse("admin:forum_report_change", args=[report.pk])
        if plan.report.action == CREATE:
            message = f"Created {created} records, among them the draft report #{report.pk}"
        else:
            message = f"Created {created} records; the release's report exists: #{report.pk}"
        self.stdout.write(self.style.SUCCESS(f"{message} ({address})."))

    def read(self, name, stdin):
        if name == "-":
            # One byte past the limit is enough for read_release to refuse the file.
            data = stdin.buffer.read(MAX_BYTES + 1) if hasattr(stdin, "buffer") else stdin.read()
            name = "standard-input.docx" if data[:4] == ZIP_SIGNATURE else "standard-input.txt"
            source = data
        else:
            try:
                with open(name, "rb") as release_file:
                    source = release_file.read(MAX_BYTES + 1)
            except OSError as error:
                raise CommandError(f"Cannot read {name}: {error.strerror}.") from error
        try:
            return read_release(source, name)
        except ReleaseError as error:
            raise CommandError(str(error)) from error

    def importer(self, username, dry_run):
        if not username:
            if dry_run:
                return None
            raise CommandError(
                "Say who imports the release (--user USERNAME, an author or editor), "
                "or look first with --dry-run."
            )
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def describe(self, plan):
        for item in plan.items():
            where = f"#{item.record.pk}" if item.record is not None else ""
            label = f"{item.label} / {item.twin_label}" if item.twin_label else item.label
            self.stdout.write(f"{item.action:<7} {where:<6} {item.kind}: {label[:70]}")
            for difference in item.differences:
                self.stdout.write(
                    f"{'':15}{difference.field}: “{difference.current}” → “{difference.parsed}”"
                )
            for note in item.notes:
                self.stdout.write(f"{'':15}{note}")
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
