import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.reports.checks import check_pairings, pairing_check


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _yuan(value) -> str:
    return f"{value:,.2f}"


class Command(DuikouCommand):
    help = ("Monitoring rules and KPIs of pairings for a budget year as of a day: lists warnings with the rule, "
            "the figure, the threshold and the records involved. Exit code 0 unless --fail-on-warning.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--supporter", help="Only pairings of this supporter, as named (北京市).")
        parser.add_argument("--recipient", help="Only pairings of this recipient, as named (巴东县).")
        parser.add_argument("--programme", help="Only pairings of this programme (code or name).")
        parser.add_argument("--year", type=int, help="Budget year to check; default: the year of --date.")
        parser.add_argument("--from", dest="year_from", type=int,
                            help="First budget year of a range to check (instead of --year).")
        parser.add_argument("--to", dest="year_to", type=int,
                            help="Last budget year of the range; default: the year of --date.")
        parser.add_argument("--date", help="Check as of this day (YYYY-MM-DD); default: today.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--fail-on-warning", action="store_true",
                            help="Exit with code 1 when there is a warning (for scripts and CI).")

    def handle(self, *args, **options):
        actor = current_actor()
        try:
            on = dt.date.fromisoformat(options["date"]) if options.get("date") else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: {options['date']!r} is not a day as YYYY-MM-DD.") from None
        if options.get("year") and (options.get("year_from") or options.get("year_to")):
            raise CommandError("--year: give either --year or --from/--to.")
        year_from = options.get("year") or options.get("year_from") or options.get("year_to") or on.year
        year_to = options.get("year") or options.get("year_to") or max(on.year, year_from)
        for name, value in (("--year" if options.get("year") else "--from", year_from), ("--to", year_to)):
            if not 1949 <= value <= 2100:
                raise CommandError(f"{name}: {value} is not a budget year (1949–2100).")
        if year_to < year_from:
            raise CommandError(f"--to: {year_to} is before --from {year_from}.")
        pairings = check_pairings(actor=actor, supporter=options.get("supporter"),
                                  recipient=options.get("recipient"), programme=options.get("programme"),
                                  year_from=year_from, year_to=year_to)
        if not pairings:
            named = " → ".join(n for n in (options.get("supporter") or "*", options.get("recipient") or "*"))
            raise CommandError(f"--supporter/--recipient: no pairing {named} visible to you.")
        try:
            reports = [pairing_check(actor=actor, pairing=p, year_from=year_from, year_to=year_to, on=on)
                       for p in pairings]
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        warnings = sum(len(r.warnings) for r in reports)
        if options["json"]:
            self.stdout.write(json.dumps({"on": on.isoformat(), "from": year_from, "to": year_to, "warnings": warnings,
                                          "pairings": [r.as_json() for r in reports]}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n\n".join(self.render(r) for r in reports))
        if warnings and options["fail_on_warning"]:
            raise CommandError(_("{n} warnings.").format(n=warnings), returncode=1)

    def render(self, report) -> str:
        k = report.kpis
        lines = [
            (_("{pairing} · budget year {year} · as of {on}").format(
                pairing=report.pairing, year=report.year_from, on=report.on.isoformat())
             if report.year_from == report.year_to else
             _("{pairing} · budget years {start}–{end} · as of {on}").format(
                pairing=report.pairing, start=report.year_from, end=report.year_to, on=report.on.isoformat())),
            "  " + _("Funds in place (资金到位率): {rate} (received {received} of {allocated} yuan allocated)").format(
                rate=_percent(k.funds_in_place_rate), received=_yuan(k.received), allocated=_yuan(k.allocated)),
            "  " + _("Start rate (项目开工率): {rate} ({started} of {planned} planned projects started)").format(
                rate=_percent(k.start_rate), started=k.started_projects, planned=k.planned_projects),
            "  " + _("Completion rate (完工率): {rate} ({completed} of {planned} planned projects completed)").format(
                rate=_percent(k.completion_rate), completed=k.completed_projects, planned=k.planned_projects),
            "  " + _("Spending progress (资金支出进度): {rate} (spent {spent} of {allocated} yuan allocated)").format(
                rate=_percent(k.spend_rate), spent=_yuan(k.spent), allocated=_yuan(k.allocated)),
            "  " + (_("Warnings: {n}").format(n=len(report.warnings)) if report.warnings else _("No warnings.")),
        ]
        for w in report.warnings:
            lines.append(f"  - [{w.rule}] {w.message}")
            if w.records:
                shown = ", ".join(r.label or f"{r.kind} #{r.id}" for r in w.records[:12])
                more = _(" and {n} more").format(n=len(w.records) - 12) if len(w.records) > 12 else ""
                lines.append("    " + _("records: {records}").format(records=shown + more))
        return "\n".join(lines)
