"""Registers: the list, detail, create, edit and export pages of one model, declared once.

A domain app declares its registers in ``<app>/registers.py`` (found at start-up)::

    register(Register(
        model=Project, slug="projects", group="projects",
        columns=[Column("code", link=True), Column("name"), pairing_column(), Column("budget", money=True)],
        filterset=ProjectFilterSet, search=["code", "name", "location"],
        form=ProjectForm, create=project_create, update=project_update,
        select_related=[*pairing_joins(), "key_task"],
    ))

``pairing_column()``, ``pairing_joins()``, ``RECORD_COLUMNS``, ``sum_of()`` and ``distinct_count()``
are the pieces most registers share.

Rows always come from ``model.objects.restrict(actor, "view")``; writes always go through the
app's services (which check the right again, validate with ``full_clean()`` and leave an audit
record). Cell values are computed here in Python, never in templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from duikou.core.permissions import scope_for

__all__ = [
    "GROUPS",
    "RECORD_COLUMNS",
    "Cell",
    "Column",
    "Register",
    "Related",
    "Summary",
    "all_registers",
    "cells_for",
    "distinct_count",
    "find_register",
    "format_money",
    "get_register",
    "is_money_field",
    "pairing_column",
    "pairing_joins",
    "register",
    "register_for",
    "sum_of",
    "url_for",
]

# Navigation groups, in menu order.
GROUPS = [
    ("projects", _("Projects")),
    ("funds", _("Funds")),
    ("plans", _("Plans")),
    ("people", _("Cadres and training")),
    ("consumption", _("Consumption assistance")),
    ("investment", _("Investment")),
    ("organisations", _("Organisations")),
]

_REGISTERS: dict[str, Register] = {}


def format_money(value) -> str:
    """Yuan with thousands separators and two decimals: ``1,146,380,000.00``."""
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}"


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False
    illustrative: bool = False


@dataclass
class Column:
    """One column: ``name`` is a dotted attribute path from the row (``pairing.supporter``);
    ``order`` the ORM lookup to sort by (defaults to the path when it is a database field)."""

    name: str
    label: str | None = None
    link: bool = False
    money: bool | None = None  # None: decided by the field (see is_money_field)
    order: str | None | bool = None
    export_only: bool = False

    def resolve_label(self, model) -> str:
        if self.label is not None:
            return str(self.label)
        f = _field_at(model, self.name)
        return str(f.verbose_name) if f is not None else self.name

    def is_money(self, model) -> bool:
        if self.money is not None:
            return self.money
        return is_money_field(_field_at(model, self.name))

    def order_lookup(self, model) -> str | None:
        if self.order is False:
            return None
        if isinstance(self.order, str):
            return self.order
        path = self.name.replace(".", "__")
        return path if _field_at(model, self.name) is not None else None


def pairing_column(path: str = "pairing", **kwargs) -> Column:
    """The pairing's short label (supporter → recipient), sorted by the supporter's name.

    ``path`` leads from the row to its pairing, dotted or as a lookup (``batch.pairing`` or
    ``batch__pairing``); ``kwargs`` are further ``Column`` options. Select ``pairing_joins(path)``."""
    dotted = path.replace("__", ".")
    lookup = dotted.replace(".", "__")
    return Column(f"{dotted}.short_label", label=_("pairing"), order=f"{lookup}__supporter__name", **kwargs)


def pairing_joins(path: str = "pairing") -> list[str]:
    """The ``select_related`` lookups the pairing's short label reads (its supporter and recipient)."""
    lookup = path.replace(".", "__")
    return [f"{lookup}__supporter", f"{lookup}__recipient"]


# The export-only columns of every record (``RecordModel``). Shared by the registers: nothing
# changes a Column after it is declared.
RECORD_COLUMNS = (Column("is_illustrative", export_only=True), Column("source", export_only=True))


def _field_at(model, dotted: str):
    """The model field at the end of a dotted path, or None."""
    current = model
    f = None
    for part in dotted.split("."):
        try:
            f = current._meta.get_field(part)
        except Exception:  # noqa: BLE001 - not a field (a property or method)
            return None
        if f.is_relation and f.related_model is not None:
            current = f.related_model
    return f


def raw_value(obj, dotted: str):
    """The value at a dotted path; choice fields give their label; callables are called."""
    value = obj
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        if display is not None and i == len(parts) - 1:
            return display()
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Model) and not hasattr(value, "all"):
            value = value()
    return value


MONEY_FIELD_NAMES = {"amount", "budget", "funds"}


def is_money_field(f) -> bool:
    """Money fields are Decimal yuan with two places named ``amount``, ``budget``, ``funds`` or ``*_amount``."""
    return (isinstance(f, models.DecimalField) and f.decimal_places == 2
            and (f.name in MONEY_FIELD_NAMES or f.name.endswith("_amount")))


def cells_for(obj, columns) -> list[Cell]:
    """The displayed cells of one row."""
    out = []
    for col in columns:
        value = raw_value(obj, col.name)
        money = col.is_money(type(obj))
        url = url_for(obj) if col.link else (url_for(value) if isinstance(value, models.Model) else None)
        out.append(Cell(
            text=display_value(value, money=money),
            url=url,
            numeric=money or (isinstance(value, int | Decimal) and not isinstance(value, bool)),
            illustrative=col.link and getattr(obj, "is_illustrative", False),
        ))
    return out


