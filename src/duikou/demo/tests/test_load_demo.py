"""``duikou load-demo``: idempotent, marked, audited (issue #2 §3)."""

from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from duikou.audit.models import ObjectChange
from duikou.core.models import RecordModel
from duikou.demo.loader import demo_load

pytestmark = pytest.mark.django_db


def dump() -> dict:
    """Every row of every duikou table (audit log included), without timestamps."""
    tables = {}
    for model in apps.get_models():
        if not model.__module__.startswith("duikou.") or model._meta.proxy:
            continue
        rows = serializers.serialize("python", model.objects.order_by("pk"))
        tables[model._meta.label] = [
            (r["pk"], {k: v for k, v in r["fields"].items() if k not in ("created", "last_updated", "time")})
            for r in rows
        ]
    return tables


def test_loading_twice_gives_the_same_database(demo_db):
    before = dump()
    result = demo_load()
    assert not result.changed
    assert dump() == before


def test_second_run_says_nothing_changed(demo_db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "演示数据已是最新" in out.getvalue()


def test_every_write_of_the_loader_is_audited(demo_db):
    from duikou.projects.models import Project

    assert ObjectChange.objects.filter(content_type__model="project").count() == Project.objects.count()
    change = ObjectChange.objects.filter(content_type__model="project").first()
    assert change.actor_name.startswith("system")
    assert change.after["code"] and change.before is None
    assert ObjectChange.objects.values("batch_id").distinct().count() >= 1


def test_the_register_totals_agree_with_the_demo(demo_db):
    from duikou.core import totals

    for kept in totals.registered():
        assert totals.check(kept) == [], kept.table
        assert kept.table.objects.exists()


def test_generated_records_are_marked_and_sourced(demo_db):
    from duikou.funds.models import FundTransaction
    from duikou.projects.models import Project

    assert Project.objects.filter(is_illustrative=True).count() > 300
    named = Project.objects.filter(is_illustrative=False)
    assert set(named.values_list("name", flat=True)) == {
        "青龙桥小学教学楼", "巴东县血液透析中心改造工程", "水健康产业园", "生物医药产业链建设"}
    for model in apps.get_models():
        if issubclass(model, RecordModel) and not model._meta.proxy:
            # a record is either cited or marked generated
            assert not model.objects.filter(is_illustrative=False, source="").exists(), model
    assert FundTransaction.objects.filter(is_illustrative=True, kind="allocation").exists()


def test_programme_pairings_and_plans(demo_db):
    from duikou.organisations.models import Pairing, Programme
    from duikou.plans.models import Plan

    programme = Programme.objects.get(code="three-gorges")
    assert programme.started_on.year == 1992
    assert programme.covered_divisions.count() == 19
    bj_bd = Pairing.objects.get(programme=programme, supporter__name="北京市", recipient__name="巴东县")
    assert bj_bd.valid_from.year == 1992 and bj_bd.parent is None
    assert list(bj_bd.sub_pairings.values_list("supporter__name", flat=True)) == ["房山区"]
    national = Plan.objects.get(kind="national")
    assert national.key_tasks.count() == 5 and set(national.issuers.values_list("name", flat=True)) == {
        "水利部", "国家发展和改革委员会"}
    fyp = Plan.objects.get(kind="pairing_five_year", pairing=bj_bd)
    assert fyp.parent == national and (fyp.start_year, fyp.end_year) == (2021, 2025)
    thematic = Plan.objects.get(kind="thematic")
    assert (thematic.start_year, thematic.end_year) == (2024, 2028)


def test_the_meeting_in_yichang(demo_db):
    from duikou.events.models import Event

    meeting = Event.objects.get(date="2024-10-23")
    assert meeting.place_division.code == "420500"
    assert "王宝恩" in meeting.speakers and "于鸷隆" in meeting.speakers
    assert not meeting.is_illustrative


def test_agreements_and_institutions(demo_db):
    from duikou.investment.models import CooperationAgreement

    kinds = dict(CooperationAgreement.objects.values_list("title", "kind"))
    assert kinds["首都医科大学中医药学院与巴东县战略合作协议"] == "strategic"
    bases = CooperationAgreement.objects.filter(kind="clinical_base")
    assert set(bases.values_list("parties__name", flat=True)) >= {"北京中医药大学", "中国中医科学院", "首都医科大学"}


def test_demo_admin_user(demo_db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("duikou-demo")


def test_demo_command_loads_and_prints_the_login(demo_db):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "admin / duikou-demo" in text and "http://127.0.0.1:8000/" in text
