import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.core.money import cn_amount, floor_cn
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_find
from duikou.plans.models import KeyTask
from duikou.reports.selectors import pairing_figures


class Command(DuikouCommand):
    help = "Headline figures of a pairing and its sub-pairings over years Y1..Y2, computed from records."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--supporter", required=True, help="Supporter, as named (北京市).")
        parser.add_argument("--recipient", required=True, help="Recipient, as named (巴东县).")
        parser.add_argument("--programme", help="Programme code or name, when the two are paired in several.")
        parser.add_argument("--from", dest="year_from", type=int, required=True, help="First year (Y1).")
        parser.add_argument("--to", dest="year_to", type=int, required=True, help="Last year (Y2).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        actor = current_actor()
        try:
            pairing = pairing_find(actor=actor, supporter=options["supporter"], recipient=options["recipient"],
                                   programme=options.get("programme"))
            figures = pairing_figures(actor=actor, pairing=pairing, year_from=options["year_from"],
                                      year_to=options["year_to"])
        except (Pairing.DoesNotExist, Pairing.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(f"--{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        if options["json"]:
            self.stdout.write(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.render(figures, pairing))

    def render(self, f, pairing) -> str:
        subs = ", ".join(p.short_label for p in pairing.sub_pairings.all())
        lines = [
            _("{supporter} → {recipient}, {start}–{end}").format(
                supporter=f.supporter, recipient=f.recipient, start=f.year_from, end=f.year_to)
            + (_(" (including {subs})").format(subs=subs) if subs else ""),
            _("Free aid allocated: {amount} ({headline}); illustrative share {share:.1%}").format(
                amount=cn_amount(f.aid_funds_yuan), headline=floor_cn(f.aid_funds_yuan), share=f.illustrative_share),
            _("Projects: {n}").format(n=f.projects),
        ]
        english = get_language() == "en"
        names = {code: (name_en if english and name_en else name)
                 for code, name, name_en in KeyTask.objects.values_list("code", "name", "name_en")}
        for code, t in f.projects_by_task.items():
            lines.append("  " + _("{task}: {n} projects, {amount}").format(
                task=names.get(code, code), n=t.projects, amount=cn_amount(t.funds_yuan)))
        lines += [
            _("Planned funds: none (no five-year plan covers exactly {start}–{end})").format(
                start=f.year_from, end=f.year_to)
            if f.planned_funds_yuan is None else
            _("Planned funds ({start}–{end} five-year plan): {amount}").format(
                start=f.year_from, end=f.year_to, amount=cn_amount(f.planned_funds_yuan, "亿元")),
            _("Cadres seconded: {n} in {b} batches").format(n=f.cadres_seconded, b=f.cadre_batches),
            _("Training: {n} person-times").format(n=f.training_person_times),
            _("Recipient products sold in the supporter's market: {n}").format(n=f.consumption_products),
            _("Contract sales: {amount}").format(amount=cn_amount(f.contract_sales_yuan)),
            _("Enterprises introduced: {n}").format(n=f.enterprises_introduced),
        ]
        return "\n".join(lines)
