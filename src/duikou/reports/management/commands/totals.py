"""``duikou totals check|rebuild``: the register totals (``duikou.core.totals``) against their records."""

import argparse
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.core import totals
from duikou.core.permissions import scope_for


class Command(DuikouCommand):
    help = ("The register totals kept beside the big tables (counts and sums per pairing, year …). 'check': "
            "recompute them from the records and report every difference (exit 1 if any). 'rebuild': rewrite "
            "them from the records.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", metavar="{check,rebuild}", required=True)
        check = sub.add_parser("check", help="Recompute the totals from the records and compare (exit 1 if they differ).")
        check.add_argument("--json", action="store_true", help="Print one JSON object.")
        rebuild = sub.add_parser("rebuild", help="Rewrite the totals from the records, in one transaction.")
        for p in (check, rebuild):
            p.add_argument("--user", default=argparse.SUPPRESS,
                           help="Act as this user (scope and audit); default: the system actor.")
            p.add_argument("--language", choices=["zh-hans", "en"], default=argparse.SUPPRESS,
                           help="Language of the output; default: zh-hans (LANGUAGE_CODE).")

    def handle(self, *args, **options):
        actor = current_actor()
        action = "view" if options["subcommand"] == "check" else "change"
        if not scope_for(actor, action).all:
            raise CommandError(_("Only an administrator may check or rebuild the totals: they cover every "
                                 "organisation's records."))
        if options["subcommand"] == "rebuild":
            for kept in totals.registered():
                n = totals.rebuild(kept)
                self.stdout.write(_("{table}: rebuilt, {n} rows.").format(
                    table=kept.table._meta.verbose_name_plural, n=f"{n:,}"))
            return
        report, failed = [], False
        for kept in totals.registered():
            differences = totals.check(kept)
            failed = failed or bool(differences)
            rows = kept.table._base_manager.count()
            records = kept.source._base_manager.count()
            report.append({"table": kept.table._meta.label, "rows": rows, "records": records,
                           "differences": differences})
            if options.get("json"):
                continue
            if differences:
                self.stdout.write(_("{table}: {n} differences from the records:").format(
                    table=kept.table._meta.verbose_name_plural, n=len(differences)))
                for line in differences[:50]:
                    self.stdout.write(f"  {line}")
                if len(differences) > 50:
                    self.stdout.write(_("  … and {n} more.").format(n=len(differences) - 50))
            else:
                self.stdout.write(_("{table}: {rows} rows agree with the {records} records.").format(
                    table=kept.table._meta.verbose_name_plural, rows=f"{rows:,}", records=f"{records:,}"))
        if options.get("json"):
            self.stdout.write(json.dumps({"ok": not failed, "tables": report}, ensure_ascii=False))
        if failed:
            if not options.get("json"):
                self.stderr.write(_("The totals differ from the records: run duikou totals rebuild, and find "
                                    "the write that bypassed the services."))
            raise SystemExit(1)
