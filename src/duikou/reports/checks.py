"""The monitoring rules: warnings about a pairing's records, run on demand (``duikou check``),
nightly (cron, docs/user/rules.md) and on the dashboard.

Warnings are not errors: nothing is refused here (the blocking rules live in the services). Each
:class:`CheckWarning` names the rule key, the figure found, the threshold, and the records
involved. A pairing's checks cover the pairing and its sub-pairings (as every figure in
``reports``) with the rules in force for that pairing (``rules.selectors.RuleBook``); the money
invariants, the management-fee cap and the carry-over rule are checked per pairing and budget year
with each pairing's own rules. Definitions:

- ``alloc.min_share_minsheng``: the share of the year's grant allocations to **livelihood (民生)**
  projects — a project is 民生 when its field of work is livelihood (民生改善), or its key task is
  ``public_services`` (提高基本公共服务和民生保障能力), or its sector is education, health, water
  supply, community services or employment (:func:`is_minsheng`);
- ``alloc.min_share_grassroots``: the share to projects located at **county level or below** (the
  level of the project's location division; a project located at a prefecture or province does
  not count);
- ``alloc.target_share_industry``: the share to projects of the key task ``industry``;
- ``progress.start_rate_by_date`` / ``progress.start_rate_min``: once the day has come in the
  budget year, the share of the year's planned projects (``reports.kpis``) started by that day;
- ``progress.q1_spend_min`` … ``q4``: at the end of the latest quarter of the budget year that has
  passed, expenditure of the year dated by then (or undated) ÷ the year's allocations;
- ``funds.idle_years_realloc``: money allocated for a budget year at least that many years ago
  and still unspent (allocations − expenditure of the year);
- ``alloc.max_mgmt_fee``, ``funds.carry_over_needs_approval`` and the money invariants
  (``money.remitted_within_allocated``, ``money.spent_within_remitted``,
  ``money.allocated_within_envelope``): breaches in the records (entered before a rule was
  tightened, or where a rule only warns), as ``funds.validators`` defines them;
- ``funds.tranches``: when above 0, an allocation drawn on by more remittances (dated by the day
  or undated) than that many tranches; remittances that name no allocation (lump sums) are not
  counted;
- ``disclosure.publish_within_wd_allocation``: a dated grant allocation to a project is published
  within that many working days (Monday to Friday: public holidays and make-up working days are
  not known to duikou) of its date: a published notice lists the project (its ``project``, or
  ``content_snapshot["project_ids"]``) and starts by the deadline, either the annual plan
  announcement of the allocation's budget year (whenever posted before the deadline) or any other
  notice posted on or after the allocation's date. Checked once the deadline has passed;
- ``consumption.product_min_value``: once a year has ended, the sales recorded (any channel, dated
  in the year) of each product listed in a catalogue at some time in the year, against the minimum
  (not prorated for a product listed for part of the year).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from duikou.consumption.models import CatalogueListing, SalesRecord
from duikou.core.choices import FundStream
from duikou.core.money import as_yuan_str
from duikou.disclosure.choices import DisclosureKind, DisclosureStatus
from duikou.disclosure.models import Disclosure
from duikou.funds.models import FundTransaction
from duikou.funds.validators import Envelope, MoneyRow, envelope_breaches, pool_breaches
from duikou.organisations.models import Pairing
from duikou.organisations.selectors import pairing_tree_ids
from duikou.plans.choices import PlanKind
from duikou.plans.models import PlanEnvelope
from duikou.projects.choices import Sector, WorkField
from duikou.rules.selectors import RuleBook

from .kpis import Kpis, Ledger, kpis_from_ledger, load_ledger

__all__ = [
    "GRASSROOTS_LEVELS",
    "MINSHENG_SECTORS",
    "MINSHENG_TASKS",
    "CheckReport",
    "CheckWarning",
    "RecordRef",
    "add_working_days",
    "check_pairings",
    "is_minsheng",
    "pairing_check",
    "working_days_between",
]

ZERO = Decimal("0")
MINSHENG_TASKS = ("public_services",)
MINSHENG_SECTORS = (Sector.EDUCATION, Sector.HEALTH, Sector.WATER, Sector.COMMUNITY, Sector.EMPLOYMENT)
GRASSROOTS_LEVELS = ("county",)  # the deepest level of AdminDivision; townships and villages are text
QUARTER_ENDS = ((1, 3, 31), (2, 6, 30), (3, 9, 30), (4, 12, 31))


def is_minsheng(project) -> bool:
    """A livelihood (民生) project: field of work 民生改善, key task ``public_services``, or a sector
    of basic services (education, health, water supply, community services, employment)."""
    return (project.work_field == WorkField.LIVELIHOOD or project.key_task in MINSHENG_TASKS
            or project.sector in MINSHENG_SECTORS)


@dataclass(frozen=True)
class RecordRef:
    """A record a warning is about: ``kind`` is ``project``, ``fund_transaction``, ``plan`` or ``product``."""

    kind: str
    id: int
    label: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class CheckWarning:
    """One warning: the rule, the pairing and budget year, the figure against the threshold (both
    in ``unit``: ``share``, ``yuan``, ``years``, ``working days`` or ``remittances``), a message and the records involved. ``amount``:
    the money concerned where the figure is not an amount (idle funds)."""

    rule: str
    pairing_id: int
    pairing: str
    year: int | None
    figure: Decimal
    threshold: Decimal
    unit: str
    message: str
    records: tuple[RecordRef, ...] = ()
    amount: Decimal | None = None

    def as_json(self) -> dict:
        def num(value):
            if value is None:
                return None
            return as_yuan_str(value) if self.unit == "yuan" else format(value, "f")

        return {
            "rule": self.rule, "pairing_id": self.pairing_id, "pairing": self.pairing, "year": self.year,
            "figure": num(self.figure), "threshold": num(self.threshold), "unit": self.unit,
            "amount_yuan": None if self.amount is None else as_yuan_str(self.amount),
            "message": self.message, "records": [r.as_json() for r in self.records],
        }


@dataclass(frozen=True)
class CheckReport:
    """The KPIs and the warnings of a pairing (with its sub-pairings) for budget years Y1..Y2, as of a day."""

    pairing_id: int
    pairing: str
    year_from: int
    year_to: int
    on: dt.date
    kpis: Kpis
    kpis_by_year: list[Kpis]
    warnings: list[CheckWarning] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "pairing_id": self.pairing_id, "pairing": self.pairing, "from": self.year_from, "to": self.year_to,
            "on": self.on.isoformat(), "kpis": self.kpis.as_json(),
            "kpis_by_year": [k.as_json() for k in self.kpis_by_year],
            "warnings": [w.as_json() for w in self.warnings],
        }


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``day`` + ``days`` working days (Monday to Friday; duikou knows no public holidays): the
    working days after ``day`` are counted, so 0 gives ``day`` itself."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days (Monday to Friday) after ``start`` up to and including ``end`` (0 if ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for i in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))} %"


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _project_refs(ledger: Ledger, ids) -> tuple[RecordRef, ...]:
    return tuple(RecordRef("project", pk, ledger.projects[pk].code if pk in ledger.projects else "")
                 for pk in sorted(ids, key=lambda pk: ledger.projects[pk].code if pk in ledger.projects else ""))


class _Checker:
    def __init__(self, ledger: Ledger, on: dt.date):
        self.ledger = ledger
        self.on = on
        self.pairing = ledger.pairing
        self.label = self.pairing.short_label
        self.book = RuleBook(pairing=self.pairing)
        self.warnings: list[CheckWarning] = []

    def warn(self, rule, year, figure, threshold, unit, message, records=(), amount=None, pairing=None):
        pairing = pairing or self.pairing
        self.warnings.append(CheckWarning(rule, pairing.pk, pairing.short_label, year, figure, threshold, unit,
                                          message, tuple(records), amount))

    # shares of the year's allocations ----------------------------------------------------------
    def shares(self, year: int) -> None:
        allocations = self.ledger.rows_of(year, FundTransaction.Kind.ALLOCATION)
        allocated = sum((r.amount for r in allocations), ZERO)
        if not allocated:
            return
        projects = self.ledger.projects

        def share(test):
            counted = sum((r.amount for r in allocations if r.project_id in projects and test(projects[r.project_id])),
                          ZERO)
            others = {r.project_id for r in allocations if not (r.project_id in projects
                                                                and test(projects[r.project_id]))}
            return counted / allocated, others

        for key, test, text in (
            ("alloc.min_share_minsheng", is_minsheng, _(
                "{year}: {share} of the free aid allocated ({allocated} yuan) went to livelihood (民生) projects, "
                "below the minimum {minimum}.")),
            ("alloc.min_share_grassroots", lambda p: p.division_level in GRASSROOTS_LEVELS, _(
                "{year}: {share} of the free aid allocated ({allocated} yuan) went to projects at county level and "
                "below, below the minimum {minimum}.")),
            ("alloc.target_share_industry", lambda p: p.key_task == "industry", _(
                "{year}: {share} of the free aid allocated ({allocated} yuan) went to industrial development, "
                "below the target {minimum}.")),
        ):
            minimum = self.book.value(key, year)
            found, others = share(test)
            if found < minimum:
                self.warn(key, year, found.quantize(Decimal("0.0001")), minimum, "share",
                          text.format(year=year, share=_percent(found), allocated=_yuan(allocated),
                                      minimum=_percent(minimum)),
                          _project_refs(self.ledger, {pk for pk in others if pk is not None}))

    # dated targets -----------------------------------------------------------------------------
    def start_rate(self, year: int) -> None:
        planned = self.ledger.planned.get(year, set())
        monthday = self.book.value("progress.start_rate_by_date", year)
        month, day = (int(x) for x in monthday.split("-"))
        try:
            deadline = dt.date(year, month, day)
        except ValueError:  # 02-29 in a common year
            deadline = dt.date(year, 3, 1)
        if not planned or self.on < deadline:
            return
        minimum = self.book.value("progress.start_rate_min", year)
        late = {pk for pk in planned if not self.ledger.projects[pk].started_by(deadline)}
        found = Decimal(len(planned) - len(late)) / len(planned)
        if found < minimum:
            self.warn("progress.start_rate_min", year, found.quantize(Decimal("0.0001")), minimum, "share", _(
                "By {date}, {started} of the {planned} planned projects of {year} had started ({share}), below "
                "{minimum} (rule progress.start_rate_by_date = {monthday})."
            ).format(date=deadline.isoformat(), started=len(planned) - len(late), planned=len(planned), year=year,
                     share=_percent(found), minimum=_percent(minimum), monthday=monthday),
                _project_refs(self.ledger, late))

    def spending(self, year: int) -> None:
        allocated = self.ledger.total(year, FundTransaction.Kind.ALLOCATION)
        passed = [(q, dt.date(year, m, d)) for q, m, d in QUARTER_ENDS if dt.date(year, m, d) <= self.on]
        if not allocated or not passed:
            return
        quarter, end = passed[-1]
        key = f"progress.q{quarter}_spend_min"
        minimum = self.book.value(key, year)
        spending = [r for r in self.ledger.rows_of(year, FundTransaction.Kind.EXPENDITURE)
                    if r.date is None or r.date <= end]
        spent = sum((r.amount for r in spending), ZERO)
        found = spent / allocated
        if found < minimum:
            spent_on = {}
            for r in spending:
                spent_on[r.allocation_id] = spent_on.get(r.allocation_id, ZERO) + r.amount
            behind = [r for r in self.ledger.rows_of(year, FundTransaction.Kind.ALLOCATION)
                      if spent_on.get(r.pk, ZERO) < r.amount * minimum]
            self.warn(key, year, found.quantize(Decimal("0.0001")), minimum, "share", _(
                "By the end of Q{quarter} {year} ({date}), {spent} of the {allocated} yuan allocated had been spent "
                "({share}), below {minimum}."
            ).format(quarter=quarter, year=year, date=end.isoformat(), spent=_yuan(spent), allocated=_yuan(allocated),
                     share=_percent(found), minimum=_percent(minimum)),
                tuple(RecordRef("fund_transaction", r.pk, r.label) for r in behind))

    def idle(self, year: int) -> None:
        years = self.book.value("funds.idle_years_realloc", year)
        age = self.on.year - year
        if age < years:
            return
        allocations = self.ledger.rows_of(year, FundTransaction.Kind.ALLOCATION)
        spending = [r for r in self.ledger.rows_of(year, FundTransaction.Kind.EXPENDITURE)
                    if r.date is None or r.date <= self.on]
        idle = sum((r.amount for r in allocations), ZERO) - sum((r.amount for r in spending), ZERO)
        if idle <= 0:
            return
        spent_on = {}
        for r in spending:
            spent_on[r.allocation_id] = spent_on.get(r.allocation_id, ZERO) + r.amount
        unspent = [r for r in allocations if spent_on.get(r.pk, ZERO) < r.amount]
        self.warn("funds.idle_years_realloc", year, Decimal(age), Decimal(years), "years", _(
            "{amount} yuan allocated for {year} is still unspent after {age} years; money idle for {years} years may "
            "be reallocated."
        ).format(amount=_yuan(idle), year=year, age=age, years=years),
            tuple(RecordRef("fund_transaction", r.pk, r.label) for r in unspent), amount=idle)

    # remittances in tranches ------------------------------------------------------------------
    def tranches(self, year: int) -> None:
        tranches = self.book.value("funds.tranches", year)
        if tranches <= 0:  # 0: no fixed schedule
            return
        drawn: dict[int, list] = {}
        for r in self.ledger.rows_of(year, FundTransaction.Kind.REMITTANCE):
            if r.allocation_id is not None and (r.date is None or r.date <= self.on):
                drawn.setdefault(r.allocation_id, []).append(r)
        for alloc in self.ledger.rows_of(year, FundTransaction.Kind.ALLOCATION):
            remittances = drawn.get(alloc.pk, [])
            if len(remittances) > tranches:
                self.warn("funds.tranches", year, Decimal(len(remittances)), Decimal(tranches), "remittances", _(
                    "{year}: the allocation {allocation} ({amount} yuan) was remitted in {count} remittances, more "
                    "than the {tranches} tranches of the rule."
                ).format(year=year, allocation=alloc.label or f"#{alloc.pk}", amount=_yuan(alloc.amount),
                         count=len(remittances), tranches=tranches),
                    (RecordRef("fund_transaction", alloc.pk, alloc.label),
                     *(RecordRef("fund_transaction", r.pk, r.label) for r in remittances)))

    # publication of allocations ----------------------------------------------------------------
    def publication(self, actor) -> None:
        """Allocations not published within ``disclosure.publish_within_wd_allocation`` working days."""
        key = "disclosure.publish_within_wd_allocation"
        due = []  # (allocation, its deadline, the rule's working days)
        for year in range(self.ledger.year_from, self.ledger.year_to + 1):
            days = self.book.value(key, year)
            for r in self.ledger.rows_of(year, FundTransaction.Kind.ALLOCATION):
                if r.project_id is None or r.date is None:
                    continue
                deadline = add_working_days(r.date, days)
                if deadline < self.on:
                    due.append((r, deadline, days))
        if not due:
            return
        notices: dict[int, list[tuple[str, int | None, dt.date]]] = {}  # project → (kind, year, start)
        found = Disclosure.objects.restrict(actor, "view").filter(
            Q(project_id__in={r.project_id for r, _d, _n in due})
            | Q(kind=DisclosureKind.ANNUAL_PLAN, year__in={r.year for r, _d, _n in due}),
            status=DisclosureStatus.PUBLISHED, start_date__isnull=False,
        ).values_list("kind", "year", "project_id", "start_date", "content_snapshot")
        for kind, year, project_id, start, snapshot in found:
            listed = set((snapshot or {}).get("project_ids") or [])
            if project_id is not None:
                listed.add(project_id)
            for pk in listed:
                notices.setdefault(pk, []).append((kind, year, start))

        def published_by(r, deadline):
            """The first day a notice publishing ``r`` started, if by ``deadline``."""
            starts = [start for kind, year, start in notices.get(r.project_id, ())
                      if start <= deadline and (start >= r.date or (kind == DisclosureKind.ANNUAL_PLAN
                                                                     and year == r.year))]
            return min(starts) if starts else None

        late: dict[int, list] = {}
        for r, deadline, days in due:
            if published_by(r, deadline) is None:
                starts = [s for _k, _y, s in notices.get(r.project_id, ()) if s >= r.date]
                end = min(starts) if starts else self.on  # the late notice, or the day of the check
                late.setdefault(r.year, []).append((r, days, working_days_between(r.date, end)))
        for year, rows in sorted(late.items()):
            days = rows[0][1]
            amount = sum((r.amount for r, _n, _w in rows), ZERO)
            self.warn(key, year, Decimal(max(w for _r, _n, w in rows)), Decimal(days), "working days", _(
                "{year}: {count} allocations ({amount} yuan) were not published within {days} working days of their "
                "date: no published notice listing the project started by then."
            ).format(year=year, count=len(rows), amount=_yuan(amount), days=days),
                tuple(RecordRef("fund_transaction", r.pk, r.label) for r, _n, _w in rows), amount=amount)

    # consumption assistance --------------------------------------------------------------------
    def products(self, actor) -> None:
        """Catalogue products whose sales in an ended year are below ``consumption.product_min_value``."""
        ended = [y for y in range(self.ledger.year_from, self.ledger.year_to + 1) if self.on > dt.date(y, 12, 31)]
        if not ended:
            return
        first, last = dt.date(ended[0], 1, 1), dt.date(ended[-1], 12, 31)
        listings = CatalogueListing.objects.restrict(actor, "view").filter(
            Q(delisted_on__isnull=True) | Q(delisted_on__gte=first),
            product__pairing_id__in=self.ledger.pairing_ids, listed_on__lte=last,
        ).values_list("product_id", "product__name", "listed_on", "delisted_on")
        listed: dict[int, dict[int, str]] = {}  # year → product → name
        for product_id, name, listed_on, delisted_on in listings:
            for year in ended:
                if listed_on <= dt.date(year, 12, 31) and (delisted_on is None or delisted_on >= dt.date(year, 1, 1)):
                    listed.setdefault(year, {})[product_id] = name
        if not listed:
            return
        sales = dict(
            ((pk, year), total) for pk, year, total in SalesRecord.objects.restrict(actor, "view").filter(
                product_id__in={pk for names in listed.values() for pk in names},
                pairing_id__in=self.ledger.pairing_ids, date__gte=first, date__lte=last,
            ).annotate(year=ExtractYear("date")).values("product_id", "year").annotate(total=Sum("amount"))
            .values_list("product_id", "year", "total").order_by()
        )
        for year, names in sorted(listed.items()):
            minimum = self.book.value("consumption.product_min_value", year)
            below = sorted(((sales.get((pk, year)) or ZERO, name, pk) for pk, name in names.items()
                            if (sales.get((pk, year)) or ZERO) < minimum))
            if not below:
                continue
            lowest = below[0][0]
            self.warn("consumption.product_min_value", year, lowest, minimum, "yuan", _(
                "{year}: {count} of the {listed} products listed in a catalogue sold less than {minimum} yuan in the "
                "year (the lowest: {lowest} yuan)."
            ).format(year=year, count=len(below), listed=len(names), minimum=_yuan(minimum), lowest=_yuan(lowest)),
                tuple(RecordRef("product", pk, name) for _total, name, pk in below))

    # breaches of the blocking rules in the records -----------------------------------------
    def breaches(self, year: int, pairings: dict, books: dict) -> None:
        for pairing_id in self.ledger.pairing_ids:
            rows = self.ledger.rows_of(year, pairing_id=pairing_id)
            if not rows:
                continue
            pairing = pairings[pairing_id]
            for b in pool_breaches(pairing, year, rows, blocking_only=False, book=books[pairing_id]):
                self.warn(b.rule, year, b.total, b.limit, "yuan", b.message,
                          tuple(RecordRef(kind, pk, self._label(kind, pk)) for kind, pk in b.records), pairing=pairing)

    def envelopes(self, actor) -> None:
        found = PlanEnvelope.objects.restrict(actor, "view").filter(
            stream=FundStream.GRANT, plan__kind=PlanKind.PAIRING_FIVE_YEAR, plan__pairing_id__in=self.ledger.pairing_ids,
            plan__start_year__lte=self.ledger.year_to, plan__end_year__gte=self.ledger.year_from,
        ).values_list("plan_id", "amount", "plan__start_year", "plan__end_year", "plan__pairing_id")
        for plan_id, amount, start, end, plan_pairing in found:
            tree = frozenset(self.ledger.pairing_ids if plan_pairing == self.pairing.pk
                             else pairing_tree_ids(Pairing(pk=plan_pairing)))
            envelope = Envelope(plan_id, amount, start, end, tree)
            rows = FundTransaction.objects.restrict(actor, "view").filter(
                stream=FundStream.GRANT, pairing_id__in=tree, year__gte=start, year__lte=end,
                kind__in=(FundTransaction.Kind.ALLOCATION, FundTransaction.Kind.ADJUSTMENT),
            ).values_list("pk", "kind", "pairing_id", "year", "amount")
            money = [MoneyRow(pk, kind, p, y, a) for pk, kind, p, y, a in rows]
            for b in envelope_breaches(envelope, money):
                self.warn(b.rule, None, b.total, b.limit, "yuan", b.message, (RecordRef("plan", plan_id),))

    def _label(self, kind: str, pk: int) -> str:
        if kind == "project":
            return self.ledger.projects[pk].code if pk in self.ledger.projects else ""
        if kind == "fund_transaction":
            return next((r.label for r in self.ledger.rows if r.pk == pk), "")
        return ""


def pairing_check(*, actor, pairing: Pairing, year_from: int, year_to: int,
                  on: dt.date | None = None) -> CheckReport:
    """The KPIs and warnings of ``pairing`` and its sub-pairings for budget years Y1..Y2, as of ``on``
    (default: today). A fixed number of queries, whatever the number of years."""
    on = on or timezone.localdate()
    ledger = load_ledger(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to)
    # the tree's pairings with what their labels and rules read, in one query
    pairings = {p.pk: p for p in Pairing._base_manager.filter(pk__in=ledger.pairing_ids)
                .select_related("supporter", "recipient", "programme", "parent")}
    ledger.pairing = pairing = pairings[pairing.pk]
    checker = _Checker(ledger, on)
    books = {pk: (checker.book if pk == pairing.pk else RuleBook(pairing=p)) for pk, p in pairings.items()}
    for year in range(year_from, year_to + 1):
        checker.shares(year)
        checker.start_rate(year)
        checker.spending(year)
        checker.idle(year)
        checker.breaches(year, pairings, books)
        checker.tranches(year)
    checker.envelopes(actor)
    checker.publication(actor)
    checker.products(actor)
    return CheckReport(
        pairing_id=pairing.pk, pairing=pairing.short_label, year_from=year_from, year_to=year_to, on=on,
        kpis=kpis_from_ledger(ledger),
        kpis_by_year=[kpis_from_ledger(ledger, y, y) for y in range(year_from, year_to + 1)],
        warnings=checker.warnings,
    )


def check_pairings(*, actor, supporter: str | None = None, recipient: str | None = None,
                   programme: str | None = None, year_from: int | None = None,
                   year_to: int | None = None) -> list[Pairing]:
    """The pairings to check: the top-level pairings the actor sees (a pairing whose parent they do
    not see counts as top-level), narrowed to a supporter and/or recipient as named (name, short
    name or division name), a programme (code or name) and those whose period meets Y1..Y2."""

    def named(prefix, name):
        return (Q(**{f"{prefix}__name": name}) | Q(**{f"{prefix}__short_name": name})
                | Q(**{f"{prefix}__division__name": name}))

    qs = Pairing.objects.restrict(actor, "view").select_related("supporter", "recipient", "programme", "parent")
    if supporter:
        qs = qs.filter(named("supporter", supporter))
    if recipient:
        qs = qs.filter(named("recipient", recipient))
    if programme:
        qs = qs.filter(Q(programme__code=programme) | Q(programme__name=programme))
    if year_to is not None:
        qs = qs.filter(valid_from__year__lte=year_to)
    if year_from is not None:
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year_from))
    found = list(qs.order_by("supporter__name", "recipient__name", "valid_from"))
    ids = {p.pk for p in found}
    return [p for p in found if p.parent_id not in ids]
