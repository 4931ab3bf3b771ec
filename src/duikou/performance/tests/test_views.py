"""The pages: the 绩效自评表 (and .docx), the actuals form, the pairing summary (and .docx/.xlsx).
Another organisation's user gets 404 everywhere; a reader sees but may not enter actuals."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from duikou.audit.models import ObjectChange
from duikou.performance.models import PerformanceIndicator

from .builders import qlq_project

pytestmark = [pytest.mark.django_db, pytest.mark.urls("duikou.performance.tests.urls")]
D = Decimal


@pytest.fixture
def project(pairings):
    return qlq_project(pairings.pairings["beijing_badong"], spent=D("8100000"), overrides={"受益师生人数": D(1100)})


def login(client, pairings, who):
    client.force_login(pairings.user(who))
    return client


def urls(project):
    pairing = project.pairing_id
    return {
        "project": reverse("performance:project", args=[project.pk]),
        "docx": reverse("performance:project-docx", args=[project.pk]),
        "actuals": reverse("performance:actuals", args=[project.pk]),
        "summary": reverse("performance:summary", args=[pairing, 2023]),
        "summary-docx": reverse("performance:summary-docx", args=[pairing, 2023]),
        "summary-xlsx": reverse("performance:summary-xlsx", args=[pairing, 2023]),
    }


def test_anonymous_is_sent_to_sign_in(client, project):
    for url in urls(project).values():
        response = client.get(url)
        assert response.status_code == 302 and reverse("ui:login") in response["Location"]


def test_another_organisations_user_gets_404(client, pairings, project):
    login(client, pairings, "foreign")
    for name, url in urls(project).items():
        assert client.get(url).status_code == 404, name
    assert client.post(urls(project)["actuals"], {}).status_code == 404


def test_the_self_assessment_page(client, pairings, project):
    body = login(client, pairings, "supporter").get(urls(project)["project"]).content.decode()
    assert 'data-field="total">97.75<' in body
    assert re.search(r"data-field=\"grade\">等级：优\s*<", body)
    assert "新建教学楼" in body and "≥1200人" in body and "1100人" in body
    assert urls(project)["actuals"] in body and urls(project)["docx"] in body
    indicator = PerformanceIndicator.objects.filter(project=project).first()
    assert reverse("ui:performance-indicators-detail", args=[indicator.pk]) in body
    assert f"{reverse('ui:performance-indicators-create')}?project={project.pk}" in body
    assert "window.print()" in body and "@media print" in body


def test_the_docx_download(client, pairings, project):
    response = login(client, pairings, "recipient").get(urls(project)["docx"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert f"self-assessment-{project.code}.docx" in response["Content-Disposition"]
    table = Document(io.BytesIO(response.content)).tables[1]
    assert table.rows[-1].cells[6].text == "97.75"


def test_a_reader_sees_the_form_but_enters_no_actuals(client, pairings, project):
    login(client, pairings, "read_only")
    body = client.get(urls(project)["project"]).content.decode()
    assert urls(project)["actuals"] not in body and "?project=" not in body
    assert client.get(urls(project)["actuals"]).status_code == 403
    assert client.post(urls(project)["actuals"], {}).status_code == 403


def _form_data(client, url) -> dict:
    form_list = client.get(url).context["forms"]
    data = {}
    for form in form_list:
        for name, field in form.fields.items():
            value = form[name].value()
            if value not in (None, ""):
                data[form.add_prefix(name)] = field.widget.format_value(value) if name == "actual_recorded_on" \
                    else str(value)
    return data


def test_entering_actuals(client, pairings, project):
    login(client, pairings, "recipient")
    url = urls(project)["actuals"]
    data = _form_data(client, url)
    beneficiaries = PerformanceIndicator.objects.get(project=project, name="受益师生人数")
    data[f"i{beneficiaries.pk}-actual_value"] = "1236"
    data[f"i{beneficiaries.pk}-deviation_reason"] = ""
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == urls(project)["project"]
    beneficiaries.refresh_from_db()
    assert beneficiaries.actual_value == D(1236)
    body = client.get(urls(project)["project"]).content.decode()
    assert 'data-field="total">99.00<' in body  # every target met; 90 % of the budget spent


def test_invalid_actuals_save_nothing(client, pairings, project):
    login(client, pairings, "supporter")
    url = urls(project)["actuals"]
    data = _form_data(client, url)
    built = PerformanceIndicator.objects.get(project=project, name="新建教学楼")
    cost = PerformanceIndicator.objects.get(project=project, name="项目总投资")
    data[f"i{built.pk}-actual_value"] = "0"
    data[f"i{cost.pk}-actual_value"] = "九百"
    changes = ObjectChange.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert f'data-field="i{cost.pk}-actual_value"' in response.content.decode()
    built.refresh_from_db()
    assert built.actual_value == D(1) and ObjectChange.objects.count() == changes


def test_the_summary_page_and_downloads(client, pairings, project):
    qlq_project(pairings.pairings["fangshan_badong"], code="FS-1")
    login(client, pairings, "supporter")
    body = client.get(urls(project)["summary"]).content.decode()
    assert project.code in body and "FS-1" in body
    assert 'data-field="average">98.88<' in body  # (97.75 + 100) / 2, half up
    assert 'data-grade="excellent">2<' in body
    assert reverse("performance:project", args=[project.pk]) in body
    docx = client.get(urls(project)["summary-docx"])
    assert [r.cells[1].text for r in Document(io.BytesIO(docx.content)).tables[0].rows[1:3]] == ["FS-1", project.code]
    xlsx = client.get(urls(project)["summary-xlsx"])
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert load_workbook(io.BytesIO(xlsx.content)).active.cell(3, 1).value == "FS-1"  # by code


def test_the_district_sees_its_own_pairings_summary_only(client, pairings, project):
    sub = pairings.pairings["fangshan_badong"]
    qlq_project(sub, code="FS-1")
    login(client, pairings, "district")
    assert client.get(urls(project)["summary"]).status_code == 404  # 北京市 → 巴东县 is not theirs
    body = client.get(reverse("performance:summary", args=[sub.pk, 2023])).content.decode()
    assert "FS-1" in body and project.code not in body


def test_the_index_lists_pairings_with_their_years(client, pairings, project):
    body = login(client, pairings, "supporter").get(reverse("performance:index")).content.decode()
    assert urls(project)["summary"] in body
    assert 'data-nav="performance"' in body
    body = login(client, pairings, "foreign").get(reverse("performance:index")).content.decode()
    assert urls(project)["summary"] not in body
    sub = pairings.pairings["fangshan_badong"]
    qlq_project(sub, code="FS-1")
    body = login(client, pairings, "district").get(reverse("performance:index")).content.decode()
    assert reverse("performance:summary", args=[sub.pk, 2023]) in body and urls(project)["summary"] not in body


def test_add_from_the_form_presets_the_project(client, pairings, project):
    login(client, pairings, "supporter")
    response = client.get(f"{reverse('ui:performance-indicators-create')}?project={project.pk}")
    assert response.context["form"].initial["project"] == str(project.pk)
    response = client.post(reverse("ui:performance-indicators-create"), {
        "project": project.pk, "level1": "satisfaction", "level2": "beneficiary", "name": "家长满意度",
        "operator": "gte", "target_value": "90", "unit": "%", "weight": "5", "order": "70",
    })
    assert response.status_code == 302
    assert PerformanceIndicator.objects.filter(project=project, name="家长满意度").exists()


def test_the_register_refuses_a_level_two_of_another_level_one(client, pairings, project):
    login(client, pairings, "supporter")
    response = client.post(reverse("ui:performance-indicators-create"), {
        "project": project.pk, "level1": "output", "level2": "social", "name": "x", "operator": "gte",
        "target_value": "1", "weight": "5", "order": "0",
    })
    assert response.status_code == 200 and 'data-field="level2"' in response.content.decode()
