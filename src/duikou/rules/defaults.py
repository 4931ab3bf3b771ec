"""The rule keys, their types and their defaults: the public precedents of domain guide §6.

Beijing's own 资金管理办法 is not public. Each default is the precedent of a sister regime
(援疆, 衔接资金, 专项资金 …) with its source, or a design default marked ``verified=False`` where
no public figure exists. An administrator overrides a default with a :class:`~duikou.rules.models.Rule`
row for a programme, a supporter, a recipient or one pairing, from a year on.

``kind`` says how the stored text is read:

- ``share``: a Decimal fraction (``0.80`` = 80 %),
- ``yuan``: a Decimal amount in yuan,
- ``int``: a whole number (days, working days, years, counts),
- ``monthday``: a day of the year as ``"MM-DD"`` (``"04-01"``),
- ``bool``: ``true`` / ``false``,
- ``text``: a code or short text.

``mode`` is ``blocking`` (checked inside the services: the write is refused) or ``monitoring``
(``duikou check`` lists a warning); ``checked_by`` says where the rule is applied.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

__all__ = ["BLOCKING", "DEFAULT_RULES", "FAMILIES", "KINDS", "MONITORING", "RuleDefault", "rule_default"]

BLOCKING, MONITORING = "blocking", "monitoring"
KINDS = ("share", "yuan", "int", "monthday", "bool", "text")
FAMILIES = {
    "alloc": _("allocation shares and caps"),
    "progress": _("dated targets"),
    "funds": _("fund handling"),
    "disclosure": _("public disclosure"),
    "approval": _("approval thresholds"),
    "completeness": _("completeness of records"),
    "consumption": _("consumption assistance"),
    "acceptance": _("acceptance"),
}


@dataclass(frozen=True)
class RuleDefault:
    """One rule key: its default value, how to read it, what it means and where it comes from."""

    key: str
    default: object
    kind: str
    unit: str
    mode: str
    description: str
    precedent: str
    source: str = ""
    verified: bool = True  # False: no public precedent for the figure (a design default)
    checked_by: str = ""

    @property
    def family(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def is_blocking(self) -> bool:
        return self.mode == BLOCKING


_TIBET = "http://www.tibet.cn/cn/jszg/202509/t20250923_7864344.html"
_XIZANG_PROGRESS = "http://02boy.com/news/202302/10/252494.html"
_FUJIN = "https://www.fujin.gov.cn/fjs/c101598/202512/c04_254450.shtml"
_FYMATE = "http://www.fymate.net/html/text/lar/169378/16937888_4.html"

DEFAULT_RULES: dict[str, RuleDefault] = {r.key: r for r in [
    # allocation shares and caps ------------------------------------------------------------
    RuleDefault(
        "alloc.min_share_minsheng", Decimal("0.80"), "share", "share of free-aid allocations", MONITORING,
        "At least this share of the year's free-aid (grant) allocations goes to livelihood (民生) projects.",
        "援疆: ≥ 80 % of aid funds to 民生", _TIBET, checked_by="duikou check",
    ),
    RuleDefault(
        "alloc.min_share_grassroots", Decimal("0.80"), "share", "share of free-aid allocations", MONITORING,
        "At least this share of the year's free-aid allocations goes to projects located at county level "
        "and below (县及以下).",
        "援疆: ≥ 80 % to county level and below (earlier 95 %)",
        _TIBET + " ; http://big5.www.gov.cn/gate/big5/www.gov.cn//jrzg/2013-02/22/content_2337927.htm",
        checked_by="duikou check",
    ),
    RuleDefault(
        "alloc.target_share_industry", Decimal("0"), "share", "share of free-aid allocations", MONITORING,
        "Target share of the year's free-aid allocations for industrial development (key task ``industry``). "
        "The precedent (60 %) is a rule of the central rural-revitalisation funds (衔接资金) and cannot hold "
        "together with the 80 % livelihood share of counterpart support (60 % + 80 % > 100 %): the default is 0 "
        "(no target); a programme that follows the 衔接资金 rule sets 0.60.",
        "中央衔接资金: 60 % to industry", "http://www.handmsg.com/page/2024/0115/23459152.shtml",
        verified=False, checked_by="duikou check",
    ),
    RuleDefault(
        "alloc.max_mgmt_fee", Decimal("0.03"), "share", "share of the year's free-aid allocations", BLOCKING,
        "Management fees (项目管理费) of a pairing and year may not exceed this share of its free-aid "
        "allocations. The supporter's aid is provincial-level budget money, so the provincial precedent "
        "applies; the central-funds precedent is 1 %.",
        "黑龙江 衔接资金: ≤ 1 % of central funds, ≤ 3 % of provincial funds", _FUJIN,
        checked_by="funds services (a management-fee expenditure) and duikou check",
    ),
    RuleDefault(
        "alloc.earmark_lianbuchou", Decimal("0"), "share", "share of free-aid allocations", MONITORING,
        "Share of aid earmarked for 「两不愁三保障」 gaps. The precedent names no figure: 0 means no "
        "minimum; the rule is recorded, not yet checked.",
        "三峡 2019: part of the aid for 「两不愁三保障」 gaps", "http://cyjjw.net/news/cy/chongqing/2019-11-23/55126.html",
        verified=False, checked_by="not checked yet",
    ),
    # dated targets -------------------------------------------------------------------------
    RuleDefault(
        "progress.start_rate_by_date", "04-01", "monthday", "MM-DD", MONITORING,
        "The day of the budget year by which the projects of the annual plan must have started (开工).",
        "西藏 衔接资金: 100 % started by 1 April", _XIZANG_PROGRESS, checked_by="duikou check",
    ),
    RuleDefault(
        "progress.start_rate_min", Decimal("1.00"), "share", "share of planned projects", MONITORING,
        "The share of the annual plan's projects that must have started by ``progress.start_rate_by_date``.",
        "西藏 衔接资金: 100 % started by 1 April", _XIZANG_PROGRESS, checked_by="duikou check",
    ),
    RuleDefault(
        "progress.q1_spend_min", Decimal("0.30"), "share", "spent / allocated", MONITORING,
        "Minimum spending progress (支出进度: expenditure / allocations of the year) at the end of Q1.",
        "西藏 衔接资金: 30 % spent by the end of Q1", _XIZANG_PROGRESS, checked_by="duikou check",
    ),
    RuleDefault(
        "progress.q2_spend_min", Decimal("0.50"), "share", "spent / allocated", MONITORING,
        "Minimum spending progress at the end of Q2 (30 June).",
        "design default: no public figure (linear from Q1's 30 % to 100 % at year end)", "",
        verified=False, checked_by="duikou check",
    ),
    RuleDefault(
        "progress.q3_spend_min", Decimal("0.75"), "share", "spent / allocated", MONITORING,
        "Minimum spending progress at the end of Q3 (30 September).",
        "design default: no public figure", "", verified=False, checked_by="duikou check",
    ),
    RuleDefault(
        "progress.q4_spend_min", Decimal("1.00"), "share", "spent / allocated", MONITORING,
        "Minimum spending progress at the end of the year (31 December).",
        "design default: no public figure", "", verified=False, checked_by="duikou check",
    ),
    # fund handling -------------------------------------------------------------------------
    RuleDefault(
        "funds.idle_years_realloc", 2, "int", "years", MONITORING,
        "Allocated money that has not been spent for this many years is idle (沉淀) and may be reallocated: "
        "``duikou check`` lists it.",
        "专项资金: idle for 2 years may be reallocated", _FYMATE, checked_by="duikou check",
    ),
    RuleDefault(
        "funds.carry_over_needs_approval", True, "bool", "yes / no", BLOCKING,
        "Unspent money of one budget year is spent in a later year (结转) only with an approval "
        "document: an expenditure dated after its allocation's budget year needs a document number.",
        "carried forward or reassigned only with approval (结转结余)", _FYMATE,
        checked_by="funds services",
    ),
    RuleDefault(
        "funds.tranches", 0, "int", "remittances", MONITORING,
        "Number of tranches (remittances) an allocation is remitted in at most. Not public: 0 means no fixed "
        "schedule (no check); above 0, ``duikou check`` lists the allocations drawn on by more remittances.",
        "not public", "", verified=False, checked_by="duikou check",
    ),
    # public disclosure ---------------------------------------------------------------------
    RuleDefault(
        "disclosure.min_days", 10, "int", "days", BLOCKING,
        "A 公示 runs at least this many days before the step that waits for it may be taken.",
        "扶贫资金公告公示: 原则上 ≥ 10 days", "http://lwstw.com/caijingzixun/sitmmug9me.html",
        checked_by="project workflow",
    ),
    RuleDefault(
        "disclosure.publish_within_wd", 20, "int", "working days", MONITORING,
        "A change of a project or plan is published within this many working days.",
        "政务公开标准目录: 20 working days after a change",
        "http://www.lggbt.com/sylbzt/zwgkbzml/eslx/fp/content/post_1197037.html", checked_by="not checked yet",
    ),
    RuleDefault(
        "disclosure.publish_within_wd_allocation", 15, "int", "working days", MONITORING,
        "An allocation (资金分配结果) is published within this many working days (Monday to Friday; public "
        "holidays are not known to duikou): a published notice listing the project starts by then.",
        "政务公开标准目录: 15 working days after allocation",
        "http://www.lggbt.com/sylbzt/zwgkbzml/eslx/fp/content/post_1197037.html", checked_by="duikou check",
    ),
    # approvals -----------------------------------------------------------------------------
    RuleDefault(
        "approval.change_threshold", Decimal("0"), "yuan", "yuan", BLOCKING,
        "A change (变更) of a project's budget above this amount needs the supporter's approval; 0 means "
        "every change does.",
        "not public: every change needs the supporter's approval", "", verified=False,
        checked_by="project workflow",
    ),
    RuleDefault(
        "approval.high_amount_threshold", Decimal("5000000"), "yuan", "yuan", BLOCKING,
        "A project whose budget exceeds this amount is approved (审定) by the supporter's office rather "
        "than the district office.",
        "design default (500万元): no public figure", "", verified=False, checked_by="project workflow",
    ),
    # completeness --------------------------------------------------------------------------
    RuleDefault(
        "completeness.before_library", True, "bool", "yes / no", BLOCKING,
        "Before a project enters the library (审定入库) it has at least one performance indicator in each of "
        "产出 / 效益 / 满意度, a farmer-linkage mechanism (联农带农) and an implementing unit.",
        "入库 review items (domain guide §5)", "https://m.1wenmi.com/doc/552169.html",
        checked_by="project workflow",
    ),
    # consumption assistance ----------------------------------------------------------------
    RuleDefault(
        "consumption.canteen_share_min", Decimal("0.10"), "share", "share of canteen purchases", MONITORING,
        "Minimum share of agricultural products that budget units' canteens buy from supported regions "
        "(北京 市管国企: 30 %; 广东 2025: 30 %).",
        "832 platform: ≥ 10 % nationally", "https://cz.wuxi.gov.cn/doc/2021/06/23/3334082.shtml",
        checked_by="not checked yet",
    ),
    RuleDefault(
        "consumption.union_welfare_share_min", Decimal("0.30"), "share", "share of union welfare purchases",
        MONITORING, "Minimum share of trade-union welfare purchases from supported regions.",
        "北京 市管国企 2021: 30 %", "http://jisyks.com/listing/newsshow.php?id=11271", checked_by="not checked yet",
    ),
    RuleDefault(
        "consumption.reserve_entry_deadline", "06-30", "monthday", "MM-DD", MONITORING,
        "Budget units enter their reserved purchase amounts on the 832 platform by this day.",
        "832 platform: by 30 June", "https://cz.wuxi.gov.cn/doc/2021/06/23/3334082.shtml",
        checked_by="not checked yet",
    ),
    RuleDefault(
        "consumption.product_min_value", Decimal("500000"), "yuan", "yuan", MONITORING,
        "Minimum annual sales value of a product in the consumption-assistance catalogue: once a year has "
        "ended, ``duikou check`` lists the products listed in the year whose sales of the year are below it.",
        "促进会 2024: 500,000 元", "", checked_by="duikou check",
    ),
    # acceptance ----------------------------------------------------------------------------
    RuleDefault(
        "acceptance.owner", "recipient_office", "text", "role code", BLOCKING,
        "The role that organises the acceptance (竣工验收). Not public: the recipient county by default.",
        "not public", "", verified=False, checked_by="project workflow (where configured)",
    ),
]}


def rule_default(key: str) -> RuleDefault:
    """The default of ``key``; ``KeyError`` with the known keys for an unknown one."""
    try:
        return DEFAULT_RULES[key]
    except KeyError:
        raise KeyError(f"unknown rule key {key!r}; known: {', '.join(sorted(DEFAULT_RULES))}") from None
