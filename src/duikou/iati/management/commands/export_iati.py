from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.iati.export import ExportInvalid, export_pairing
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_find


class Command(DuikouCommand):
    help = ("A pairing's projects as IATI 2.03 activities (XML), validated against the 2.03 schema before "
            "the file is written.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--supporter", required=True, help="Supporter, as named (北京市).")
        parser.add_argument("--recipient", required=True, help="Recipient, as named (巴东县).")
        parser.add_argument("--programme", help="Programme code or name, when the two are paired in several.")
        parser.add_argument("--from", dest="year_from", type=int, help="Only projects running in or after this year.")
        parser.add_argument("--to", dest="year_to", type=int, help="Only projects running in or before this year.")
        parser.add_argument("--out", required=True, help="The XML file to write.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000",
                            help="Address of the web application, for the document links (公示 pages).")

    def handle(self, *args, **options):
        actor = current_actor()
        try:
            pairing = pairing_find(actor=actor, supporter=options["supporter"], recipient=options["recipient"],
                                   programme=options.get("programme"))
            data = export_pairing(actor=actor, pairing=pairing, year_from=options.get("year_from"),
                                  year_to=options.get("year_to"), base_url=options["base_url"])
        except (Pairing.DoesNotExist, Pairing.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(f"--{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        except ExportInvalid as exc:
            raise CommandError(_("The export breaks the IATI 2.03 schema, nothing written: {errors}").format(
                errors=exc)) from None
        Path(options["out"]).write_bytes(data)
        count = data.count(b"<iati-activity ")
        self.stdout.write(_("{n} activities of {pairing} written to {path} (valid against IATI 2.03).").format(
            n=count, pairing=pairing.short_label, path=options["out"]))
