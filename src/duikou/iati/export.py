"""IATI 2.03 export of a pairing's projects: one ``iati-activity`` per project, validated against
the shipped schema before anything is written (docs/user/iati.md has the mapping)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from duikou.disclosure.models import Disclosure
from duikou.organisations.models import Organisation, Pairing
from duikou.projects.choices import COUNTED_STATUSES
from duikou.projects.models import Project

from . import codes
from .xml import validate_document

__all__ = ["ExportInvalid", "activity_identifier", "export_pairing", "org_ref"]

D = codes.DUIKOU
KIND_ORDER = ["allocation", "remittance", "receipt", "disbursement", "expenditure"]
DOC_CATEGORY_OF_DISCLOSURE = {"completion": "A08"}  # results; the other notices: A12 activity web page
# 一级指标 of the performance targets → (ResultType, Chinese title, English title)
RESULT_OF_LEVEL1 = {
    "output": ("1", "绩效目标：产出指标", "Performance targets: output indicators"),
    "effect": ("2", "绩效目标：效益指标", "Performance targets: effect indicators"),
    "satisfaction": ("9", "绩效目标：满意度指标", "Performance targets: satisfaction indicators"),
}
RATING_ZH = {"excellent": "优", "good": "良", "fair": "中", "low": "低", "poor": "差"}
OPERATOR_SIGN = {"eq": "=", "gte": "≥", "lte": "≤"}


class ExportInvalid(ValueError):
    """The built document breaks the 2.03 schema (a bug or unusual data): nothing is written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:10]))


def org_ref(org: Organisation) -> str:
    """The IATI organisation identifier duikou uses for ``org``: ``CN-USC-<统一社会信用代码>`` when
    the organisation has one (the org-id.guide list for China), else ``CN-GB2260-<division code>``
    for a body with an administrative division (the government of that division). Raises
    ``ValidationError`` naming the organisation when it has neither."""
    if org.credit_code:
        return f"CN-USC-{org.credit_code}"
    if org.division_id:
        return f"CN-GB2260-{org.division.code}"
    raise ValidationError({"supporter": _("{org} has neither a unified social credit code nor a division: it has "
                                          "no IATI organisation identifier.").format(org=org)})


def activity_identifier(project: Project) -> str:
    """``<reporting-org ref>-<project code>``: the reporting organisation is the supporter of the
    project's pairing, and project codes are unique, so the identifier is stable and globally unique."""
    return f"{org_ref(project.pairing.supporter)}-{project.code}"


def _sub(parent, tag, attrib=None, text=None):
    el = etree.SubElement(parent, tag, {k: str(v) for k, v in (attrib or {}).items() if v not in (None, "")})
    if text is not None:
        el.text = str(text)
    return el


def _narratives(parent, tag, texts: dict[str, str], attrib=None):
    el = _sub(parent, tag, attrib)
    for lang, text in texts.items():
        if text:
            _sub(el, "narrative", {"{http://www.w3.org/XML/1998/namespace}lang": lang}, text)
    return el


