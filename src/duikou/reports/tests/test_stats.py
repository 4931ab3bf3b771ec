"""The article's figures, computed by ``duikou stats`` from the demo records (issue #2 §4)."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from duikou.projects.models import Project

pytestmark = pytest.mark.django_db


def stats(y1, y2, *extra):
    out = StringIO()
    call_command("stats", "--supporter", "北京市", "--recipient", "巴东县", "--from", str(y1), "--to", str(y2),
                 "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_json_keys_and_types(demo_db):
    d = stats(2021, 2024)
    for key in ("aid_funds_yuan", "projects", "projects_by_task", "planned_funds_yuan", "cadres_seconded",
                "cadre_batches", "training_person_times", "consumption_products", "contract_sales_yuan",
                "enterprises_introduced", "illustrative_share"):
        assert key in d
    assert isinstance(d["aid_funds_yuan"], str) and d["aid_funds_yuan"].split(".")[1].__len__() == 2
    assert set(d["projects_by_task"]) == {"ecology", "industry", "public_services", "urban_rural", "opening_up"}
    assert all(isinstance(v["projects"], int) and isinstance(v["funds_yuan"], str)
               for v in d["projects_by_task"].values())
    assert 0 <= d["illustrative_share"] <= 1


def test_since_1992_more_than_1_14_billion_and_300_projects(demo_db):
    d = stats(1992, 2024)
    assert Decimal("1140000000") <= Decimal(d["aid_funds_yuan"]) < Decimal("1150000000")
    assert 300 <= d["projects"] <= 349


def test_2020_baseline_city_and_district(demo_db):
    d = stats(2020, 2020)
    assert d["aid_funds_yuan"] == "51130000.00"


def test_fourteenth_five_year_envelope(demo_db):
    assert stats(2021, 2025)["planned_funds_yuan"] == "260000000.00"
    assert stats(2021, 2024)["planned_funds_yuan"] is None


def test_fourteenth_plan_to_2024(demo_db):
    d = stats(2021, 2024)
    assert d["projects_by_task"]["public_services"] == {"projects": 11, "funds_yuan": "77100000.00"}
    assert (d["cadres_seconded"], d["cadre_batches"]) == (15, 4)
    assert d["training_person_times"] == 1400
    assert d["enterprises_introduced"] >= 3


def test_enterprises_named_in_the_article(demo_db):
    from duikou.investment.models import EnterpriseIntroduction

    names = set(EnterpriseIntroduction.objects.filter(introduced_on__year__gte=2021).values_list(
        "enterprise__name", flat=True))
    assert {"时珍堂药业", "北汽新能源", "博宇工贸"} <= names


def test_2024_consumption_and_industry(demo_db):
    d = stats(2024, 2024)
    assert Decimal("18300000") <= Decimal(d["contract_sales_yuan"]) < Decimal("18400000")
    assert 90 <= d["consumption_products"] <= 99
    assert d["projects_by_task"]["industry"] == {"projects": 2, "funds_yuan": "40000000.00"}
    industry = {p.name: p.budget for p in Project.objects.filter(start_year=2024, key_task__code="industry")}
    assert industry == {"水健康产业园": Decimal("20000000.00"), "生物医药产业链建设": Decimal("20000000.00")}


def test_2023_named_public_service_projects(demo_db):
    school = Project.objects.get(name="青龙桥小学教学楼")
    dialysis = Project.objects.get(name="巴东县血液透析中心改造工程")
    for project, amount in ((school, "9000000.00"), (dialysis, "7500000.00")):
        assert project.start_year == 2023
        assert project.key_task.code == "public_services"
        assert not project.is_illustrative
        allocated = sum(t.amount for t in project.fund_transactions.filter(kind="allocation", year=2023))
        assert allocated == Decimal(amount)
    beneficiary = school.beneficiaries.get()
    assert (beneficiary.count, beneficiary.qualifier) == (1200, "more_than")
    d = stats(2023, 2023)
    assert d["projects_by_task"]["public_services"]["projects"] >= 2


def test_illustrative_share_counts_generated_records(demo_db):
    assert stats(2020, 2020)["illustrative_share"] == 1.0  # the article gives only the total
    share = stats(2023, 2023)["illustrative_share"]
    assert 0 < share < 1  # 1650万 of 5520万 are the article's named projects
    assert share == pytest.approx(1 - 16500000 / 55200000, abs=1e-4)


def test_text_output_in_chinese_with_headline_rounding(demo_db):
    out = StringIO()
    call_command("stats", "--supporter", "北京市", "--recipient", "巴东县", "--from", "1992", "--to", "2024", stdout=out)
    text = out.getvalue()
    assert "11.4亿多元" in text
    assert "无偿援助资金" in text
    assert "提高基本公共服务和民生保障能力" in text


def test_unknown_pairing_and_bad_years_are_clear_errors(demo_db):
    with pytest.raises(CommandError, match="夷陵区"):
        call_command("stats", "--supporter", "北京市", "--recipient", "夷陵区", "--from", "2020", "--to", "2020")
    with pytest.raises(CommandError, match="--to"):
        call_command("stats", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2024", "--to", "2020")


def test_scoped_user_sees_only_own_records(demo_db):
    # 房山区's office sees its sub-pairing, not the city-level pairing: the city figure is not shown to it.
    with pytest.raises(CommandError):
        stats(2020, 2020, "--user", "fangshan")
    out = StringIO()
    call_command("stats", "--supporter", "房山区", "--recipient", "巴东县", "--from", "2020", "--to", "2020", "--json",
                 "--user", "fangshan", stdout=out)
    assert json.loads(out.getvalue())["aid_funds_yuan"] == "6000000.00"
    # 巴东县 sees both levels.
    assert stats(2020, 2020, "--user", "badong")["aid_funds_yuan"] == "51130000.00"


def test_figures_follow_the_records(demo_db):
    """No stored totals: change a record and the figure changes with it."""
    from duikou.core.permissions import SYSTEM
    from duikou.funds.services import fund_transaction_update

    alloc = Project.objects.get(name="青龙桥小学教学楼").fund_transactions.get(kind="allocation")
    fund_transaction_update(actor=SYSTEM, instance=alloc, amount=Decimal("9100000"))
    assert stats(2020, 2020)["aid_funds_yuan"] == "51130000.00"
    assert stats(2023, 2023)["aid_funds_yuan"] == "55300000.00"


def test_text_output_in_english_on_request(demo_db):
    out = StringIO()
    call_command("stats", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021", "--to", "2024",
                 "--language", "en", stdout=out)
    text = out.getvalue()
    assert "Free aid allocated: 22,843.00万元" in text
    assert "Improve basic public services and livelihood security: 11 projects, 7,710.00万元" in text
    assert "Cadres seconded: 15 in 4 batches" in text


def test_economic_cooperation_is_never_added_to_free_aid(demo_db):
    """The two streams are never summed: an ECON allocation leaves aid_funds_yuan unchanged."""
    from duikou.core.permissions import SYSTEM
    from duikou.funds.models import FundTransaction
    from duikou.funds.services import fund_transaction_create
    from duikou.organisations.models import Pairing

    pairing = Pairing.objects.get(supporter__name="北京市", recipient__name="巴东县")
    fund_transaction_create(actor=SYSTEM, kind=FundTransaction.Kind.ALLOCATION, pairing=pairing, stream="econ",
                            year=2020, amount=Decimal("300000000"), level="city", source="test")
    d = stats(2020, 2020)
    assert d["aid_funds_yuan"] == "51130000.00"
    assert all(v["funds_yuan"] != "300000000.00" for v in d["projects_by_task"].values())
