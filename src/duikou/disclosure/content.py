"""The content of a notice, built from the records: what domain guide §5 says each kind shows.

Funds (资金来源, 规模, 用途, 使用单位, 分配原则, 分配结果) and, per project, 项目名称, 实施地点, 建设内容,
建设期限, 建设单位及责任人, 施工单位及责任人, 资金来源/构成/规模, 政府采购及招标情况, 预期目标, 实施结果
and 监督举报电话; the project library notice adds 类别, 建设性质, 时间进度, 受益对象, 绩效目标 and
利益联结机制.

Every value comes from a record: the project and its outputs and beneficiaries, its fund
transactions (allocations, expenditure), the pairing's annual plan and its fund-management
measures (a plan document). Where no record holds a value the document says so in brackets:
``（待补充）`` when the value is due at this stage but not recorded, or the stage at which it
will be known (``（招标采购后确定）``, ``（项目竣工后公告）``). Nothing is made up.

The document is Chinese whatever the interface language (it is the notice as posted): labels
are Chinese here, and choice labels of other apps are read in Chinese.

The content is plain JSON (see :func:`build_content`), frozen as ``Disclosure.content_snapshot``
at publication; the page and the .docx render only this structure. Strings about people (受益对象)
sit in parts marked ``"people": true``, where the privacy check also looks for health data and
private landlines.

Fund transactions belong to ``funds``, which sits to the right of ``disclosure``: they are read
through the project's and pairing's reverse relation ``fund_transactions`` (kinds by their stored
values), as the project page does, never imported.

Other apps may supply a field the records here lack with :func:`register_field_source` (the
performance app its indicator tree for 绩效目标, the lifecycle its procurement record …).
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import translation

from duikou.core.money import cn_amount
from duikou.organisations.selectors import pairing_tree_ids
from duikou.plans.choices import DocumentKind
from duikou.plans.models import Document
from duikou.projects.choices import Decision, ProjectStatus, TransitionKey
from duikou.projects.models import Project

from .choices import CHANNEL_NAMES, DisclosureKind

__all__ = [
    "CONTENT_VERSION",
    "FIELD_LABELS",
    "FUND_FIELDS",
    "KIND_FIELDS",
    "MISSING",
    "TOP_LABELS",
    "build_content",
    "cn_date",
    "register_field_source",
    "text_of",
]

CONTENT_VERSION = 1
MISSING = "（待补充）"

# fund transaction kinds (``funds.models.FundTransaction.Kind`` values, read, not imported)
ALLOCATION, EXPENDITURE = "allocation", "expenditure"
GRANT = "grant"
PROCURE, APPROVE = TransitionKey.PROCURE, Decision.APPROVE

FIELD_LABELS = {
    # funds
    "fund_source": "资金来源",
    "fund_amount": "资金规模",
    "fund_use": "资金用途",
    "fund_user": "使用单位",
    "fund_principle": "分配原则",
    "fund_result": "分配结果",
    # projects
    "name": "项目名称",
    "category": "类别",
    "nature": "建设性质",
    "location": "实施地点",
    "content": "建设内容",
    "period": "建设期限",
    "schedule": "时间进度",
    "builder": "建设单位及责任人",
    "contractor": "施工单位及责任人",
    "funding": "资金来源、构成及规模",
    "procurement": "政府采购及招标情况",
    "beneficiaries": "受益对象",
    "performance_targets": "绩效目标",
    "linkage": "利益联结机制",
    "expected": "预期目标",
    "result": "实施结果",
    "hotline": "监督举报电话",
}

FUND_FIELDS = ("fund_source", "fund_amount", "fund_use", "fund_user", "fund_principle", "fund_result")
PROJECT_FIELDS = ("name", "location", "content", "period", "builder", "contractor", "funding", "procurement",
                  "expected", "result", "hotline")
LIBRARY_FIELDS = ("name", "category", "nature", "location", "content", "period", "schedule", "builder", "contractor",
                  "funding", "procurement", "beneficiaries", "performance_targets", "linkage", "expected", "result",
                  "hotline")
KIND_FIELDS = {
    DisclosureKind.LIBRARY: LIBRARY_FIELDS,
    DisclosureKind.PRE_IMPLEMENTATION: PROJECT_FIELDS,
    DisclosureKind.COMPLETION: PROJECT_FIELDS,
}
# The columns of the annual plan's project table.
PLAN_COLUMNS = ("name", "location", "content", "period", "builder", "allocated", "expected")
PLAN_COLUMN_LABELS = {**FIELD_LABELS, "builder": "建设单位", "allocated": "下达资金"}

FINISHED = (ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED, ProjectStatus.HANDED_OVER, ProjectStatus.EVALUATED,
            ProjectStatus.AUDITED, ProjectStatus.CLOSED)
UNDER_WAY = (ProjectStatus.PREPARING, ProjectStatus.IN_PROGRESS, *FINISHED)
RESULT_WORDS = {
    ProjectStatus.COMPLETED: "已完工",
    ProjectStatus.ACCEPTED: "已竣工验收",
    ProjectStatus.HANDED_OVER: "已竣工验收并完成资产移交",
    ProjectStatus.EVALUATED: "已竣工验收、完成资产移交和绩效评价",
    ProjectStatus.AUDITED: "已竣工验收、完成资产移交、绩效评价和审计",
    ProjectStatus.CLOSED: "已竣工验收、完成资产移交、绩效评价和审计，已结项",
}

# The places of the document's own texts, for the privacy check's messages.
TOP_LABELS = {"title": "标题", "subtitle": "副标题", "intro": "正文", "closing": "正文", "channels": "发布渠道",
              "supervision_phone": "监督举报电话", "issuer": "发布单位", "note": "其他说明"}

_SOURCES: dict[str, list[Callable]] = {}


def register_field_source(key: str, fn: Callable) -> None:
    """Let another app supply a project field: ``fn(*, project, kind) -> str | None``; the first
    source that returns text wins over what this module builds. Apps call it in ``ready()``."""
    if key not in FIELD_LABELS:
        raise ValueError(f"unknown disclosure field {key!r}")
    if fn not in _SOURCES.setdefault(key, []):
        _SOURCES[key].append(fn)


def text_of(value) -> str:
    """A field's text: a string, or its parts joined with ；."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return text_of(value.get("value", ""))
    if isinstance(value, list):
        return "；".join(text_of(p.get("text", "") if isinstance(p, dict) else p) for p in value)
    return "" if value is None else str(value)