def _org(parent, tag, org: Organisation, attrib, with_ref=True):
    ref = None
    if with_ref:
        try:
            ref = org_ref(org)
        except ValidationError:
            ref = None
    attrib = {"ref": ref, "type": codes.ORG_TYPE_OF_KIND.get(org.kind, "90"), **attrib}
    return _narratives(parent, tag, {"zh": org.name}, attrib)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _activity(root, project: Project, disclosures, base_url: str):
    pairing = project.pairing
    act = _sub(root, "iati-activity", {"default-currency": codes.CURRENCY, "hierarchy": "1", "humanitarian": "0",
                                       "{http://www.w3.org/XML/1998/namespace}lang": "zh",
                                       f"{D}status": project.status, f"{D}work-field": project.work_field,
                                       f"{D}sector": project.sector})
    _sub(act, "iati-identifier", text=activity_identifier(project))
    _org(act, "reporting-org", pairing.supporter, {})
    _narratives(act, "title", {"zh": project.name})
    if project.description:
        _narratives(act, "description", {"zh": project.description}, {"type": "1"})
    else:  # IATI wants a description: the key task and place, marked so an import does not keep it
        _narratives(act, "description", {"zh": f"{project.key_task.name}：{project.name}"},
                    {"type": "1", f"{D}generated": "1"})
    if project.farmer_linkage:
        _narratives(act, "description", {"zh": project.farmer_linkage}, {"type": "3"})
    _org(act, "participating-org", pairing.supporter, {"role": codes.ROLE_FUNDING})
    _org(act, "participating-org", pairing.recipient, {"role": codes.ROLE_ACCOUNTABLE})
    if project.implementing_unit_id:
        _org(act, "participating-org", project.implementing_unit, {"role": codes.ROLE_IMPLEMENTING})
    _sub(act, "activity-status", {"code": codes.activity_status(project.status)})
    start, end = dt.date(project.start_year, 1, 1), dt.date(project.end_year, 12, 31)
    _sub(act, "activity-date", {"iso-date": start.isoformat(), "type": "1"})  # planned start
    _sub(act, "activity-date", {"iso-date": end.isoformat(), "type": "3"})    # planned end
    _sub(act, "recipient-country", {"code": "CN", "percentage": "100"})
    division = project.location_division
    loc = _sub(act, "location", {"ref": f"GB2260-{division.code}"})
    _sub(loc, "location-reach", {"code": "1"})  # activity happens here
    if project.location:
        _narratives(loc, "name", {"zh": project.location})
    _narratives(loc, "description", {"zh": division.name})
    if project.latitude is not None and project.longitude is not None:
        point = _sub(loc, "point", {"srsName": "http://www.opengis.net/def/crs/EPSG/0/4326"})
        _sub(point, "pos", text=f"{project.latitude} {project.longitude}")
        _sub(loc, "exactness", {"code": "1"})
    _sub(loc, "location-class", {"code": "2" if project.location else "1"})
    _sub(act, "sector", {"vocabulary": "1", "code": codes.DAC_OF_SECTOR[project.sector], "percentage": "100"})
    task = project.key_task
    _narratives(act, "sector", {"zh": task.name, "en": task.name_en},
                {"vocabulary": "99", "code": task.code, "percentage": "100"})
    _sub(act, "collaboration-type", {"code": "1"})  # bilateral
    budget = _sub(act, "budget", {"type": "1", "status": "2" if project.status in COUNTED_STATUSES else "1"})
    _sub(budget, "period-start", {"iso-date": start.isoformat()})
    _sub(budget, "period-end", {"iso-date": end.isoformat()})
    _sub(budget, "value", {"currency": codes.CURRENCY, "value-date": start.isoformat()}, _amount(project.budget))
    for t in sorted(project.fund_transactions.all(), key=lambda t: (
            t.year, KIND_ORDER.index(t.kind) if t.kind in KIND_ORDER else 99, t.date or dt.date.min, t.amount,
            t.stream, t.level, t.doc_no, t.note)):
        if t.kind not in codes.TRANSACTION_TYPE_OF_KIND:
            continue
        date = t.date or dt.date(t.year, 1, 1)
        el = _sub(act, "transaction", {"ref": t.doc_no, f"{D}kind": t.kind, f"{D}stream": t.stream,
                                       f"{D}level": t.level, f"{D}year": t.year,
                                       f"{D}undated": "1" if t.date is None else None,
                                       f"{D}management-fee": "1" if t.is_management_fee else None})
        _sub(el, "transaction-type", {"code": codes.TRANSACTION_TYPE_OF_KIND[t.kind]})
        _sub(el, "transaction-date", {"iso-date": date.isoformat()})
        _sub(el, "value", {"currency": codes.CURRENCY, "value-date": date.isoformat()}, _amount(t.amount))
        if t.note:
            _narratives(el, "description", {"zh": t.note})
    for d in disclosures:
        url = base_url.rstrip("/") + reverse("disclosure:document", args=[d.pk])
        link = _sub(act, "document-link", {"format": "text/html", "url": url})
        _narratives(link, "title", {"zh": d.title or str(d)})
        _sub(link, "category", {"code": DOC_CATEGORY_OF_DISCLOSURE.get(d.kind, "A12")})
        _sub(link, "language", {"code": "zh"})
        if d.published_on:
            _sub(link, "document-date", {"iso-date": d.published_on.isoformat()})
    period = (start.isoformat(), end.isoformat())
    for output in sorted(project.outputs.all(), key=lambda o: (o.name, o.unit, o.quantity)):
        result = _sub(act, "result", {"type": "1"})  # output
        _narratives(result, "title", {"zh": output.name, "en": "Output"})
        ind = _sub(result, "indicator", {"measure": "1"})  # unit
        _narratives(ind, "title", {"zh": output.name})
        _narratives(ind, "description", {"zh": f"单位：{output.unit}"})
        _period(ind, period, output.quantity, done=project.status in codes.DONE_STATUSES)
    for b in sorted(project.beneficiaries.all(), key=lambda b: (b.group, b.count)):
        result = _sub(act, "result", {"type": "2", f"{D}qualifier": b.qualifier})  # outcome
        _narratives(result, "title", {"zh": "受益人数", "en": "Beneficiaries"})
        ind = _sub(result, "indicator", {"measure": "1"})
        _narratives(ind, "title", {"zh": b.group})
        _period(ind, period, Decimal(b.count), done=True)
    _performance(act, project, period)
    return act


