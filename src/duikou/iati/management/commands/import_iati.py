import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.iati.importer import ImportRefused, import_file
from duikou.iati.xml import HostileXML
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_find


class Command(DuikouCommand):
    help = ("Import the activities of an IATI 2.03 file as projects, streaming; idempotent on the activity "
            "identifier. Strict by default: an invalid file is refused.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="The IATI activity file (XML).")
        parser.add_argument("--lenient", action="store_true",
                            help="Import what can be imported; report the rest (schema errors, unmappable activities).")
        parser.add_argument("--errors", help="Write the problems found to this file (one a line).")
        parser.add_argument("--supporter", help="Put every activity into the pairing of this supporter (北京市) …")
        parser.add_argument("--recipient", help="… and this recipient (巴东县). Without them, each activity's funding "
                                                "organisation is the supporter and its accountable one the recipient.")
        parser.add_argument("--programme", help="Programme code or name, when the two are paired in several.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress line.")

    def handle(self, *args, **options):
        actor = current_actor()
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("file: {path} does not exist.").format(path=path))
        pairing = None
        if options.get("supporter") or options.get("recipient"):
            if not (options.get("supporter") and options.get("recipient")):
                raise CommandError(_("--supporter and --recipient go together."))
            try:
                pairing = pairing_find(actor=actor, supporter=options["supporter"], recipient=options["recipient"],
                                       programme=options.get("programme"))
            except (Pairing.DoesNotExist, Pairing.MultipleObjectsReturned) as exc:
                raise CommandError(str(exc)) from None
        err = getattr(self.stderr, "_out", sys.stderr)
        # a progress line rewritten in place, on a terminal only (not in logs or captured output)
        show = not options["no_progress"] and options.get("verbosity", 1) > 0 and err.isatty()

        def progress(n, done, size):
            if show:
                err.write("\r" + _("{n} activities read, {pct:.0%} of the file").format(n=n, pct=done / (size or 1)))
                err.flush()

        try:
            report = import_file(path, actor=actor, lenient=options["lenient"], pairing=pairing, progress=progress)
        except HostileXML as exc:
            raise CommandError(_("{path}: refused: {reason}").format(path=path, reason=exc)) from None
        except ImportRefused as exc:
            self._write_errors(options, exc.errors)
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(f"{path}: {exc}\n{lines}") from None
        finally:
            if show:
                err.write("\n")
        self._write_errors(options, report.issues)
        self.stdout.write(report.as_text())
        for issue in report.issues[:10]:
            self.stdout.write(f"  {issue}")
        if len(report.issues) > 10:
            self.stdout.write("  " + _("… {n} more").format(n=len(report.issues) - 10)
                              + (_(" (all in {path})").format(path=options["errors"]) if options.get("errors") else ""))

    def _write_errors(self, options, issues):
        if options.get("errors"):
            Path(options["errors"]).write_text("".join(f"{i}\n" for i in issues), encoding="utf-8")
