"""Reads for the rules: the rule in force for a pairing and year, and the restricted lists.

:func:`rule_value` is the contract the other apps code against (the funds services, the project
workflow, ``duikou check``). It reads past ``restrict()`` on purpose: the rule in force binds
everyone, whoever asks; who may *see* the rule rows is the business of :func:`rule_list`.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from duikou.core.selectors import crud_selectors

from .defaults import DEFAULT_RULES, RuleDefault, rule_default
from .models import Rule
from .values import parse_value

__all__ = [
    "ResolvedRule",
    "RuleBook",
    "rule_get",
    "rule_list",
    "rule_resolve",
    "rule_table",
    "rule_value",
]

rule_list, rule_get = crud_selectors(Rule)


@dataclass(frozen=True)
class ResolvedRule:
    """The rule in force: its value, whether it blocks, and the row it comes from (``None``: the default)."""

    key: str
    value: object
    is_blocking: bool
    year: int
    default: RuleDefault
    rule: Rule | None = None

    @property
    def source(self) -> str:
        if self.rule is not None and self.rule.source:
            return self.rule.source
        return self.default.source

    @property
    def origin(self) -> str:
        """``default`` or the scope of the row that set the value."""
        return "default" if self.rule is None else self.rule.scope_label


def _pairing_chain(pairing) -> list:
    """The pairing and its parents (a 房山区 → 巴东县 sub-pairing inherits 北京市 → 巴东县's rules)."""
    chain, seen = [], set()
    while pairing is not None and pairing.pk not in seen:
        chain.append(pairing)
        seen.add(pairing.pk)
        pairing = pairing.parent if pairing.parent_id else None
    return chain


def _rank(rule: Rule, chain: list, recipient_id) -> tuple | None:
    """How specific a row is for the pairing (lower wins); ``None`` when it does not apply.

    The pairing's own supporter and recipient > its supporter alone > the same for each parent
    pairing in turn > its recipient alone > no organisation; within each, a row for the programme
    beats a row for every programme."""
    programme_rank = 0 if rule.programme_id else 1
    sup, rec = rule.supporter_id, rule.recipient_id
    if sup is not None:
        for level, pairing in enumerate(chain):
            if sup == pairing.supporter_id and rec == pairing.recipient_id:
                return (0, level, 0, programme_rank)
            if sup == pairing.supporter_id and rec is None:
                return (0, level, 1, programme_rank)
        return None
    if rec is not None:
        return (1, 0, 0, programme_rank) if rec == recipient_id else None
    return (2, 0, 0, programme_rank)


class RuleBook:
    """The rule rows that may apply to one pairing (or programme), read once: resolve many keys and
    years without a query each (``duikou check`` and the dashboard resolve dozens)."""

    def __init__(self, *, pairing=None, programme=None, keys=None):
        if pairing is not None and programme is None:
            programme = pairing.programme
        self.chain = _pairing_chain(pairing)
        self.recipient_id = self.chain[0].recipient_id if self.chain else None
        rows = Rule.objects.all()
        if keys is not None:
            rows = rows.filter(key__in=list(keys))
        rows = rows.filter(Q(programme__isnull=True) | Q(programme=programme)) if programme is not None else (
            rows.filter(programme__isnull=True))
        if self.chain:
            rows = rows.filter(Q(supporter__isnull=True) | Q(supporter_id__in={p.supporter_id for p in self.chain}))
            rows = rows.filter(Q(recipient__isnull=True) | Q(recipient_id=self.recipient_id))
        else:
            rows = rows.filter(supporter__isnull=True, recipient__isnull=True)
        self.rows = [(r, rank) for r in rows.order_by("id") if (rank := _rank(r, self.chain, self.recipient_id))
                     is not None]

    def resolve(self, key: str, year: int) -> ResolvedRule:
        default = rule_default(key)
        ranked = [(r, rank) for r, rank in self.rows if r.key == key and r.covers_year(year)]
        if not ranked:
            return ResolvedRule(key, default.default, default.is_blocking, year, default)
        rule = min(ranked, key=lambda pair: pair[1])[0]
        blocking = default.is_blocking if rule.is_blocking is None else rule.is_blocking
        return ResolvedRule(key, parse_value(default.kind, rule.value), blocking, year, default, rule)

    def value(self, key: str, year: int):
        return self.resolve(key, year).value


def rule_resolve(key: str, *, pairing=None, programme=None, year: int | None = None,
                 on: dt.date | None = None) -> ResolvedRule:
    """The rule ``key`` in force for ``pairing`` (or ``programme``) in ``year`` (default: this year).

    The most specific row valid in the year wins (see :func:`_rank`); without one, the default
    of :data:`~duikou.rules.defaults.DEFAULT_RULES`. ``KeyError`` for an unknown key."""
    rule_default(key)
    if year is None:
        year = (on or timezone.localdate()).year
    return RuleBook(pairing=pairing, programme=programme, keys=[key]).resolve(key, year)


def rule_value(key: str, *, pairing=None, programme=None, year: int | None = None):
    """The parameter of rule ``key`` for the pairing (or programme) in ``year``: Decimal for shares
    and amounts, int for days and counts, ``"MM-DD"`` for days of the year, bool, or text.

    The most specific matching rule wins (the pairing's supporter and recipient > its supporter >
    its recipient > the programme > every programme); without one, the key's default."""
    return rule_resolve(key, pairing=pairing, programme=programme, year=year).value


def rule_table(*, pairing=None, programme=None, year: int | None = None) -> list[ResolvedRule]:
    """Every rule key with the value in force for the pairing (or programme) and year, in key order."""
    return [rule_resolve(key, pairing=pairing, programme=programme, year=year) for key in sorted(DEFAULT_RULES)]
