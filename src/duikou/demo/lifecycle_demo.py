"""The demo's lifecycle histories: every Badong project gets the approval records of the steps
its status has passed (domain guide §5), with plausible dates, offices, opinions and document
numbers. Every record is illustrative (the sources give no approval dates).

Who decides (the default policy of :mod:`duikou.projects.workflow`): 巴东县's office
(巴东县区域合作中心, role ``recipient_office``) proposes, reviews and records the implementation
steps; 北京市's office (named as it was at the time: 北京市扶贫支援办 → 北京市支援合作办 →
北京市发展和改革委员会) or, inside its sub-pairing, 房山区's office approves the library entry,
the annual plan and the closing. A 房山区 project above ``approval.high_amount_threshold`` is
approved into the library by 北京市.

The calendar (first year Y, last year E) follows the notices of ``disclosure_demo`` (项目库公示
in November of the year before, 年度计划公告 and 实施前公示 in spring, 竣工公告 in March after
the works):

==================  ===============  ==================  ===============
申报 propose          Y-1-09-15        完工 complete        E-09-30
乡镇审核              Y-1-10-10        竣工验收 accept       E-10-25
审定入库              Y-1-11-20        资产移交 hand over    E-12-15
年度计划下达          Y-03-31          绩效评价 evaluate     E+1-01-20
实施协议              Y-04-08          审计 audit            E+1-02-25
招投标/采购           Y-04-18          关闭 close            E+1-03-20
开工                  Y-04-25
==================  ===============  ==================  ===============

(A project running into 2025 that is complete counts 2024 as its last year.) The plan's
document number is the allocation's (京巴援〔Y〕n号, 房援〔Y〕n号).

Five projects of 2025 wait in the pipeline (:data:`PIPELINE`), so that each demo user finds
something on the to-do list: a draft and a proposal for 巴东县 (badong), a reviewed project above
the high-amount threshold and one in the library for 北京市 (beijing), a reviewed 房山区 project for
房山区 (fangshan). They are illustrative and not counted in the figures (no annual plan yet).

Idempotent: a project that has approval records keeps them (they are immutable); a project
without gets its history, written with ``bulk_create`` and audited with ``record_bulk``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from duikou.accounts.models import Role
from duikou.audit.models import ObjectChange
from duikou.audit.services import record_bulk
from duikou.funds.models import FundTransaction
from duikou.projects.choices import Decision, ProjectStatus
from duikou.projects.models import ApprovalRecord, Project
from duikou.projects.workflow import TRANSITIONS
from duikou.rules.selectors import rule_value

from . import facts as F

__all__ = ["MAIN_STEPS", "PIPELINE", "history_of", "load_lifecycle_demo", "load_pipeline_projects"]

GEN = "duikou demo generator (illustrative)"
RECIPIENT_OFFICE = "巴东县区域合作中心"
FANGSHAN_OFFICE = "房山区对口支援工作机构"

MAIN_STEPS = ["propose", "township_review", "approve_library", "plan", "agree", "procure", "start", "complete",
              "accept", "hand_over", "evaluate", "audit", "close"]
SUPPORTER_STEPS = {"approve_library", "plan", "close"}

# step: (year offset from the first (F) or last (L) year, month, day)
CALENDAR = {
    "propose": ("F", -1, 9, 15), "township_review": ("F", -1, 10, 10), "approve_library": ("F", -1, 11, 20),
    "plan": ("F", 0, 3, 31), "agree": ("F", 0, 4, 8), "procure": ("F", 0, 4, 18), "start": ("F", 0, 4, 25),
    "complete": ("L", 0, 9, 30), "accept": ("L", 0, 10, 25), "hand_over": ("L", 0, 12, 15),
    "evaluate": ("L", 1, 1, 20), "audit": ("L", 1, 2, 25), "close": ("L", 1, 3, 20),
}


# code, name, key task, sector, budget (yuan), status, township, output (name, quantity, unit), farmer linkage
PIPELINE = [
    ("BJBD-2025-01", "2025年野三关镇高山蔬菜基地", "industry", "agriculture", "4200000", ProjectStatus.PROPOSED, "野三关镇",
     ("高山蔬菜基地", "300", "亩"), "土地流转＋务工带动，合作社保底收购农户蔬菜。"),
    ("BJBD-2025-02", "2025年沿渡河镇便民服务中心", "public_services", "community", "8600000",
     ProjectStatus.TOWNSHIP_REVIEWED, "沿渡河镇", ("便民服务中心", "1", "个"), "不涉及"),
    ("BJBD-2025-03", "2025年溪丘湾乡茶叶加工厂", "industry", "agriculture", "3800000", ProjectStatus.IN_LIBRARY, "溪丘湾乡",
     ("茶叶加工生产线", "1", "条"), "订单收购茶青，带动茶农增收；村集体按资产收益分红。"),
    ("BJBD-2025-04", "2025年金果坪乡村卫生室", "public_services", "health", "1500000", ProjectStatus.DRAFT, "金果坪乡",
     ("村卫生室", "3", "个"), "不涉及"),
    ("FSBD-2025-01", "2025年官渡口镇人居环境整治", "urban_rural", "infrastructure", "2800000",
     ProjectStatus.TOWNSHIP_REVIEWED, "官渡口镇", ("村组道路硬化", "3.5", "公里"), "优先吸纳本村农户参与施工务工。"),
]


def load_pipeline_projects(builder) -> list[Project]:
    """The projects of :data:`PIPELINE` (through the demo loader's upserter)."""
    from duikou.projects.models import ProjectOutput

    up, projects = builder.up, []
    for code, name, task, sector, budget, status, township, output, linkage in PIPELINE:
        project = up(Project, {"code": code}, {
            "name": name, "pairing": builder.fs_bd if code.startswith("FSBD") else builder.bj_bd,
            "key_task": builder.tasks[task], "work_field": builder.WORK_FIELD[task], "sector": sector,
            "location_division": builder.division("422823"), "location": township, "start_year": 2025,
            "end_year": 2025, "budget": Decimal(budget), "status": status, "implementing_unit": builder.townships[township],
            "farmer_linkage": linkage, "is_illustrative": True, "source": GEN + "（2025年储备项目）",
        })
        up(ProjectOutput, {"project": project, "name": output[0]},
           {"quantity": Decimal(output[1]), "unit": output[2], "is_illustrative": True, "source": GEN})
        projects.append(project)
    return projects


def steps_to(status: str) -> list[str]:
    """The main-path steps a project in ``status`` has passed, in order."""
    steps = []
    for key in MAIN_STEPS:
        if TRANSITIONS[key].sources[0] == status:
            return steps
        steps.append(key)
    return steps  # closed: every step


def _day(project: Project, key: str) -> date:
    anchor, offset, month, day = CALENDAR[key]
    last = min(project.end_year, 2024)
    return date((project.start_year if anchor == "F" else last) + offset, month, day)


def _number(doc_no: str) -> str:
    found = re.search(r"(\d+)号$", doc_no or "")
    return found.group(1) if found else "1"


def beijing_office(on: date) -> str:
    """The name of 北京市's office for this work on a day (facts.BEIJING_OFFICE_NAMES)."""
    for name, start, end, _source in F.BEIJING_OFFICE_NAMES:
        if (start is None or date.fromisoformat(start) <= on) and (end is None or on <= date.fromisoformat(end)):
            return name
    return F.BEIJING_OFFICE_NAMES[-1][0]


def history_of(project: Project, *, allocation_doc: str, parties: dict, role_names: dict,
               thresholds: dict | None = None) -> list[ApprovalRecord]:
    """The approval records of the steps ``project`` has passed (unsaved)."""
    thresholds = {} if thresholds is None else thresholds
    first, n = project.start_year, _number(allocation_doc)
    district = project.pairing.parent_id is not None
    prefix = "房" if district else "京"
    township = project.location or "乡镇"
    opinions = {
        "propose": "申报纳入对口支援项目库。",
        "township_review": f"经{township}审核，项目必要性、可行性、投资概算、资金来源和联农带农机制符合要求，同意上报。",
        "approve_library": "经论证审定，同意纳入项目库；项目库公示期满无异议。",
        "plan": f"列入{first}年度对口支援项目计划，下达资金{project.budget / Decimal(10000):.0f}万元。",
        "agree": "签订项目实施协议。",
        "procure": "完成招投标（政府采购），签订施工合同。",
        "start": "项目开工；实施前公示期满无异议。",
        "complete": "项目完工，提交完工报告。",
        "accept": "竣工验收合格。",
        "hand_over": "完成竣工决算和资产移交登记。",
        "evaluate": "完成绩效自评。",
        "audit": "审计未发现问题。",
        "close": "竣工公告期满无异议，项目关闭。",
    }
    docs = {
        "propose": f"巴区合〔{first - 1}〕{n}号",
        "approve_library": f"{prefix}援审〔{first - 1}〕{n}号",
        "plan": allocation_doc,
        "agree": f"巴协〔{first}〕{n}号",
        "accept": f"巴验〔{_day(project, 'accept').year}〕{n}号",
        "close": f"{prefix}援结〔{_day(project, 'close').year}〕{n}号",
    }
    records, status = [], ProjectStatus.DRAFT
    for key in steps_to(project.status):
        on = _day(project, key)
        if key in SUPPORTER_STEPS:
            if (project.pairing_id, on.year) not in thresholds:
                thresholds[project.pairing_id, on.year] = rule_value(
                    "approval.high_amount_threshold", pairing=project.pairing, year=on.year)
            high = key == "approve_library" and project.budget > thresholds[project.pairing_id, on.year]
            if district and not high:
                org, role, name = parties["房山区"], "district_office", FANGSHAN_OFFICE
            else:
                org, role, name = parties["北京市"], "supporter_office", beijing_office(on)
        else:
            org, role, name = parties["巴东县"], "recipient_office", RECIPIENT_OFFICE
        target = TRANSITIONS[key].target
        records.append(ApprovalRecord(
            project=project, transition=key, from_status=status, to_status=target, decision=Decision.APPROVE,
            actor=None, actor_name=name, actor_org=org, role=role, role_name=role_names.get(role, role),
            decided_on=on, opinion=opinions[key], doc_no=docs.get(key, ""), is_illustrative=True, source=GEN,
        ))
        status = target
    return records


def load_lifecycle_demo(up, *, pairings, parties: dict) -> int:
    """Give every project of ``pairings`` without approval records its history; returns how many
    records were written (counted in ``up.created``)."""
    projects = list(Project.objects.filter(pairing__in=pairings).select_related("pairing").order_by("start_year", "code"))
    done = set(ApprovalRecord.objects.filter(project__in=projects).values_list("project_id", flat=True).distinct())
    todo = [p for p in projects if p.pk not in done]
    if not todo:
        return 0
    docs = dict(FundTransaction.objects.filter(kind=FundTransaction.Kind.ALLOCATION, project__in=todo)
                .order_by("year", "id").values_list("project_id", "doc_no"))
    role_names = dict(Role.objects.values_list("code", "name"))
    records, thresholds = [], {}
    for project in todo:
        records += history_of(project, allocation_doc=docs.get(project.pk, ""), parties=parties,
                              role_names=role_names, thresholds=thresholds)
    if not records:
        return 0
    ApprovalRecord.objects.bulk_create(records, batch_size=500)
    record_bulk(records, action=ObjectChange.Action.CREATE, actor=up.actor, message="load-demo")
    label = ApprovalRecord._meta.verbose_name_plural
    up.created[label] = up.created.get(label, 0) + len(records)
    return len(records)
