"""The content of each kind of notice, built from the records (domain guide §5)."""

import datetime as dt
from decimal import Decimal

import pytest

from duikou.core.choices import FundLevel
from duikou.core.permissions import SYSTEM
from duikou.disclosure.content import FUND_FIELDS, KIND_FIELDS, MISSING, build_content, text_of
from duikou.plans.choices import DocumentKind, PlanKind
from duikou.projects.models import ProjectBeneficiary
from duikou.testing.factories import (
    DisclosureFactory,
    DocumentFactory,
    FundAllocationFactory,
    FundTransactionFactory,
    OrganisationFactory,
    PlanFactory,
    ProjectBeneficiaryFactory,
    ProjectFactory,
    ProjectOutputFactory,
)

pytestmark = pytest.mark.django_db

LIBRARY_LABELS = ["项目名称", "类别", "建设性质", "实施地点", "建设内容", "建设期限", "时间进度", "建设单位及责任人",
                  "施工单位及责任人", "资金来源、构成及规模", "政府采购及招标情况", "受益对象", "绩效目标",
                  "利益联结机制", "预期目标", "实施结果", "监督举报电话"]
PROJECT_LABELS = ["项目名称", "实施地点", "建设内容", "建设期限", "建设单位及责任人", "施工单位及责任人",
                  "资金来源、构成及规模", "政府采购及招标情况", "预期目标", "实施结果", "监督举报电话"]
FUND_LABELS = ["资金来源", "资金规模", "资金用途", "使用单位", "分配原则", "分配结果"]


def school(pairing, **kwargs):
    """青龙桥小学教学楼 with its output, beneficiaries and a city-level allocation of 900万."""
    unit = OrganisationFactory(name="巴东县青龙桥小学")
    project = ProjectFactory(pairing=pairing, name="青龙桥小学教学楼", start_year=2023, end_year=2023,
                             budget=Decimal("9000000"), location="溪丘湾乡", implementing_unit=unit,
                             description="新建教学楼一栋", farmer_linkage="优先吸纳当地农户务工", **kwargs)
    ProjectOutputFactory(project=project, name="教学楼", quantity=Decimal("1"), unit="栋")
    ProjectBeneficiaryFactory(project=project, group="师生", count=1200,
                              qualifier=ProjectBeneficiary.Qualifier.MORE_THAN)
    FundAllocationFactory(pairing=pairing, project=project, year=2023, amount=Decimal("9000000"),
                          level=FundLevel.CITY, doc_no="京巴援〔2023〕3号")
    return project


def fields(content, section=1) -> dict:
    return {row["label"]: text_of(row["value"]) for row in content["sections"][section]["rows"]}


def content_of(kind, project, **kwargs):
    disclosure = DisclosureFactory(kind=kind, pairing=project.pairing, project=project, title="", year=None, **kwargs)
    disclosure.full_clean()
    return build_content(disclosure, actor=SYSTEM)


def test_library_notice_has_the_fund_and_library_fields_from_the_records(pairings):
    project = school(pairings.pairings["beijing_badong"])
    DocumentFactory(pairing=project.pairing, kind=DocumentKind.MEASURES, title="对口支援巴东项目资金管理办法")
    content = content_of("library", project)
    assert content["title"] == "巴东县2023年度对口支援项目库公示"
    assert [r["label"] for r in content["sections"][0]["rows"]] == FUND_LABELS
    assert [r["label"] for r in content["sections"][1]["rows"]] == LIBRARY_LABELS
    funds, info = fields(content, 0), fields(content, 1)
    assert funds["资金来源"] == "北京市对口支援资金（无偿援助）"
    assert funds["资金规模"] == "900.00万元"
    assert funds["使用单位"] == "巴东县青龙桥小学"
    assert funds["分配原则"] == "按照《对口支援巴东项目资金管理办法》分配使用"
    assert "2023年下达市级资金900.00万元（京巴援〔2023〕3号）" == funds["分配结果"]
    assert info["项目名称"] == "青龙桥小学教学楼"
    assert info["实施地点"] == "巴东县溪丘湾乡"
    assert info["建设内容"] == "新建教学楼一栋；主要建设：教学楼1栋"
    assert info["建设期限"] == "2023年"
    assert info["时间进度"] == "计划2023年开工，2023年建成"
    assert info["受益对象"] == "师生1200多人"
    assert info["绩效目标"] == "产出指标：教学楼1栋；效益指标：受益师生1200多人"
    assert info["利益联结机制"] == "优先吸纳当地农户务工"
    assert info["预期目标"] == "建成教学楼1栋；惠及师生1200多人"
    assert "市级900.00万元" in info["资金来源、构成及规模"]
    assert info["监督举报电话"] == "12317"
    # Not recorded anywhere: said so, not made up; later stages: said when they are known.
    assert info["建设性质"] == MISSING
    assert info["建设单位及责任人"] == f"巴东县青龙桥小学；责任人：{MISSING}"
    assert info["施工单位及责任人"] == "（招标采购后确定）"
    assert info["实施结果"] == "（项目竣工后公告）"
    assert content["placeholders"] == ["建设性质", "建设单位及责任人"]
    assert content["project_ids"] == [project.pk]


