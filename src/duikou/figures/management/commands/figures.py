"""``duikou figures publish|list|show|diff``: published figure sets (dated snapshots with provenance)."""

import argparse
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.core.errors import PermissionDenied
from duikou.core.money import as_yuan_str, cn_amount
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_find

from ...selectors import figure_set_diff, figure_set_get, figure_set_list
from ...services import figure_set_publish


def _common(parser):
    # The common options after the word as well (`duikou figures show 1 --language en`).
    parser.add_argument("--user", default=argparse.SUPPRESS,
                        help="Act as this user (scope and audit); default: the system actor.")
    parser.add_argument("--language", choices=["zh-hans", "en"], default=argparse.SUPPRESS,
                        help="Language of the output; default: zh-hans (LANGUAGE_CODE).")


def _value(value, unit: str) -> str:
    if value is None:
        return "—"
    return cn_amount(value) if unit == "yuan" else f"{int(value):,}"


def _json_value(value, unit: str):
    if value is None:
        return None
    return as_yuan_str(value) if unit == "yuan" else int(value)


class Command(DuikouCommand):
    help = "Published figure sets: publish a dated snapshot of the headline figures, list, show, diff."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="subcommand", metavar="publish|list|show|diff", required=True)
        p = sub.add_parser("publish", help="Publish the figures of a pairing for years Y1..Y2 as a dated snapshot.")
        p.add_argument("--supporter", required=True, help="Supporter, as named (北京市).")
        p.add_argument("--recipient", required=True, help="Recipient, as named (巴东县).")
        p.add_argument("--programme", help="Programme code or name, when the two are paired in several.")
        p.add_argument("--from", dest="year_from", type=int, required=True, help="First year (Y1).")
        p.add_argument("--to", dest="year_to", type=int, required=True, help="Last year (Y2).")
        p.add_argument("--name", required=True, help="What the set is for (2025年座谈会).")
        p.add_argument("--date", dest="as_of", type=date.fromisoformat, help="Date of the figures (YYYY-MM-DD); default today.")
        p.add_argument("--figure", dest="figures", action="append", metavar="KEY",
                       help="Publish only this figure (repeatable); default: every figure of the registry.")
        _common(p)
        p = sub.add_parser("list", help="The published sets you may see, newest first.")
        _common(p)
        for name, text in (("show", "A published set's figures as published."),
                           ("diff", "A published set's figures then and now, with the records added, removed "
                                    "and changed since.")):
            p = sub.add_parser(name, help=text)
            p.add_argument("set_id", type=int, metavar="ID", help="The set's id (duikou figures list).")
            p.add_argument("--json", action="store_true", help="Print one JSON object.")
            _common(p)

    def handle(self, *args, **options):
        actor = current_actor()
        try:
            getattr(self, f"do_{options['subcommand']}")(actor, options)
        except (Pairing.DoesNotExist, Pairing.MultipleObjectsReturned, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        except Http404:
            raise CommandError(_("No published figure set {id} visible to you.").format(id=options["set_id"])) from None
        except ValidationError as exc:
            raise CommandError("; ".join(f"--{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None

    def _label(self, pf) -> str:
        return pf.label_en if (get_language() or "").startswith("en") else pf.label_zh

    def _head(self, s) -> str:
        return _("#{id} {name}: {pairing}, {start}–{end}, as of {day}; published {at} by {who}").format(
            id=s.pk, name=s.name, pairing=s.pairing.short_label, start=s.year_from, end=s.year_to,
            day=f"{s.as_of:%Y-%m-%d}", at=f"{timezone.localtime(s.published_at):%Y-%m-%d %H:%M}", who=s.published_by_name)

    def do_publish(self, actor, options):
        pairing = pairing_find(actor=actor, supporter=options["supporter"], recipient=options["recipient"],
                               programme=options.get("programme"))
        figure_set = figure_set_publish(actor=actor, pairing=pairing, year_from=options["year_from"],
                                        year_to=options["year_to"], name=options["name"],
                                        as_of=options.get("as_of"), keys=options.get("figures"))
        self.stdout.write(_("Published {head}").format(head=self._head(figure_set)))
        self.stdout.write(_("{n} figures; see them with: duikou figures show {id}").format(
            n=figure_set.figures.count(), id=figure_set.pk))

    def do_list(self, actor, options):
        sets = list(figure_set_list(actor=actor))
        for s in sets:
            self.stdout.write(self._head(s))
        if not sets:
            self.stdout.write(_("No figure set published yet."))

    def do_show(self, actor, options):
        s = figure_set_get(actor=actor, pk=options["set_id"])
        figures = list(s.figures.all())
        if options["json"]:
            self.stdout.write(json.dumps({
                "id": s.pk, "name": s.name, "pairing": str(s.pairing), "from": s.year_from, "to": s.year_to,
                "as_of": s.as_of.isoformat(), "published_at": s.published_at.isoformat(),
                "published_by": s.published_by_name,
                "figures": [{"key": pf.key, "value": _json_value(pf.value, pf.unit), "unit": pf.unit,
                             "from": pf.year_from, "to": pf.year_to, "definition": pf.definition,
                             "model": pf.model, "record_ids": pf.record_ids} for pf in figures],
            }, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._head(s))
        for pf in figures:
            self.stdout.write("  " + _("{label} ({start}–{end}): {value} [records: {n}]").format(
                label=self._label(pf), start=pf.year_from, end=pf.year_to, value=_value(pf.value, pf.unit),
                n=len(pf.record_ids)))

    def do_diff(self, actor, options):
        s = figure_set_get(actor=actor, pk=options["set_id"])
        diffs = figure_set_diff(actor=actor, figure_set=s)
        if options["json"]:
            self.stdout.write(json.dumps({
                "id": s.pk, "name": s.name, "published_at": s.published_at.isoformat(),
                "figures": [{"key": d.figure.key, "then": _json_value(d.then, d.figure.unit),
                             "now": _json_value(d.now, d.figure.unit), "withdrawn": d.withdrawn,
                             "added": d.added, "removed": d.removed, "changed": d.changed} for d in diffs],
            }, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._head(s))
        changed = [d for d in diffs if not d.same]
        if not changed:
            self.stdout.write(_("No figure changed since publication."))
        for d in changed:
            pf = d.figure
            now = _("withdrawn from the registry") if d.withdrawn else _value(d.now, pf.unit)
            self.stdout.write("  " + _("{label} ({start}–{end}): {then} → {now}").format(
                label=self._label(pf), start=pf.year_from, end=pf.year_to, then=_value(d.then, pf.unit), now=now))
            for name, ids in ((_("added"), d.added), (_("removed"), d.removed), (_("changed"), d.changed)):
                if ids:
                    shown = ", ".join(str(i) for i in ids[:20]) + (" …" if len(ids) > 20 else "")
                    self.stdout.write("    " + _("{what}: {n} {model} ({ids})").format(
                        what=name, n=len(ids), model=pf.model, ids=shown))
        self.stdout.write(_("{n} of {total} figures changed.").format(n=len(changed), total=len(diffs)))
