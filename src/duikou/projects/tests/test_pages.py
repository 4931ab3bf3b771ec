"""The project pages: filters, search, sort, paging, forms through the services, the project page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duikou.audit.models import ObjectChange
from duikou.projects.choices import ProjectStatus
from duikou.projects.models import Project, ProjectOutput
from duikou.projects.workflow import project_transition
from duikou.testing import factories as f
from duikou.testing.pages import csv_rows, xlsx_rows
from duikou.ui.registers import url_for

pytestmark = pytest.mark.django_db

LIST = reverse("ui:projects-list")
NEW = reverse("ui:projects-create")


@pytest.fixture
def supporter_client(client, pairings):
    client.force_login(pairings.user("supporter"))
    return client


def make(pairings, key="beijing_badong", **kw):
    return f.ProjectFactory(pairing=pairings.pairings[key], **kw)


def codes(response) -> list[str]:
    return [row["obj"].code for row in response.context["rows"]]


def test_filters_search_and_sort(supporter_client, pairings):
    a = make(pairings, code="A-1", name="青龙桥小学教学楼", start_year=2021, budget=Decimal("300"),
             status=ProjectStatus.COMPLETED)
    b = make(pairings, "fangshan_badong", code="B-1", name="茶园", start_year=2023, budget=Decimal("100"),
             status=ProjectStatus.PROPOSED)
    make(pairings, "shanghai_yiling", code="C-1", name="上海项目", start_year=2023)
    beijing = pairings.pairings["beijing_badong"].pk
    assert sorted(codes(supporter_client.get(LIST))) == ["A-1", "B-1"]
    # the pairing filter includes its sub-pairings (房山区 → 巴东县)
    assert sorted(codes(supporter_client.get(LIST, {"pairing": beijing}))) == ["A-1", "B-1"]
    assert codes(supporter_client.get(LIST, {"pairing": pairings.pairings["fangshan_badong"].pk})) == ["B-1"]
    assert codes(supporter_client.get(LIST, {"status_group": "counted"})) == ["A-1"]
    assert codes(supporter_client.get(LIST, {"year_from": 2022})) == ["B-1"]
    assert codes(supporter_client.get(LIST, {"year_to": 2022})) == ["A-1"]
    assert codes(supporter_client.get(LIST, {"q": "教学楼"})) == ["A-1"]
    assert codes(supporter_client.get(LIST, {"sort": "budget"})) == ["B-1", "A-1"]
    assert codes(supporter_client.get(LIST, {"sort": "-budget"})) == ["A-1", "B-1"]
    # an unknown sort key falls back to the default order instead of failing
    assert supporter_client.get(LIST, {"sort": "password"}).status_code == 200
    response = supporter_client.get(LIST)
    assert response.context["total"] == "400.00"
    assert a.pk and b.pk


def test_htmx_request_gets_only_the_results(supporter_client, pairings):
    make(pairings, code="A-1")
    full = supporter_client.get(LIST).content.decode()
    partial = supporter_client.get(LIST, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in partial
    assert "A-1" in partial and 'data-count="1"' in partial


def test_pages_of_fifty(supporter_client, pairings):
    for i in range(55):
        make(pairings, code=f"P-{i:03d}")
    first = supporter_client.get(LIST, {"sort": "code"})
    assert len(first.context["rows"]) == 50
    assert 'rel="next"' in first.content.decode()
    second = supporter_client.get(LIST, {"sort": "code", "page": 2})
    assert codes(second) == [f"P-{i:03d}" for i in range(50, 55)]


def _form_data(pairings, **kw):
    pairing = pairings.pairings["beijing_badong"]
    data = {
        "code": "BD-2025-001", "name": "溪丘湾乡卫生院", "pairing": pairing.pk,
        "key_task": f.KeyTaskFactory._meta.model.objects.get(code="public_services").pk,
        "sector": "health", "location_division": pairing.recipient_division_id, "location": "溪丘湾乡",
        "start_year": 2025, "end_year": 2025, "budget": "1200000.00",
    }
    data.update(kw)
    return data


@pytest.mark.parametrize("amount", ["-5", "abc", "1e400"])
def test_bad_amount_is_shown_next_to_the_budget_and_nothing_is_saved(supporter_client, pairings, amount):
    before = (Project.objects.count(), ObjectChange.objects.count())
    response = supporter_client.post(NEW, _form_data(pairings, budget=amount))
    assert response.status_code == 200
    form = response.context["form"]
    assert "budget" in form.errors
    assert 'data-field="budget"' in response.content.decode()
    assert (Project.objects.count(), ObjectChange.objects.count()) == before


def test_year_outside_the_pairing_is_refused_by_the_service(supporter_client, pairings):
    response = supporter_client.post(NEW, _form_data(pairings, start_year=1980, end_year=1980))
    assert response.status_code == 200
    assert "start_year" in response.context["form"].errors
    assert not Project.objects.filter(code="BD-2025-001").exists()


def test_another_organisations_pairing_cannot_be_chosen(supporter_client, pairings):
    response = supporter_client.post(NEW, _form_data(pairings, pairing=pairings.pairings["shanghai_yiling"].pk))
    assert "pairing" in response.context["form"].errors
    assert not Project.objects.filter(code="BD-2025-001").exists()


def test_good_project_is_saved_audited_and_listed(supporter_client, pairings):
    response = supporter_client.post(NEW, _form_data(pairings))
    project = Project.objects.get(code="BD-2025-001")
    assert response.status_code == 302 and response["Location"] == url_for(project)
    change = ObjectChange.objects.get(object_id=str(project.pk), content_type__model="project")
    assert change.actor_name == "supporter" and change.action == "create"
    assert "BD-2025-001" in supporter_client.get(LIST, {"q": "溪丘湾"}).content.decode()


def test_edit_changes_the_record_through_the_service(supporter_client, pairings):
    project = make(pairings, code="E-1", budget=Decimal("100.00"))
    edit = reverse("ui:projects-edit", args=[project.pk])
    data = supporter_client.get(edit).context["form"].initial
    payload = {k: v for k, v in data.items() if v is not None and k in supporter_client.get(edit).context["form"].fields}
    payload.update(budget="250.00", pairing=project.pairing_id, key_task=project.key_task_id,
                   location_division=project.location_division_id)
    payload.pop("annual_plan", None)
    payload.pop("implementing_unit", None)
    response = supporter_client.post(edit, payload)
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert project.budget == Decimal("250.00")
    change = ObjectChange.objects.filter(object_id=str(project.pk), action="update").get()
    assert change.before["budget"] == "100.00" and change.after["budget"] == "250.00"


def test_project_page_shows_lifecycle_funds_outputs_and_trail(supporter_client, pairings):
    project = make(pairings, code="L-1", status=ProjectStatus.PLANNED)
    project_transition(actor=pairings.user("recipient"), project=project, transition="agree", doc_no="巴协〔2024〕1号")
    f.ProjectOutputFactory(project=project, name="教学楼", quantity=Decimal("1"), unit="栋")
    f.FundAllocationFactory(pairing=project.pairing, project=project, amount=Decimal("3000000.00"), year=2021)
    response = supporter_client.get(url_for(project))
    body = response.content.decode()
    [approval] = response.context["approvals"]
    assert (approval.transition, approval.to_status, approval.doc_no) == ("agree", "agreed", "巴协〔2024〕1号")
    assert [s["state"] for s in response.context["path"] if s["status"] == ProjectStatus.AGREED] == ["current"]
    assert "巴协〔2024〕1号" in body and "教学楼" in body
    assert "3,000,000.00" in body
    assert response.context["changes"][0].action == "update"
    # "Add" on the outputs section presets the project on the output form
    add = reverse("ui:project-outputs-create") + f"?project={project.pk}"
    assert add in body
    form = supporter_client.get(add).context["form"]
    assert str(form["project"].value()) == str(project.pk)
    response = supporter_client.post(add, {"project": project.pk, "name": "操场", "quantity": "1", "unit": "个"})
    assert response.status_code == 302
    assert ProjectOutput.objects.filter(project=project, name="操场").exists()


def test_export_keeps_types_and_writes_formulas_as_text(supporter_client, pairings):
    make(pairings, code="X-1", name="=HYPERLINK(\"http://evil\")", budget=Decimal("1234.50"))
    rows = xlsx_rows(supporter_client.get(reverse("ui:projects-export-xlsx")))
    header, row = [c.value for c in rows[0]], rows[1]
    name = row[header.index(str(Project._meta.get_field("name").verbose_name))]
    budget = row[header.index(str(Project._meta.get_field("budget").verbose_name))]
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert budget.value == pytest.approx(1234.5) and budget.number_format == "#,##0.00"
    rows = csv_rows(supporter_client.get(reverse("ui:projects-export-csv")))
    assert rows[1][1].startswith("'=HYPERLINK")


def test_export_follows_the_filters(supporter_client, pairings):
    make(pairings, code="A-1", start_year=2021)
    make(pairings, code="B-1", start_year=2023)
    response = supporter_client.get(reverse("ui:projects-export-csv"), {"year_from": 2022})
    assert [r[0] for r in csv_rows(response)][1:] == ["B-1"]


def test_change_history_names_related_records_and_choices(supporter_client, pairings):
    supporter_client.post(NEW, _form_data(pairings))
    project = Project.objects.get(code="BD-2025-001")
    assert project.status == ProjectStatus.DRAFT  # a new project starts as a draft
    project_transition(actor=pairings.user("recipient"), project=project, transition="propose")
    changes = [c for c in supporter_client.get(url_for(project)).context["changes"]]
    update, create = changes[0], changes[1]
    assert update.diff == [{"label": Project._meta.get_field("status").verbose_name,
                            "before": str(ProjectStatus.DRAFT.label), "after": str(ProjectStatus.PROPOSED.label)}]
    shown = {str(d["label"]): d["after"] for d in create.diff}
    assert shown[str(Project._meta.get_field("key_task").verbose_name)] == str(project.key_task)
    assert shown[str(Project._meta.get_field("pairing").verbose_name)] == str(project.pairing)
