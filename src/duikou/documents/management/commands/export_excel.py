from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.documents.selectors import report_pairing
from duikou.documents.tables import TABLES, build_table
from duikou.documents.xlsx import table_xlsx
from duikou.organisations.models import Pairing
from duikou.reports.selectors import period_years

from .report import option_errors

TABLE_LIST = "; ".join(f"{spec.slug} ({spec.name})" for spec in TABLES.values())


class Command(DuikouCommand):
    help = f"Write a standard table of a pairing as an Excel workbook (.xlsx). Tables: {TABLE_LIST}."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--table", required=True, help=f"The table, by slug or Chinese name: {TABLE_LIST}.")
        parser.add_argument("--supporter", required=True, help="Supporter, as named (北京市).")
        parser.add_argument("--recipient", required=True, help="Recipient, as named (巴东县).")
        parser.add_argument("--programme", help="Programme code or name, when the two are paired in several.")
        parser.add_argument("--from", dest="year_from",
                            help="First year (Y1); default: the pairing's first year.")
        parser.add_argument("--to", dest="year_to", help="Last year (Y2); default: this year or the pairing's last.")
        parser.add_argument("--out", required=True, help="The file to write (.xlsx).")

    def handle(self, *args, **options):
        actor = current_actor()
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("--out: the file name must end in .xlsx."))
        try:
            pairing = report_pairing(actor=actor, supporter=options["supporter"], recipient=options["recipient"],
                                     programme=options.get("programme"))
            first, last = period_years(pairing, "all")
            year_from = options["year_from"] if options["year_from"] is not None else first
            year_to = options["year_to"] if options["year_to"] is not None else last
            table = build_table(actor=actor, pairing=pairing, table=options["table"], year_from=year_from,
                                year_to=year_to)
        except (Pairing.DoesNotExist, Pairing.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(option_errors(exc)) from None
        content = table_xlsx(table, pairing=pairing.short_label, year_from=int(year_from), year_to=int(year_to))
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("--out: cannot write {path}: {error}").format(path=out, error=exc.strerror)) from None
        self.stdout.write(_("Wrote {path}: {table}, {pairing}, {start}–{end}, {n} rows.").format(
            path=out, table=table.name, pairing=pairing.short_label, start=year_from, end=year_to, n=len(table.rows)))
