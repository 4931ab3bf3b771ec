from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.documents.docx import summary_docx
from duikou.documents.selectors import report_pairing, summary_report
from duikou.organisations.models import Pairing

DOCUMENTS = ("summary",)


def option_errors(exc: ValidationError) -> str:
    return "; ".join(f"--{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())


class Command(DuikouCommand):
    help = ("Write a report document of a pairing over years Y1..Y2 from the records. "
            "Documents: summary (年度工作总结 / 汇报材料, .docx).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("document", choices=DOCUMENTS, help="The document: summary (年度工作总结, Word .docx).")
        parser.add_argument("--supporter", required=True, help="Supporter, as named (北京市).")
        parser.add_argument("--recipient", required=True, help="Recipient, as named (巴东县).")
        parser.add_argument("--programme", help="Programme code or name, when the two are paired in several.")
        parser.add_argument("--from", dest="year_from", required=True, help="First year (Y1).")
        parser.add_argument("--to", dest="year_to", required=True, help="Last year (Y2).")
        parser.add_argument("--out", required=True, help="The file to write (.docx).")

    def handle(self, *args, **options):
        actor = current_actor()
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError(_("--out: the file name must end in .docx."))
        try:
            pairing = report_pairing(actor=actor, supporter=options["supporter"], recipient=options["recipient"],
                                     programme=options.get("programme"))
            report = summary_report(actor=actor, pairing=pairing, year_from=options["year_from"],
                                    year_to=options["year_to"])
        except (Pairing.DoesNotExist, Pairing.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(option_errors(exc)) from None
        content = summary_docx(report)
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("--out: cannot write {path}: {error}").format(path=out, error=exc.strerror)) from None
        f = report.figures
        years = str(report.year_from) if report.year_from == report.year_to else f"{report.year_from}–{report.year_to}"
        self.stdout.write(_("Wrote {path} ({size} bytes): {supporter} → {recipient}, {years}; free aid {amount}, "
                            "{n} projects, {examples} named projects.").format(
            path=out, size=len(content), supporter=report.supporter, recipient=report.recipient,
            years=years, amount=f"{f.aid_funds_yuan:,.2f}", n=f.projects, examples=len(report.examples)))
