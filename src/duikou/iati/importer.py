"""IATI 2.03 import: ``iati-activity`` elements → projects (with outputs, beneficiaries and fund
transactions) and organisations, streaming, through the audited services.

- **Streaming**: :func:`duikou.iati.xml.iter_activities` clears each activity once it is mapped,
  so memory stays flat whatever the file size.
- **Strict** (default): every activity is validated against the 2.03 schema before anything is
  written: a pass of its own before the first write (when an activity changes something), or along
  the import itself while nothing needs writing (a file re-imported unchanged is read once); an
  invalid file is refused with its first errors (line numbers) and nothing is written. Every
  activity is imported in one transaction: if one cannot be mapped, nothing is saved and the
  errors are listed.
- **Lenient**: one pass; schema errors are reported, an activity that cannot be mapped is skipped
  (its savepoint rolled back) and reported, the others are kept.
- **Batches** (:class:`Mapper`): what a batch of activities refers to and what the database holds
  for its project codes is read with a few queries per table; each activity is compared in Python
  and only what changed is written, through the audited services, in its own savepoint (an
  unchanged activity: no query, no savepoint, no audit record).
- **Idempotent on the activity identifier**: the project code is the identifier without the
  ``<reporting-org ref>-`` prefix when the reporting organisation is the pairing's supporter (what
  duikou's own export writes), the whole identifier otherwise; re-importing the same file changes
  nothing; a changed activity updates its project.
- **Pairing**: given (``pairing=``), or found per activity from its funding organisation (role 1
  → supporter) and accountable organisation (role 2 → recipient).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from duikou.core.errors import ApplicationError
from duikou.core.permissions import SystemActor
from duikou.funds.models import FundTransaction
from duikou.funds.services import fund_transaction_create, fund_transaction_delete
from duikou.organisations.models import AdminDivision, Organisation, Pairing
from duikou.organisations.services import organisation_create
from duikou.plans.models import KeyTask
from duikou.projects.models import Project, ProjectBeneficiary, ProjectOutput
from duikou.projects.services import (
    project_beneficiary_create,
    project_beneficiary_delete,
    project_create,
    project_output_create,
    project_output_delete,
    project_update,
)

from . import codes
from .export import KIND_ORDER, org_ref
from .xml import SchemaError, activity_errors, iter_activities

__all__ = ["ActivityData", "ImportRefused", "ImportReport", "Issue", "import_file", "parse_activity", "validate_file"]

D = codes.DUIKOU
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_LISTED = 20
BATCH_SIZE = 500  # activities mapped together: read with a few queries per table (Mapper.prepare)


class ImportRefused(ValueError):
    def __init__(self, message, errors=()):
        self.errors = list(errors)
        super().__init__(message)


@dataclass(frozen=True)
class Issue:
    line: int
    identifier: str
    message: str

    def __str__(self):
        return _("line {line} ({identifier}): {message}").format(
            line=self.line, identifier=self.identifier or "—", message=self.message)


@dataclass
class ImportReport:
    activities: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    organisations_created: int = 0
    issues: list[Issue] = field(default_factory=list)

    def as_text(self) -> str:
        return _("{n} activities: {created} created, {updated} updated, {unchanged} unchanged, {skipped} skipped; "
                 "{orgs} organisations created; {issues} problems reported").format(
            n=self.activities, created=self.created, updated=self.updated, unchanged=self.unchanged,
            skipped=self.skipped, orgs=self.organisations_created, issues=len(self.issues))


# parsing -------------------------------------------------------------------------------------


@dataclass
class Org:
    ref: str
    type: str
    name: str


@dataclass
class ActivityData:
    line: int
    identifier: str
    reporting: Org | None
    title: str
    description: str
    farmer_linkage: str
    status: str
    work_field: str
    sector: str
    key_task: str
    start_year: int | None
    end_year: int | None
    orgs: dict[str, list[Org]]
    division_code: str
    location: str
    latitude: Decimal | None
    longitude: Decimal | None
    budget: Decimal | None
    foreign_budget: bool
    transactions: list[dict]
    outputs: list[tuple[str, Decimal, str]]
    beneficiaries: list[tuple[str, int, str]]
    notes: list[str]


def _first_children(el) -> dict:
    """The first child element of ``el`` of each tag."""
    first: dict = {}
    for child in el:
        if child.tag not in first:
            first[child.tag] = child
    return first


def _narrative(el) -> str:
    """The Chinese narrative of ``el``, else the first one, else its own text."""
    if el is None:
        return ""
    first = None
    for n in el.iterchildren("narrative"):
        if (n.get(XML_LANG) or "").lower().startswith("zh"):
            return (n.text or "").strip()
        if first is None:
            first = n
    return ((first if first is not None else el).text or "").strip()


def _text(el, path=None) -> str:
    """The Chinese narrative of ``el`` (or of its child at ``path``), else the first one."""
    if path is not None:
        el = el.find(path) if el is not None else None
    return _narrative(el)


def _year(value: str | None) -> int | None:
    m = _YEAR.match(value or "")
    return int(m.group(1)) if m else None


_YEAR = re.compile(r"^(\d{4})-\d{2}-\d{2}")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal((value or "").strip().replace(",", ""))
    except InvalidOperation:
        return None


# duikou's extension attributes, by their full names
(A_GENERATED, A_STATUS, A_WORK_FIELD, A_SECTOR, A_KIND, A_STREAM, A_LEVEL, A_YEAR, A_UNDATED, A_FEE, A_PERFORMANCE,
 A_QUALIFIER) = (D + name for name in ("generated", "status", "work-field", "sector", "kind", "stream", "level", "year",
                                        "undated", "management-fee", "performance", "qualifier"))


def parse_activity(act) -> ActivityData:
    """What duikou reads from one ``iati-activity`` element (no database access).

    Each element is visited once (its children grouped by tag) rather than searched for by path:
    this runs for every activity of a file."""
    notes: list[str] = []
    currency = act.get("default-currency", "")
    children: dict[str, list] = {}
    for child in act:
        children.setdefault(child.tag, []).append(child)
    none = ()

    def first(tag):
        found = children.get(tag)
        return found[0] if found else None

    rep = first("reporting-org")
    reporting = Org(rep.get("ref", ""), rep.get("type", ""), _narrative(rep)) if rep is not None else None
    description = farmer = ""
    for d in children.get("description", none):
        if d.get(A_GENERATED):
            continue
        kind = d.get("type", "1")
        if kind == "1" and not description:
            description = _narrative(d)
        elif kind == "3" and not farmer:
            farmer = _narrative(d)
    orgs: dict[str, list[Org]] = {}
    for p in children.get("participating-org", none):
        orgs.setdefault(p.get("role", ""), []).append(Org(p.get("ref", ""), p.get("type", ""), _narrative(p)))
    activity_status = first("activity-status")
    status = act.get(A_STATUS) or codes.STATUS_OF_ACTIVITY_STATUS.get(
        (activity_status.get("code") if activity_status is not None else ""), "")
    dates = {d.get("type"): _year(d.get("iso-date")) for d in children.get("activity-date", none)}
    start, end = dates.get("2") or dates.get("1"), dates.get("4") or dates.get("3")
    division_code = location = ""
    lat = lon = None
    loc = first("location")
    if loc is not None:
        m = _GB2260.match(loc.get("ref", ""))
        division_code = m.group(1) if m else ""
        location = _text(loc, "name")
        pos = loc.findtext("point/pos") or ""
        parts = pos.split()
        if len(parts) == 2:
            lat, lon = _decimal(parts[0]), _decimal(parts[1])
    sector = act.get(A_SECTOR) or ""
    key_task = ""
    for s in children.get("sector", none):
        vocab = s.get("vocabulary", "1")
        if vocab == "99" and not key_task:
            key_task = s.get("code", "")
        elif vocab == "1" and not sector:
            sector = codes.sector_of_dac(s.get("code", ""))
    sector = sector or "other"
    budget = None
    foreign_budget = False
    for b in children.get("budget", none):
        value = b.find("value")
        if value is None:
            continue
        if (value.get("currency") or currency) != codes.CURRENCY:
            foreign_budget = True
            continue
        amount = _decimal(value.text)
        if amount is not None:
            budget = (budget or Decimal(0)) + amount
    transactions = []
    for t in children.get("transaction", none):
        line = t.sourceline or 0
        parts = _first_children(t)
        type_el, value, date_el = parts.get("transaction-type"), parts.get("value"), parts.get("transaction-date")
        type_code = type_el.get("code") if type_el is not None else None
        kind = t.get(A_KIND) or codes.KIND_OF_TRANSACTION_TYPE.get(type_code or "")
        amount = _decimal(value.text) if value is not None else None
        cur = (value.get("currency") if value is not None else None) or currency
        date = _date(date_el.get("iso-date") if date_el is not None else None)
        if kind is None or amount is None or date is None:
            notes.append(_("line {line}: transaction without a type duikou knows, an amount or a date: not "
                           "imported.").format(line=line))
            continue
        if cur != codes.CURRENCY:
            notes.append(_("line {line}: transaction in {currency}: duikou keeps yuan (CNY), not imported.").format(
                line=line, currency=cur or "?"))
            continue
        year = t.get(A_YEAR)
        transactions.append({
            "kind": kind, "stream": t.get(A_STREAM) or "grant", "level": t.get(A_LEVEL) or "city",
            "year": int(year or date.year), "date": None if t.get(A_UNDATED) else date,
            "amount": amount, "doc_no": t.get("ref", "")[:100], "note": _narrative(parts.get("description"))[:300],
            "is_management_fee": bool(t.get(A_FEE)),
        })
    outputs, beneficiaries = [], []
    for r in children.get("result", none):
        if r.get(A_PERFORMANCE):  # duikou's performance targets: entered in their own register
            continue
        result_type = r.get("type")
        for ind in r.iterchildren("indicator"):
            parts = _first_children(ind)
            unit_text = _narrative(parts.get("description"))
            target_el = ind.find("period/target")
            target = _decimal(target_el.get("value")) if target_el is not None else None
            if result_type == "1" and unit_text.startswith("单位：") and target is not None:
                outputs.append((_narrative(parts.get("title"))[:200], target, unit_text[3:][:20]))
            elif result_type == "2" and r.get(A_QUALIFIER) and target is not None:
                beneficiaries.append((_narrative(parts.get("title"))[:100], int(target), r.get(A_QUALIFIER)))
    identifier = first("iati-identifier")
    return ActivityData(
        line=act.sourceline or 0, identifier=((identifier.text or "") if identifier is not None else "").strip(),
        reporting=reporting, title=_narrative(first("title")), description=description, farmer_linkage=farmer,
        status=status, work_field=act.get(A_WORK_FIELD, ""), sector=sector, key_task=key_task, start_year=start,
        end_year=end, orgs=orgs, division_code=division_code, location=location, latitude=lat, longitude=lon,
        budget=budget, foreign_budget=foreign_budget, transactions=transactions, outputs=outputs,
        beneficiaries=beneficiaries, notes=notes)


_GB2260 = re.compile(r"^GB2260-(\d{6,12})$")


# mapping -------------------------------------------------------------------------------------


class MappingError(Exception):
    pass


def _messages(exc) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.message_dict.items())
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


FK_ATTNAMES = {"pairing": "pairing_id", "key_task": "key_task_id", "location_division": "location_division_id",
               "implementing_unit": "implementing_unit_id"}
OUTPUT_FIELDS = ("name", "quantity", "unit")
BENEFICIARY_FIELDS = ("group", "count", "qualifier")
# the fields of a project an activity sets (and "status" for the system actor), compared by id for a relation
PROJECT_FIELDS = ("code", "name", "pairing", "key_task", "work_field", "sector", "location_division", "location",
                  "latitude", "longitude", "start_year", "end_year", "budget", "implementing_unit", "description",
                  "farmer_linkage", "status")
MONEY_FIELDS = ("kind", "stream", "level", "year", "date", "amount", "doc_no", "note", "is_management_fee")
_money_key = operator.itemgetter(*MONEY_FIELDS)  # a parsed transaction's key, compared with the database's


@dataclass
class ProjectState:
    """What the database holds for one project code: the project (or none), whether the actor may
    see it, and its outputs, beneficiaries and fund transactions (in their default order), each as
    ``(pk, key)``: the key the fields :data:`OUTPUT_FIELDS`, :data:`BENEFICIARY_FIELDS`,
    :data:`MONEY_FIELDS` in that order."""

    project: dict | None  # PROJECT_FIELDS (relations by their ``_id``) and its "pk"
    visible: bool = False
    outputs: list = field(default_factory=list)
    beneficiaries: list = field(default_factory=list)
    transactions: list = field(default_factory=list)


@dataclass
class Plan:
    """The writes one activity needs, worked out before any is made."""

    pairing: Pairing
    code: str
    fields: dict
    state: ProjectState
    changed: dict
    new_org: tuple[Org, dict] | None  # an implementing organisation to create, and its fields
    outputs: tuple[list, list]
    beneficiaries: tuple[list, list]
    money: tuple[list, list, dict]

    @property
    def writes(self) -> bool:
        return bool(self.state.project is None or self.changed or self.new_org or any(
            self.outputs + self.beneficiaries + self.money[:2]))


class Mapper:
    """Maps activities to projects, a batch at a time.

    :meth:`prepare` reads, for a whole batch, what its activities refer to (organisations,
    pairings, divisions) and what the database holds for their project codes (projects, outputs,
    beneficiaries, fund transactions): a few queries per batch and table, not per activity.
    :meth:`apply` then compares each activity with that in Python and writes, through the audited
    services and in the activity's own savepoint, only what changed; an unchanged activity costs
    no query. A project written in the batch, or an organisation created, is read again for a later
    activity of the same batch (the file may name a project twice)."""

    def __init__(self, *, actor, pairing: Pairing | None, report: ImportReport):
        self.actor, self.pairing, self.report = actor, pairing, report
        self.tasks = {t.code: t for t in KeyTask.objects.all()}
        self.orgs_created = 0  # in the current activity (its savepoint may be rolled back)
        self._orgs: dict[tuple[str, str], Organisation | None] = {}  # (name, ref) → find_org's answer
        self._pairings: dict[tuple[frozenset, frozenset], Pairing | None] = {}  # (funding, accountable) ids
        self._subs: list[Pairing] | None = None  # the named pairing's sub-pairings, by valid_from
        self._divisions: dict[str, AdminDivision | None] = {}
        self._prefixes: dict[int, str | None] = {}
        self._state: dict[str, ProjectState] = {}  # by project code, for the current batch
        self._stale: set[str] = set()  # codes written in the current batch: read again
        self.before_write: Callable[[], None] | None = None  # called once, before the import's first write

    # reading a batch
    def prepare(self, batch: list[ActivityData]) -> None:
        """Read what the activities of ``batch`` refer to and what the database holds for them."""
        self._state.clear()
        self._stale.clear()
        roles = (codes.ROLE_FUNDING, codes.ROLE_ACCOUNTABLE)
        self.load_orgs([o for a in batch for r in roles for o in a.orgs.get(r, [])]
                       + [o for a in batch for o in a.orgs.get(codes.ROLE_IMPLEMENTING, [])[:1]])
        if self.pairing is None:
            self.load_pairings({self._pairing_key(a) for a in batch})
        self.load_divisions({a.division_code for a in batch if a.division_code})
        found = set()
        for a in batch:
            try:
                found.add(self.code_of(a, self.pairing_of(a)))
            except (MappingError, ValidationError, ObjectDoesNotExist):
                continue  # reported when the activity is applied
        self.load_state(found)

    def load_orgs(self, orgs) -> None:
        """Answer :meth:`find_org` for ``orgs`` at once: at most four queries, whatever their number."""
        todo = {(o.name, o.ref) for o in orgs} - self._orgs.keys()
        if not todo:
            return
        qs = Organisation.objects.restrict(self.actor, "view")
        names = {n for n, _ in todo if n}
        by_name: dict[str, int] = {}

        def keep(found: dict, key, pk):
            if key not in found or pk < found[key]:
                found[key] = pk

        if names:
            for pk, name, short in qs.filter(Q(name__in=names) | Q(short_name__in=names)).values_list(
                    "pk", "name", "short_name"):
                for n in {name, short} & names:
                    keep(by_name, n, pk)
            for pk, n in qs.filter(names__name__in=names).values_list("pk", "names__name"):
                keep(by_name, n, pk)
        credit = {ref[7:] for n, ref in todo if n not in by_name and ref.startswith("CN-USC-")}
        by_credit: dict[str, int] = {}
        if credit:
            for pk, c in qs.filter(credit_code__in=credit).values_list("pk", "credit_code"):
                keep(by_credit, c, pk)
        division = {ref[10:] for n, ref in todo if not n and ref.startswith("CN-GB2260-")}
        by_division: dict[str, int] = {}
        if division:
            for pk, c in qs.filter(division__code__in=division).values_list("pk", "division__code"):
                keep(by_division, c, pk)
        answers = {}
        for name, ref in todo:
            if name and name in by_name:
                answers[name, ref] = by_name[name]
            elif ref.startswith("CN-USC-"):
                answers[name, ref] = by_credit.get(ref[7:])
            elif ref.startswith("CN-GB2260-") and not name:
                answers[name, ref] = by_division.get(ref[10:])
            else:
                answers[name, ref] = None
        objects = Organisation.objects.in_bulk({pk for pk in answers.values() if pk is not None})
        for key, pk in answers.items():
            self._orgs[key] = objects.get(pk) if pk is not None else None

    def _pairing_key(self, a: ActivityData) -> tuple[frozenset, frozenset]:
        def ids(role):
            return frozenset(o.pk for o in (self.find_org(x) for x in a.orgs.get(role, [])) if o)

        return ids(codes.ROLE_FUNDING), ids(codes.ROLE_ACCOUNTABLE)

    def load_pairings(self, keys) -> None:
        """Answer :meth:`pairing_of` (no pairing named) for the (funding, accountable) ``keys``: one query."""
        keys = {k for k in keys if k not in self._pairings}
        if not keys:
            return
        supporters = set().union(*(f for f, _ in keys))
        recipients = set().union(*(r for _, r in keys))
        rows = []
        if supporters and recipients:
            rows = list(Pairing.objects.restrict(self.actor, "view").filter(
                supporter__in=supporters, recipient__in=recipients).select_related(
                "supporter__division", "recipient_division").order_by("parent_id", "valid_from", "pk"))
        for f, r in keys:
            self._pairings[f, r] = next((p for p in rows if p.supporter_id in f and p.recipient_id in r), None)

    def load_divisions(self, division_codes) -> None:
        todo = set(division_codes) - self._divisions.keys()
        if todo:
            found = {d.code: d for d in AdminDivision.objects.filter(code__in=todo)}
            self._divisions.update({c: found.get(c) for c in todo})

    def load_state(self, project_codes) -> None:
        """The projects of ``project_codes`` with their outputs, beneficiaries and fund transactions
        (as tuples: ``(pk, key)``, compared as :meth:`plan` does): five queries."""
        project_codes = set(project_codes)
        if not project_codes:
            return
        names = ("pk", *(FK_ATTNAMES.get(f, f) for f in PROJECT_FIELDS))
        projects = {row["code"]: row for row in (dict(zip(names, values, strict=True)) for values in
                                                 Project.objects.filter(code__in=project_codes).values_list(*names))}
        pks = [p["pk"] for p in projects.values()]
        visible, outputs, beneficiaries, transactions = set(), defaultdict(list), defaultdict(list), defaultdict(list)
        if pks:
            visible = set(Project.objects.restrict(self.actor, "view").filter(pk__in=pks).values_list("pk", flat=True))
            for model, names, into, order in ((ProjectOutput, OUTPUT_FIELDS, outputs, ["project_id", "pk"]),
                                              (ProjectBeneficiary, BENEFICIARY_FIELDS, beneficiaries,
                                               ["project_id", "pk"]),
                                              (FundTransaction, MONEY_FIELDS, transactions, [])):
                # outputs and beneficiary groups in the order project.outputs.all() gives (a repeated
                # one is matched as before); transactions are compared as a multiset, and the few to
                # delete are put in their order when they are (write_money)
                for project_id, pk, *key in model.objects.filter(project_id__in=pks).order_by(
                        *order).values_list("project_id", "pk", *names):
                    into[project_id].append((pk, tuple(key)))
        for code in project_codes:
            p = projects.get(code)
            self._state[code] = ProjectState(p) if p is None else ProjectState(
                p, p["pk"] in visible, outputs[p["pk"]], beneficiaries[p["pk"]], transactions[p["pk"]])

    def state_of(self, code: str) -> ProjectState:
        state = self._state.get(code)
        if state is None or code in self._stale:
            self.load_state([code])
            state = self._state[code]
        return state

    def run(self, batch: list[tuple[ActivityData, list[Issue]]]) -> None:
        """Map a batch of (activity, its schema issues), in order, into the report."""
        if not batch:
            return
        report = self.report
        self.prepare([data for data, _issues in batch])
        for data, issues in batch:
            report.issues.extend(issues)
            self.orgs_created = 0
            try:
                outcome = self.apply(data)
            except (MappingError, ValidationError, PermissionDenied, ApplicationError, ObjectDoesNotExist) as exc:
                report.skipped += 1
                report.issues.append(Issue(data.line, data.identifier, _messages(exc)))
                continue
            report.organisations_created += self.orgs_created
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.issues.extend(Issue(data.line, data.identifier, note) for note in data.notes)

    # organisations
    def find_org(self, org: Org) -> Organisation | None:
        """The organisation ``org`` names: by name (or short or former name), else by its credit
        code (``CN-USC-``), else, without a name, by its division (``CN-GB2260-``); the first by id."""
        key = (org.name, org.ref)
        if key not in self._orgs:
            self.load_orgs([org])
        return self._orgs[key]

    def org_data(self, org: Org) -> dict:
        """The fields of the organisation an unknown ``org`` becomes."""
        if not (org.name or org.ref):
            raise MappingError(_("An organisation without a name or reference."))
        data = {"name": (org.name or org.ref)[:200], "kind": codes.kind_of_org_type(org.type),
                "source": _("IATI import ({ref})").format(ref=org.ref or "—")[:300]}
        if org.ref.startswith("CN-USC-") and len(org.ref) == 25:
            data["credit_code"] = org.ref[7:]
        return data

    def org_create(self, org: Org, data: dict) -> Organisation:
        if org.ref.startswith("CN-GB2260-"):
            data["division"] = AdminDivision.objects.filter(code=org.ref[10:]).first()
        created = organisation_create(actor=self.actor, **data)
        self.orgs_created += 1
        self.forget_orgs()
        return created

    def forget_orgs(self) -> None:
        """A new organisation (or one rolled back) may change what names find: ask again."""
        self._orgs.clear()
        self._pairings.clear()

    def pairing_of(self, a: ActivityData) -> Pairing:
        if self.pairing is not None:
            # the named pairing, or its sub-pairing whose supporter funds the activity (房山区 inside 北京市)
            funding = self._pairing_key(a)[0]
            if self._subs is None:
                self._subs = list(Pairing.objects.restrict(self.actor, "view").filter(parent=self.pairing).select_related(
                    "supporter__division", "recipient_division").order_by("valid_from", "pk"))
            return next((p for p in self._subs if p.supporter_id in funding), None) or self.pairing
        key = self._pairing_key(a)
        if key not in self._pairings:
            self.load_pairings([key])
        found = self._pairings[key]
        if found is None:
            raise MappingError(_("No pairing found for its funding organisation (supporter) and accountable "
                                 "organisation (recipient): name the pairing with --supporter and --recipient."))
        return found

    def code_of(self, a: ActivityData, pairing: Pairing) -> str:
        if pairing.pk not in self._prefixes:
            try:
                self._prefixes[pairing.pk] = org_ref(pairing.supporter) + "-"
            except ValidationError:
                self._prefixes[pairing.pk] = None
        prefix = self._prefixes[pairing.pk]
        code = a.identifier
        if prefix and a.reporting and a.reporting.ref + "-" == prefix and code.startswith(prefix):
            code = code[len(prefix):]
        if not code:
            raise MappingError(_("The activity has no iati-identifier."))
        if len(code) > 40:
            raise MappingError(_("The project code {code} is longer than 40 characters.").format(code=code))
        return code

    def division_of(self, division_code: str) -> AdminDivision | None:
        if division_code not in self._divisions:
            self.load_divisions([division_code])
        return self._divisions[division_code]

    # the activity
    def apply(self, a: ActivityData) -> str:
        """Create or update the project of ``a``: returns "created", "updated" or "unchanged"."""
        plan = self.plan(a)
        if not plan.writes:
            return "unchanged"
        if self.before_write is not None:
            hook, self.before_write = self.before_write, None
            hook()
        self._stale.add(plan.code)
        try:
            with transaction.atomic():
                return self.write(a, plan)
        except BaseException:
            if self.orgs_created:
                self.forget_orgs()  # the organisations it created are rolled back
            raise

    def plan(self, a: ActivityData) -> Plan:
        """What ``a`` changes, read from the batch's state (raises :class:`MappingError` for an
        activity that cannot be mapped); no write."""
        pairing = self.pairing_of(a)
        code = self.code_of(a, pairing)
        if not a.title:
            raise MappingError(_("The activity has no title."))
        if a.start_year is None or a.end_year is None:
            raise MappingError(_("The activity has no planned or actual start and end dates."))
        task = self.tasks.get(a.key_task) or self.tasks.get(codes.TASK_OF_SECTOR.get(a.sector, ""))
        if task is None:
            raise MappingError(_("No key task for sector {sector}.").format(sector=a.sector))
        division = pairing.recipient_division
        if a.division_code:
            found = self.division_of(a.division_code)
            if found and found.code.startswith(division.code_prefix):
                division = found
        implementing, new_org = None, None
        for org in a.orgs.get(codes.ROLE_IMPLEMENTING, [])[:1]:
            implementing = self.find_org(org)
            if implementing is None:
                new_org = (org, self.org_data(org))
        if a.budget is None and a.foreign_budget:
            a.notes.append(_("budget in another currency than CNY: the project budget is set to 0."))
        fields = {
            "code": code, "name": a.title[:300], "pairing": pairing, "key_task": task, "work_field": a.work_field,
            "sector": a.sector, "location_division": division, "location": a.location[:200],
            "latitude": a.latitude, "longitude": a.longitude, "start_year": a.start_year, "end_year": a.end_year,
            "budget": (a.budget or Decimal(0)).quantize(Decimal("0.01")),
            "implementing_unit": implementing,
            "description": a.description, "farmer_linkage": a.farmer_linkage,
        }
        if isinstance(self.actor, SystemActor) and a.status:
            fields["status"] = a.status
        state = self.state_of(code)
        existing = state.project
        changed: dict = {}
        if existing is not None:
            if not state.visible or existing["pairing_id"] != pairing.pk:
                raise MappingError(_("A project with the code {code} exists in another pairing.").format(code=code))
            for k, v in fields.items():
                attname = FK_ATTNAMES.get(k)
                if attname is None:
                    if existing[k] != v:
                        changed[k] = v
                elif existing[attname] != (v.pk if v is not None else None) and not (
                        k == "implementing_unit" and new_org):
                    changed[k] = v
        have_outputs = {key: pk for pk, key in state.outputs}
        want_outputs = [(n, q.quantize(Decimal("0.01")), u) for n, q, u in a.outputs]
        have_beneficiaries = {key: pk for pk, key in state.beneficiaries}
        qualifiers = set(ProjectBeneficiary.Qualifier.values)
        want_beneficiaries = [(g, c, q if q in qualifiers else "exact") for g, c, q in a.beneficiaries]
        return Plan(pairing=pairing, code=code, fields=fields, state=state, changed=changed, new_org=new_org,
                    outputs=_diff(list(have_outputs.items()), want_outputs),
                    beneficiaries=_diff(list(have_beneficiaries.items()), want_beneficiaries),
                    money=self.plan_money(state, a))

    def plan_money(self, state: ProjectState, a: ActivityData) -> tuple[list, list, dict]:
        """(ids of the transactions to delete, keys of the transactions to create, the rows by key)."""
        have = [(key, pk) for pk, key in state.transactions if key[0] in codes.TRANSACTION_TYPE_OF_KIND]
        want = [_money_key(t) for t in a.transactions]
        rows = dict(zip(want, a.transactions, strict=True))
        stale, create = _diff(have, want)
        return stale, create, rows

    def write(self, a: ActivityData, plan: Plan) -> str:
        fields, existing = plan.fields, plan.state.project
        if plan.new_org is not None:
            org = self.org_create(*plan.new_org)
            fields["implementing_unit"] = org
            if existing is not None:
                plan.changed["implementing_unit"] = org
        if existing is not None:
            project = Project.objects.get(pk=existing["pk"])
            if plan.changed:
                project_update(actor=self.actor, instance=project, **plan.changed)
            outcome = "updated"
        else:
            fields["source"] = _("IATI import ({identifier})").format(identifier=a.identifier)[:300]
            project = project_create(actor=self.actor, **fields)
            outcome = "created"
        stale, create = plan.outputs
        for obj in _instances(ProjectOutput, stale):
            project_output_delete(actor=self.actor, instance=obj)
        for name, quantity, unit in create:
            project_output_create(actor=self.actor, project=project, name=name, quantity=quantity, unit=unit)
        stale, create = plan.beneficiaries
        for obj in _instances(ProjectBeneficiary, stale):
            project_beneficiary_delete(actor=self.actor, instance=obj)
        for group, count, qualifier in create:
            project_beneficiary_create(actor=self.actor, project=project, group=group, count=count,
                                       qualifier=qualifier)
        self.write_money(project, *plan.money)
        return outcome

    def write_money(self, project, stale: list, want: list, rows: dict) -> None:
        order = {kind: i for i, kind in enumerate(KIND_ORDER)}
        stale = sorted(_instances(FundTransaction, stale), key=lambda t: (-t.year, t.kind, t.pk))  # their Meta order
        for t in sorted(stale, key=lambda t: -order.get(t.kind, 0)):
            fund_transaction_delete(actor=self.actor, instance=t)
        for k in sorted(want, key=lambda k: (order.get(k[0], 99), k[3])):
            row = dict(rows[k])
            allocation = None
            if row["kind"] != "allocation":
                allocations = list(project.fund_transactions.filter(kind="allocation", year=row["year"],
                                                                    stream=row["stream"])[:2])
                allocation = allocations[0] if len(allocations) == 1 else None
            fund_transaction_create(actor=self.actor, pairing=project.pairing, project=project,
                                    allocation=allocation, **row)


def _instances(model, pks: list[int]) -> list:
    """The rows of ``model`` with the ids ``pks``, in that order (one query)."""
    found = model.objects.in_bulk(pks) if pks else {}
    return [found[pk] for pk in pks]


def _diff(have: list[tuple], want: list) -> tuple[list, list]:
    """(the objects of ``have`` — (key, object) pairs — whose key ``want`` lacks, the keys of ``want``
    ``have`` lacks), counting repeated keys: a multiset difference both ways, in the given orders."""
    if len(have) == len(want) and all(h[0] == w for h, w in zip(have, want, strict=True)):
        return [], []  # the same keys in the same order: nothing to do (the common case, cheaply)
    remaining = Counter(want)
    stale = []
    for key, obj in have:
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            stale.append(obj)
    create = []
    for key in want:
        if remaining[key] > 0:
            remaining[key] -= 1
            create.append(key)
    return stale, create


# the file ------------------------------------------------------------------------------------


Progress = Callable[[int, int, int], None]  # (activities, bytes read, file size)


def _stream(path, progress: Progress | None):
    import os

    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        n = 0
        for root, act in iter_activities(fh, path=path):
            n += 1
            yield root, act
            if progress and n % 200 == 0:
                progress(n, fh.tell(), size)
        if progress:
            progress(n, size, size)


def validate_file(path, *, limit: int = MAX_LISTED, progress: Progress | None = None) -> tuple[int, int, list]:
    """(activities, errors, first ``limit`` errors) of the file against the 2.03 schema, streaming."""
    n = total = 0
    first: list[SchemaError] = []
    for root, act in _stream(path, progress):
        n += 1
        errors = activity_errors(root, act, limit=10_000)
        total += len(errors)
        first.extend(errors[: max(0, limit - len(first))])
    return n, total, first


def import_file(path, *, actor, lenient: bool = False, pairing: Pairing | None = None,
                progress: Progress | None = None, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Import the activities of the IATI file at ``path``; see the module docstring.

    The activities are mapped in batches of ``batch_size`` (:class:`Mapper`). Strict, the whole
    file is validated before the first write: as a pass of its own when an activity is about to be
    written (the old first pass), or along the import's own pass when nothing needs writing (a file
    re-imported unchanged is read once); either way an invalid file is refused before anything is
    written, with the same errors."""
    report = ImportReport()
    mapper = Mapper(actor=actor, pairing=pairing, report=report)
    checked = False  # strict: the whole file validated (by the pass before the first write)
    schema_errors = 0
    first: list[SchemaError] = []

    def refuse(total, errors):
        return ImportRefused(_("The file breaks the IATI 2.03 schema ({n} errors); nothing was imported. "
                               "The first errors:").format(n=total), errors)

    def validate_before_writing():
        nonlocal checked
        n, total, errors = validate_file(path, progress=progress)
        if total:
            raise refuse(total, errors)
        checked = True

    if not lenient:
        mapper.before_write = validate_before_writing
    batch: list[tuple[ActivityData, list[Issue]]] = []
    with transaction.atomic():
        for root, act in _stream(path, progress):
            report.activities += 1
            if lenient:
                data = parse_activity(act)
                batch.append((data, [Issue(e.line, data.identifier, _("schema: {message}").format(message=e.message))
                                     for e in activity_errors(root, act)]))
            else:
                if not checked:
                    errors = activity_errors(root, act, limit=10_000)
                    if errors:
                        schema_errors += len(errors)
                        first.extend(errors[: max(0, MAX_LISTED - len(first))])
                    if schema_errors:  # refused, and nothing written yet: the rest is only checked
                        batch.clear()
                        continue
                batch.append((parse_activity(act), []))
            if len(batch) >= batch_size:
                mapper.run(batch)
                batch = []
        if schema_errors:
            raise refuse(schema_errors, first)
        mapper.run(batch)
        if not lenient and report.skipped:
            raise ImportRefused(_("{n} activities could not be imported; nothing was saved.").format(
                n=report.skipped), [i for i in report.issues][:MAX_LISTED])
    return report
