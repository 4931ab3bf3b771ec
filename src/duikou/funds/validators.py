"""The money invariants of the free-aid (grant) stream, checked on every write.

For a pairing and budget year (a *pool*; levels 市级/区级 are not separated):

- **remitted ≤ allocated**: the year's remittances (拨付) at most the year's allocations, and the
  remittances drawing on one allocation at most that allocation;
- **expenditure ≤ remitted**: the year's expenditure at most the year's remittances; the
  expenditure drawing on an allocation at most what was remitted for it (the remittances drawing
  on it, or, when the money went as a lump sum naming no allocation, the allocation itself); the
  expenditure of a project at most what was remitted for the project (likewise: its allocations
  when no remittance names it);
- **management fees** (expenditure marked ``is_management_fee``) at most ``alloc.max_mgmt_fee``
  × the year's allocations, when that rule blocks;
- **carry-over**: expenditure dated after its budget year at most the approved carry-overs
  (kind ``carry_over``) of that year, when ``funds.carry_over_needs_approval`` is true and blocks.

For a pairing five-year plan with a grant envelope: **allocated ≤ envelope**, the allocations of
the plan's years of its pairing and the pairing's sub-pairings (the envelope counts 市区两级) at
most the envelope plus the approved adjustments (kind ``adjustment``) of those pairings and years.

The two streams are never mixed (``FundTransaction.clean``); the economic-cooperation stream
records attracted investment and has no remittance chain, so these invariants are for the grant
stream only.

A write is refused when it creates a breach or makes one larger; a write that leaves an existing
breach as it was (editing the note of a row in a pool that broke a rule later tightened) passes,
so that data entered under an earlier rule stays editable. ``duikou check`` lists the breaches.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duikou.core.choices import FundStream
from duikou.organisations.models import Pairing
from duikou.plans.choices import PlanKind
from duikou.plans.models import PlanEnvelope
from duikou.rules.selectors import rule_resolve

__all__ = [
    "RULE_OF",
    "Breach",
    "MoneyRow",
    "envelope_breaches",
    "fund_transaction_breaches",
    "pool_breaches",
    "validate_fund_delete",
    "validate_fund_invariants",
]

ZERO = Decimal("0")


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


@dataclass(frozen=True)
class MoneyRow:
    """The fields of a fund transaction the invariants read."""

    pk: int | None
    kind: str
    pairing_id: int
    year: int
    amount: Decimal
    allocation_id: int | None = None
    project_id: int | None = None
    date: dt.date | None = None
    is_management_fee: bool = False
    label: str = ""
    project_code: str = ""

    @classmethod
    def of(cls, tx) -> "MoneyRow":
        code = tx.project.code if tx.project_id else ""
        return cls(tx.pk, tx.kind, tx.pairing_id, tx.year, Decimal(tx.amount), tx.allocation_id, tx.project_id,
                   tx.date, bool(tx.is_management_fee), _label(tx.doc_no, code), code)


def _label(doc_no: str, project_code: str) -> str:
    return " ".join(p for p in (project_code, doc_no) if p)


@dataclass(frozen=True)
class Breach:
    """One broken invariant: ``total`` exceeds ``limit``. ``key`` names the invariant and the pool,
    allocation, project or plan it is about; ``field`` the field the message belongs to."""

    key: tuple
    field: str
    total: Decimal
    limit: Decimal
    message: str
    records: tuple = ()  # (model, id) of the records involved: ("fund_transaction", 12), ("project", 3)

    @property
    def excess(self) -> Decimal:
        return self.total - self.limit

    @property
    def rule(self) -> str:
        """The rule key (or, for the fixed invariants, the invariant's name) the breach is of."""
        return RULE_OF[self.key[0]]


RULE_OF = {
    "remit_pool": "money.remitted_within_allocated",
    "remit_alloc": "money.remitted_within_allocated",
    "spend_pool": "money.spent_within_remitted",
    "spend_alloc": "money.spent_within_remitted",
    "spend_project": "money.spent_within_remitted",
    "envelope": "money.allocated_within_envelope",
    "mgmt_fee": "alloc.max_mgmt_fee",
    "carry_over": "funds.carry_over_needs_approval",
}


def _tx(rows) -> tuple:
    return tuple(("fund_transaction", r.pk) for r in rows if r.pk is not None)


def _sum(rows: Iterable[MoneyRow]) -> Decimal:
    return sum((r.amount for r in rows), ZERO)


def pool_breaches(pairing, year: int, rows: list[MoneyRow], *, blocking_only: bool = True, book=None) -> list[Breach]:
    """The broken invariants of one pairing's grant money of one budget year (``rows``: all its
    grant transactions of that year). ``blocking_only=False`` also reports the management-fee and
    carry-over rules where they only warn; ``book``: a ``RuleBook`` of the pairing (else the rules
    are read here)."""

    def resolve(key):
        return book.resolve(key, year) if book is not None else rule_resolve(key, pairing=pairing, year=year)

    from .models import FundTransaction

    kind = FundTransaction.Kind
    out: list[Breach] = []
    by_kind = defaultdict(list)
    for r in rows:
        by_kind[r.kind].append(r)
    allocs = {r.pk: r for r in by_kind[kind.ALLOCATION] if r.pk is not None}
    allocated = _sum(by_kind[kind.ALLOCATION])
    remittances = by_kind[kind.REMITTANCE]
    expenditures = by_kind[kind.EXPENDITURE]
    remitted = _sum(remittances)

    if remitted > allocated:
        out.append(Breach(("remit_pool", pairing.pk, year), "amount", remitted, allocated, _(
            "Remittances of budget year {year} total {total} yuan, more than the {limit} yuan allocated."
        ).format(year=year, total=yuan(remitted), limit=yuan(allocated)), _tx(remittances)))
    remitted_on = defaultdict(lambda: ZERO)
    for r in remittances:
        if r.allocation_id is not None:
            remitted_on[r.allocation_id] += r.amount
    for alloc_id, total in remitted_on.items():
        alloc = allocs.get(alloc_id)
        if alloc is not None and total > alloc.amount:
            out.append(Breach(("remit_alloc", alloc_id), "amount", total, alloc.amount, _(
                "Remittances drawing on allocation {alloc} total {total} yuan, more than its {limit} yuan."
            ).format(alloc=alloc.label or f"#{alloc_id}", total=yuan(total), limit=yuan(alloc.amount)),
                _tx([alloc, *(r for r in remittances if r.allocation_id == alloc_id)])))

    spent = _sum(expenditures)
    if spent > remitted:
        out.append(Breach(("spend_pool", pairing.pk, year), "amount", spent, remitted, _(
            "Expenditure of budget year {year} totals {total} yuan, more than the {limit} yuan remitted."
        ).format(year=year, total=yuan(spent), limit=yuan(remitted)), _tx(expenditures)))
    spent_on = defaultdict(lambda: ZERO)
    for r in expenditures:
        if r.allocation_id is not None:
            spent_on[r.allocation_id] += r.amount
    for alloc_id, total in spent_on.items():
        alloc = allocs.get(alloc_id)
        if alloc is None:
            continue
        if alloc_id in remitted_on:
            limit, basis = remitted_on[alloc_id], _("remitted for it")
        else:
            limit, basis = alloc.amount, _("allocated (remitted as part of a lump sum)")
        if total > limit:
            out.append(Breach(("spend_alloc", alloc_id), "amount", total, limit, _(
                "Expenditure drawing on allocation {alloc} totals {total} yuan, more than the {limit} yuan {basis}."
            ).format(alloc=alloc.label or f"#{alloc_id}", total=yuan(total), limit=yuan(limit), basis=basis),
                _tx([alloc, *(r for r in expenditures if r.allocation_id == alloc_id)])))
    project_of_alloc = {pk: a.project_id for pk, a in allocs.items()}
    codes = {r.project_id: r.project_code for r in rows if r.project_id is not None}
    spent_by_project = defaultdict(lambda: ZERO)
    for r in expenditures:
        project = r.project_id or project_of_alloc.get(r.allocation_id)
        if project is not None:
            spent_by_project[project] += r.amount
    for project, total in spent_by_project.items():
        named = [r for r in remittances if (r.project_id or project_of_alloc.get(r.allocation_id)) == project]
        if named:
            limit, basis = _sum(named), _("remitted for it")
        else:
            limit = _sum(a for a in by_kind[kind.ALLOCATION] if a.project_id == project)
            basis = _("allocated to it")
        if total > limit:
            out.append(Breach(("spend_project", project, year), "amount", total, limit, _(
                "Expenditure of project {project} in budget year {year} totals {total} yuan, more than the "
                "{limit} yuan {basis}."
            ).format(project=codes.get(project) or f"#{project}", year=year, total=yuan(total), limit=yuan(limit),
                     basis=basis), (("project", project),)))

    fees = _sum(r for r in expenditures if r.is_management_fee)
    if fees:
        rule = resolve("alloc.max_mgmt_fee")
        limit = rule.value * allocated
        if fees > limit and (rule.is_blocking or not blocking_only):
            out.append(Breach(("mgmt_fee", pairing.pk, year), "is_management_fee", fees, limit, _(
                "Management fees of budget year {year} total {total} yuan, more than {share} of the {allocated} "
                "yuan allocated ({limit} yuan; rule alloc.max_mgmt_fee)."
            ).format(year=year, total=yuan(fees), share=f"{(rule.value * 100).normalize():f} %",
                     allocated=yuan(allocated), limit=yuan(limit)), _tx(r for r in expenditures if r.is_management_fee)))

    late = _sum(r for r in expenditures if r.date is not None and r.date.year > year)
    if late:
        rule = resolve("funds.carry_over_needs_approval")
        approved = _sum(by_kind[kind.CARRY_OVER])
        if rule.value and late > approved and (rule.is_blocking or not blocking_only):
            out.append(Breach(("carry_over", pairing.pk, year), "date", late, approved, _(
                "Expenditure of budget year {year} dated after that year totals {total} yuan, more than the "
                "{limit} yuan whose carry-over was approved (rule funds.carry_over_needs_approval)."
            ).format(year=year, total=yuan(late), limit=yuan(approved)),
                _tx(r for r in expenditures if r.date is not None and r.date.year > year)))
    return out


@dataclass(frozen=True)
class Envelope:
    """A pairing five-year plan's grant envelope and the pairings whose allocations count against it."""

    plan_id: int
    amount: Decimal
    start_year: int
    end_year: int
    pairing_ids: frozenset

    def covers(self, row: MoneyRow) -> bool:
        return row.pairing_id in self.pairing_ids and self.start_year <= row.year <= self.end_year


def envelope_breaches(envelope: Envelope, rows: list[MoneyRow]) -> list[Breach]:
    """``rows``: the allocations and adjustments the envelope covers."""
    from .models import FundTransaction

    kind = FundTransaction.Kind
    allocated = _sum(r for r in rows if r.kind == kind.ALLOCATION)
    limit = envelope.amount + _sum(r for r in rows if r.kind == kind.ADJUSTMENT)
    if allocated <= limit:
        return []
    return [Breach(("envelope", envelope.plan_id), "amount", allocated, limit, _(
        "Allocations of {start}–{end} total {total} yuan, more than the plan's envelope of {limit} yuan "
        "(approved adjustments included)."
    ).format(start=envelope.start_year, end=envelope.end_year, total=yuan(allocated), limit=yuan(limit)),
        (("plan", envelope.plan_id),))]


# reading the database ----------------------------------------------------------------------

_FIELDS = ("pk", "kind", "pairing_id", "year", "amount", "allocation_id", "project_id", "date", "is_management_fee",
           "doc_no", "project__code")


def _rows(**filters) -> list[MoneyRow]:
    from .models import FundTransaction

    # No ORDER BY in SQL (the model's -year, kind, id made SQLite walk the register's ordering index
    # over every pairing's rows, 16 ms a call at medium scale): the same order, sorted here.
    qs = FundTransaction._base_manager.filter(stream=FundStream.GRANT, **filters).order_by().values_list(*_FIELDS)
    qs = sorted(qs, key=lambda v: (-v[3], v[1], v[0]))
    return [MoneyRow(pk, kind, pairing_id, year, amount, alloc, project, date, fee, _label(doc_no, code), code or "")
            for pk, kind, pairing_id, year, amount, alloc, project, date, fee, doc_no, code in qs]


def _ancestor_ids(pairing_id: int) -> list[int]:
    ids, current = [], pairing_id
    while current is not None and current not in ids:
        ids.append(current)
        current = Pairing._base_manager.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


def _descendant_ids(pairing_id: int) -> frozenset:
    found, frontier = {pairing_id}, {pairing_id}
    while frontier:
        frontier = set(Pairing._base_manager.filter(parent_id__in=frontier).exclude(pk__in=found)
                       .values_list("pk", flat=True))
        found |= frontier
    return frozenset(found)


def envelopes_for(pairing_id: int, year: int) -> list[Envelope]:
    """The grant envelopes of the five-year plans of the pairing or a parent pairing that cover ``year``."""
    rows = PlanEnvelope._base_manager.filter(
        stream=FundStream.GRANT, plan__kind=PlanKind.PAIRING_FIVE_YEAR, plan__pairing_id__in=_ancestor_ids(pairing_id),
        plan__start_year__lte=year, plan__end_year__gte=year,
    ).values_list("plan_id", "amount", "plan__start_year", "plan__end_year", "plan__pairing_id")
    return [Envelope(plan_id, amount, start, end, _descendant_ids(plan_pairing))
            for plan_id, amount, start, end, plan_pairing in rows]


def fund_transaction_breaches(tx, *, deleting: bool = False) -> list[Breach]:
    """The breaches that saving ``tx`` as it is now (or deleting it) would create or enlarge,
    compared with the database as it is."""
    from .models import FundTransaction

    old = None
    if tx.pk is not None:
        old = FundTransaction._base_manager.filter(pk=tx.pk).values("pairing_id", "year", "stream").first()
    new = None
    if not deleting and tx.stream == FundStream.GRANT and tx.pairing_id and tx.year:
        new = MoneyRow.of(tx)
    pools = set()
    if new is not None:
        pools.add((new.pairing_id, new.year))
    if old is not None and old["stream"] == FundStream.GRANT:
        pools.add((old["pairing_id"], old["year"]))
    if not pools:
        return []

    def after(rows, covers) -> list[MoneyRow]:
        kept = [r for r in rows if tx.pk is None or r.pk != tx.pk]
        return kept + ([new] if new is not None and covers(new) else [])

    before: list[Breach] = []
    later: list[Breach] = []
    pairings = {p.pk: p for p in Pairing._base_manager.filter(pk__in={p for p, _y in pools})
                .select_related("programme", "parent")}
    envelopes: dict[int, Envelope] = {}
    for pairing_id, year in sorted(pools):
        pairing = pairings[pairing_id]
        rows = _rows(pairing_id=pairing_id, year=year)
        before += pool_breaches(pairing, year, rows)
        later += pool_breaches(pairing, year, after(rows, lambda r, p=pairing_id, y=year: (r.pairing_id, r.year) == (p, y)))
        for envelope in envelopes_for(pairing_id, year):
            envelopes[envelope.plan_id] = envelope
    kinds = (FundTransaction.Kind.ALLOCATION, FundTransaction.Kind.ADJUSTMENT)
    for envelope in envelopes.values():
        rows = _rows(pairing_id__in=envelope.pairing_ids, year__gte=envelope.start_year,
                     year__lte=envelope.end_year, kind__in=kinds)
        before += envelope_breaches(envelope, rows)
        later += envelope_breaches(envelope, after(rows, lambda r, e=envelope: e.covers(r) and r.kind in kinds))
    excess_before = {b.key: b.excess for b in before}
    return [b for b in later if b.excess > max(excess_before.get(b.key, ZERO), ZERO)]


def _raise(breaches: list[Breach]) -> None:
    if breaches:
        errors = defaultdict(list)
        for b in breaches:
            errors[b.field].append(_("After this change: {breach}").format(breach=b.message))
        raise ValidationError(dict(errors))


def validate_fund_invariants(tx) -> None:
    """Raise ``ValidationError`` naming the field and the figures if saving ``tx`` breaks a money
    invariant (``FundTransaction.clean`` calls this)."""
    _raise(fund_transaction_breaches(tx))


def validate_fund_delete(tx) -> None:
    """The same for deleting ``tx`` (a remittance that expenditure relies on, an allocation …)."""
    _raise(fund_transaction_breaches(tx, deleting=True))
