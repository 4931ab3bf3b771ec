"""Register totals: counts and money sums of a big table, kept per combination of a few fields.

A national register lists 3 million fund transactions; its paginator counts them and its total line
sums them, which takes the database 0.3–1.4 s on the development machine. A :class:`Totals` keeps,
for a source model (``FundTransaction``), a small table (``FundTotal``) with one row per combination
of its ``dims`` (pairing, year, kind, stream, level, illustrative): how many source rows have it
(``n``) and the sum of their money field in cents (``total_cents``, an integer, so that the sums are
exact on SQLite too). The register list then reads its count and total from the small table whenever
its filters are on those fields only (:func:`answer`), and from the source rows otherwise.

**Kept by the write services, in their transaction.** Every write of an audited record goes through
the audit service (:mod:`duikou.audit.services`), which calls :func:`apply` with the record's
values before and after the change, in the same transaction as the write and its audit record: a
create adds one to its combination, a delete takes one away, an update does both. This is not a
signal: it is called explicitly by the write path every change must take, and bulk writes
(``record_bulk``) are kept the same way. Paths that write source rows without a per-row audit
record (``duikou generate``'s bulk load and bulk delete) rebuild the totals themselves
(:func:`rebuild`). ``duikou totals check`` recomputes every table from its source rows and
compares; ``duikou totals rebuild`` rewrites them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round

__all__ = ["Totals", "answer", "apply", "check", "computed", "fill", "for_model", "rebuild", "register", "registered"]

CENTS = Decimal(100)
_registry: dict[type, Totals] = {}


@dataclass(frozen=True)
class Totals:
    """The totals of ``source`` kept in ``table``.

    ``dims``: field names present on both models (foreign keys by name); ``money``: the source's
    money field, kept as ``total_cents``; ``filters``: the register filters (django-filter names)
    that the table answers alike, because they filter only on ``dims`` (the same filter is applied to
    the table's rows)."""

    source: type
    table: type
    dims: tuple[str, ...]
    money: str
    filters: frozenset[str] = field(default_factory=frozenset)

    def attnames(self) -> list[str]:
        return [self.source._meta.get_field(name).attname for name in self.dims]

    def key(self, values: dict) -> tuple:
        """The combination of a record's values (an audit snapshot: foreign keys as ids)."""
        return tuple(values.get(name) for name in self.dims)


def register(totals: Totals) -> Totals:
    """Declare ``totals`` (from an app's ``ready()``). The table's rows must be restricted like the
    source's: both reach organisations through the same ``restrict_paths``."""
    if tuple(totals.source.restrict_paths) != tuple(totals.table.restrict_paths):
        raise ValueError(f"{totals.table.__name__} must be restricted like {totals.source.__name__}")
    _registry[totals.source._meta.concrete_model] = totals
    return totals


def registered() -> list[Totals]:
    return list(_registry.values())


def for_model(model) -> Totals | None:
    """The totals kept for ``model`` (or the concrete model of a proxy such as ``FundAllocation``)."""
    return _registry.get(model._meta.concrete_model)


def _cents(value) -> int:
    return int((Decimal(str(value)) * CENTS).to_integral_value()) if value not in (None, "") else 0


def apply(model, changes, *, using: str | None = None) -> None:
    """Keep the totals of ``model`` for ``changes``: ``(before, after)`` pairs of a record's values
    (audit snapshots; ``None`` before a create and after a delete). One statement per combination
    touched, an upsert that adds to the row (``INSERT … ON CONFLICT … DO UPDATE``, the same SQL on
    SQLite ≥ 3.24 and PostgreSQL), safe under concurrent writers."""
    totals = for_model(model)
    if totals is None:
        return
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for before, after in changes:
        for values, sign in ((before, -1), (after, 1)):
            if values is None:
                continue
            delta = deltas[totals.key(values)]
            delta[0] += sign
            delta[1] += sign * _cents(values.get(totals.money))
    deltas = {k: v for k, v in deltas.items() if v != [0, 0]}
    if not deltas:
        return
    using = using or router.db_for_write(totals.table)
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(totals.table._meta.db_table)
    columns = [qn(totals.table._meta.get_field(name).column) for name in totals.dims]
    n, cents = qn("n"), qn("total_cents")
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, {n}, {cents}) "
        f"VALUES ({', '.join(['%s'] * (len(columns) + 2))}) "
        f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET "
        f"{n} = {table}.{n} + excluded.{n}, {cents} = {table}.{cents} + excluded.{cents}"
    )
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, [[*key, delta[0], delta[1]] for key, delta in deltas.items()])