def _performance(act, project: Project, period):
    """The project's performance targets (绩效目标) as results, one per 一级指标, marked
    ``duikou:performance`` (an import leaves them: they are entered in the performance register)."""
    indicators = sorted(project.performance_indicators.all(), key=lambda i: (i.order, i.pk))
    for level1, (rtype, zh, en) in RESULT_OF_LEVEL1.items():
        rows = [i for i in indicators if i.level1 == level1]
        if not rows:
            continue
        result = _sub(act, "result", {"type": rtype, f"{D}performance": "1"})
        _narratives(result, "title", {"zh": zh, "en": en})
        for i in rows:
            qualitative = i.operator == "qualitative" or i.target_value is None
            measure = "5" if qualitative else "2" if i.unit == "%" else "1"  # qualitative, percentage, unit
            ind = _sub(result, "indicator", {"measure": measure,
                                             "ascending": {"gte": "1", "lte": "0"}.get(i.operator)})
            _narratives(ind, "title", {"zh": i.name})
            target = i.target_text if qualitative else f"{OPERATOR_SIGN.get(i.operator, '')}{i.target_value.normalize():f}"
            _narratives(ind, "description", {"zh": f"{target}{i.unit}"})
            p = _sub(ind, "period")
            _sub(p, "period-start", {"iso-date": period[0]})
            _sub(p, "period-end", {"iso-date": period[1]})
            if qualitative:
                t = _sub(p, "target")
                _narratives(t, "comment", {"zh": i.target_text or "—"})
            else:
                _sub(p, "target", {"value": f"{i.target_value.normalize():f}"})
            if i.actual_value is not None:
                _sub(p, "actual", {"value": f"{i.actual_value.normalize():f}"})
            elif i.actual_rating:
                a = _sub(p, "actual")
                _narratives(a, "comment", {"zh": RATING_ZH.get(i.actual_rating, i.actual_rating)})


def _period(indicator, period, value: Decimal, done: bool):
    p = _sub(indicator, "period")
    _sub(p, "period-start", {"iso-date": period[0]})
    _sub(p, "period-end", {"iso-date": period[1]})
    _sub(p, "target", {"value": f"{value.normalize():f}"})
    if done:
        _sub(p, "actual", {"value": f"{value.normalize():f}"})


def pairing_projects(*, actor, pairing: Pairing, year_from: int | None = None, year_to: int | None = None):
    pairings = [pairing.pk, *Pairing.objects.restrict(actor, "view").filter(parent=pairing).values_list("pk", flat=True)]
    qs = Project.objects.restrict(actor, "view").filter(pairing_id__in=pairings)
    if year_from:
        qs = qs.filter(end_year__gte=year_from)
    if year_to:
        qs = qs.filter(start_year__lte=year_to)
    return (qs.select_related("pairing__supporter__division", "pairing__recipient__division", "key_task",
                              "location_division", "implementing_unit__division")
            .prefetch_related("outputs", "beneficiaries", "fund_transactions", "performance_indicators").order_by("code"))


def export_pairing(*, actor, pairing: Pairing, year_from: int | None = None, year_to: int | None = None,
                   base_url: str = "http://127.0.0.1:8000") -> bytes:
    """The IATI 2.03 ``iati-activities`` document of the pairing's projects (its sub-pairings'
    included), as UTF-8 bytes. Raises :class:`ExportInvalid` if it breaks the schema and
    ``ValidationError`` if the supporter has no organisation identifier."""
    org_ref(pairing.supporter)
    root = etree.Element("iati-activities", {"version": "2.03",
                                             "generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
                         nsmap={"duikou": codes.NS})
    projects = list(pairing_projects(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to))
    disclosures: dict[int, list] = {}
    for d in (Disclosure.objects.restrict(actor, "view")
              .filter(project__in=[p.pk for p in projects], status="published").order_by("published_on", "pk")):
        disclosures.setdefault(d.project_id, []).append(d)
    for project in projects:
        _activity(root, project, disclosures.get(project.pk, []), base_url)
    tree = etree.ElementTree(root)
    errors = validate_document(tree)
    if errors:
        raise ExportInvalid(errors)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