def display_value(value, *, money: bool = False) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if money:
        return format_money(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, dt.datetime):
        return date_format(value, "Y-m-d H:i")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "all") and callable(value.all):
        return "、".join(str(v) for v in value.all())
    return str(value)


@dataclass
class Summary:
    """A figure of the filtered rows shown above the table, e.g. the sum of 人次.

    ``compute(queryset)`` returns the value (an aggregate query); ``money`` formats it as yuan.
    Dashboards link to a register with the same filters, so a card equals this figure."""

    key: str
    label: str
    compute: Callable
    money: bool = False

    def value(self, queryset) -> str:
        value = self.compute(queryset)
        return format_money(value) if self.money else display_value(value if value is not None else 0)


def sum_of(field: str) -> Callable:
    """``Summary.compute``: the sum of ``field`` over the rows (0 when there are none)."""
    return lambda queryset: queryset.aggregate(s=Sum(field))["s"] or 0


def distinct_count(field: str) -> Callable:
    """``Summary.compute``: how many different ``field`` values the rows have (nulls not counted)."""
    return lambda queryset: queryset.aggregate(n=Count(field, distinct=True))["n"]


@dataclass
class Related:
    """A section of a detail page: rows related to the object, as a small table."""

    title: str
    rows: Callable  # (obj, actor) -> queryset (already restricted)
    columns: Sequence[Column]
    register: str | None = None  # slug of the rows' register, for links and "new" buttons
    add_param: str | None = None  # query parameter that presets the parent on the rows' create form


@dataclass
class Register:
    model: type[models.Model]
    slug: str
    group: str
    columns: Sequence[Column]
    filterset: type | None = None
    search: Sequence[str] = ()
    form: type | None = None
    create: Callable | None = None
    update: Callable | None = None
    # Many new rows at once, checked as ``create`` checks each (``audit.services.object_bulk_create``):
    # (*, actor, rows, partial) -> BulkCreateResult. None: the importers create row by row.
    bulk_create: Callable | None = None
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    detail_fields: Sequence[str] | None = None
    related: Sequence[Related] = ()
    total: str | None = None  # a money field summed over the filtered rows
    summaries: Sequence[Summary] = ()  # further figures of the filtered rows (人次, 企业数 …)
    default_order: Sequence[str] | None = None
    label: str | None = None
    detail_template: str = "ui/detail.html"
    detail_context: Callable | None = None  # (request, obj) -> dict of extra context
    initial: Callable | None = None  # (request) -> initial form data from the query string
    # Further pages about one record, shown as buttons on its detail page, added by apps above
    # the register's own: each (obj, user) -> (label, url) or None when the user has no such page.
    links: list[Callable] = field(default_factory=list)

    # names ------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return capfirst(str(self.label or self.model._meta.verbose_name_plural))

    @property
    def item_name(self) -> str:
        return str(self.model._meta.verbose_name)  # inside a sentence: not capitalised

    def url_name(self, view: str) -> str:
        return f"ui:{self.slug}-{view}"

    def list_url(self) -> str:
        return reverse(self.url_name("list"))

    # rows -------------------------------------------------------------------------------
    def queryset(self, actor, action: str = "view"):
        qs = self.model.objects.restrict(actor, action)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def visible_columns(self):
        return [c for c in self.columns if not c.export_only]

    def cells(self, obj, columns=None) -> list[Cell]:
        return cells_for(obj, columns or self.visible_columns())

    # rights -----------------------------------------------------------------------------
    def may_view(self, user) -> bool:
        scope = scope_for(user, "view")
        return scope.all or bool(scope.org_ids) or (
            getattr(self.model, "restrict_public_view", False) and user.is_authenticated
        )

    def may_add(self, user) -> bool:
        if self.form is None or self.create is None:
            return False
        scope = scope_for(user, "add")
        return scope.all or bool(scope.org_ids)


def register(reg: Register) -> Register:
    if reg.slug in _REGISTERS:
        raise ValueError(f"register {reg.slug!r} declared twice")
    _REGISTERS[reg.slug] = reg
    return reg


def get_register(slug: str) -> Register:
    return _REGISTERS[slug]


def find_register(slug: str) -> Register | None:
    return _REGISTERS.get(slug)


def all_registers() -> list[Register]:
    order = {key: i for i, (key, _label) in enumerate(GROUPS)}
    return sorted(_REGISTERS.values(), key=lambda r: order.get(r.group, len(order)))


def register_for(model_or_obj) -> Register | None:
    """The register that shows rows of this model (a proxy's concrete model counts too)."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    for reg in _REGISTERS.values():
        if reg.model is model:
            return reg
    concrete = model._meta.concrete_model
    for reg in _REGISTERS.values():
        if reg.model is concrete:
            return reg
    return None


def url_for(obj) -> str | None:
    reg = register_for(obj)
    if reg is None or obj.pk is None:
        return None
    try:
        return reverse(reg.url_name("detail"), args=[obj.pk])
    except NoReverseMatch:
        return None