def _computed(totals: Totals, using: str) -> dict[tuple, tuple[int, int]]:
    return computed(totals.source, totals.attnames(), totals.money, using)


def computed(source, attnames: list[str], money: str, using: str) -> dict[tuple, tuple[int, int]]:
    """``{combination: (n, cents)}`` from the source rows (exact cents on both databases)."""
    rows = (
        source._base_manager.using(using).order_by().values(*attnames)
        .annotate(n=Count("pk"), cents=Sum(Cast(Round(F(money) * 100), BigIntegerField())))
        .values_list(*attnames, "n", "cents")
    )
    return {tuple(row[:-2]): (row[-2], int(row[-1] or 0)) for row in rows}


def fill(source, table, attnames: list[str], money: str, using: str) -> int:
    """Rewrite ``table`` from ``source``'s rows (also for migrations, with historical models)."""
    found = computed(source, attnames, money, using)
    with transaction.atomic(using=using):
        table._base_manager.using(using).all().delete()
        table._base_manager.using(using).bulk_create(
            [table(**dict(zip(attnames, key, strict=True)), n=n, total_cents=cents) for key, (n, cents) in found.items()],
            batch_size=2000,
        )
    return len(found)


def _kept(totals: Totals, using: str) -> dict[tuple, tuple[int, int]]:
    rows = totals.table._base_manager.using(using).values_list(*totals.attnames(), "n", "total_cents")
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in rows if row[-2] or row[-1]}


def check(totals: Totals, *, using: str | None = None) -> list[str]:
    """The differences between ``totals``' table and its source rows recomputed (empty: they agree)."""
    using = using or router.db_for_read(totals.table)
    found, kept = _computed(totals, using), _kept(totals, using)
    out = []
    for key in sorted(set(found) | set(kept), key=repr):
        want, have = found.get(key, (0, 0)), kept.get(key, (0, 0))
        if want != have:
            where = ", ".join(f"{name}={value}" for name, value in zip(totals.dims, key, strict=True))
            out.append(f"{totals.table._meta.label} ({where}): kept n={have[0]} total={Decimal(have[1]) / CENTS:.2f}, "
                       f"recomputed n={want[0]} total={Decimal(want[1]) / CENTS:.2f}")
    return out


def rebuild(totals: Totals, *, using: str | None = None) -> int:
    """Rewrite ``totals``' table from its source rows, in one transaction; the number of rows."""
    using = using or router.db_for_write(totals.table)
    return fill(totals.source, totals.table, totals.attnames(), totals.money, using)


def answer(register_model, filterset, *, actor, search: str = "", money: str | None = None) -> tuple[int, Decimal] | None:
    """(count, total in yuan of ``money``) of the rows a register list shows, from the totals table,
    or ``None`` where the table cannot answer: another money field, a search, an invalid filter set, a
    filter on a field the table does not keep. ``filterset``: the list's filter set (or ``None``)."""
    totals = for_model(register_model)
    if totals is None or search or money != totals.money:
        return None
    qs = totals.table.objects.restrict(actor, "view")
    if register_model is not totals.source._meta.concrete_model:
        fixed = getattr(register_model, "totals_filter", None)  # a proxy's fixed filter (allocations)
        if fixed is None:
            return None
        qs = qs.filter(**fixed)
    if filterset is not None and filterset.is_bound:
        if not filterset.is_valid():
            return None
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, "", [], ()) or (hasattr(value, "exists") and not value):
                continue
            if name not in totals.filters:
                return None
            qs = filterset.filters[name].filter(qs, value)
    found = qs.aggregate(n=Sum("n"), cents=Sum("total_cents"))
    return int(found["n"] or 0), (Decimal(int(found["cents"] or 0)) / CENTS).quantize(Decimal("0.01"))
