"""``duikou load-demo``: the Beijing → Badong demo.

The programme with its 19 reservoir counties and known supporters, the national plan, Beijing's
14th five-year plan, every named item of the article (``facts.py``) and a history from 1992 to
2024 generated deterministically where the sources give only totals. Generated records carry
``is_illustrative=True``. Loading is idempotent: a second run finds every record right and
writes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from duikou.accounts.models import Membership, Role
from duikou.audit.context import actor_context
from duikou.consumption.models import CatalogueListing, Product, SalesChannel, SalesContract, SalesRecord, Supplier
from duikou.core.choices import FundLevel, FundStream
from duikou.core.permissions import SystemActor
from duikou.events.models import Event
from duikou.funds.models import FundTransaction
from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.organisations.choices import OrganisationKind as OK
from duikou.organisations.choices import PairingLevel, ProgrammeKind
from duikou.organisations.divisions import divisions_load
from duikou.organisations.models import AdminDivision, Organisation, OrganisationName, Pairing, Programme
from duikou.people.models import Field, Secondment, SecondmentBatch, TrainingSession
from duikou.plans.choices import DocumentKind, PlanKind, TargetDirection
from duikou.plans.models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target
from duikou.projects.choices import ProjectStatus, WorkField
from duikou.projects.models import Project, ProjectBeneficiary, ProjectOutput

from . import facts as F
from .disclosure_demo import load_disclosure_demo
from .lifecycle_demo import load_lifecycle_demo, load_pipeline_projects
from .performance_demo import load_performance_demo
from .upsert import Upserter

__all__ = ["DEMO_PASSWORD", "DemoResult", "demo_load"]

DEMO_PASSWORD = "duikou-demo"  # demo only; printed by `make demo`
SEED = 1992
WAN = Decimal("10000")
GEN = "duikou demo generator (illustrative)"


@dataclass
class DemoResult:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _d(s):
    return date.fromisoformat(s) if s else None


def _split(total: Decimal, n: int, rng: random.Random) -> list[Decimal]:
    """``total`` in ``n`` parts, each a multiple of 10,000 yuan, summing exactly to ``total``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    s = sum(weights)
    parts = [((total * Decimal(w / s)) / WAN).quantize(Decimal("1"), rounding=ROUND_DOWN) * WAN for w in weights]
    parts[-1] += total - sum(parts)
    return parts


