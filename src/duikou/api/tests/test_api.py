"""The REST API on the standard world: scoping, writes through the services, authentication,
filters, pagination and the headline figures."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from duikou.api.views import Pagination, delete_service
from duikou.audit.models import ObjectChange
from duikou.projects.models import ApprovalRecord, Project, ProjectOutput
from duikou.ui.registers import all_registers

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def project_payload(world, **overrides) -> dict:
    pairing = world.pairings["beijing_badong"]
    data = {
        "code": "API-001", "name": "接口援建项目", "pairing": pairing.pk,
        "key_task": world.row(Project, "beijing_badong").key_task_id,
        "start_year": 2022, "end_year": 2023, "budget": "1234567.89",
    }
    data.update(overrides)
    return data


# every register --------------------------------------------------------------------------


@pytest.mark.parametrize("register", all_registers(), ids=lambda r: r.slug)
def test_every_register_has_a_list_endpoint(world, register):
    response = client_for(world.user("admin")).get(f"/api/v1/{register.slug}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == register.model.objects.count()


def test_write_methods_follow_the_services():
    from duikou.api.urls import router

    offered = {prefix: viewset for prefix, viewset, _basename in router.registry}
    approvals = offered["approvals"]  # no services: read only
    assert not hasattr(approvals, "create") and not hasattr(approvals, "destroy")
    projects = offered["projects"]
    assert hasattr(projects, "create") and hasattr(projects, "partial_update")
    assert projects.destroy_service.__name__ == "project_delete"
    for register in all_registers():
        assert (delete_service(register) is not None) == hasattr(offered[register.slug], "destroy")


# reads: scope ----------------------------------------------------------------------------


def test_list_shows_only_the_users_rows_and_foreign_rows_are_404(world):
    client = client_for(world.user("supporter"))
    ids = {row["id"] for row in client.get("/api/v1/projects/", {"page_size": 500}).json()["results"]}
    visible = set(Project.objects.restrict(world.user("supporter"), "view").values_list("id", flat=True))
    assert ids == visible
    foreign = world.row(Project, "shanghai_yiling")
    assert foreign.pk not in ids
    assert client.get(f"/api/v1/projects/{foreign.pk}/").status_code == 404
    assert client.patch(f"/api/v1/projects/{foreign.pk}/", {"name": "x"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/projects/{foreign.pk}/").status_code == 404


def test_detail_gives_ids_decimal_strings_and_codes(world):
    project = world.row(Project, "beijing_badong")
    body = client_for(world.user("supporter")).get(f"/api/v1/projects/{project.pk}/").json()
    assert body["id"] == project.pk
    assert body["pairing"] == project.pairing_id
    assert body["key_task"] == project.key_task_id
    assert body["budget"] == f"{project.budget:.2f}"
    assert body["status"] == project.status  # the code, not the label


def test_anonymous_is_refused(world):
    assert APIClient().get("/api/v1/projects/").status_code in (401, 403)


# writes: services, audit, errors ---------------------------------------------------------


def test_create_and_update_go_through_the_services_with_audit_records(world):
    user = world.user("supporter")
    client = client_for(user)
    response = client.post("/api/v1/projects/", project_payload(world), format="json")
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert project.budget == Decimal("1234567.89") and project.status == "draft"
    created = ObjectChange.objects.get(object_id=str(project.pk), action=ObjectChange.Action.CREATE,
                                       content_type__model="project")
    assert created.actor_id == user.pk

    response = client.patch(f"/api/v1/projects/{project.pk}/", {"budget": "2000000.00"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["budget"] == "2000000.00"
    assert response.json()["code"] == "API-001"  # the fields not sent are kept
    updated = ObjectChange.objects.get(object_id=str(project.pk), action=ObjectChange.Action.UPDATE,
                                       content_type__model="project")
    assert updated.before["budget"] == "1234567.89" and updated.after["budget"] == "2000000.00"
    assert updated.actor_id == user.pk


def test_a_service_validation_error_is_a_400_naming_the_field(world):
    client = client_for(world.user("supporter"))
    before = Project.objects.count()
    response = client.post("/api/v1/projects/", project_payload(world, start_year=1980, end_year=1980),
                           format="json")
    assert response.status_code == 400
    assert "start_year" in response.json()
    assert Project.objects.count() == before

    project = world.row(Project, "beijing_badong")
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"end_year": 1980}, format="json")
    assert response.status_code == 400 and set(response.json()) & {"end_year", "non_field_errors"}
    assert Project.objects.get(pk=project.pk).end_year == project.end_year


def test_a_type_error_is_a_400_naming_the_field(world):
    response = client_for(world.user("supporter")).post(
        "/api/v1/projects/", project_payload(world, budget="lots"), format="json")
    assert response.status_code == 400 and "budget" in response.json()


def test_a_foreign_pairing_cannot_be_written_to(world):
    foreign = world.pairings["shanghai_yiling"]
    response = client_for(world.user("supporter")).post(
        "/api/v1/projects/", project_payload(world, pairing=foreign.pk), format="json")
    assert response.status_code == 400 and "pairing" in response.json()
    assert not Project.objects.filter(code="API-001").exists()


def test_the_national_supervisor_reads_but_may_not_write(world):
    client = client_for(world.user("national"))
    project = world.row(Project, "beijing_badong")
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert client.post("/api/v1/projects/", project_payload(world), format="json").status_code == 403
    assert client.patch(f"/api/v1/projects/{project.pk}/", {"name": "改"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/projects/{project.pk}/").status_code == 403
    assert Project.objects.get(pk=project.pk).name == project.name


def test_delete_through_the_service_with_an_audit_record(world):
    output = world.row(ProjectOutput, "beijing_badong")
    response = client_for(world.user("supporter")).delete(f"/api/v1/project-outputs/{output.pk}/")
    assert response.status_code == 204
    assert not ProjectOutput.objects.filter(pk=output.pk).exists()
    assert ObjectChange.objects.filter(object_id=str(output.pk), action=ObjectChange.Action.DELETE,
                                       content_type__model="projectoutput").exists()


def test_read_only_register_refuses_writes(world):
    client = client_for(world.user("admin"))
    assert client.post("/api/v1/approvals/", {}, format="json").status_code == 405
    record = ApprovalRecord.objects.first()
    if record is not None:
        assert client.delete(f"/api/v1/approvals/{record.pk}/").status_code == 405


# authentication ----------------------------------------------------------------------------


def test_token_made_by_the_command_authenticates(world):
    user = world.user("supporter")
    out = StringIO()
    call_command("api_token", user.username, stdout=out)
    key = out.getvalue().strip()
    assert Token.objects.get(user=user).key == key
    again = StringIO()
    call_command("api_token", user.username, stdout=again)
    assert again.getvalue().strip() == key  # kept unless --reset
    assert ObjectChange.objects.filter(content_type__model="user", object_id=str(user.pk),
                                       message="API token created").exists()
    assert not ObjectChange.objects.filter(object_id=key).exists()  # the key stays out of the log

    client = APIClient()
    assert client.get("/api/v1/projects/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/projects/")
    assert response.status_code == 200
    assert response.json()["count"] == Project.objects.restrict(user, "view").count()
    response = client.post("/api/v1/projects/", project_payload(world), format="json")
    assert response.status_code == 201  # no CSRF for tokens

    reset = StringIO()
    call_command("api_token", user.username, "--reset", stdout=reset)
    assert reset.getvalue().strip() != key
    assert client.get("/api/v1/projects/").status_code == 401


def test_token_command_errors(world):
    with pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody", stdout=StringIO())
    with pytest.raises(CommandError):  # another user may not make my token
        call_command("api_token", world.user("supporter").username, "--user", world.user("foreign").username,
                     stdout=StringIO())
    assert not Token.objects.filter(user=world.user("supporter")).exists()


def test_session_authentication_enforces_csrf_on_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("supporter"))
    assert client.get("/api/v1/projects/").status_code == 200
    payload = json.dumps(project_payload(world))
    refused = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert refused.status_code == 403
    assert not Project.objects.filter(code="API-001").exists()
    client.get(reverse("ui:projects-list"))  # a page: sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/projects/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


# filters, search, ordering, pagination ---------------------------------------------------


def test_register_filters_search_and_ordering(world):
    client = client_for(world.user("admin"))
    pairing = world.pairings["shanghai_yiling"]
    rows = client.get("/api/v1/projects/", {"pairing": pairing.pk}).json()["results"]
    assert rows and {r["pairing"] for r in rows} == {pairing.pk}
    assert client.get("/api/v1/projects/", {"pairing": "not-a-pairing"}).status_code == 400

    project = world.row(Project, "shanghai_yiling")
    rows = client.get("/api/v1/projects/", {"search": project.code}).json()["results"]
    assert [r["id"] for r in rows] == [project.pk]

    codes = [r["code"] for r in client.get("/api/v1/projects/", {"ordering": "-code"}).json()["results"]]
    assert codes == sorted(codes, reverse=True) and len(codes) > 1


def test_pagination_with_a_page_size_and_a_maximum(world):
    client = client_for(world.user("admin"))
    total = Project.objects.count()
    assert total > 1
    first = client.get("/api/v1/projects/", {"page_size": 1}).json()
    assert first["count"] == total and len(first["results"]) == 1 and "page=2" in first["next"]
    second = client.get("/api/v1/projects/", {"page_size": 1, "page": 2}).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    request = Request(APIRequestFactory().get("/", {"page_size": 100000}))
    assert Pagination().get_page_size(request) == Pagination.max_page_size == 500


# figures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("years", [(1992, 2030), (2021, 2025)])
def test_figures_equal_duikou_stats(world, years):
    user = world.user("supporter")
    pairing = world.pairings["beijing_badong"]
    out = StringIO()
    call_command("stats", "--supporter", "北京市", "--recipient", "巴东县", "--from", str(years[0]),
                 "--to", str(years[1]), "--json", "--user", user.username, stdout=out)
    expected = json.loads(out.getvalue())
    response = client_for(user).get(f"/api/v1/pairings/{pairing.pk}/figures/", {"from": years[0], "to": years[1]})
    assert response.status_code == 200
    assert response.json() == expected
    assert expected["supporter"] == "北京市" and expected["training_person_times"] > 0


def test_figures_errors(world):
    client = client_for(world.user("supporter"))
    pairing = world.pairings["beijing_badong"]
    response = client.get(f"/api/v1/pairings/{pairing.pk}/figures/", {"from": 2024, "to": 2021})
    assert response.status_code == 400 and "to" in response.json()
    response = client.get(f"/api/v1/pairings/{pairing.pk}/figures/", {"from": "x"})
    assert response.status_code == 400 and {"from", "to"} <= set(response.json())
    foreign = world.pairings["shanghai_yiling"]
    assert client.get(f"/api/v1/pairings/{foreign.pk}/figures/", {"from": 2021, "to": 2024}).status_code == 404


# schema and docs ---------------------------------------------------------------------------


def test_schema_and_offline_docs(world):
    client = Client()
    for url in ("/api/schema/", "/api/docs/", "/api/redoc/", "/api/v1/"):
        assert client.get(url).status_code in (401, 403)  # signed-in users and tokens only
    client.force_login(world.user("supporter"))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    for register in all_registers():
        assert f"/api/v1/{register.slug}/" in paths
    assert "/api/v1/pairings/{id}/figures/" in paths
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html and "cdn.jsdelivr" not in html
    browsable = client.get("/api/v1/projects/", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200 and b"<html" in browsable.content


def test_error_messages_follow_the_language_cookie(world):
    client = client_for(world.user("supporter"))
    payload = project_payload(world, start_year=1980, end_year=1980)
    assert client.post("/api/v1/projects/", payload, format="json").json()["start_year"] == [
        "1980年不在结对关系的有效期（1992–）内。"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        message = client.post("/api/v1/projects/", payload, format="json").json()["start_year"]
    assert message == ["The year 1980 lies outside the pairing's period (1992–)."]



def test_a_delete_refused_because_records_refer_to_the_row_is_a_409(world):
    pairing = world.pairings["shanghai_yiling"]
    response = client_for(world.user("admin")).delete(f"/api/v1/pairings/{pairing.pk}/")
    assert response.status_code == 409 and "detail" in response.json()
    assert type(pairing).objects.filter(pk=pairing.pk).exists()


@pytest.mark.parametrize("year", ["0", "1800", "2101", "4.5e-140", "x"])
def test_a_year_filter_out_of_range_is_a_400_not_a_server_error(world, year):
    response = client_for(world.user("admin")).get("/api/v1/approvals/", {"year_from": year})
    assert response.status_code == 400 and "year_from" in response.json()


def test_many_to_many_fields_are_lists_of_ids_written_through_the_service(world):
    from duikou.events.models import Event

    event = world.row(Event, "beijing_badong")
    beijing, badong = world.orgs["北京市"], world.orgs["巴东县"]
    client = client_for(world.user("supporter"))
    response = client.patch(f"/api/v1/events/{event.pk}/", {"organisers": [beijing.pk, badong.pk]}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["organisers"]) == sorted([beijing.pk, badong.pk])
    assert set(Event.objects.get(pk=event.pk).organisers.values_list("pk", flat=True)) == {beijing.pk, badong.pk}
    change = ObjectChange.objects.filter(object_id=str(event.pk), content_type__model="event",
                                         action=ObjectChange.Action.UPDATE).latest("id")
    assert sorted(change.after["organisers"]) == sorted([beijing.pk, badong.pk])
    response = client.patch(f"/api/v1/events/{event.pk}/", {"title": "改期"}, format="json")
    assert sorted(response.json()["organisers"]) == sorted([beijing.pk, badong.pk])  # kept



@pytest.mark.parametrize("register", all_registers(), ids=lambda r: r.slug)
def test_a_list_page_costs_the_same_queries_whatever_its_length(world, register):
    client = client_for(world.user("admin"))
    total = register.model.objects.count()
    if total < 2:
        pytest.skip(f"{total} row(s) of {register.slug} in the world")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/{register.slug}/", {"page_size": 1})
    with CaptureQueriesContext(connection) as every:
        body = client.get(f"/api/v1/{register.slug}/", {"page_size": 500}).json()
    assert len(body["results"]) == total
    assert len(every.captured_queries) == len(one.captured_queries)
