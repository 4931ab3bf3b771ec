"""``duikou excel-template --out FILE.xlsx``: the import template with its instructions sheet."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.imports.sheets import SHEETS
from duikou.imports.xlsx_template import template_workbook


class Command(DuikouCommand):
    help = "Write the Excel import template (.xlsx, with an instructions sheet) in the active language."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--out", required=True, help="The .xlsx file to write.")
        parser.add_argument("--sheet", action="append", choices=[s.register_slug for s in SHEETS],
                            help="Only this sheet (repeatable); default: every sheet.")

    def handle(self, *args, **options):
        content = template_workbook(slugs=options.get("sheet"), actor=current_actor())
        try:
            with open(options["out"], "wb") as f:
                f.write(content)
        except OSError as exc:
            raise CommandError(f"--out: {exc.strerror}: {options['out']}") from None
        self.stdout.write(_("Template written: {path}").format(path=options["out"]))
