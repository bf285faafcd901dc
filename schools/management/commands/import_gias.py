"""Load the national register (GIAS "all establishment data" CSV extract) into the portal."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.roles import SYSTEM
from schools.gias import DEFAULT_BATCH_SIZE, RegisterFileError, summary_lines
from schools.models import RegisterImport
from schools.services import register_import_run

# Schools of each kind the change report prints before saying "and N more".
PRINTED_CHANGES = 50
PRINTED_PROBLEMS = 100


class Command(BaseCommand):
    help = (
        "Import a GIAS 'all establishment data' CSV extract: upsert schools by URN, create "
        "missing local authorities, report what changed since the last import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file as GIAS publishes it.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Rows per database batch."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def handle(self, *args, file, dry_run, batch_size, no_progress, **options):
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        register_import = RegisterImport.objects.create(file_name=file.name, dry_run=dry_run)
        bar = None

        def on_progress(done, total):
            nonlocal bar
            if bar is None:
                bar = tqdm(
                    total=total,
                    unit="B",
                    unit_scale=True,
                    desc="Importing",
                    file=self.stderr._out,
                    disable=no_progress or not self.stderr.isatty(),
                )
            bar.update(done - bar.n)

        try:
            with file.open("rb") as source:
                report = register_import_run(
                    register_import=register_import,
                    acting_user=SYSTEM,
                    source=source,
                    batch_size=batch_size,
                    on_progress=on_progress,
                )
        except RegisterFileError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        self._print_report(register_import, report)

    def _print_report(self, register_import, report):
        summary = report.summary()
        title = "Dry run: nothing was written." if report.dry_run else "Import finished."
        self.stdout.write(self.style.SUCCESS(title) + f" (file read as {report.encoding})")
        for line in summary_lines(summary):
            self.stdout.write(f"  {line}")
        if not report.changed_anything:
            self.stdout.write("No change: the portal already matches this file.")
        if report.problems:
            self.stdout.write(self.style.WARNING(f"Rows skipped ({report.skipped}):"))
            for problem in report.problems[:PRINTED_PROBLEMS]:
                self.stdout.write(
                    f"  line {problem['line']}: URN {problem['urn'] or '—'}: {problem['message']}"
                )
            if report.skipped > PRINTED_PROBLEMS:
                self.stdout.write(f"  … and {report.skipped - PRINTED_PROBLEMS} more")
        self._print_changes(report)
        self.stdout.write(f"Import record: #{register_import.pk}")

    def _print_changes(self, report):
        if report.first_import:
            self.stdout.write("First import: every school is new, so no change report.")
            return
        counts = report.change_counts
        if not any(counts.values()):
            self.stdout.write("Since the last import: no school new, closed, renamed or moved.")
            return
        self.stdout.write("Since the last import:")
        headings = {
            "new": "New schools",
            "closed": "Closed",
            "renamed": "Renamed",
            "moved": "Moved to another local authority",
        }
        for kind, heading in headings.items():
            if not counts[kind]:
                continue
            self.stdout.write(f"  {heading} ({counts[kind]}):")
            for entry in report.changes[kind][:PRINTED_CHANGES]:
                self.stdout.write(f"    {self._describe(kind, entry)}")
            if counts[kind] > PRINTED_CHANGES:
                self.stdout.write(f"    … and {counts[kind] - PRINTED_CHANGES} more")

    @staticmethod
    def _describe(kind, entry):
        where = f"{entry['urn']} {entry['name']} ({entry['local_authority']})"
        if kind == "closed" and entry.get("close_date"):
            return f"{where}, closed {entry['close_date']}"
        if kind == "renamed":
            return f"{entry['urn']} {entry['old_name']} → {entry['name']}"
        if kind == "moved":
            return f"{where}, was in {entry['old_local_authority']}"
        return where
