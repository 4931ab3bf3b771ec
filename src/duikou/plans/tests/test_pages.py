"""The plan pages: filters, search, sorting, forms, exports, national plans and a five-year plan's
envelope beside its allocations.

The contract every register keeps (scope, 404s, query counts, empty forms) is in
``tests/test_registers.py``; this module covers what is particular to these registers. The helpers
are :mod:`duikou.testing.pages`; rows are made in fresh pairings, with or without the demo loaded.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from duikou.core.choices import FundStream
from duikou.plans.choices import DocumentKind, PlanKind
from duikou.plans.models import Document, MemberUnitDuty, Plan, PlanEnvelope, Target
from duikou.plans.registers import plan_envelope_progress
from duikou.testing import factories as f
from duikou.testing.pages import (
    as_superuser,
    check_choice_filter,
    check_created,
    check_formula_is_text,
    check_money_is_a_number,
    check_pairing_filter,
    check_search,
    check_service_error_shown,
    check_year_filters,
    create_form,
    demo_figures,
    listed,
    listing,
    login_member,
    make,
    post_form,
)
from duikou.ui.registers import format_money

pytestmark = pytest.mark.django_db

SLUGS = [("plans", Plan), ("plan-envelopes", PlanEnvelope), ("targets", Target), ("documents", Document),
         ("member-unit-duties", MemberUnitDuty)]


@pytest.fixture
def admin(client):
    as_superuser(client)
    return client


def detail(client, slug, obj) -> str:
    response = client.get(reverse(f"ui:{slug}-detail", args=[obj.pk]))
    assert response.status_code == 200
    return response.content.decode()


# filters, search, sort --------------------------------------------------------------------


@pytest.mark.parametrize("slug,model", SLUGS)
def test_pairing_filter_includes_sub_pairings(admin, slug, model):
    check_pairing_filter(admin, slug, model)


@pytest.mark.parametrize("slug,model,in_year", [
    ("plans", Plan, lambda y: {"start_year": y, "end_year": y}),
    ("plan-envelopes", PlanEnvelope, lambda y: {"plan__start_year": y, "plan__end_year": y}),
    ("targets", Target, lambda y: {"year": y}),
    ("documents", Document, lambda y: {"issued_on": dt.date(y, 6, 1)}),
])
def test_year_filters(admin, slug, model, in_year):
    check_year_filters(admin, slug, model, in_year)


def test_year_filters_keep_the_plans_whose_years_overlap(admin):
    pairing = f.PairingFactory()
    five_year = make(Plan, pairing, start_year=2021, end_year=2025)
    whole_plan_target = f.TargetFactory(plan=five_year, year=None)
    assert listed(listing(admin, "plans", pairing=pairing.pk, year_from=2024, year_to=2024)) == {five_year.pk}
    assert listed(listing(admin, "plans", pairing=pairing.pk, year_from=2026)) == set()
    assert listed(listing(admin, "targets", pairing=pairing.pk, year_from=2024, year_to=2024)) == {whole_plan_target.pk}
    assert listed(listing(admin, "targets", pairing=pairing.pk, year_to=2020)) == set()


@pytest.mark.parametrize("slug,model,param,value,match,other", [
    ("plans", Plan, "kind", "annual", {"kind": PlanKind.ANNUAL}, {}),
    ("plans", Plan, "is_illustrative", "true", {"is_illustrative": True}, {}),
    ("plan-envelopes", PlanEnvelope, "stream", "econ", {"stream": FundStream.ECON}, {}),
    ("targets", Target, "is_illustrative", "false", {}, {"is_illustrative": True}),
    ("documents", Document, "kind", "plan", {"kind": DocumentKind.PLAN}, {}),
    ("documents", Document, "is_public", "true", {"is_public": True}, {}),
    ("member-unit-duties", MemberUnitDuty, "is_illustrative", "true", {"is_illustrative": True}, {}),
])
def test_choice_filters_narrow(admin, slug, model, param, value, match, other):
    check_choice_filter(admin, slug, model, param, value, match, other)


def test_plan_indicator_key_task_and_member_unit_filters(admin):
    pairing = f.PairingFactory()
    plan = make(Plan, pairing)
    ecology = f.KeyTaskFactory(code="ecology")
    kept = f.TargetFactory(plan=plan, key_task=ecology)
    other = make(Target, pairing)
    assert listed(listing(admin, "targets", plan=plan.pk)) == {kept.pk}
    assert listed(listing(admin, "targets", indicator=other.indicator_id)) == {other.pk}
    assert listed(listing(admin, "targets", pairing=pairing.pk, key_task="ecology")) == {kept.pk}
    assert listed(listing(admin, "plan-envelopes", plan=plan.pk)) == set()
    duty = make(MemberUnitDuty, pairing, key_task=ecology)
    make(MemberUnitDuty, pairing)
    assert listed(listing(admin, "member-unit-duties", member_unit=duty.member_unit_id)) == {duty.pk}
    assert listed(listing(admin, "member-unit-duties", pairing=pairing.pk, key_task="ecology")) == {duty.pk}


@pytest.mark.parametrize("slug,model,match", [
    ("plans", Plan, {"title": "北京市对口支援测试县规划"}),
    ("plan-envelopes", PlanEnvelope, {"basis": "以上年资金为基准测算"}),
    ("targets", Target, {"note": "示意目标值"}),
    ("documents", Document, {"doc_no": "京援发〔2099〕1号"}),
    ("member-unit-duties", MemberUnitDuty, {"duty": "负责卫生健康领域结对帮扶"}),
])
def test_search(admin, slug, model, match):
    check_search(admin, slug, model, **match)


def test_plans_sort_by_first_year_and_envelopes_total(admin):
    pairing = f.PairingFactory()
    plans = [make(Plan, pairing, start_year=y, end_year=y + 4) for y in (2023, 2021, 2022)]
    rows = listing(admin, "plans", pairing=pairing.pk, sort="-start_year").context["rows"]
    assert [row["obj"].pk for row in rows] == [plans[0].pk, plans[2].pk, plans[1].pk]
    for plan, amount in zip(plans, ("100.50", "200.00", "0"), strict=True):
        f.PlanEnvelopeFactory(plan=plan, amount=Decimal(amount))
    body = listing(admin, "plan-envelopes", pairing=pairing.pk).content.decode()
    assert "<strong data-total>300.50</strong>" in body


# national plans -----------------------------------------------------------------------------


@pytest.fixture
def national_plan():
    return f.PlanFactory(kind=PlanKind.NATIONAL, pairing=None, title="全国对口支援测试合作规划")


def test_national_plans_are_listed_for_national_supervisors_and_superusers(client, national_plan):
    pairing_plan = f.PlanFactory()
    for who in ("superuser", "national"):
        if who == "superuser":
            as_superuser(client)
        else:
            login_member(client, f.OrganisationFactory(), "national_supervisor")
        body = listing(client, "plans", kind="national").content.decode()
        assert national_plan.title in body and pairing_plan.title not in body
        assert national_plan.title in detail(client, "plans", national_plan)
    login_member(client, pairing_plan.pairing.supporter, "supporter_office")
    assert listed(listing(client, "plans")) == {pairing_plan.pk}
    assert client.get(reverse("ui:plans-detail", args=[national_plan.pk])).status_code == 404


def test_a_pairing_plan_may_sit_under_the_national_plan(client, national_plan):
    pairing = f.PairingFactory()
    login_member(client, pairing.supporter, "supporter_office")
    choices = create_form(client, "plans").fields["parent"].queryset
    assert national_plan in choices
    plan = check_created(client, "plans", Plan, {
        "kind": "pairing_five_year", "title": "结对五年规划", "programme": pairing.programme_id, "pairing": pairing.pk,
        "parent": national_plan.pk, "start_year": 2021, "end_year": 2025,
    })
    assert plan.parent == national_plan


def test_a_national_plan_is_refused_to_a_pairings_office(client):
    pairing = f.PairingFactory()
    login_member(client, pairing.supporter, "supporter_office")
    response = post_form(client, "plans", {
        "kind": "national", "title": "全国规划", "programme": pairing.programme_id, "start_year": 2021, "end_year": 2025,
    })
    assert response.status_code == 200 and not Plan.objects.filter(title="全国规划").exists()
    assert 'class="errors"' in response.content.decode()


# forms --------------------------------------------------------------------------------------


def test_create_plan_with_issuers_and_key_tasks_through_the_form(admin):
    pairing = f.PairingFactory()
    plan = check_created(admin, "plans", Plan, {
        "kind": "annual", "title": "2024年度项目计划", "programme": pairing.programme_id, "pairing": pairing.pk,
        "start_year": 2024, "end_year": 2024, "issuers": [pairing.supporter_id, pairing.recipient_id],
        "key_tasks": [f.KeyTaskFactory(code="industry").pk], "source": "联合印发",
    })
    assert set(plan.issuers.all()) == {pairing.supporter, pairing.recipient}
    assert [t.code for t in plan.key_tasks.all()] == ["industry"]


@pytest.mark.parametrize("data,field", [
    ({"kind": "annual", "start_year": 2022, "end_year": 2023}, "end_year"),
    ({"kind": "pairing_five_year", "start_year": 2000, "end_year": 2004}, "start_year"),
])
def test_plan_errors_are_shown_next_to_the_field(admin, data, field):
    pairing = f.PairingFactory()  # from 2021
    check_service_error_shown(admin, "plans", Plan, {
        "title": "规划", "programme": pairing.programme_id, "pairing": pairing.pk, **data,
    }, field)


def test_target_year_outside_the_plan_is_refused(admin):
    plan = f.PlanFactory()
    check_service_error_shown(admin, "targets", Target, {
        "plan": plan.pk, "indicator": f.IndicatorFactory().pk, "year": plan.end_year + 1, "direction": "gte",
        "value": "10",
    }, "year")


def test_add_links_on_a_plan_page_preset_the_plan(admin):
    plan = f.PlanFactory()
    body = detail(admin, "plans", plan)
    for slug, param in (("plan-envelopes", "plan"), ("targets", "plan"), ("documents", "plan"), ("plans", "parent")):
        assert f'href="{reverse(f"ui:{slug}-create")}?{param}={plan.pk}"' in body
    form = create_form(admin, "documents", plan=plan.pk)
    assert (str(form["plan"].value()), str(form["pairing"].value())) == (str(plan.pk), str(plan.pairing_id))
    form = create_form(admin, "plans", parent=plan.pk)
    assert str(form["pairing"].value()) == str(plan.pairing_id)
    assert str(form["programme"].value()) == str(plan.programme_id)
    envelope = check_created(admin, "plan-envelopes", PlanEnvelope, {"plan": plan.pk, "stream": "grant",
                                                                      "amount": "260000000"})
    assert envelope.plan == plan
    assert "260,000,000.00" in detail(admin, "plans", plan)


def test_duty_choices_lie_under_the_pairings_sides(client):
    own, foreign = f.MemberUnitDutyFactory(), f.MemberUnitDutyFactory()
    document = f.DocumentFactory(pairing=own.pairing, kind=DocumentKind.DUTIES)
    login_member(client, own.pairing.supporter, "supporter_office")
    form = create_form(client, "member-unit-duties", document=document.pk)
    assert own.member_unit in form.fields["member_unit"].queryset
    assert foreign.member_unit not in form.fields["member_unit"].queryset
    assert str(form["pairing"].value()) == str(own.pairing_id)


def test_plan_page_lists_children_documents_targets_and_annual_projects(admin):
    five_year = f.PlanFactory()
    annual = f.PlanFactory(pairing=five_year.pairing, parent=five_year, kind=PlanKind.ANNUAL, start_year=2022,
                           end_year=2022, title="2022年度计划")
    project = f.ProjectFactory(pairing=five_year.pairing, annual_plan=annual, name="易地搬迁配套项目")
    document = f.DocumentFactory(pairing=five_year.pairing, plan=five_year, title="规划文本")
    target = f.TargetFactory(plan=five_year, note="到2025年")
    body = detail(admin, "plans", five_year)
    for text in (annual.title, project.name, document.title, target.note):
        assert text in body
    assert project.name in detail(admin, "plans", annual)


# exports ------------------------------------------------------------------------------------


def test_export_envelope_amounts_are_numbers(admin):
    check_money_is_a_number(admin, "plan-envelopes", PlanEnvelope, "amount")


@pytest.mark.parametrize("slug,model,name", [("plans", Plan, "title"), ("targets", Target, "note")])
def test_export_formula_is_text(admin, slug, model, name):
    check_formula_is_text(admin, slug, model, name)


# the envelope beside the allocations ----------------------------------------------------------


def allocate(pairing, year, amount, **kwargs):
    return f.FundAllocationFactory(pairing=pairing, year=year, amount=Decimal(amount), **kwargs)


def test_envelope_progress_counts_the_grant_allocations_of_the_plans_years(client):
    top = f.PairingFactory()
    sub = f.SubPairingFactory(parent=top)
    plan = f.PlanFactory(pairing=top, start_year=2021, end_year=2025)
    f.PlanEnvelopeFactory(plan=plan, amount=Decimal("1000000"))
    allocate(top, 2021, "100000")
    allocate(sub, 2021, "50000")
    allocate(top, 2024, "250000")
    allocate(top, 2026, "999")  # after the plan
    allocate(top, 2022, "777", stream=FundStream.ECON)  # the other stream
    f.FundTransactionFactory(pairing=top, year=2022, amount=Decimal("888"))  # a receipt, not an allocation
    user = as_superuser(client)
    [grant] = plan_envelope_progress(plan, user)
    assert [y.year for y in grant.years] == [2021, 2022, 2023, 2024, 2025]
    assert [y.allocated for y in grant.years] == [Decimal("150000"), 0, 0, Decimal("250000"), 0]
    assert (grant.envelope, grant.allocated, grant.remaining) == (Decimal("1000000"), Decimal("400000"),
                                                                  Decimal("600000"))
    body = detail(client, "plans", plan)
    assert "<strong data-allocated>400,000.00</strong>" in body and "40.0%" in body
    assert plan_envelope_progress(f.PlanFactory(pairing=top, kind=PlanKind.ANNUAL), user) == []


def test_envelope_progress_reads_only_what_the_user_may_see(client):
    envelope = f.PlanEnvelopeFactory()
    allocate(envelope.plan.pairing, 2022, "5000")
    user = login_member(client, f.OrganisationFactory(), "supporter_office")
    assert plan_envelope_progress(envelope.plan, user) == []
    user = login_member(client, envelope.plan.pairing.supporter, "read_only")
    assert plan_envelope_progress(envelope.plan, user)[0].allocated == Decimal("5000")


@pytest.mark.xdist_group("demo-pages")
def test_fourteenth_plan_envelope_beside_the_dashboard_figure(client, demo_db):
    user = as_superuser(client)
    figures, _params = demo_figures(user, (2021, 2025))
    plan = Plan.objects.get(title="北京市对口支援巴东县“十四五”规划")
    [grant] = plan_envelope_progress(plan, user)
    assert grant.envelope == figures.planned_funds_yuan == Decimal("260000000")
    assert grant.allocated == figures.aid_funds_yuan > 0
    body = detail(client, "plans", plan)
    assert f"<strong data-allocated>{format_money(figures.aid_funds_yuan)}</strong>" in body
    assert "<strong data-envelope>260,000,000.00</strong>" in body


def test_page_of_a_plan_created_with_issuers(admin):
    pairing = f.PairingFactory()
    plan = check_created(admin, "plans", Plan, {
        "kind": "pairing_five_year", "title": "规划", "programme": pairing.programme_id, "pairing": pairing.pk,
        "start_year": 2021, "end_year": 2025, "issuers": [pairing.supporter_id],
    })
    assert plan.title in detail(admin, "plans", plan)


def test_key_task_names_follow_the_language():
    from django.utils import translation

    from duikou.plans.models import KeyTask

    task = KeyTask(code="x", name="提高基本公共服务和民生保障能力", name_en="Public services")
    assert str(task) == "提高基本公共服务和民生保障能力"
    with translation.override("en"):
        assert str(task) == "Public services"
        task.name_en = ""
        assert str(task) == "提高基本公共服务和民生保障能力"
