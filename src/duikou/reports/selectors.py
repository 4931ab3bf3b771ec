"""Headline figures of a pairing, computed from records (SQL aggregates; nothing is stored).

Every figure covers the pairing and all its sub-pairings over the budget years Y1..Y2. The
definitions are in ``docs/user/stats.md``; :class:`PairingFigures` is the frozen read model that
``duikou stats`` prints and later reports reuse.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from duikou.consumption.models import SalesContract, SalesRecord
from duikou.core.choices import FundStream
from duikou.core.money import as_yuan_str
from duikou.funds.models import FundTransaction
from duikou.investment.models import EnterpriseIntroduction
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_tree_ids
from duikou.people.models import Secondment, SecondmentBatch, TrainingSession
from duikou.plans.choices import PlanKind
from duikou.plans.models import KeyTask, PlanEnvelope
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project

__all__ = ["COUNTED_PROJECT_STATUSES", "PairingFigures", "TaskFigures", "pairing_figures"]

# A project counts as carried out once it is in an annual plan (年度计划下达) and until it is closed;
# pipeline stages (draft … project library) and cancelled projects do not count.
COUNTED_PROJECT_STATUSES = (
    ProjectStatus.PLANNED, ProjectStatus.AGREED, ProjectStatus.PREPARING, ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED, ProjectStatus.HANDED_OVER, ProjectStatus.EVALUATED,
    ProjectStatus.AUDITED, ProjectStatus.CLOSED, ProjectStatus.CHANGE_PENDING, ProjectStatus.SUSPENDED,
)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TaskFigures:
    projects: int
    funds_yuan: Decimal


@dataclass(frozen=True)
class PairingFigures:
    pairing_id: int
    supporter: str
    recipient: str
    year_from: int
    year_to: int
    aid_funds_yuan: Decimal
    aid_funds_illustrative_yuan: Decimal
    projects: int
    projects_by_task: dict[str, TaskFigures]
    planned_funds_yuan: Decimal | None
    cadres_seconded: int
    cadre_batches: int
    training_person_times: int
    consumption_products: int
    contract_sales_yuan: Decimal
    enterprises_introduced: int

    @property
    def illustrative_share(self) -> float:
        if not self.aid_funds_yuan:
            return 0.0
        return round(float(self.aid_funds_illustrative_yuan / self.aid_funds_yuan), 4)

    def as_json(self) -> dict:
        """The ``duikou stats --json`` object: money as strings with 2 decimals, counts as ints."""
        return {
            "supporter": self.supporter,
            "recipient": self.recipient,
            "from": self.year_from,
            "to": self.year_to,
            "aid_funds_yuan": as_yuan_str(self.aid_funds_yuan),
            "projects": self.projects,
            "projects_by_task": {
                code: {"projects": t.projects, "funds_yuan": as_yuan_str(t.funds_yuan)}
                for code, t in self.projects_by_task.items()
            },
            "planned_funds_yuan": None if self.planned_funds_yuan is None else as_yuan_str(self.planned_funds_yuan),
            "cadres_seconded": self.cadres_seconded,
            "cadre_batches": self.cadre_batches,
            "training_person_times": self.training_person_times,
            "consumption_products": self.consumption_products,
            "contract_sales_yuan": as_yuan_str(self.contract_sales_yuan),
            "enterprises_introduced": self.enterprises_introduced,
            "illustrative_share": self.illustrative_share,
        }


def _within(prefix: str, year_from: int, year_to: int) -> dict:
    return {f"{prefix}__gte": date(year_from, 1, 1), f"{prefix}__lte": date(year_to, 12, 31)}


def pairing_figures(*, actor, pairing: Pairing, year_from: int, year_to: int) -> PairingFigures:
    """The headline figures of ``pairing`` (and its sub-pairings) for the years ``year_from..year_to``."""
    if year_to < year_from:
        from django.core.exceptions import ValidationError

        raise ValidationError({"to": "The last year must not be before the first year."})
    ids = pairing_tree_ids(pairing)
    years = {"year__gte": year_from, "year__lte": year_to}

    grants = FundTransaction.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, kind=FundTransaction.Kind.ALLOCATION, stream=FundStream.GRANT, **years
    )
    money = grants.aggregate(total=Sum("amount"), illustrative=Sum("amount", filter=Q(is_illustrative=True)))

    projects = Project.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, start_year__gte=year_from, start_year__lte=year_to, status__in=COUNTED_PROJECT_STATUSES
    )
    count_by_task = dict(projects.values_list("key_task__code").annotate(n=Count("id")).order_by())
    funds_by_task = dict(
        grants.filter(project__isnull=False).values_list("project__key_task__code").annotate(s=Sum("amount")).order_by()
    )
    by_task = {
        code: TaskFigures(projects=count_by_task.get(code, 0), funds_yuan=funds_by_task.get(code) or ZERO)
        for code in KeyTask.objects.order_by("order").values_list("code", flat=True)
    }

    envelopes = PlanEnvelope.objects.restrict(actor, "view").filter(
        plan__pairing_id__in=ids, plan__kind=PlanKind.PAIRING_FIVE_YEAR, plan__start_year=year_from,
        plan__end_year=year_to, stream=FundStream.GRANT,
    )
    envelope = envelopes.aggregate(total=Sum("amount"), n=Count("id"))

    batches = SecondmentBatch.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, **_within("dispatched_on", year_from, year_to)
    )
    cadres = Secondment.objects.restrict(actor, "view").filter(batch__in=batches).count()

    training = TrainingSession.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, **_within("start_date", year_from, year_to)
    ).aggregate(total=Sum("person_times"))

    sales = SalesRecord.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, **_within("date", year_from, year_to),
        product__origin_division__code__startswith=pairing.recipient_division.code_prefix,
    )
    if pairing.supporter.division_id:
        sales = sales.filter(market_division__code__startswith=pairing.supporter.division.code_prefix)
    products = sales.values("product_id").distinct().count()

    contracts = SalesContract.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, **_within("signed_on", year_from, year_to)
    ).aggregate(total=Sum("amount"))

    enterprises = (
        EnterpriseIntroduction.objects.restrict(actor, "view")
        .filter(pairing_id__in=ids, **_within("introduced_on", year_from, year_to),
                status__in=[EnterpriseIntroduction.Status.AGREED, EnterpriseIntroduction.Status.LANDED])
        .values("enterprise_id").distinct().count()
    )

    return PairingFigures(
        pairing_id=pairing.pk,
        supporter=str(pairing.supporter),
        recipient=str(pairing.recipient),
        year_from=year_from,
        year_to=year_to,
        aid_funds_yuan=money["total"] or ZERO,
        aid_funds_illustrative_yuan=money["illustrative"] or ZERO,
        projects=projects.count(),
        projects_by_task=by_task,
        planned_funds_yuan=envelope["total"] if envelope["n"] else None,
        cadres_seconded=cadres,
        cadre_batches=batches.count(),
        training_person_times=training["total"] or 0,
        consumption_products=products,
        contract_sales_yuan=contracts["total"] or ZERO,
        enterprises_introduced=enterprises,
    )

