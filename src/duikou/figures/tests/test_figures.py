"""Published figure sets on the standard world: snapshot, immutability, diff, scope, audit, pages,
command."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from duikou.audit.models import ObjectChange
from duikou.core.errors import ApplicationError, PermissionDenied
from duikou.core.permissions import SYSTEM
from duikou.figures.models import FigureSet, PublishedFigure
from duikou.figures.selectors import figure_set_diff, figure_set_get, figure_set_list
from duikou.figures.services import DEFAULT_FIGURES, figure_set_publish
from duikou.funds.services import fund_transaction_delete, fund_transaction_update
from duikou.projects.choices import ProjectStatus
from duikou.reports import figures as reg
from duikou.testing import factories as f

pytestmark = pytest.mark.django_db

CITY = "beijing_badong"


@pytest.fixture
def setup(world):
    city = world.pairings[CITY]
    project = f.ProjectFactory(pairing=city, start_year=2023, end_year=2023, status=ProjectStatus.IN_PROGRESS)
    a = f.FundAllocationFactory(pairing=city, project=project, year=2023, amount=Decimal("1000000.00"))
    b = f.FundAllocationFactory(pairing=city, project=project, year=2023, amount=Decimal("2000000.00"))
    return world, city, a, b


def publish(world, city, user="supporter", **kw):
    return figure_set_publish(actor=world.users[user], pairing=city, year_from=2021, year_to=2025,
                              name="2025年座谈会", **kw)


def test_publish_keeps_value_definition_and_records(setup):
    world, city, a, b = setup
    s = publish(world, city)
    assert s.published_by == world.users["supporter"] and s.published_by_name == "supporter"
    figures = {pf.key: pf for pf in s.figures.all()}
    assert list(figures) == list(DEFAULT_FIGURES)
    ctx = reg.figure_context(actor=world.users["supporter"], pairing=city, year_from=2021, year_to=2025)
    values = reg.evaluate(ctx, list(reg.FIGURES.values()))
    for key, pf in figures.items():
        fig = reg.FIGURES[key]
        assert pf.value == (None if values[key] is None else Decimal(values[key])), key
        assert pf.definition == fig.definition()
        assert pf.record_ids == sorted(reg.records(ctx, fig).values_list("pk", flat=True))
        # the drill-down of the snapshot measures to its value
        model_rows = reg.SOURCES[fig.source].model.objects.filter(pk__in=pf.record_ids)
        measured = fig.measure.of_rows(list(model_rows.values_list(fig.measure.field, flat=True)))
        assert (None if measured is None else Decimal(measured)) == pf.value, key
    assert {a.pk, b.pk} <= set(figures["aid_funds"].record_ids)
    assert figures["aid_funds_cumulative"].year_from == 1992 and figures["aid_funds_cumulative"].year_to == 2025
    assert figures["public_services_projects_14th"].definition["params"] == {"key_task": "public_services"}
    # publishing is audited: the set and each figure
    assert ObjectChange.objects.filter(object_id=str(s.pk), content_type__model="figureset",
                                       action="create", actor_name="supporter").exists()
    assert ObjectChange.objects.filter(content_type__model="publishedfigure").count() == len(figures)


def test_only_named_figures_and_bad_input_save_nothing(setup):
    world, city, _a, _b = setup
    s = publish(world, city, keys=["aid_funds", "task_projects.public_services"])
    assert [pf.key for pf in s.figures.all()] == ["aid_funds", "task_projects.public_services"]
    n = FigureSet.objects.count()
    with pytest.raises(ValidationError) as exc:
        publish(world, city, keys=["aid_funds", "nope"])
    assert "figure" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        figure_set_publish(actor=SYSTEM, pairing=city, year_from=2021, year_to=2025, name=" ")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError):
        figure_set_publish(actor=SYSTEM, pairing=city, year_from=2025, year_to=2021, name="x")
    assert FigureSet.objects.count() == n and PublishedFigure.objects.filter(figure_set__name="x").count() == 0


def test_who_may_publish_and_see(setup):
    world, city, _a, _b = setup
    for user in ("read_only", "foreign"):
        with pytest.raises(PermissionDenied):
            publish(world, city, user=user)
    s = publish(world, city)
    assert figure_set_get(actor=world.users["recipient"], pk=s.pk) == s
    with pytest.raises(Http404):
        figure_set_get(actor=world.users["foreign"], pk=s.pk)
    assert list(figure_set_list(actor=world.users["foreign"])) == []


def test_snapshot_is_immutable(setup):
    world, city, a, _b = setup
    s = publish(world, city)
    pf = s.figures.get(key="aid_funds")
    value, ids = pf.value, list(pf.record_ids)
    pf.value = Decimal("1")
    with pytest.raises(ApplicationError):
        pf.save()
    with pytest.raises(ApplicationError):
        pf.delete()
    s.name = "changed"
    with pytest.raises(ApplicationError):
        s.save()
    with pytest.raises(ApplicationError):
        s.delete()
    # a later edit of the records leaves the snapshot as it was
    fund_transaction_update(actor=SYSTEM, instance=a, amount=Decimal("1500000.00"))
    pf = PublishedFigure.objects.get(pk=pf.pk)
    assert (pf.value, pf.record_ids) == (value, ids)
    assert FigureSet.objects.get(pk=s.pk).name == "2025年座谈会"


def test_admin_is_read_only(setup):
    world, city, _a, _b = setup
    s = publish(world, city)
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    for model in (FigureSet, PublishedFigure):
        admin = site._registry[model]
        assert not admin.has_add_permission(request)
        assert not admin.has_change_permission(request, s)
        assert not admin.has_delete_permission(request, s)
        assert admin.has_view_permission(request)
    request.user = world.users["foreign"]
    assert list(site._registry[FigureSet].get_queryset(request)) == []


def test_admin_pages_show_and_refuse_edits(setup, client):
    world, city, _a, _b = setup
    s = publish(world, city)
    pf = s.figures.get(key="aid_funds")
    client.force_login(world.users["admin"])
    assert client.get(reverse("admin:figures_figureset_changelist")).status_code == 200
    page = client.get(reverse("admin:figures_figureset_change", args=[s.pk]))
    assert page.status_code == 200 and "2025年座谈会" in page.content.decode()
    assert client.get(reverse("admin:figures_publishedfigure_change", args=[pf.pk])).status_code == 200
    client.post(reverse("admin:figures_publishedfigure_change", args=[pf.pk]), {"value": "1"})
    assert client.get(reverse("admin:figures_figureset_add")).status_code == 403
    assert client.post(reverse("admin:figures_figureset_delete", args=[s.pk]), {"post": "yes"}).status_code == 403
    assert PublishedFigure.objects.get(pk=pf.pk).value == pf.value and FigureSet.objects.filter(pk=s.pk).exists()


def test_diff_shows_values_then_and_now_and_the_records(setup):
    world, city, a, b = setup
    s = publish(world, city)
    assert all(d.same for d in figure_set_diff(actor=SYSTEM, figure_set=s))
    then = s.figures.get(key="aid_funds").value
    fund_transaction_update(actor=SYSTEM, instance=a, amount=Decimal("1500000.00"))  # changed
    b_pk = b.pk
    fund_transaction_delete(actor=SYSTEM, instance=b)  # removed
    c = f.FundAllocationFactory(pairing=city, project=a.project, year=2024, amount=Decimal("700000.00"))  # added
    diffs = {d.figure.key: d for d in figure_set_diff(actor=SYSTEM, figure_set=s)}
    d = diffs["aid_funds"]
    assert d.then == then
    assert d.now == then + Decimal("500000.00") - Decimal("2000000.00") + Decimal("700000.00")
    assert d.delta == d.now - d.then
    assert (d.added, d.removed, d.changed) == ([c.pk], [b_pk], [a.pk])
    assert diffs["cadre_batches"].same


def test_diff_of_a_withdrawn_definition(setup, monkeypatch):
    world, city, _a, _b = setup
    s = publish(world, city, keys=["aid_funds", "projects"])
    monkeypatch.delitem(reg.FIGURES, "projects")
    diffs = {d.figure.key: d for d in figure_set_diff(actor=SYSTEM, figure_set=s)}
    assert diffs["projects"].withdrawn and diffs["projects"].now is None and not diffs["projects"].same
    assert diffs["aid_funds"].same


def test_pages(setup, client):
    world, city, a, _b = setup
    client.force_login(world.users["supporter"])
    assert client.get(reverse("figures:index")).status_code == 200
    page = client.get(reverse("figures:publish") + f"?pairing={city.pk}")
    assert page.status_code == 200
    response = client.post(reverse("figures:publish"), {
        "pairing": city.pk, "name": "2025年座谈会", "year_from": 2021, "year_to": 2025, "as_of": "2025-06-30"})
    assert response.status_code == 302
    s = FigureSet.objects.get()
    assert response["Location"] == reverse("figures:detail", args=[s.pk])
    assert str(s.as_of) == "2025-06-30"
    bad = client.post(reverse("figures:publish"), {
        "pairing": city.pk, "name": "x", "year_from": 2025, "year_to": 2021, "as_of": "2025-06-30"})
    assert bad.status_code == 200 and "year_to" in bad.context["form"].errors
    fund_transaction_update(actor=SYSTEM, instance=a, amount=Decimal("1500000.00"))
    body = client.get(reverse("figures:detail", args=[s.pk]))
    assert body.status_code == 200
    rows = {r["key"]: r for r in body.context["rows"]}
    assert rows["aid_funds"]["changed"] == 1 and not rows["aid_funds"]["same"]
    assert Decimal(rows["aid_funds"]["now_raw"]) - Decimal(rows["aid_funds"]["then_raw"]) == Decimal("500000.00")
    page = client.get(rows["aid_funds"]["url"])
    assert page.status_code == 200
    ids = [r["id"] for r in page.context["records"]]
    assert ids == s.figures.get(key="aid_funds").record_ids
    assert [r["id"] for r in page.context["changed"]] == [a.pk]
    assert all(r["url"] for r in page.context["records"])  # each record links to its register page
    assert client.get(page.context["list_url"]).status_code == 200
    assert client.get(reverse("figures:figure", args=[s.pk, "nope"])).status_code == 404
    # another organisation: 404 on every page of the set; no pairing to publish for: 403
    client.force_login(world.users["foreign"])
    assert client.get(reverse("figures:detail", args=[s.pk])).status_code == 404
    assert client.get(rows["aid_funds"]["url"]).status_code == 404
    assert client.post(reverse("figures:publish"), {
        "pairing": city.pk, "name": "x", "year_from": 2021, "year_to": 2025, "as_of": "2025-06-30"}).status_code == 200
    assert FigureSet.objects.count() == 1  # city is not among the foreign user's choices
    client.force_login(world.users["read_only"])
    assert client.get(reverse("figures:publish")).status_code == 403


def run(*args) -> str:
    out = io.StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_command_publish_show_diff(setup):
    world, city, a, _b = setup
    with translation.override("en"):
        text = run("publish", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021", "--to", "2025",
                   "--name", "2025年座谈会", "--date", "2025-06-30", "--user", "supporter", "--language", "en")
    assert "2025年座谈会" in text
    s = FigureSet.objects.get()
    assert str(s.as_of) == "2025-06-30" and s.published_by_name == "supporter"
    shown = json.loads(run("show", str(s.pk), "--json"))
    by_key = {x["key"]: x for x in shown["figures"]}
    assert by_key["aid_funds"]["value"] == f"{s.figures.get(key='aid_funds').value:.2f}"
    assert isinstance(by_key["projects"]["value"], int)
    assert by_key["aid_funds"]["record_ids"] == s.figures.get(key="aid_funds").record_ids
    assert "北京市" in run("list")
    assert json.loads(run("diff", str(s.pk), "--json"))["figures"][0]["changed"] == []
    fund_transaction_update(actor=SYSTEM, instance=a, amount=Decimal("1500000.00"))
    diff = json.loads(run("diff", str(s.pk), "--json"))
    aid = next(x for x in diff["figures"] if x["key"] == "aid_funds")
    assert aid["changed"] == [a.pk]
    assert Decimal(aid["now"]) - Decimal(aid["then"]) == Decimal("500000.00")
    text = run("diff", str(s.pk), "--language", "en")
    assert f"changed: 1 funds.FundTransaction ({a.pk})" in text
    text = run("show", str(s.pk), "--language", "en")
    assert "Free aid funds since the pairing began (1992–2025)" in text
    with pytest.raises(CommandError, match="999"):
        run("show", "999")
    with pytest.raises(CommandError):
        run("show", str(s.pk), "--user", "foreign")
    with pytest.raises(CommandError, match="--figure"):
        run("publish", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021", "--to", "2025",
            "--name", "x", "--figure", "nope")
    with pytest.raises(CommandError):
        run("publish", "--supporter", "北京市", "--recipient", "巴东县", "--from", "2021", "--to", "2025",
            "--name", "x", "--user", "read_only")
