"""IATI 2.03 import: ``iati-activity`` elements → projects (with outputs, beneficiaries and fund
transactions) and organisations, streaming, through the audited services.

- **Streaming**: :func:`duikou.iati.xml.iter_activities` clears each activity once it is mapped,
  so memory stays flat whatever the file size.
- **Strict** (default): a first pass validates every activity against the 2.03 schema; an invalid
  file is refused with its first errors (line numbers). Then every activity is imported in one
  transaction: if one cannot be mapped, nothing is saved and the errors are listed.
- **Lenient**: one pass; each activity in its own savepoint; schema errors are reported, an
  activity that cannot be mapped is skipped and reported, the others are kept.
- **Idempotent on the activity identifier**: the project code is the identifier without the
  ``<reporting-org ref>-`` prefix when the reporting organisation is the pairing's supporter (what
  duikou's own export writes), the whole identifier otherwise; re-importing the same file changes
  nothing; a changed activity updates its project.
- **Pairing**: given (``pairing=``), or found per activity from its funding organisation (role 1
  → supporter) and accountable organisation (role 2 → recipient).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from duikou.core.errors import ApplicationError
from duikou.core.permissions import SystemActor
from duikou.funds.services import fund_transaction_create, fund_transaction_delete
from duikou.organisations.models import AdminDivision, Organisation, Pairing
from duikou.organisations.services import organisation_create
from duikou.plans.models import KeyTask
from duikou.projects.models import Project, ProjectBeneficiary
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


def _text(el, path=None) -> str:
    """The Chinese narrative of ``el`` (or of its child at ``path``), else the first one."""
    if path is not None:
        el = el.find(path) if el is not None else None
    if el is None:
        return ""
    narratives = el.findall("narrative")
    for n in narratives:
        if (n.get(XML_LANG) or "").lower().startswith("zh"):
            return (n.text or "").strip()
    return (narratives[0].text or "").strip() if narratives else (el.text or "").strip()


def _year(value: str | None) -> int | None:
    m = re.match(r"^(\d{4})-\d{2}-\d{2}", value or "")
    return int(m.group(1)) if m else None


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


def parse_activity(act) -> ActivityData:
    """What duikou reads from one ``iati-activity`` element (no database access)."""
    notes: list[str] = []
    currency = act.get("default-currency", "")
    rep = act.find("reporting-org")
    reporting = Org(rep.get("ref", ""), rep.get("type", ""), _text(rep)) if rep is not None else None
    description = farmer = ""
    for d in act.findall("description"):
        if d.get(f"{D}generated"):
            continue
        kind = d.get("type", "1")
        if kind == "1" and not description:
            description = _text(d)
        elif kind == "3" and not farmer:
            farmer = _text(d)
    orgs: dict[str, list[Org]] = {}
    for p in act.findall("participating-org"):
        orgs.setdefault(p.get("role", ""), []).append(Org(p.get("ref", ""), p.get("type", ""), _text(p)))
    status = act.get(f"{D}status") or codes.STATUS_OF_ACTIVITY_STATUS.get(
        (act.find("activity-status").get("code") if act.find("activity-status") is not None else ""), "")
    dates = {d.get("type"): _year(d.get("iso-date")) for d in act.findall("activity-date")}
    start, end = dates.get("2") or dates.get("1"), dates.get("4") or dates.get("3")
    division_code = location = ""
    lat = lon = None
    loc = act.find("location")
    if loc is not None:
        m = re.match(r"^GB2260-(\d{6,12})$", loc.get("ref", ""))
        division_code = m.group(1) if m else ""
        location = _text(loc, "name")
        pos = loc.findtext("point/pos") or ""
        parts = pos.split()
        if len(parts) == 2:
            lat, lon = _decimal(parts[0]), _decimal(parts[1])
    sector = act.get(f"{D}sector") or ""
    key_task = ""
    for s in act.findall("sector"):
        vocab = s.get("vocabulary", "1")
        if vocab == "99" and not key_task:
            key_task = s.get("code", "")
        elif vocab == "1" and not sector:
            sector = codes.sector_of_dac(s.get("code", ""))
    sector = sector or "other"
    budget = None
    foreign_budget = False
    for b in act.findall("budget"):
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
    for t in act.findall("transaction"):
        line = t.sourceline or 0
        type_code = t.find("transaction-type").get("code") if t.find("transaction-type") is not None else None
        kind = t.get(f"{D}kind") or codes.KIND_OF_TRANSACTION_TYPE.get(type_code or "")
        value = t.find("value")
        amount = _decimal(value.text) if value is not None else None
        cur = (value.get("currency") if value is not None else None) or currency
        date = _date(t.find("transaction-date").get("iso-date") if t.find("transaction-date") is not None else None)
        if kind is None or amount is None or date is None:
            notes.append(_("line {line}: transaction without a type duikou knows, an amount or a date: not "
                           "imported.").format(line=line))
            continue
        if cur != codes.CURRENCY:
            notes.append(_("line {line}: transaction in {currency}: duikou keeps yuan (CNY), not imported.").format(
                line=line, currency=cur or "?"))
            continue
        transactions.append({
            "kind": kind, "stream": t.get(f"{D}stream") or "grant", "level": t.get(f"{D}level") or "city",
            "year": int(t.get(f"{D}year") or date.year), "date": None if t.get(f"{D}undated") else date,
            "amount": amount, "doc_no": t.get("ref", "")[:100], "note": _text(t, "description")[:300],
            "is_management_fee": bool(t.get(f"{D}management-fee")),
        })
    outputs, beneficiaries = [], []
    for r in act.findall("result"):
        if r.get(f"{D}performance"):  # duikou's performance targets: entered in their own register
            continue
        for ind in r.findall("indicator"):
            unit_text = _text(ind, "description")
            target = _decimal(ind.find("period/target").get("value")) if ind.find("period/target") is not None else None
            if r.get("type") == "1" and unit_text.startswith("单位：") and target is not None:
                outputs.append((_text(ind, "title")[:200], target, unit_text[3:][:20]))
            elif r.get("type") == "2" and r.get(f"{D}qualifier") and target is not None:
                beneficiaries.append((_text(ind, "title")[:100], int(target), r.get(f"{D}qualifier")))
    return ActivityData(
        line=act.sourceline or 0, identifier=(act.findtext("iati-identifier") or "").strip(), reporting=reporting,
        title=_text(act, "title"), description=description, farmer_linkage=farmer, status=status,
        work_field=act.get(f"{D}work-field", ""), sector=sector, key_task=key_task, start_year=start, end_year=end,
        orgs=orgs, division_code=division_code, location=location, latitude=lat, longitude=lon, budget=budget,
        foreign_budget=foreign_budget, transactions=transactions, outputs=outputs, beneficiaries=beneficiaries,
        notes=notes)


# mapping -------------------------------------------------------------------------------------


class MappingError(Exception):
    pass


def _messages(exc) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.message_dict.items())
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


class Mapper:
    def __init__(self, *, actor, pairing: Pairing | None, report: ImportReport):
        self.actor, self.pairing, self.report = actor, pairing, report
        self.tasks = {t.code: t for t in KeyTask.objects.all()}
        self.orgs_created = 0  # in the current activity (its savepoint may be rolled back)

    # organisations
    def find_org(self, org: Org) -> Organisation | None:
        qs = Organisation.objects.restrict(self.actor, "view")
        if org.name:
            found = qs.filter(Q(name=org.name) | Q(short_name=org.name) | Q(names__name=org.name)).order_by("pk").first()
            if found:
                return found
        if org.ref.startswith("CN-USC-"):
            return qs.filter(credit_code=org.ref[7:]).order_by("pk").first()
        if org.ref.startswith("CN-GB2260-") and not org.name:
            return qs.filter(division__code=org.ref[10:]).order_by("pk").first()
        return None

    def org(self, org: Org) -> Organisation:
        found = self.find_org(org)
        if found:
            return found
        if not (org.name or org.ref):
            raise MappingError(_("An organisation without a name or reference."))
        data = {"name": (org.name or org.ref)[:200], "kind": codes.kind_of_org_type(org.type),
                "source": _("IATI import ({ref})").format(ref=org.ref or "—")[:300]}
        if org.ref.startswith("CN-USC-") and len(org.ref) == 25:
            data["credit_code"] = org.ref[7:]
        if org.ref.startswith("CN-GB2260-"):
            data["division"] = AdminDivision.objects.filter(code=org.ref[10:]).first()
        created = organisation_create(actor=self.actor, **data)
        self.orgs_created += 1
        return created

    def pairing_of(self, a: ActivityData) -> Pairing:
        funding = [self.find_org(o) for o in a.orgs.get(codes.ROLE_FUNDING, [])]
        if self.pairing is not None:
            # the named pairing, or its sub-pairing whose supporter funds the activity (房山区 inside 北京市)
            sub = Pairing.objects.restrict(self.actor, "view").filter(
                parent=self.pairing, supporter__in=[o for o in funding if o]).order_by("valid_from").first()
            return sub or self.pairing
        accountable = [self.find_org(o) for o in a.orgs.get(codes.ROLE_ACCOUNTABLE, [])]
        qs = Pairing.objects.restrict(self.actor, "view").filter(
            supporter__in=[o for o in funding if o], recipient__in=[o for o in accountable if o]).order_by(
            "parent_id", "valid_from")
        found = qs.first()
        if found is None:
            raise MappingError(_("No pairing found for its funding organisation (supporter) and accountable "
                                 "organisation (recipient): name the pairing with --supporter and --recipient."))
        return found

    def code_of(self, a: ActivityData, pairing: Pairing) -> str:
        try:
            prefix = org_ref(pairing.supporter) + "-"
        except ValidationError:
            prefix = None
        code = a.identifier
        if prefix and a.reporting and a.reporting.ref + "-" == prefix and code.startswith(prefix):
            code = code[len(prefix):]
        if not code:
            raise MappingError(_("The activity has no iati-identifier."))
        if len(code) > 40:
            raise MappingError(_("The project code {code} is longer than 40 characters.").format(code=code))
        return code

    # the activity
    def apply(self, a: ActivityData) -> str:
        """Create or update the project of ``a``: returns "created", "updated" or "unchanged"."""
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
            found = AdminDivision.objects.filter(code=a.division_code).first()
            if found and found.code.startswith(division.code_prefix):
                division = found
        implementing = [self.org(o) for o in a.orgs.get(codes.ROLE_IMPLEMENTING, [])[:1]]
        if a.budget is None and a.foreign_budget:
            a.notes.append(_("budget in another currency than CNY: the project budget is set to 0."))
        fields = {
            "code": code, "name": a.title[:300], "pairing": pairing, "key_task": task, "work_field": a.work_field,
            "sector": a.sector, "location_division": division, "location": a.location[:200],
            "latitude": a.latitude, "longitude": a.longitude, "start_year": a.start_year, "end_year": a.end_year,
            "budget": (a.budget or Decimal(0)).quantize(Decimal("0.01")),
            "implementing_unit": implementing[0] if implementing else None,
            "description": a.description, "farmer_linkage": a.farmer_linkage,
        }
        if isinstance(self.actor, SystemActor) and a.status:
            fields["status"] = a.status
        existing = Project.objects.filter(code=code).first()
        if existing is not None:
            if not Project.objects.restrict(self.actor, "view").filter(pk=existing.pk).exists() or \
                    existing.pairing_id != pairing.pk:
                raise MappingError(_("A project with the code {code} exists in another pairing.").format(code=code))
            changed = {k: v for k, v in fields.items() if _value(getattr(existing, k)) != _value(v)}
            if changed:
                project_update(actor=self.actor, instance=existing, **changed)
            project, outcome = existing, "updated" if changed else "unchanged"
        else:
            fields["source"] = _("IATI import ({identifier})").format(identifier=a.identifier)[:300]
            project = project_create(actor=self.actor, **fields)
            outcome = "created"
        touched = self.sync_outputs(project, a) | self.sync_beneficiaries(project, a) | self.sync_money(project, a)
        return "updated" if outcome == "unchanged" and touched else outcome

    def sync_outputs(self, project, a) -> bool:
        have = {(o.name, o.quantity, o.unit): o for o in project.outputs.all()}
        want = [(n, q.quantize(Decimal("0.01")), u) for n, q, u in a.outputs]
        return self._sync(have, want, lambda k: project_output_create(
            actor=self.actor, project=project, name=k[0], quantity=k[1], unit=k[2]), project_output_delete)

    def sync_beneficiaries(self, project, a) -> bool:
        have = {(b.group, b.count, b.qualifier): b for b in project.beneficiaries.all()}
        qualifiers = set(ProjectBeneficiary.Qualifier.values)
        want = [(g, c, q if q in qualifiers else "exact") for g, c, q in a.beneficiaries]
        return self._sync(have, want, lambda k: project_beneficiary_create(
            actor=self.actor, project=project, group=k[0], count=k[1], qualifier=k[2]), project_beneficiary_delete)

    def _sync(self, have: dict, want: list, create, delete) -> bool:
        touched = False
        remaining = list(want)
        for key, obj in list(have.items()):
            if key in remaining:
                remaining.remove(key)
            else:
                delete(actor=self.actor, instance=obj)
                touched = True
        for key in remaining:
            create(key)
            touched = True
        return touched

    def sync_money(self, project, a) -> bool:
        fields = ("kind", "stream", "level", "year", "date", "amount", "doc_no", "note", "is_management_fee")

        def key(row: dict):
            return tuple(_value(row[f]) for f in fields)

        have = [(key({f: getattr(t, f) for f in fields}), t) for t in project.fund_transactions.all()]
        have = [(k, t) for k, t in have if t.kind in codes.TRANSACTION_TYPE_OF_KIND]
        want = [key(t) for t in a.transactions]
        rows = {key(t): t for t in a.transactions}
        stale = []
        for k, t in have:
            if k in want:
                want.remove(k)
            else:
                stale.append(t)
        order = {kind: i for i, kind in enumerate(KIND_ORDER)}
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
        return bool(stale or want)


def _value(v):
    """A field value as compared for changes: a row by its id (Decimals compare by value)."""
    if hasattr(v, "pk"):
        return v.pk
    return v


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
                progress: Progress | None = None) -> ImportReport:
    """Import the activities of the IATI file at ``path``; see the module docstring."""
    if not lenient:
        n, total, first = validate_file(path, progress=progress)
        if total:
            raise ImportRefused(_("The file breaks the IATI 2.03 schema ({n} errors); nothing was imported. "
                                  "The first errors:").format(n=total), first)
    report = ImportReport()
    mapper = Mapper(actor=actor, pairing=pairing, report=report)
    with transaction.atomic():
        for root, act in _stream(path, progress):
            report.activities += 1
            data = parse_activity(act)
            if lenient:
                for e in activity_errors(root, act):
                    report.issues.append(Issue(e.line, data.identifier, _("schema: {message}").format(
                        message=e.message)))
            mapper.orgs_created = 0
            try:
                with transaction.atomic():
                    outcome = mapper.apply(data)
                report.organisations_created += mapper.orgs_created
            except (MappingError, ValidationError, PermissionDenied, ApplicationError, ObjectDoesNotExist) as exc:
                report.skipped += 1
                report.issues.append(Issue(data.line, data.identifier, _messages(exc)))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.issues.extend(Issue(data.line, data.identifier, note) for note in data.notes)
        if not lenient and report.skipped:
            raise ImportRefused(_("{n} activities could not be imported; nothing was saved.").format(
                n=report.skipped), [i for i in report.issues][:MAX_LISTED])
    return report