def cn_date(value) -> str:
    """``2025-03-01`` → ``2025年3月1日``."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _wan(amount) -> str:
    return cn_amount(amount, "万元")


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def _later(what: str) -> str:
    return f"（{what}）"


# per project ------------------------------------------------------------------------------


class _Project:
    """What the fields of one project read, fetched once."""

    def __init__(self, project: Project, actor):
        self.project = project
        self.outputs = list(project.outputs.all().restrict(actor, "view").order_by("id"))
        self.beneficiaries = list(project.beneficiaries.all().restrict(actor, "view").order_by("id"))
        moves = project.fund_transactions.all().restrict(actor, "view").filter(stream=GRANT)
        self.allocations = list(moves.filter(kind=ALLOCATION).select_related("pairing__supporter")
                                .order_by("year", "date", "id"))
        self.spent = moves.filter(kind=EXPENDITURE).aggregate(s=Sum("amount"))["s"]
        # the lifecycle's 招投标/采购 step (its date, document number and opinion), if taken
        self.procurement = (project.approvals.all().restrict(actor, "view")
                            .filter(transition=PROCURE, decision=APPROVE).order_by("-decided_on", "-id").first())

    @property
    def allocated(self) -> Decimal | None:
        return sum((a.amount for a in self.allocations), Decimal(0)) if self.allocations else None

    def outputs_text(self) -> str:
        return "、".join(f"{o.name}{_qty(o.quantity)}{o.unit}" for o in self.outputs)

    def beneficiaries_text(self) -> str:
        def one(b):
            more = {"more_than": "多", "about": ""}.get(b.qualifier, "")
            about = "约" if b.qualifier == "about" else ""
            return f"{b.group}{about}{b.count}{more}人"

        return "、".join(one(b) for b in self.beneficiaries)


def _levels(allocations) -> str:
    by_level: dict[str, Decimal] = {}
    labels = {}
    for a in allocations:
        by_level[a.level] = by_level.get(a.level, Decimal(0)) + a.amount
        labels[a.level] = a.get_level_display()
    return "，".join(f"{labels[k]}{_wan(v)}" for k, v in by_level.items())


def _supporters(allocations, pairing) -> str:
    names = list(dict.fromkeys(a.pairing.supporter.name for a in allocations)) or [pairing.supporter.name]
    return "、".join(names)


def _measures(pairing) -> Document | None:
    """The pairing's fund-management measures (资金管理办法), or its parent pairing's."""
    ids, current = [], pairing
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.parent
    for pid in ids:
        doc = Document.objects.filter(pairing_id=pid, kind=DocumentKind.MEASURES).order_by("-issued_on", "id").first()
        if doc is not None:
            return doc
    return None


def _principle(pairing) -> str:
    doc = _measures(pairing)
    if doc is None:
        return MISSING
    return f"按照《{doc.title}》{doc.doc_no}分配使用"


def _project_value(key: str, p: _Project, kind: str, phone: str):
    project = p.project
    for fn in _SOURCES.get(key, ()):
        supplied = fn(project=project, kind=kind)
        if supplied:
            return supplied
    outputs, beneficiaries = p.outputs_text(), p.beneficiaries_text()
    finished = project.status in FINISHED
    if key == "name":
        return project.name
    if key == "category":
        field = project.get_work_field_display() if project.work_field else ""
        return f"{project.key_task.name}（{field}）" if field else project.key_task.name
    if key == "nature":
        return MISSING  # 新建/改建/扩建: no record holds it
    if key == "location":
        return f"{project.location_division.name}{project.location}"
    if key == "content":
        parts = [project.description.strip()] if project.description.strip() else []
        if outputs:
            parts.append(f"主要建设：{outputs}")
        return "；".join(parts) or MISSING
    if key == "period":
        return f"{project.start_year}年" if project.start_year == project.end_year else \
            f"{project.start_year}年至{project.end_year}年"
    if key == "schedule":
        return f"计划{project.start_year}年开工，{project.end_year}年建成"
    if key == "builder":
        unit = project.implementing_unit.name if project.implementing_unit_id else MISSING
        return f"{unit}；责任人：{MISSING}"
    if key == "procurement" and p.procurement is not None:
        step = p.procurement
        text = f"{cn_date(step.decided_on)}完成招标采购" + (f"（{step.doc_no}）" if step.doc_no else "")
        return text + (f"：{step.opinion.strip()}" if step.opinion.strip() else "")
    if key in ("contractor", "procurement"):
        return MISSING if project.status in UNDER_WAY else _later("招标采购后确定")
    if key == "funding":
        if not p.allocations:
            return f"{project.pairing.supporter.name}对口支援资金{_later('资金计划下达后确定')}；项目预算{_wan(project.budget)}"
        return (f"{_supporters(p.allocations, project.pairing)}对口支援资金（无偿援助）{_wan(p.allocated)}，"
                f"其中{_levels(p.allocations)}；项目预算{_wan(project.budget)}")
    if key == "beneficiaries":
        return [{"text": beneficiaries or MISSING, "people": True}]
    if key == "performance_targets":
        parts = []
        if outputs:
            parts.append({"text": f"产出指标：{outputs}"})
        if beneficiaries:
            parts.append({"text": f"效益指标：受益{beneficiaries}", "people": True})
        return parts or MISSING
    if key == "linkage":
        return project.farmer_linkage.strip() or MISSING
    if key == "expected":
        parts = []
        if outputs:
            parts.append({"text": f"建成{outputs}"})
        if beneficiaries:
            parts.append({"text": f"惠及{beneficiaries}", "people": True})
        return parts or MISSING
    if key == "result":
        if not finished:
            return _later("项目竣工后公告")
        spent = f"，累计支出资金{_wan(p.spent)}" if p.spent else ""
        return f"项目{RESULT_WORDS[project.status]}{spent}"
    if key == "hotline":
        return phone
    raise KeyError(key)


def _row(key: str, value, labels=FIELD_LABELS) -> dict:
    return {"key": key, "label": labels[key], "value": value}


def _fund_rows_for_project(p: _Project) -> list[dict]:
    project = p.project
    unit = project.implementing_unit.name if project.implementing_unit_id else MISSING
    if p.allocations:
        amount = _wan(p.allocated)
        result = "；".join(
            f"{a.year}年下达{a.get_level_display()}资金{_wan(a.amount)}" + (f"（{a.doc_no}）" if a.doc_no else "")
            for a in p.allocations
        )
    else:
        amount = f"{_later('资金计划下达后确定')}；项目预算{_wan(project.budget)}"
        result = _later("资金计划下达后公告")
    return [
        _row("fund_source", f"{_supporters(p.allocations, project.pairing)}对口支援资金（无偿援助）"),
        _row("fund_amount", amount),
        _row("fund_use", f"用于{project.name}（{project.key_task.name}）"),
        _row("fund_user", unit),
        _row("fund_principle", _principle(project.pairing)),
        _row("fund_result", result),
    ]


# the annual plan ---------------------------------------------------------------------------


def plan_projects(disclosure, actor) -> list[Project]:
    """The projects an annual plan announcement lists: those of the plan, and those with a free-aid
    allocation of the year in the pairing or a pairing under it (区级 projects of a 市区两级 plan)."""
    tree = pairing_tree_ids(disclosure.pairing)
    allocated = Project.objects.restrict(actor, "view").filter(
        pairing_id__in=tree, fund_transactions__kind=ALLOCATION, fund_transactions__stream=GRANT,
        fund_transactions__year=disclosure.year,
    )
    ids = set(allocated.values_list("id", flat=True))
    if disclosure.plan_id:
        ids |= set(Project.objects.restrict(actor, "view").filter(annual_plan_id=disclosure.plan_id)
                   .values_list("id", flat=True))
    return list(Project.objects.filter(id__in=ids).exclude(status=ProjectStatus.CANCELLED)
                .select_related("pairing__supporter", "key_task", "location_division", "implementing_unit")
                .order_by(F("pairing__parent_id").asc(nulls_first=True), "key_task__order", "code"))


def _plan_sections(disclosure, actor, phone) -> tuple[list[dict], list[Project]]:
    projects = plan_projects(disclosure, actor)
    items = [_Project(p, actor) for p in projects]
    year_allocs = [a for p in items for a in p.allocations if a.year == disclosure.year]
    total = sum((a.amount for a in year_allocs), Decimal(0))
    by_task: dict[str, list] = {}
    for p in items:
        amount = sum((a.amount for a in p.allocations if a.year == disclosure.year), Decimal(0))
        by_task.setdefault(p.project.key_task.name, []).append(amount)
    units = list(dict.fromkeys(p.project.implementing_unit.name for p in items if p.project.implementing_unit_id))
    funds = [
        _row("fund_source", f"{_supporters(year_allocs, disclosure.pairing)}对口支援资金（无偿援助）"
             + (f"：{_levels(year_allocs)}" if year_allocs else "")),
        _row("fund_amount", _wan(total) if year_allocs else MISSING),
        _row("fund_use", "；".join(f"{task}{_wan(sum(v))}（{len(v)}个项目）" for task, v in by_task.items()) or MISSING),
        _row("fund_user", "、".join(units) or MISSING),
        _row("fund_principle", _principle(disclosure.pairing)),
        _row("fund_result", f"安排项目{len(items)}个，下达资金{_wan(total)}，明细见下表" if items else MISSING),
    ]
    rows = []
    for p in items:
        cells = []
        for key in PLAN_COLUMNS:
            if key == "allocated":
                amount = sum((a.amount for a in p.allocations if a.year == disclosure.year), Decimal(0))
                value = _wan(amount) if amount else MISSING
            elif key == "builder":
                value = p.project.implementing_unit.name if p.project.implementing_unit_id else MISSING
            else:
                value = _project_value(key, p, disclosure.kind, phone)
            cells.append({"label": PLAN_COLUMN_LABELS[key], "value": value})
        rows.append({"label": p.project.name, "code": p.project.code, "cells": cells})
    sections = [
        {"type": "fields", "label": "一、资金安排情况", "rows": funds},
        {"type": "table", "label": "二、项目安排情况", "columns": [PLAN_COLUMN_LABELS[k] for k in PLAN_COLUMNS],
         "rows": rows},
    ]
    return sections, projects


# the document ------------------------------------------------------------------------------


def _placeholders(sections) -> list[str]:
    found = []
    for section in sections:
        for row in section.get("rows", []):
            items = row.get("cells", [row])
            for item in items:
                if MISSING in text_of(item.get("value", "")) and item["label"] not in found:
                    found.append(item["label"])
    return found


def _intro(disclosure, subject: str) -> str:
    year, county = disclosure.year, disclosure.pairing.recipient_division.name
    if disclosure.kind == DisclosureKind.LIBRARY:
        return (f"为规范对口支援项目管理，提高资金使用透明度，接受社会监督，现将{subject}"
                f"纳入{county}{year}年度对口支援项目库的有关情况予以公示。")
    if disclosure.kind == DisclosureKind.ANNUAL_PLAN:
        return (f"根据{subject}，现将{disclosure.pairing.supporter.name}对口支援{county}"
                f"{year}年度资金安排和项目计划情况予以公告。")
    if disclosure.kind == DisclosureKind.PRE_IMPLEMENTATION:
        return f"{subject}即将组织实施，现将项目有关情况予以公示。"
    return f"{subject}已竣工，现将项目建设及资金使用情况予以公告。"


def _closing(disclosure, start, end, issuer: str, phone: str) -> str:
    word = "公告" if disclosure.kind in (DisclosureKind.ANNUAL_PLAN, DisclosureKind.COMPLETION) else "公示"
    if start and end:
        days = (end - start).days + 1
        period = f"{word}期为{cn_date(start)}至{cn_date(end)}（共{days}天）。"
    else:
        period = f"{word}期{MISSING}。"
    return (f"{period}{word}期间，如对{word}内容有异议，请以书面、电话等形式向{issuer}反映。"
            f"监督举报电话：{phone}。")


def build_content(disclosure, *, actor, on: dt.date | None = None) -> dict:
    """The notice's content from the records now, as JSON-safe data::

        {"version", "kind", "title", "subtitle", "year", "intro",
         "sections": [{"type": "fields", "label", "rows": [{"key", "label", "value"}]},
                      {"type": "table", "label", "columns", "rows": [{"label", "code", "cells": [{"label", "value"}]}]}],
         "closing", "period": {"start", "end", "days"}, "channels", "supervision_phone", "issuer", "date",
         "note", "placeholders", "project_ids", "project_codes"}

    A ``value`` is a string or a list of parts ``{"text", "people"?}``. ``on``: the date of
    publication (default: the disclosure's, else today).
    """
    with translation.override("zh-hans"):
        return _build(disclosure, actor=actor, on=on)


def _build(disclosure, *, actor, on) -> dict:
    kind = disclosure.kind
    phone = disclosure.supervision_phone
    issuer = disclosure.issuer.name if disclosure.issuer_id else disclosure.pairing.recipient.name
    if kind == DisclosureKind.ANNUAL_PLAN:
        sections, projects = _plan_sections(disclosure, actor, phone)
        subject = f"《{disclosure.plan.title}》" if disclosure.plan_id else "年度项目计划"
        subtitle = disclosure.plan.title if disclosure.plan_id else ""
    else:
        project = disclosure.project
        p = _Project(project, actor)
        rows = [_row(key, _project_value(key, p, kind, phone)) for key in KIND_FIELDS[kind]]
        sections = [
            {"type": "fields", "label": "一、资金情况", "rows": _fund_rows_for_project(p)},
            {"type": "fields", "label": "二、项目情况", "rows": rows},
        ]
        projects, subject, subtitle = [project], f"“{project.name}”", f"项目名称：{project.name}"
    start, end = disclosure.start_date, disclosure.end_date
    date = on or disclosure.published_on or dt.date.today()
    return {
        "labels": TOP_LABELS,
        "version": CONTENT_VERSION,
        "kind": kind,
        "title": disclosure.title or disclosure.default_title(),
        "subtitle": subtitle,
        "year": disclosure.year,
        "intro": _intro(disclosure, subject),
        "sections": sections,
        "closing": _closing(disclosure, start, end, issuer, phone),
        "period": {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
                   "days": (end - start).days + 1 if start and end else None},
        "channels": [CHANNEL_NAMES.get(c, c) for c in disclosure.channels],
        "supervision_phone": phone,
        "issuer": issuer,
        "date": date.isoformat(),
        "note": disclosure.note,
        "placeholders": _placeholders(sections),
        "project_ids": [p.pk for p in projects],
        "project_codes": [p.code for p in projects],
    }