def test_beneficiaries_are_marked_as_about_people(pairings):
    content = content_of("library", school(pairings.pairings["beijing_badong"]))
    rows = {r["key"]: r["value"] for r in content["sections"][1]["rows"]}
    assert rows["beneficiaries"] == [{"text": "师生1200多人", "people": True}]
    assert rows["expected"][1]["people"] is True and "people" not in rows["expected"][0]


@pytest.mark.parametrize("kind", ["pre_implementation", "completion"])
def test_project_notices_have_the_project_fields(pairings, kind):
    content = content_of(kind, school(pairings.pairings["beijing_badong"]))
    assert [r["label"] for r in content["sections"][1]["rows"]] == PROJECT_LABELS
    assert tuple(r["key"] for r in content["sections"][0]["rows"]) == FUND_FIELDS
    assert tuple(r["key"] for r in content["sections"][1]["rows"]) == KIND_FIELDS[kind]


def test_project_without_records_says_what_is_missing(pairings):
    project = ProjectFactory(pairing=pairings.pairings["beijing_badong"], status="preparing", description="")
    info = fields(content_of("pre_implementation", project))
    funds = fields(content_of("pre_implementation", project), 0)
    assert info["建设内容"] == MISSING
    assert info["施工单位及责任人"] == MISSING  # due once procurement is under way
    assert info["政府采购及招标情况"] == MISSING
    assert "（资金计划下达后确定）" in funds["资金规模"] and "900.00万元" in funds["资金规模"]
    assert funds["分配结果"] == "（资金计划下达后公告）"
    assert funds["分配原则"] == MISSING


def test_completion_announcement_reports_the_result_and_spending(pairings):
    project = school(pairings.pairings["beijing_badong"], status="accepted")
    allocation = project.fund_transactions.get(kind="allocation")
    FundTransactionFactory(kind="expenditure", pairing=project.pairing, project=project, allocation=allocation,
                           year=2023, amount=Decimal("8800000"))
    content = content_of("completion", project)
    assert content["title"] == "巴东县2023年度对口支援项目竣工公告"
    assert fields(content)["实施结果"] == "项目已竣工验收，累计支出资金880.00万元"
    assert "公告期为" in content["closing"]


def test_annual_plan_announcement_lists_the_plan_and_the_years_allocations(pairings):
    city, district = pairings.pairings["beijing_badong"], pairings.pairings["fangshan_badong"]
    plan = PlanFactory(pairing=city, kind=PlanKind.ANNUAL, title="北京市对口支援巴东县2023年度项目计划",
                       start_year=2023, end_year=2023)
    in_plan = school(city, annual_plan=plan)
    district_project = ProjectFactory(pairing=district, name="集镇道路改造", start_year=2023, end_year=2023)
    FundAllocationFactory(pairing=district, project=district_project, year=2023, amount=Decimal("3000000"),
                          level=FundLevel.DISTRICT)
    other_year = ProjectFactory(pairing=city, start_year=2022, end_year=2022)
    FundAllocationFactory(pairing=city, project=other_year, year=2022)
    disclosure = DisclosureFactory(kind="annual_plan", pairing=city, project=None, plan=plan, title="", year=None)
    disclosure.full_clean()
    content = build_content(disclosure, actor=SYSTEM)
    assert content["title"] == "巴东县2023年度对口支援资金项目计划公告"
    assert content["subtitle"] == "北京市对口支援巴东县2023年度项目计划"
    funds = fields(content, 0)
    assert funds["资金规模"] == "1,200.00万元"
    assert funds["资金来源"] == "北京市、房山区对口支援资金（无偿援助）：市级900.00万元，区级300.00万元"
    assert funds["分配结果"] == "安排项目2个，下达资金1,200.00万元，明细见下表"
    table = content["sections"][1]
    assert table["type"] == "table"
    assert table["columns"] == ["项目名称", "实施地点", "建设内容", "建设期限", "建设单位", "下达资金", "预期目标"]
    assert [r["label"] for r in table["rows"]] == ["青龙桥小学教学楼", "集镇道路改造"]
    assert text_of(table["rows"][0]["cells"][5]) == "900.00万元"
    assert set(content["project_ids"]) == {in_plan.pk, district_project.pk}


def test_the_period_and_the_issuer_are_in_the_closing(pairings):
    project = school(pairings.pairings["beijing_badong"])
    content = content_of("library", project, start_date=dt.date(2023, 3, 1), end_date=dt.date(2023, 3, 10))
    assert content["closing"].startswith("公示期为2023年3月1日至2023年3月10日（共10天）。")
    assert "向巴东县反映" in content["closing"] and "监督举报电话：12317" in content["closing"]
    assert content["period"] == {"start": "2023-03-01", "end": "2023-03-10", "days": 10}


def test_other_apps_may_supply_a_field(pairings):
    from duikou.disclosure import content as module

    def targets(*, project, kind):
        return "数量指标：教学楼 = 1 栋；满意度指标：受益师生满意度 ≥ 90%"

    module.register_field_source("performance_targets", targets)
    try:
        info = fields(content_of("library", school(pairings.pairings["beijing_badong"])))
    finally:
        module._SOURCES["performance_targets"].remove(targets)
    assert info["绩效目标"] == "数量指标：教学楼 = 1 栋；满意度指标：受益师生满意度 ≥ 90%"
    with pytest.raises(ValueError):
        module.register_field_source("no_such_field", targets)
