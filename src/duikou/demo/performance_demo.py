"""The demo's performance targets (绩效目标) and actuals (domain guide §7).

- The article's named projects get hand-written trees: 青龙桥小学教学楼 (the illustrative tree of
  §7: 教学楼 = 1 栋, 成本 ≤ 900万元, 受益师生 ≥ 1200 人, 缓解超大班 定性, 满意度 ≥ 90 %), the
  血液透析中心 (one indicator missed, to show proportional scoring), 水健康产业园 and 生物医药产业链.
- Every other Badong project from the 2020 baseline on gets a tree from a template of its key task,
  with targets from its budget and actuals drawn deterministically from its code.

Actuals follow the project's stage: a project whose works are finished (completed or later) has
its output actuals; one accepted or later has every actual except, while only accepted, the
satisfaction survey. Projects under way have none. Weights and actuals are invented: every row is
``is_illustrative``; the rows whose targets come from the article cite it in ``source``.

:func:`load_performance_demo` is idempotent (:class:`~duikou.demo.upsert.Upserter`): a second run
writes nothing. Run it after the projects and funds, before lifecycle histories that pass
``approve_library`` or ``evaluate`` (the performance guard checks the indicators and actuals).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from duikou.performance.models import PerformanceIndicator
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project

from . import facts as F
from .upsert import Upserter

__all__ = ["FIRST_YEAR", "load_performance_demo"]

FIRST_YEAR = 2020  # the baseline year of the article (5113万元); 财预〔2020〕10号 dates from 2020
GEN = "duikou demo generator (illustrative)"
WAN = Decimal("10000")
S = ProjectStatus

WORKS_DONE = {S.COMPLETED, S.ACCEPTED, S.HANDED_OVER, S.EVALUATED, S.AUDITED, S.CLOSED}
ACCEPTED = {S.ACCEPTED, S.HANDED_OVER, S.EVALUATED, S.AUDITED, S.CLOSED}
SURVEYED = {S.HANDED_OVER, S.EVALUATED, S.AUDITED, S.CLOSED}


@dataclass(frozen=True)
class Row:
    """One indicator: (一级, 二级, 三级, operator, target, unit, weight) and its actual."""

    level1: str
    level2: str
    name: str
    operator: str
    target: Decimal | str  # str: the qualitative target
    unit: str
    weight: Decimal
    actual: Decimal | str | None = None  # str: a rating (excellent … poor)
    reason: str = ""
    from_article: bool = False

    @property
    def stage(self) -> set:
        """The statuses in which the actual is known."""
        if self.level1 == "output":
            return WORKS_DONE
        if self.level1 == "satisfaction":
            return SURVEYED
        return ACCEPTED


def D(x) -> Decimal:
    return Decimal(str(x))


# the article's projects -------------------------------------------------------------------------

NAMED = {
    "BJBD-2023-QLQ": [
        Row("output", "quantity", "新建教学楼", "eq", D(1), "栋", D(20), D(1), from_article=True),
        Row("output", "quality", "工程竣工验收合格率", "eq", D(100), "%", D(10), D(100)),
        Row("output", "timeliness", "项目按期完工率", "eq", D(100), "%", D(10), D(100)),
        Row("output", "cost", "项目总投资", "lte", D(900), "万元", D(10), D(900), from_article=True),
        Row("effect", "social", "受益师生人数", "gte", D(1200), "人", D(15), D(1200), from_article=True),
        Row("effect", "social", "缓解超大班教学问题", "qualitative", "有效缓解超大班", "", D(15), "excellent",
            from_article=True),
        Row("satisfaction", "beneficiary", "师生及家长满意度", "gte", D(90), "%", D(10), D(96)),
    ],
    "BJBD-2023-XTZX": [
        Row("output", "quantity", "改造血液透析中心", "eq", D(1), "个", D(15), D(1), from_article=True),
        Row("output", "quantity", "血液透析床位", "gte", D(20), "张", D(10), D(20)),
        Row("output", "quality", "工程竣工验收合格率", "eq", D(100), "%", D(10), D(100)),
        Row("output", "cost", "项目总投资", "lte", D(750), "万元", D(15), D("748.60"), from_article=True),
        Row("effect", "social", "年血液透析服务人次", "gte", D(6000), "人次", D(15), D(5400),
            reason="中心于当年10月投入使用，运行不足全年，服务人次未达年度目标。"),
        Row("effect", "social", "缓解移民小区群众就医难", "qualitative", "有效缓解移民小区就医难", "", D(15),
            "excellent", from_article=True),
        Row("satisfaction", "beneficiary", "患者满意度", "gte", D(90), "%", D(10), D(94)),
    ],
    "BJBD-2024-SJK": [
        Row("output", "quantity", "建成水健康产业园", "eq", D(1), "个", D(20), D(1), from_article=True),
        Row("output", "timeliness", "项目按期投产率", "eq", D(100), "%", D(15), D(100)),
        Row("output", "cost", "项目总投资", "lte", D(2000), "万元", D(15), D(2000), from_article=True),
        Row("effect", "economic", "富锶矿泉水合同销售金额", "gte", D(1500), "万元", D(15), D(1830),
            from_article=True),
        Row("effect", "social", "带动当地就业人数", "gte", D(150), "人", D(15), D(162)),
        Row("satisfaction", "beneficiary", "入园企业满意度", "gte", D(90), "%", D(10), D(93)),
    ],
    "BJBD-2024-SWYY": [
        Row("output", "quantity", "中药材种植基地", "gte", D(3000), "亩", D(20)),
        Row("output", "quality", "道地药材良种覆盖率", "gte", D(80), "%", D(15)),
        Row("output", "cost", "项目总投资", "lte", D(2000), "万元", D(15), from_article=True),
        Row("effect", "economic", "带动药农增收", "gte", D(500), "万元", D(15)),
        Row("effect", "sustainable", "中医药产业链合作", "qualitative", "形成稳定的京巴中医药合作机制", "", D(15),
            from_article=True),
        Row("satisfaction", "beneficiary", "种植户满意度", "gte", D(90), "%", D(10)),
    ],
}

# the other projects: a template per key task ---------------------------------------------------

QUANTITY = {  # key task → (name, unit, 万元 of budget per unit, operator)
    "ecology": ("综合治理面积", "亩", D("0.40"), "gte"),
    "industry": ("建成产业基地面积", "亩", D("0.50"), "gte"),
    "public_services": ("建成公共服务设施", "处", None, "eq"),
    "urban_rural": ("硬化道路里程", "公里", D("80"), "gte"),
    "opening_up": ("建成服务平台", "个", None, "eq"),
}
EFFECT = {  # key task → (二级, name, unit, people per 万元 of budget)
    "ecology": ("ecological", "受益群众人数", "人", D("4")),
    "industry": ("economic", "带动脱贫户增收户数", "户", D("0.5")),
    "public_services": ("social", "受益群众人数", "人", D("6")),
    "urban_rural": ("social", "受益群众人数", "人", D("5")),
    "opening_up": ("economic", "带动就业人数", "人", D("0.3")),
}
SUSTAIN = {
    "ecology": "建立管护机制，治理成效持续发挥",
    "industry": "建立联农带农利益联结机制并持续运行",
    "public_services": "设施建立管护制度，长期正常运行",
    "urban_rural": "落实道路管养责任，长期通行",
    "opening_up": "平台持续运营",
}
REASONS = {
    "quantity": "受地质条件影响，部分地块调整，实际完成量略低于目标。",
    "timeliness": "受汛期停工影响，工期延后约一个月完工。",
    "effect": "项目投入使用时间较晚，当年受益人数未达目标，次年可达到。",
    "satisfaction": "少数群众对配套设施有意见，已组织整改。",
}


def _round_target(value: Decimal) -> Decimal:
    """A round number as offices write targets: 2 significant figures, at least 1."""
    if value < 10:
        return max(D(1), value.quantize(D(1)))
    digits = len(str(int(value))) - 2
    step = D(10) ** digits
    return (value / step).quantize(D(1)) * step


def _template(project: Project, rng: random.Random) -> list[Row]:
    task = project.key_task.code if project.key_task.code in QUANTITY else "public_services"
    budget_wan = (project.budget / WAN).quantize(D("0.01"))
    name, unit, wan_per_unit, op = QUANTITY[task]
    target_qty = D(1) if wan_per_unit is None else _round_target(budget_wan / wan_per_unit)
    short = rng.random() < 0.15
    actual_qty = (target_qty * D("0.95")).quantize(D("0.01")) if short and op == "gte" else target_qty
    late = rng.random() < 0.15
    level2, effect_name, effect_unit, per_wan = EFFECT[task]
    target_effect = _round_target(budget_wan * per_wan)
    effect_short = rng.random() < 0.2
    actual_effect = (target_effect * D(rng.choice(["0.85", "0.90", "0.92"]))).quantize(D(1)) if effect_short \
        else (target_effect * D(rng.choice(["1.00", "1.03", "1.08", "1.12"]))).quantize(D(1))
    satisfaction = D(rng.choice([86, 91, 92, 93, 95, 96, 97, 98]))
    spent_share = D(rng.choice(["0.96", "0.98", "0.99", "1.00", "1.00"]))
    return [
        Row("output", "quantity", name, op, target_qty, unit, D(20), actual_qty,
            reason=REASONS["quantity"] if actual_qty < target_qty else ""),
        Row("output", "quality", "工程竣工验收合格率", "eq", D(100), "%", D(10), D(100)),
        Row("output", "timeliness", "项目按期完工率", "eq", D(100), "%", D(10), D(90) if late else D(100),
            reason=REASONS["timeliness"] if late else ""),
        Row("output", "cost", "项目总投资", "lte", budget_wan, "万元", D(10), (budget_wan * spent_share).quantize(D("0.01"))),
        Row("effect", level2, effect_name, "gte", target_effect, effect_unit, D(20), actual_effect,
            reason=REASONS["effect"] if actual_effect < target_effect else ""),
        Row("effect", "sustainable", "项目长效运行", "qualitative", SUSTAIN[task], "", D(10),
            rng.choice(["excellent", "excellent", "good"])),
        Row("satisfaction", "beneficiary", "受益群众满意度", "gte", D(90), "%", D(10), satisfaction,
            reason=REASONS["satisfaction"] if satisfaction < 90 else ""),
    ]


def _recorded_on(project: Project, row: Row) -> date:
    year = project.end_year
    return date(year, 12, 15) if row.level1 == "output" else date(min(year + 1, 2024), 3, 20)


def _upsert_tree(up: Upserter, project: Project, rows: list[Row]) -> None:
    for order, row in enumerate(rows, start=1):
        qualitative = row.operator == "qualitative"
        known = row.actual is not None and project.status in row.stage
        fields = {
            "level1": row.level1, "level2": row.level2, "operator": row.operator,
            "target_value": None if qualitative else row.target,
            "target_text": row.target if qualitative else "",
            "unit": row.unit, "weight": row.weight, "order": order * 10,
            "actual_value": row.actual if known and not qualitative else None,
            "actual_rating": row.actual if known and qualitative else "",
            "actual_recorded_on": _recorded_on(project, row) if known else None,
            "deviation_reason": row.reason if known else "",
            "is_illustrative": True,
            "source": (F.ARTICLE + "（指标值）；" + GEN) if row.from_article else GEN,
        }
        up(PerformanceIndicator, {"project": project, "name": row.name}, fields)


def load_performance_demo(up_or_actor) -> Upserter:
    """Give the demo's Badong projects their performance targets and actuals.

    ``up_or_actor``: the demo loader's :class:`~duikou.demo.upsert.Upserter` (its counts then
    include these rows) or an actor for a new one. Returns the upserter."""
    up = up_or_actor if isinstance(up_or_actor, Upserter) else Upserter(up_or_actor)
    projects = (Project.objects.filter(location_division__code="422823", start_year__gte=FIRST_YEAR)
                .exclude(status__in=[S.DRAFT, S.CANCELLED]).select_related("key_task").order_by("code"))
    for project in projects:
        rows = NAMED.get(project.code) or _template(project, random.Random(f"performance-{project.code}"))
        _upsert_tree(up, project, rows)
    return up
