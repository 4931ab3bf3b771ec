"""``duikou import excel FILE.xlsx``: import a workbook filled from the template."""

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.imports.progress import ProgressBar
from duikou.imports.services import import_workbook


class Command(DuikouCommand):
    help = ("Import an .xlsx workbook (sheets as in the template: projects, fund allocations, cadres, training, "
            "products, sales records) through the registers' services. One transaction: nothing is saved if a row "
            "fails, unless --valid-only.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--valid-only", action="store_true",
                            help="Save the rows without errors and report the others (default: all or nothing).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")
        parser.add_argument("--progress", action="store_true",
                            help="Draw a progress bar on stderr even when it is not a terminal.")
        parser.add_argument("--max-errors", type=int, default=50,
                            help="How many row errors to print (default 50; 0: all).")

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as f:
                data = f.read()
        except OSError as exc:
            raise CommandError(f"file: {exc.strerror}: {options['file']}") from None
        show_progress = options["progress"] or sys.stderr.isatty()
        result = import_workbook(
            data, actor=current_actor(), valid_only=options["valid_only"], dry_run=options["dry_run"],
            progress=ProgressBar(self.stderr) if show_progress else None,
        )
        for s in result.sheets:
            if not s.rows:  # an empty sheet of the template
                continue
            self.stdout.write(_("{sheet}: {rows} rows, {created} created, {updated} updated, {unchanged} unchanged, "
                                "{failed} with errors").format(
                sheet=s.sheet, rows=s.rows, created=s.created, updated=s.updated, unchanged=s.unchanged,
                failed=s.failed))
        limit = options["max_errors"] or len(result.errors)
        for error in result.errors[:limit]:
            self.stdout.write(str(error))
        if len(result.errors) > limit:
            self.stdout.write(_("… and {n} more errors.").format(n=len(result.errors) - limit))
        rate = result.rows / result.seconds if result.seconds else 0
        self.stdout.write(_("{rows} rows in {seconds:.1f} s ({rate:,.0f} rows/s).").format(
            rows=result.rows, seconds=result.seconds, rate=rate))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing saved."))
        elif result.saved:
            self.stdout.write(_("Saved."))
        if result.errors and not result.saved and not options["dry_run"]:
            raise CommandError(_("Nothing saved: {n} errors.").format(n=len(result.errors)))