class DemoBuilder:
    def __init__(self, actor):
        self.up = Upserter(actor)
        self.actor = actor
        self.rng = random.Random(SEED)
        self.div = {}

    # ------------------------------------------------------------------ helpers
    def division(self, code):
        if code not in self.div:
            self.div[code] = AdminDivision.objects.get(code=code)
        return self.div[code]

    def org(self, name, kind, division=None, parent=None, **extra):
        return self.up(Organisation, {"name": name, "kind": kind},
                       {"division": self.division(division) if division else None, "parent": parent, **extra})

    # ------------------------------------------------------------------ steps
    def organisations(self):
        self.mwr = self.org("水利部", OK.MINISTRY, "110000", short_name="水利部", source=F.ARTICLE)
        self.ndrc = self.org("国家发展和改革委员会", OK.MINISTRY, "110000", short_name="国家发展改革委", source=F.ARTICLE)
        self.supporters = {}
        for name, code in F.SUPPORTER_PROVINCES.items():
            self.supporters[name] = self.org(name, OK.SUPPORTER_PROVINCE, code, source=F.DOMAIN_3)
        for name, code in F.SUPPORTER_CITIES.items():
            self.supporters[name] = self.org(name, OK.SUPPORTER_CITY, code, source=F.DOMAIN_3)
        for _parent, name, code, org_parent, _county in F.SUB_PAIRINGS:
            kind = OK.DISTRICT if name.endswith("区") else OK.SUPPORTER_CITY
            if name not in self.supporters:
                self.supporters[name] = self.org(
                    name, kind, code, parent=self.supporters[org_parent] if org_parent else None, source=F.DOMAIN_3
                )
        self.counties = {}
        for code in F.RESERVOIR_COUNTIES:
            self.counties[code] = self.org(self.division(code).name, OK.RECIPIENT_COUNTY, code, source=F.DOMAIN_3)
        self.beijing, self.badong = self.supporters["北京市"], self.counties["422823"]
        self.fangshan = self.supporters["房山区"]

        office = self.org("北京市发展和改革委员会", OK.MEMBER_UNIT, "110000", parent=self.beijing, source=F.ARTICLE,
                          short_name="北京市发展改革委")
        for name, start, end, source in F.BEIJING_OFFICE_NAMES:
            self.up(OrganisationName, {"organisation": office, "name": name},
                    {"valid_from": _d(start), "valid_to": _d(end), "source": source})
        self.member_units = {}
        for name, *_rest in F.BEIJING_MEMBER_UNITS:
            self.member_units[name] = self.org(name, OK.MEMBER_UNIT, "110000", parent=self.beijing, source=F.ARTICLE)
        self.badong_units = {
            name: self.org(name, OK.OTHER, "422823", parent=self.badong,
                           source="https://zyhzb.beijing.gov.cn/gzdt2022/202208/t20220801_2783761.html")
            for name in ("巴东县区域合作中心", "巴东县发展和改革局", "巴东县财政局", "巴东县审计局")
        }
        self.townships = {
            name: self.org(f"巴东县{name}人民政府", OK.TOWNSHIP, "422823", parent=self.badong, short_name=name,
                           is_illustrative=name not in ("东瀼口镇", "官渡口镇"),
                           source="https://zyhzb.beijing.gov.cn/gzdt2022/202208/t20220801_2783761.html（实施单位）"
                           if name in ("东瀼口镇", "官渡口镇") else GEN)
            for name in F.BADONG_TOWNSHIPS
        }
        self.school = self.org("巴东县青龙桥小学", OK.SCHOOL, "422823", parent=self.badong, source=F.ARTICLE)
        self.hospital = self.org("巴东县人民医院", OK.HOSPITAL, "422823", parent=self.badong, is_illustrative=True,
                                 source=GEN)
        cmu = self.org("首都医科大学", OK.UNIVERSITY, "110000", source=F.ARTICLE)
        self.institutions = {
            "首都医科大学": cmu,
            "首都医科大学中医药学院": self.org("首都医科大学中医药学院", OK.UNIVERSITY, "110000", parent=cmu,
                                         source=F.ARTICLE),
            "北京中医药大学": self.org("北京中医药大学", OK.UNIVERSITY, "110000", source=F.ARTICLE),
            "中国中医科学院": self.org("中国中医科学院", OK.RESEARCH_INSTITUTE, "110000", source=F.ARTICLE),
        }
        self.enterprises = {
            name: self.org(name, OK.ENTERPRISE, "110000", source=F.ARTICLE) for name, _i, _d2 in F.ENTERPRISES
        }
        self.gongshu = self.org("拱墅区", OK.DISTRICT, "330105", source="domain guide §3 (zcbk.cn)")

    def programmes(self):
        self.three_gorges = self.up(
            Programme, {"code": "three-gorges"},
            {"name": "全国对口支援三峡库区", "kind": ProgrammeKind.THREE_GORGES, "started_on": date(1992, 1, 1),
             "description": "21个对口支援省区市、10个大城市对口支援三峡库区19个县（区）。", "source": F.ARTICLE},
            m2m={"lead_organisations": [self.mwr, self.ndrc],
                 "covered_divisions": [self.division(c) for c in F.RESERVOIR_COUNTIES]},
        )
        self.east_west = self.up(
            Programme, {"code": "east-west"},
            {"name": "东西部扶贫协作", "kind": ProgrammeKind.EAST_WEST, "started_on": date(1996, 1, 1),
             "source": "domain guide §3"},
        )
        self.old_area = self.up(
            Programme, {"code": "old-area"},
            {"name": "革命老区重点城市对口合作", "kind": ProgrammeKind.OLD_AREA, "started_on": date(2023, 1, 1),
             "source": "domain guide §3"},
        )

    def pairings(self):
        start = date(1992, 1, 1)
        self.top = {}
        for code, names in F.SUPPORTERS_BY_COUNTY.items():
            for name in names:
                supporter = self.supporters[name]
                level = PairingLevel.PROVINCE_COUNTY if supporter.kind == OK.SUPPORTER_PROVINCE else PairingLevel.CITY_COUNTY
                note = "" if code == "422823" else "起始日期未见公开来源，按项目起始年（1992）记。"
                self.top[(name, code)] = self.up(
                    Pairing, {"programme": self.three_gorges, "supporter": supporter, "recipient": self.counties[code],
                              "valid_from": start},
                    {"recipient_division": self.division(code), "level": level, "note": note,
                     "source": F.ARTICLE if code == "422823" else F.DOMAIN_3},
                )
        for parent_name, name, _code, _op, county in F.SUB_PAIRINGS:
            parent = self.top[(parent_name, county)]
            sub_start = date(2017, 1, 1) if name == "房山区" else start
            self.up(
                Pairing, {"programme": self.three_gorges, "supporter": self.supporters[name],
                          "recipient": self.counties[county], "valid_from": sub_start},
                {"recipient_division": self.division(county), "parent": parent,
                 "level": PairingLevel.DISTRICT_COUNTY if name.endswith("区") else PairingLevel.CITY_COUNTY,
                 "is_illustrative": name == "房山区",
                 "note": "区级结对起始年份为示意（2017）。" if name == "房山区" else "",
                 "source": F.ARTICLE if name == "房山区" else F.DOMAIN_3},
            )
        self.bj_bd = self.top[("北京市", "422823")]
        self.fs_bd = Pairing.objects.get(supporter=self.fangshan, recipient=self.badong)
        self.up(Pairing, {"programme": self.east_west, "supporter": self.gongshu, "recipient": self.badong,
                          "valid_from": date(2016, 1, 1)},
                {"valid_to": date(2020, 12, 31), "recipient_division": self.division("422823"),
                 "level": PairingLevel.DISTRICT_COUNTY, "source": "domain guide §3 (zcbk.cn)"})
        self.up(Pairing, {"programme": self.old_area, "supporter": self.gongshu, "recipient": self.badong,
                          "valid_from": date(2023, 1, 1)},
                {"recipient_division": self.division("422823"), "level": PairingLevel.DISTRICT_COUNTY,
                 "source": "domain guide §3 (zcbk.cn)"})

    def plans(self):
        tasks = list(KeyTask.objects.order_by("order"))
        self.tasks = {t.code: t for t in tasks}
        self.national = self.up(
            Plan, {"title": "全国对口支援三峡库区合作规划（2021—2025年）"},
            {"kind": PlanKind.NATIONAL, "programme": self.three_gorges, "start_year": 2021, "end_year": 2025,
             "overall_requirements": "全面分析全国对口支援三峡库区的发展现状和当前形势，提出“十四五”时期合作工作的总体要求。",
             "main_goals": "见《规划》原文（来源文章未载具体目标值）。",
             "safeguards": "见《规划》原文（来源文章未载具体保障措施）。",
             "source": F.ARTICLE + "：2021年，水利部、国家发展改革委联合印发"},
            m2m={"issuers": [self.mwr, self.ndrc], "key_tasks": tasks},
        )
        self.fyp = self.up(
            Plan, {"title": "北京市对口支援巴东县“十四五”规划"},
            {"kind": PlanKind.PAIRING_FIVE_YEAR, "programme": self.three_gorges, "pairing": self.bj_bd,
             "parent": self.national, "start_year": 2021, "end_year": 2025,
             "main_goals": "聚焦五大任务目标；在民生改善、产业合作、生态治理、消费帮扶、人才交流等领域重点推进。",
             "source": F.ARTICLE + "：会同巴东县共同研究制定“十四五”规划"},
            m2m={"issuers": [self.beijing, self.badong], "key_tasks": tasks},
        )
        self.up(PlanEnvelope, {"plan": self.fyp, "stream": FundStream.GRANT},
                {"amount": Decimal("260000000"),
                 "basis": "以2020年市区两级对口支援资金5113万元为基准，“十四五”期间预计共支援资金2.6亿元。",
                 "source": F.ARTICLE})
        self.annual = {}
        for year in range(2021, 2025):
            self.annual[year] = self.up(
                Plan, {"title": f"北京市对口支援巴东县{year}年度项目计划"},
                {"kind": PlanKind.ANNUAL, "programme": self.three_gorges, "pairing": self.bj_bd, "parent": self.fyp,
                 "start_year": year, "end_year": year, "is_illustrative": year != 2021,
                 "source": F.CJBD_2021 if year == 2021 else GEN},
            )
        self.up(Plan, {"title": "北京市对口支援巴东县中药材产业发展规划（2024—2028年）"},
                {"kind": PlanKind.THEMATIC, "programme": self.three_gorges, "pairing": self.bj_bd, "parent": self.fyp,
                 "start_year": 2024, "end_year": 2028, "source": F.ARTICLE + "：共同编制"},
                m2m={"issuers": [self.beijing, self.badong], "key_tasks": [self.tasks["industry"]]})
        indicators = {
            key: self.up(Indicator, {"key": key}, {"unit": unit})
            for key, unit in (("无偿援助资金", "万元"), ("援建项目数", "个"), ("挂职干部", "人"), ("培训干部人才", "人次"))
        }
        for key, value, illustrative, note in (
            ("无偿援助资金", "26000", False, "“十四五”期间预计共支援资金2.6亿元"),
            ("援建项目数", "50", True, "示意目标"),
            ("挂职干部", "15", True, "示意目标"),
            ("培训干部人才", "1500", True, "示意目标"),
        ):
            self.up(Target, {"plan": self.fyp, "indicator": indicators[key], "key_task": None, "year": None},
                    {"direction": TargetDirection.AT_LEAST, "value": Decimal(value), "note": note,
                     "is_illustrative": illustrative, "source": F.ARTICLE if not illustrative else GEN})
        docs = {}
        for title, kind in (("北京市对口支援巴东县“十四五”规划", DocumentKind.PLAN),
                            ("对口支援巴东项目资金管理办法", DocumentKind.MEASURES),
                            ("北京市对口支援巴东县成员单位职责任务", DocumentKind.DUTIES)):
            docs[kind] = self.up(Document, {"title": title},
                                 {"kind": kind, "pairing": self.bj_bd, "plan": self.fyp if kind == DocumentKind.PLAN else None,
                                  "summary": "文本未公开（来源文章提及）。", "source": F.ARTICLE})
        for name, task, fld, duty in F.BEIJING_MEMBER_UNITS:
            self.up(MemberUnitDuty, {"pairing": self.bj_bd, "member_unit": self.member_units[name], "field": fld},
                    {"key_task": self.tasks[task], "duty": duty, "document": docs[DocumentKind.DUTIES],
                     "is_illustrative": True, "source": GEN + "；来源文章仅称“明确全市成员单位职责任务”"})

    def events(self):
        m = F.MEETING_2024
        self.up(Event, {"title": m["title"], "date": _d(m["date"])},
                {"kind": Event.Kind.MEETING, "programme": self.three_gorges, "place_division": self.division(m["division"]),
                 "place": m["place"], "speakers": m["speakers"], "participants": m["participants"],
                 "summary": m["summary"], "source": F.ARTICLE},
                m2m={"organisers": [self.mwr, self.ndrc]})
        self.up(Event, {"title": "巴东县特色农产品长阳奥特莱斯专场推介活动", "date": date(2024, 6, 15)},
                {"kind": Event.Kind.PROMOTION, "programme": self.three_gorges, "pairing": self.fs_bd,
                 "place_division": self.division("110111"), "place": "房山区长阳奥特莱斯等商圈",
                 "summary": "日期为示意；来源文章称“在长阳奥特莱斯等商圈开展专场推介活动”。",
                 "is_illustrative": True, "source": F.ARTICLE},
                m2m={"organisers": [self.fangshan]})

    # ------------------------------------------------------------------ projects and money
    def year_plan(self):
        """(year, level) → list of slots: (task or None, fixed amount or None, named fact or None)."""
        rng = self.rng
        totals = {y: v for y, (v, _src) in F.KNOWN_YEAR_TOTALS.items()}
        totals.update({2017: Decimal("40000000"), 2018: Decimal("43500000"), 2019: Decimal("47200000"),
                       2022: Decimal("53500000"), 2023: Decimal("55200000"), 2024: Decimal("68600000")})
        # 1992–2014: a rising curve scaled so that 1992–2024 comes to 1,146,380,000 yuan (11.4亿多).
        early = list(range(1992, 2015))
        rest = Decimal("1146380000") - sum(totals.values())
        curve = [Decimal(19 + (y - 1992) * 0.9) for y in early]
        scale = rest / sum(curve)
        for y, c in zip(early, curve, strict=True):
            totals[y] = ((c * scale) / WAN).quantize(Decimal("1"), rounding=ROUND_DOWN) * WAN
        totals[2014] += rest - sum(totals[y] for y in early)

        district = {y: Decimal("5000000") for y in (2017, 2018, 2019)}
        district.update({2020: Decimal("6000000"), 2021: Decimal("6000000"),
                         2022: Decimal("6500000"), 2023: Decimal("6500000"), 2024: Decimal("6500000")})
        counts = {y: 9 for y in range(1992, 2000)} | {y: 10 for y in range(2000, 2010)}
        counts |= {y: 11 for y in range(2010, 2015)} | {2015: 8, 2016: 9, 2017: 10, 2018: 10, 2019: 10, 2020: 11,
                                                       2021: 10, 2022: 12, 2023: 12, 2024: 11}
        # Public-service projects 2021–2024: 11 in all, 7710万 (article); the two named ones are in 2023.
        ps = {2021: ["7200000", "6500000", "5800000"], 2022: ["8000000", "6900000", "5600000"],
              2023: ["11400000"], 2024: ["5000000", "4200000"]}
        named = {}
        for fact in F.NAMED_PROJECTS:
            named.setdefault(fact[2], []).append(fact)
        other_tasks = ["ecology", "industry", "urban_rural", "opening_up"]
        plan = {}
        for year in range(1992, 2025):
            n_district = 2 if year in district else 0
            n_city = counts[year] - n_district
            city_total = totals[year] - district.get(year, 0)
            slots = [(f[3], f[5], f) for f in named.get(year, [])]
            slots += [("public_services", Decimal(a), None) for a in ps.get(year, [])]
            free = n_city - len(slots)
            if year >= 2021:
                pool = [t for t in other_tasks if not (year == 2024 and t == "industry")]
                tasks = [pool[i % len(pool)] for i in range(free)]
            else:
                tasks = rng.choices(["ecology", "industry", "public_services", "urban_rural", "opening_up"],
                                    weights=[2, 3, 4, 3, 1], k=free)
            left = city_total - sum(s[1] for s in slots)
            slots += [(t, a, None) for t, a in zip(tasks, _split(left, free, rng), strict=True)]
            plan[(year, FundLevel.CITY)] = slots
            if n_district:
                # 2024's only industry projects are the article's two (2000万 each).
                dt = ["urban_rural", "ecology"] if year >= 2021 else rng.choices(other_tasks, k=2)
                plan[(year, FundLevel.DISTRICT)] = [
                    (t, a, None) for t, a in zip(dt, _split(district[year], 2, rng), strict=True)
                ]
        return totals, plan

    ITEMS = {
        "ecology": ["小流域综合治理", "污水处理设施", "生态护岸工程", "垃圾收运体系", "地质灾害防治", "植被恢复工程"],
        "industry": ["茶叶加工厂", "魔芋种植基地", "中药材种植基地", "柑橘产业园", "高山蔬菜基地", "农产品冷链设施"],
        "public_services": ["卫生院改扩建", "小学教学楼", "幼儿园建设", "村卫生室", "饮水安全工程", "敬老院改造",
                            "移民小区便民服务中心"],
        "urban_rural": ["集镇道路改造", "村组公路硬化", "移民安置点配套", "便民桥梁", "人居环境整治"],
        "opening_up": ["电商服务中心", "旅游集散中心", "京巴合作交流中心", "招商推介平台", "人才培训基地"],
    }
    SECTOR = {"ecology": "environment", "industry": "agriculture", "public_services": "community",
              "urban_rural": "infrastructure", "opening_up": "tourism"}
    WORK_FIELD = {"ecology": WorkField.ECOLOGY, "industry": WorkField.INDUSTRY, "public_services": WorkField.LIVELIHOOD,
                  "urban_rural": WorkField.LIVELIHOOD, "opening_up": WorkField.INDUSTRY}

    def status_for(self, year):
        if year <= 2021:
            return ProjectStatus.CLOSED
        if year == 2022:
            return ProjectStatus.HANDED_OVER
        if year == 2023:
            return ProjectStatus.ACCEPTED
        return ProjectStatus.IN_PROGRESS

    def projects_and_funds(self):
        totals, plan = self.year_plan()
        rng = self.rng
        townships = list(F.BADONG_TOWNSHIPS)
        for (year, level), slots in sorted(plan.items()):
            pairing = self.bj_bd if level == FundLevel.CITY else self.fs_bd
            known = F.KNOWN_YEAR_TOTALS.get(year)
            expenditures = []
            for i, (task, amount, fact) in enumerate(slots, start=1):
                if fact:
                    code, name, _y, _t, sector, _a, beneficiaries, outputs, status, desc = fact
                    unit = {"BJBD-2023-QLQ": self.school, "BJBD-2023-XTZX": self.hospital}.get(code, self.badong_units["巴东县发展和改革局"])
                    township, illustrative, source = "", False, F.ARTICLE
                else:
                    prefix = "BJBD" if level == FundLevel.CITY else "FSBD"
                    code = f"{prefix}-{year}-{i:02d}"
                    township = townships[rng.randrange(len(townships))]
                    name = f"{year}年{township}{self.ITEMS[task][rng.randrange(len(self.ITEMS[task]))]}"
                    sector, beneficiaries, outputs = self.SECTOR[task], [], []
                    status, desc = self.status_for(year), ""
                    unit = self.townships[township]
                    illustrative, source = True, GEN + (f"；年度总额见 {known[1]}" if known else "")
                project = self.up(
                    Project, {"code": code},
                    {"name": name, "pairing": pairing, "key_task": self.tasks[task], "work_field": self.WORK_FIELD[task],
                     "sector": sector, "annual_plan": self.annual.get(year) if level == FundLevel.CITY else None,
                     "location_division": self.division("422823"), "location": township, "start_year": year,
                     "end_year": year if year < 2024 else 2025, "budget": amount, "status": status,
                     "implementing_unit": unit, "description": desc, "is_illustrative": illustrative, "source": source},
                )
                for group, count, qualifier in beneficiaries:
                    self.up(ProjectBeneficiary, {"project": project, "group": group},
                            {"count": count, "qualifier": qualifier, "source": F.ARTICLE})
                for out_name, qty, unit_name in outputs:
                    self.up(ProjectOutput, {"project": project, "name": out_name},
                            {"quantity": qty, "unit": unit_name, "source": F.ARTICLE})
                alloc = self.up(
                    FundTransaction, {"kind": FundTransaction.Kind.ALLOCATION, "pairing": pairing, "project": project,
                                      "year": year, "level": level, "stream": FundStream.GRANT},
                    {"amount": amount, "doc_no": f"京巴援〔{year}〕{i}号" if level == FundLevel.CITY else f"房援〔{year}〕{i}号",
                     "date": date(year, 3, 31), "is_illustrative": illustrative, "source": source},
                )
                if year >= 2020:
                    spent = amount if status != ProjectStatus.IN_PROGRESS else (amount * Decimal("0.6")).quantize(WAN)
                    expenditures.append((
                        {"kind": FundTransaction.Kind.EXPENDITURE, "pairing": pairing, "project": project,
                         "allocation": alloc, "year": year, "level": level, "stream": FundStream.GRANT},
                        {"amount": spent, "date": date(year if year < 2024 else 2024, 12, 20),
                         "is_illustrative": True, "source": GEN},
                    ))
            # Money moves in order (the services refuse a remittance above the allocations and an
            # expenditure above the remittances): allocations, then the year's remittance, then spending.
            if year >= 2020:
                level_total = sum(s[1] for s in slots)
                for kind, day in ((FundTransaction.Kind.REMITTANCE, 20), (FundTransaction.Kind.RECEIPT, 28)):
                    self.up(FundTransaction, {"kind": kind, "pairing": pairing, "project": None, "year": year,
                                              "level": level, "stream": FundStream.GRANT},
                            {"amount": level_total, "date": date(year, 4, day),
                             "account": "巴东县财政局对口支援资金专户",
                             "note": "一次性汇入巴东财政专户", "is_illustrative": True, "source": GEN})
            for lookup, fields in expenditures:
                self.up(FundTransaction, lookup, fields)

    def lifecycles(self):
        """The 2025 pipeline projects; the Badong projects' notices (``disclosure_demo``) and
        performance targets (``performance_demo``); and each Badong project's approval records up
        to its status (``lifecycle_demo``)."""
        load_pipeline_projects(self)
        load_disclosure_demo(self.up)  # the notices the guarded steps need, before the histories
        load_performance_demo(self.up)
        load_lifecycle_demo(self.up, pairings=[self.bj_bd, self.fs_bd],
                            parties={"北京市": self.beijing, "房山区": self.fangshan, "巴东县": self.badong})

    # ------------------------------------------------------------------ people
    SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"

    def person(self, i):
        return f"{self.SURNAMES[i % len(self.SURNAMES)]}某{'甲乙丙丁戊己庚辛'[i // len(self.SURNAMES) % 8]}"

    def people(self):
        fields = [Field.FINANCE, Field.AGRICULTURE, Field.CULTURE_TOURISM, Field.EDUCATION, Field.HEALTH,
                  Field.DEVELOPMENT, Field.COMMERCE]
        batches = [(date(y, 7, 15), 2 + (y % 2)) for y in range(1994, 2021, 3)]
        batches += [(date(2021, 7, 15), 4), (date(2022, 7, 15), 4), (date(2023, 7, 15), 4), (date(2024, 3, 15), 3)]
        person = 0
        for number, (day, size) in enumerate(batches, start=1):
            modern = day.year >= 2021
            batch = self.up(SecondmentBatch, {"pairing": self.bj_bd, "number": number},
                            {"name": f"第{number}批挂职干部", "dispatched_on": day, "is_illustrative": True,
                             "source": (F.ARTICLE + "：“十四五”以来4批15名") if modern else GEN})
            for k in range(size):
                fld = fields[(number + k) % len(fields)] if not modern else [Field.FINANCE, Field.AGRICULTURE,
                                                                              Field.CULTURE_TOURISM, Field.EDUCATION][k]
                end = date(day.year + 2, day.month, day.day)
                self.up(Secondment, {"batch": batch, "person_name": self.person(person)},
                        {"field": fld, "home_unit": self.beijing, "host_unit": "巴东县人民政府",
                         "post": "副县长" if k == 0 else "挂职干部", "start_date": day, "end_date": end,
                         "is_illustrative": True, "source": batch.source})
                person += 1
        categories = [TrainingSession.Category.PARTY_AFFAIRS, TrainingSession.Category.EDUCATION,
                      TrainingSession.Category.WOMENS_FEDERATION, TrainingSession.Category.RURAL_LEADERS]
        labels = {TrainingSession.Category.PARTY_AFFAIRS: "党务干部", TrainingSession.Category.EDUCATION: "教育系统干部",
                  TrainingSession.Category.WOMENS_FEDERATION: "妇联干部",
                  TrainingSession.Category.RURAL_LEADERS: "乡村振兴带头人"}
        # 1400 person-times in 2021–2024 (article); 350 a year, four courses a year.
        per_year = {y: [100, 90, 60, 100] for y in range(2021, 2025)}
        per_year |= {y: [40, 30, 20, 30] for y in range(2010, 2021)}
        for year, sizes in sorted(per_year.items()):
            for k, (cat, n) in enumerate(zip(categories, sizes, strict=True)):
                start = date(year, 4 + 2 * k, 10)
                self.up(TrainingSession, {"pairing": self.bj_bd, "title": f"{year}年巴东县{labels[cat]}培训班",
                                          "start_date": start},
                        {"category": cat, "end_date": date(year, 4 + 2 * k, 14), "location": "北京市",
                         "organiser": self.member_units["北京市人力资源和社会保障局"], "participants": n,
                         "person_times": n, "is_illustrative": True,
                         "source": (F.ARTICLE + "：各类干部人才1400人次") if year >= 2021 else GEN})
        for name, _industry, day in F.ENTERPRISES:
            self.up(EnterpriseIntroduction, {"pairing": self.bj_bd, "enterprise": self.enterprises[name]},
                    {"introduced_on": _d(day), "industry": _industry, "status": EnterpriseIntroduction.Status.LANDED,
                     "responsible_cadre": Secondment.objects.filter(batch__pairing=self.bj_bd,
                                                                    start_date__year=_d(day).year).order_by("id").first(),
                     "note": "引进日期为示意；来源文章未载金额。", "is_illustrative": True, "source": F.ARTICLE})
        for title, kind, parties, signed, year, content in F.COOPERATION_AGREEMENTS:
            self.up(CooperationAgreement, {"pairing": self.bj_bd, "title": title},
                    {"kind": kind, "signed_on": _d(signed), "signed_year": year, "content": content,
                     "source": F.ARTICLE},
                    m2m={"parties": [self.badong] + [self.institutions[p] for p in parties]})

    # ------------------------------------------------------------------ consumption
    PRODUCTS = ["巴东独活", "巴东玄参", "巴东贝母", "巴东党参", "巴东天麻", "野三关土豆", "绿葱坡高山白菜",
                "巴东魔芋", "金果坪茶叶", "溪丘湾富硒茶", "巴东腊肉", "巴东柑橘", "巴东脐橙", "沿渡河核桃",
                "水布垭蜂蜜", "巴东木耳", "巴东香菇", "大支坪红薯粉", "清太坪苞谷酒", "巴东土鸡蛋"]
    VARIANTS = ["礼盒装", "家庭装", "250克装", "500克装", "精选装"]

    def consumption(self):
        bj = self.division("110000")
        fs_div = self.division("110111")
        water_supplier = self.up(Supplier, {"pairing": self.bj_bd, "name": "巴东县神农溪矿泉水生产企业"},
                                 {"division": self.division("422823"), "is_illustrative": True,
                                  "source": GEN + "；企业名称未见公开来源"})
        water = self.up(Product, {"pairing": self.bj_bd, "name": "神农溪富锶矿泉水"},
                        {"supplier": water_supplier, "origin_division": self.division("422823"), "category": "饮用水",
                         "in_supporter_system": True, "source": F.ARTICLE})
        # 合同销售金额1830多万元 (article) in the three markets it names; the split is illustrative.
        for market, buyer, amount in (("110000", "北京市场经销商", "8200000"), ("310000", "上海市场经销商", "5600000"),
                                      ("440000", "广东市场经销商", "4560000")):
            self.up(SalesContract, {"pairing": self.bj_bd, "product": water, "buyer": buyer,
                                    "signed_on": date(2024, 9, 30)},
                    {"market_division": self.division(market), "amount": Decimal(amount),
                     "note": "分市场金额为示意；合计1836万元。", "is_illustrative": True, "source": F.ARTICLE})
        suppliers = [
            self.up(Supplier, {"pairing": self.fs_bd, "name": f"巴东县{t}农特产品专业合作社"},
                    {"division": self.division("422823"), "linkage": "订单收购、务工带动", "households": 40 + 7 * i,
                     "is_illustrative": True, "source": GEN})
            for i, t in enumerate(F.BADONG_TOWNSHIPS)
        ]
        pavilion = self.up(SalesChannel, {"pairing": self.fs_bd, "name": "房山区对口支援巴东乡村振兴消费帮扶馆"},
                           {"kind": SalesChannel.Kind.PAVILION, "market_division": fs_div, "operator": self.fangshan,
                            "opened_on": date(2024, 5, 1), "is_illustrative": True,
                            "source": F.ARTICLE + "：房山区今年设立（开馆日期为示意）"})
        promotion = self.up(SalesChannel, {"pairing": self.fs_bd, "name": "长阳奥特莱斯专场推介"},
                            {"kind": SalesChannel.Kind.PROMOTION, "market_division": fs_div, "operator": self.fangshan,
                             "opened_on": date(2024, 6, 15), "is_illustrative": True, "source": F.ARTICLE})
        catalogue = self.up(SalesChannel, {"pairing": self.fs_bd, "name": "房山区集中采购目录"},
                            {"kind": SalesChannel.Kind.CATALOGUE, "market_division": fs_div, "operator": self.fangshan,
                             "opened_on": date(2024, 3, 1), "is_illustrative": True, "source": F.ARTICLE})
        channels = [pavilion, promotion, catalogue]
        rng = random.Random(SEED + 1)
        # 近百种特色产品走入北京市场 (article): 96 products sold in Beijing in 2024.
        for i in range(96):
            base = self.PRODUCTS[i % len(self.PRODUCTS)]
            name = f"{base}（{self.VARIANTS[i // len(self.PRODUCTS)]}）"
            product = self.up(Product, {"pairing": self.fs_bd, "name": name},
                              {"supplier": suppliers[i % len(suppliers)], "origin_division": self.division("422823"),
                               "category": "中药材" if i % len(self.PRODUCTS) < 5 else "农特产品",
                               "in_supporter_system": True, "is_illustrative": True, "source": GEN})
            self.up(CatalogueListing, {"product": product, "channel": catalogue, "listed_on": date(2024, 3, 1)},
                    {"is_illustrative": True, "source": GEN})
            for k in range(1 + i % 3):
                channel = channels[(i + k) % 3]
                day = date(2024, 5 + k * 2, 1 + (i % 27))
                amount = Decimal(rng.randrange(20, 300)) * Decimal("1000")
                self.up(SalesRecord, {"pairing": self.fs_bd, "product": product, "channel": channel, "date": day},
                        {"market_division": fs_div if k else bj, "amount": amount,
                         "buyer": ["预算单位食堂", "区属国有企业", "区总工会", "市民"][k % 4],
                         "buyer_type": [SalesRecord.BuyerType.BUDGET_UNIT, SalesRecord.BuyerType.STATE_ENTERPRISE,
                                        SalesRecord.BuyerType.UNION, SalesRecord.BuyerType.PUBLIC][k % 4],
                         "is_illustrative": True, "source": GEN})

    # ------------------------------------------------------------------ users
    def users(self):
        User = get_user_model()
        roles = {r.code: r for r in Role.objects.all()}
        accounts = [
            ("admin", "演示管理员", None, None, True),
            ("beijing", "北京市对口支援工作人员", self.beijing, "supporter_office", False),
            ("fangshan", "房山区对口支援工作人员", self.fangshan, "district_office", False),
            ("badong", "巴东县区域合作中心工作人员", self.badong, "recipient_office", False),
            ("supervisor", "国家监管部门工作人员", self.mwr, "national_supervisor", False),
        ]
        for username, first_name, org, role, superuser in accounts:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, first_name=first_name, is_staff=True, is_superuser=superuser)
                user.set_password(DEMO_PASSWORD)
                user.full_clean()
                user.save()
                from duikou.audit.services import record

                record(user, action="create", actor=self.actor, message="load-demo")
                label = User._meta.verbose_name_plural
                self.up.created[label] = self.up.created.get(label, 0) + 1
            if org is not None:
                self.up(Membership, {"user": user, "organisation": org}, {"role": roles[role]})


def demo_load(*, actor=None) -> DemoResult:
    """Load (or bring up to date) the Beijing → Badong demo in one transaction."""
    actor = actor or SystemActor("system (duikou load-demo)")
    with actor_context(actor), transaction.atomic():
        divisions_load(actor=actor)
        b = DemoBuilder(actor)
        for step in (b.organisations, b.programmes, b.pairings, b.plans, b.events, b.projects_and_funds,
                     b.lifecycles, b.people, b.consumption, b.users):
            step()
    return DemoResult(created=b.up.created, updated=b.up.updated)
