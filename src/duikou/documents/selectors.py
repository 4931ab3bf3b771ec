"""What the report documents say, read from the records (frozen dataclasses; nothing is stored).

- :func:`summary_report` → :class:`SummaryReport`: the content of the 年度工作总结 / 汇报材料. Its
  headline figures are :func:`duikou.reports.selectors.pairing_figures` — the figures
  ``duikou stats`` prints — for the period, for the pairing's whole history (累计) and for the
  “十四五” years within the period; funds by year and by level are
  :func:`~duikou.reports.selectors.funds_by_year`.
- :func:`report_pairing` finds the pairing of a command line, :func:`check_years` checks a period.

Every query goes through ``restrict(actor, "view")``. Money is Decimal yuan; the grant (无偿援助)
and econ (经济合作) streams are never added together.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from duikou.consumption.models import SalesChannel, SalesRecord
from duikou.core.choices import FundStream
from duikou.funds.models import FundTransaction
from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_find, pairing_tree_ids
from duikou.people.models import Secondment, TrainingSession
from duikou.projects.models import Project, ProjectBeneficiary
from duikou.projects.selectors import project_counted
from duikou.reports.selectors import (
    FOURTEENTH_PLAN,
    FundsProgress,
    PairingFigures,
    TaskRow,
    YearFunds,
    funds_by_year,
    funds_progress,
    pairing_figures,
    projects_by_task,
)

__all__ = [
    "EXAMPLES_PER_TASK",
    "MAX_YEAR",
    "MIN_YEAR",
    "Agreement",
    "CountRow",
    "Enterprise",
    "ExampleProject",
    "SummaryReport",
    "check_years",
    "econ_by_year",
    "report_pairing",
    "summary_report",
]

ZERO = Decimal("0.00")
MIN_YEAR, MAX_YEAR = 1949, 2100
EXAMPLES_PER_TASK = 3


def check_years(year_from, year_to) -> tuple[int, int]:
    """(Y1, Y2) as integers, or a ``ValidationError`` naming ``from`` or ``to``."""
    errors = {}
    years = []
    for key, value in (("from", year_from), ("to", year_to)):
        try:
            year = int(str(value).strip())
        except (TypeError, ValueError):
            errors[key] = _("Not a year: {value}.").format(value=value)
            continue
        if not MIN_YEAR <= year <= MAX_YEAR:
            errors[key] = _("The year must lie between {min} and {max}.").format(min=MIN_YEAR, max=MAX_YEAR)
        years.append(year)
    if not errors and years[1] < years[0]:
        errors["to"] = _("The last year must not be before the first year.")
    if errors:
        raise ValidationError(errors)
    return years[0], years[1]


def report_pairing(*, actor, supporter: str, recipient: str, programme: str | None = None) -> Pairing:
    """The pairing named on a command line (see :func:`~duikou.organisations.selectors.pairing_find`),
    with its organisations and programme fetched."""
    pairing = pairing_find(actor=actor, supporter=supporter, recipient=recipient, programme=programme)
    return Pairing.objects.select_related("supporter", "recipient", "programme", "recipient_division",
                                          "supporter__division").get(pk=pairing.pk)


@dataclass(frozen=True)
class ExampleProject:
    """A named project of the period: budget, the grant allocated to it in the period, who benefits."""

    code: str
    name: str
    task_code: str
    start_year: int
    location: str
    budget_yuan: Decimal
    allocated_yuan: Decimal
    is_illustrative: bool
    beneficiaries: tuple[tuple[str, int, str], ...]  # (group, count, qualifier)


@dataclass(frozen=True)
class CountRow:
    """A label with a count and, where it has one, a sum (person-times, yuan)."""

    label: str
    count: int
    total: Decimal | int = 0


@dataclass(frozen=True)
class Enterprise:
    name: str
    status: str
    industry: str
    agreed_yuan: Decimal | None
    paid_in_yuan: Decimal | None
    jobs: int | None


@dataclass(frozen=True)
class Agreement:
    title: str
    kind: str
    signed_year: int
    parties: tuple[str, ...]


@dataclass(frozen=True)
class SummaryReport:
    """Everything the 年度工作总结 says, for the pairing and its sub-pairings over Y1..Y2.

    - ``figures``: the period's headline figures (as ``duikou stats --from Y1 --to Y2``);
    - ``cumulative``: from the pairing's first year (``first_year``) to Y2 (累计); a period that ends
      before the pairing starts is refused;
    - ``fourteenth``: the “十四五” years within Y1..Y2 (``None`` when the period lies outside 2021–2025);
    - ``funds``: grant allocations per budget year and level; ``econ``: economic-cooperation money
      received (到位) per year, apart;
    - ``examples``: up to :data:`EXAMPLES_PER_TASK` counted projects per key task that started in
      the period, largest budget first, real records (not illustrative) before generated ones.
    """

    supporter: str
    recipient: str
    programme: str
    sub_pairings: tuple[str, ...]
    year_from: int
    year_to: int
    first_year: int
    figures: PairingFigures
    cumulative: PairingFigures
    fourteenth: PairingFigures | None
    tasks: list[TaskRow]
    funds: list[YearFunds]
    econ: list[tuple[int, Decimal]]
    progress: FundsProgress
    examples: list[ExampleProject]
    cadres_by_field: list[CountRow]
    cadres_by_kind: list[CountRow]
    training_by_category: list[CountRow]
    sales_by_channel: list[CountRow]
    sales_total_yuan: Decimal
    enterprises: list[Enterprise]
    agreements: list[Agreement]

    @property
    def funds_city(self) -> Decimal:
        return sum((row.city for row in self.funds), ZERO)

    @property
    def funds_district(self) -> Decimal:
        return sum((row.district for row in self.funds), ZERO)

    @property
    def funds_other(self) -> Decimal:
        return sum((row.other for row in self.funds), ZERO)

    @property
    def econ_total(self) -> Decimal:
        return sum((amount for _year, amount in self.econ), ZERO)


def _within(prefix: str, year_from: int, year_to: int) -> dict:
    return {f"{prefix}__gte": date(year_from, 1, 1), f"{prefix}__lte": date(year_to, 12, 31)}


def econ_by_year(*, actor, pairing: Pairing, year_from: int, year_to: int) -> list[tuple[int, Decimal]]:
    """Economic-cooperation money (经济合作资金, stream ``econ``) received (到位, kind ``receipt``) per
    budget year Y1..Y2, zeros included; never added to the grant stream."""
    check_years(year_from, year_to)
    sums = dict(
        FundTransaction.objects.restrict(actor, "view")
        .filter(pairing_id__in=pairing_tree_ids(pairing), stream=FundStream.ECON, kind=FundTransaction.Kind.RECEIPT,
                year__gte=year_from, year__lte=year_to)
        .values_list("year").annotate(s=Sum("amount")).order_by()
    )
    return [(year, (sums.get(year) or ZERO).quantize(Decimal("0.01"))) for year in range(year_from, year_to + 1)]


def _examples(actor, ids, year_from: int, year_to: int) -> list[ExampleProject]:
    projects = list(
        project_counted(Project.objects.restrict(actor, "view"))
        .filter(pairing_id__in=ids, start_year__gte=year_from, start_year__lte=year_to)
        .select_related("key_task").order_by("key_task__order", "is_illustrative", "-budget", "code")
        .values_list("id", "code", "name", "key_task__code", "start_year", "location", "budget", "is_illustrative")
    )
    chosen, per_task = [], Counter()
    for row in projects:
        if per_task[row[3]] < EXAMPLES_PER_TASK:
            per_task[row[3]] += 1
            chosen.append(row)
    ids_chosen = [row[0] for row in chosen]
    allocated = dict(
        FundTransaction.objects.restrict(actor, "view")
        .filter(project_id__in=ids_chosen, stream=FundStream.GRANT, kind=FundTransaction.Kind.ALLOCATION,
                year__gte=year_from, year__lte=year_to)
        .values_list("project_id").annotate(s=Sum("amount")).order_by()
    )
    people = defaultdict(list)
    for project_id, group, count, qualifier in (
        ProjectBeneficiary.objects.restrict(actor, "view").filter(project_id__in=ids_chosen)
        .order_by("id").values_list("project_id", "group", "count", "qualifier")
    ):
        people[project_id].append((group, count, qualifier))
    return [
        ExampleProject(code=code, name=name, task_code=task, start_year=start, location=location or "",
                       budget_yuan=budget, allocated_yuan=allocated.get(pk) or ZERO, is_illustrative=illustrative,
                       beneficiaries=tuple(people[pk]))
        for pk, code, name, task, start, location, budget, illustrative in chosen
    ]


def _labelled(choices, rows) -> list[CountRow]:
    labels = dict(choices)
    return [CountRow(label=str(labels.get(key, key)), count=n, total=total or 0) for key, n, total in rows]


def summary_report(*, actor, pairing: Pairing, year_from: int, year_to: int) -> SummaryReport:
    """The content of the 年度工作总结 of ``pairing`` (and its sub-pairings) for Y1..Y2."""
    year_from, year_to = check_years(year_from, year_to)
    first_year = pairing.valid_from.year
    if year_to < first_year:
        raise ValidationError({"to": _("The pairing starts in {year}.").format(year=first_year)})
    ids = pairing_tree_ids(pairing)
    figures = pairing_figures(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to)
    cumulative = pairing_figures(actor=actor, pairing=pairing, year_from=min(first_year, year_from), year_to=year_to)
    f_from, f_to = max(year_from, FOURTEENTH_PLAN[0]), min(year_to, FOURTEENTH_PLAN[1])
    fourteenth = (pairing_figures(actor=actor, pairing=pairing, year_from=f_from, year_to=f_to)
                  if f_from <= f_to else None)

    secondments = Secondment.objects.restrict(actor, "view").filter(
        batch__pairing_id__in=ids, **_within("batch__dispatched_on", year_from, year_to))
    cadres_by_field = _labelled(Secondment._meta.get_field("field").choices, secondments.values_list("field")
                                .annotate(n=Count("id"), t=Count("id")).order_by("-n", "field"))
    cadres_by_kind = _labelled(Secondment.Kind.choices, secondments.values_list("kind")
                               .annotate(n=Count("id"), t=Count("id")).order_by("kind"))
    training = TrainingSession.objects.restrict(actor, "view").filter(
        pairing_id__in=ids, **_within("start_date", year_from, year_to))
    training_by_category = _labelled(TrainingSession.Category.choices, training.values_list("category")
                                     .annotate(n=Count("id"), t=Sum("person_times")).order_by("-t", "category"))
    sales = SalesRecord.objects.restrict(actor, "view").filter(pairing_id__in=ids, **_within("date", year_from, year_to))
    sales_by_channel = _labelled(
        SalesChannel.Kind.choices,
        sales.values_list("channel__kind").annotate(n=Count("id"), t=Sum("amount")).order_by("-t", "channel__kind"))
    sales_total = sales.aggregate(t=Sum("amount"))["t"] or ZERO

    enterprises = [
        Enterprise(name=e.enterprise.name, status=e.get_status_display(), industry=e.industry,
                   agreed_yuan=e.agreed_amount, paid_in_yuan=e.paid_in_amount, jobs=e.jobs)
        for e in EnterpriseIntroduction.objects.restrict(actor, "view")
        .filter(pairing_id__in=ids, **_within("introduced_on", year_from, year_to))
        .select_related("enterprise").order_by("introduced_on", "id")
    ]
    agreements = [
        Agreement(title=a.title, kind=a.get_kind_display(), signed_year=a.signed_year,
                  parties=tuple(p.name for p in a.parties.all()))
        for a in CooperationAgreement.objects.restrict(actor, "view")
        .filter(pairing_id__in=ids, signed_year__gte=year_from, signed_year__lte=year_to)
        .prefetch_related("parties").order_by("signed_year", "id")
    ]
    return SummaryReport(
        supporter=str(pairing.supporter), recipient=str(pairing.recipient), programme=pairing.programme.name,
        sub_pairings=tuple(p.short_label for p in pairing.sub_pairings.all()),
        year_from=year_from, year_to=year_to, first_year=first_year,
        figures=figures, cumulative=cumulative, fourteenth=fourteenth,
        tasks=projects_by_task(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to),
        funds=funds_by_year(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to),
        econ=econ_by_year(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to),
        progress=funds_progress(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to),
        examples=_examples(actor, ids, year_from, year_to),
        cadres_by_field=cadres_by_field, cadres_by_kind=cadres_by_kind,
        training_by_category=training_by_category,
        sales_by_channel=sales_by_channel, sales_total_yuan=sales_total,
        enterprises=enterprises, agreements=agreements,
    )
