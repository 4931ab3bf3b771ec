"""The admin contract, for every registered model: pages in Chinese, rows and choices through
``restrict()``, rights through ``can()``, and every write through the admin in the audit log.

The world (``duikou.testing``) has 北京市 → 巴东县, 房山区 → 巴东县 inside it, and 上海市 → 夷陵区,
with one row of every pairing model in each pairing. The ``foreign`` user works for 上海市, so
nothing about 巴东县 may reach them.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from duikou.accounts.models import User
from duikou.audit.admin_base import AuditedModelAdmin, ObjectChangeAdmin
from duikou.audit.models import ObjectChange
from duikou.organisations.models import Pairing
from duikou.projects.models import Project, ProjectOutput
from duikou.testing.entities import PAIRED_ENTITIES
from duikou.testing.factories import ProjectBeneficiaryFactory, ProjectOutputFactory

pytestmark = pytest.mark.django_db

DUIKOU_MODELS = [
    m for m in apps.get_models(include_auto_created=False)
    if m.__module__.startswith("duikou.") and not m._meta.auto_created
    and m._meta.label not in {
        "audit.ObjectChangeScope",  # part of its change, no page of its own
        "audit.AuditChainHead",  # the chain's lock and end, written only by the audited helpers
        # register totals: computed from audited records by the write services, never edited
        "funds.FundTotal", "projects.ProjectTotal",
    }
]
REGISTERED = [m for m in admin.site._registry if m.__module__.startswith("duikou.")]
# 巴东县 is the recipient of both Beijing pairings; the foreign user (上海市) must never read it.
BADONG = "巴东"


def _url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _staff(world, key):
    user = world.user(key)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.is_staff = True
    return user


@pytest.fixture
def root_client(client, world):
    client.force_login(world.user("admin"))
    return client


@pytest.fixture
def foreign_client(client, world):
    client.force_login(_staff(world, "foreign"))
    return client


def _zh(text) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _en(text) -> str:
    with translation.override("en"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


# registration -------------------------------------------------------------------------------


def test_every_model_is_registered_with_the_audited_base():
    missing = [m.__name__ for m in DUIKOU_MODELS if m not in admin.site._registry]
    assert missing == []
    for model in REGISTERED:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, AuditedModelAdmin | ObjectChangeAdmin), model


LARGE = {"AdminDivision", "Organisation", "Pairing", "Project", "Product"}
# (model, field) that deliberately use a plain list instead of autocomplete.
PLAIN_LISTS = {("EnterpriseIntroduction", "enterprise")}  # enterprises only, a short list


def test_large_tables_are_chosen_by_autocomplete():
    root = User(username="probe", is_superuser=True, is_active=True)
    request = RequestFactory().get("/")
    request.user = root
    for model in (m for m in REGISTERED if m._meta.app_label != "audit"):
        model_admin = admin.site._registry[model]
        for owner_admin in [model_admin, *model_admin.get_inline_instances(request)]:
            owner = owner_admin.model
            for f in owner._meta.get_fields():
                if not (f.is_relation and f.concrete and (f.many_to_one or f.many_to_many)):
                    continue
                if f.related_model.__name__ not in LARGE or (owner.__name__, f.name) in PLAIN_LISTS:
                    continue
                fields = flatten_fieldsets(owner_admin.get_fieldsets(request))
                if f.name in fields and getattr(owner_admin, "fk_name", None) != f.name:
                    assert f.name in owner_admin.autocomplete_fields, f"{owner.__name__}.{f.name} ({owner_admin})"


# Fields an admin leaves off its form on purpose.
NOT_ON_FORM = {
    ("FundAllocation", "kind"),  # always "allocation"
    ("FundAllocation", "allocation"),  # an allocation draws on nothing
    ("FundAllocation", "is_management_fee"),  # only an expenditure is a management fee
    ("User", "groups"),  # access comes from memberships, not Django groups or permissions
    ("User", "user_permissions"),
}


@pytest.mark.parametrize("model", [m for m in REGISTERED if m._meta.app_label != "audit"], ids=lambda m: m.__name__)
def test_every_editable_field_is_on_the_form(model):
    """Explicit fieldsets must not hide a field added to the model later."""
    request = RequestFactory().get("/")
    request.user = User(username="probe", is_superuser=True, is_active=True)
    model_admin = admin.site._registry[model]
    shown = set(flatten_fieldsets(model_admin.get_fieldsets(request, model())))  # the change form
    editable = {
        f.name for f in model._meta.get_fields()
        if f.concrete and getattr(f, "editable", False) and not f.auto_created and f.name != "password"
    }
    if model is User:
        shown |= {"password"}
    missing = {n for n in editable - shown if (model.__name__, n) not in NOT_ON_FORM}
    assert missing == set()


def test_autocomplete_targets_have_search_fields():
    for model in (m for m in REGISTERED if m._meta.app_label != "audit"):
        for name in admin.site._registry[model].autocomplete_fields:
            remote = model._meta.get_field(name).remote_field.model
            assert admin.site._registry[remote].search_fields, (model, name)


# every page, in Chinese, for a superuser ----------------------------------------------------


def _sample(model, world):
    for key in ("beijing_badong", "shanghai_yiling"):
        try:
            return world.row(model, key)
        except KeyError:
            pass
    return model._default_manager.order_by("pk").first()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_superuser_pages_are_in_chinese(root_client, world, model):
    name = model._meta.verbose_name
    assert _zh(name) != _en(name), f"{model.__name__}: verbose_name {_en(name)!r} is not translated"
    is_log = model is ObjectChange
    if not is_log:
        illustrative = _sample(model, world)
        if illustrative is not None and hasattr(illustrative, "is_illustrative"):
            model._base_manager.filter(pk=illustrative.pk).update(is_illustrative=True)

    response = root_client.get(_url(model))
    assert response.status_code == 200
    page = response.content.decode()
    assert _zh(name) in page
    assert 'lang="zh-hans"' in page
    if hasattr(model, "is_illustrative") and illustrative is not None:
        assert 'class="duikou-illustrative"' in page, "illustrative rows carry the badge"
        assert _zh("illustrative") == "示例"

    request = RequestFactory().get("/")
    request.user = world.user("admin")
    if not is_log and admin.site._registry[model].has_add_permission(request):
        response = root_client.get(_url(model, "add"))
        assert response.status_code == 200
        assert _zh(name) in response.content.decode()
    sample = ObjectChange.objects.first() if is_log else _sample(model, world)
    if sample is not None:
        response = root_client.get(_url(model, "change", sample.pk))
        assert response.status_code == 200
        if getattr(sample, "is_illustrative", None) is not None:
            assert ("此为示例数据" in response.content.decode()) is model._base_manager.get(pk=sample.pk).is_illustrative


def test_english_on_request(root_client):
    """English once the user picks it with the switch (the browser's Accept-Language is not asked)."""
    assert "选择 项目 来修改" in root_client.get(_url(Project), headers={"accept-language": "en"}).content.decode()
    root_client.post("/i18n/setlang/", {"language": "en", "next": _url(Project)})
    response = root_client.get(_url(Project))
    assert response.status_code == 200
    assert "Select project to change" in response.content.decode()


# scope: the foreign user never reads Badong's rows -------------------------------------------


@pytest.mark.parametrize("entity", PAIRED_ENTITIES, ids=str)
def test_foreign_user_sees_own_rows_only(foreign_client, world, entity):
    model = entity.model
    own, other = world.row(model, "shanghai_yiling"), world.row(model, "beijing_badong")

    response = foreign_client.get(_url(model))
    assert response.status_code == 200
    page = response.content.decode()
    assert _url(model, "change", own.pk) in page
    assert _url(model, "change", other.pk) not in page
    assert BADONG not in page, "no Badong row, filter choice or column value"

    for view in ("change", "delete", "history"):
        response = foreign_client.get(_url(model, view, other.pk))
        assert response.status_code in (302, 403, 404), view
        assert BADONG not in response.content.decode()
    assert foreign_client.get(_url(model, "change", own.pk)).status_code == 200


@pytest.mark.parametrize("model", [m for m in REGISTERED if m._meta.app_label != "audit"], ids=lambda m: m.__name__)
def test_form_choices_leave_out_foreign_rows(world, model):
    """Every foreign-key and many-to-many choice (inlines included) comes through restrict()."""
    user = _staff(world, "foreign")
    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[model]
    forms = [model_admin.get_form(request)().fields]
    for inline in model_admin.get_inline_instances(request):
        forms.append(inline.get_formset(request).form.base_fields)
    foreign = {
        (type(row)._meta.concrete_model, row.pk)
        for (_model, key), row in world.rows_by_key.items() if key != "shanghai_yiling"
    }
    foreign |= {(Pairing, world.pairings[k].pk) for k in ("beijing_badong", "fangshan_badong")}
    for fields in forms:
        for name, field in fields.items():
            if isinstance(field, ModelChoiceField) and hasattr(field.queryset, "restrict"):
                concrete = field.queryset.model._meta.concrete_model
                offered = {(concrete, pk) for pk in field.queryset.values_list("pk", flat=True)}
                assert not offered & foreign, f"{model.__name__}.{name} offers another organisation's rows"


def test_autocomplete_is_scoped(foreign_client, world):
    params = {"app_label": "projects", "model_name": "project", "field_name": "pairing", "term": ""}
    response = foreign_client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids == {world.pairings["shanghai_yiling"].pk}


# rights ------------------------------------------------------------------------------------


def test_read_only_user_cannot_write(client, world):
    client.force_login(_staff(world, "read_only"))
    project = world.row(Project, "beijing_badong")
    assert client.get(_url(Project, "change", project.pk)).status_code == 200  # the view page
    assert client.get(_url(Project, "add")).status_code == 403
    assert client.post(_url(Project, "change", project.pk), {"name": "x"}).status_code == 403
    assert client.post(_url(Project, "delete", project.pk), {"post": "yes"}).status_code == 403
    assert Project.objects.filter(pk=project.pk, name=project.name).exists()


def test_save_cannot_move_a_row_into_another_scope(client, world):
    """A Beijing office may not hand its project to the Shanghai pairing (the choice is refused)."""
    client.force_login(_staff(world, "supporter"))
    project = world.row(Project, "beijing_badong")
    data = _form_data(client.get(_url(Project, "change", project.pk)))
    data["pairing"] = str(world.pairings["shanghai_yiling"].pk)
    response = client.post(_url(Project, "change", project.pk), data)
    assert response.status_code == 200
    assert "pairing" in response.context["adminform"].form.errors
    assert Project.objects.get(pk=project.pk).pairing_id == project.pairing_id


# audit -------------------------------------------------------------------------------------


def _value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _form_fields(form, data):
    for name in form.fields:
        value = _value(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value


def _form_data(response) -> dict:
    """The POST data a browser would send back for an admin change page as rendered."""
    assert response.status_code == 200
    data = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_fields(formset.management_form, data)
        for form in formset.initial_forms:
            _form_fields(form, data)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
    return data


def _changes(obj):
    model_name = obj._meta.concrete_model._meta.model_name
    return ObjectChange.objects.filter(object_id=str(obj.pk), content_type__model=model_name)


def test_admin_save_is_recorded_with_actor_before_and_after(client, world):
    user = _staff(world, "supporter")
    client.force_login(user)
    project = world.row(Project, "beijing_badong")
    output = ProjectOutputFactory(project=project)
    beneficiary = ProjectBeneficiaryFactory(project=project)
    data = _form_data(client.get(_url(Project, "change", project.pk)))
    data["name"] = "青龙桥小学教学楼"
    data["budget"] = "9000000.00"
    # inline rows: change one output, delete the beneficiary, add an output
    data["outputs-0-quantity"] = "2.00"
    data["beneficiaries-0-DELETE"] = "on"
    data.update({"outputs-TOTAL_FORMS": "2", "outputs-1-name": "操场", "outputs-1-quantity": "1", "outputs-1-unit": "个"})

    response = client.post(_url(Project, "change", project.pk), data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["adminform"].form.errors

    change = _changes(project).get(action=ObjectChange.Action.UPDATE)
    assert change.actor == user and change.actor_name == user.username
    assert change.before["name"] == project.name and change.after["name"] == "青龙桥小学教学楼"

    updated = _changes(output).get(action=ObjectChange.Action.UPDATE)
    assert Decimal(updated.before["quantity"]) == 1 and Decimal(updated.after["quantity"]) == 2
    deleted = _changes(beneficiary).get(action=ObjectChange.Action.DELETE)
    assert deleted.before["group"] == beneficiary.group and deleted.after is None
    new = ProjectOutput.objects.get(project=project, name="操场")
    assert _changes(new).get(action=ObjectChange.Action.CREATE).actor == user
    assert len({c.batch_id for c in ObjectChange.objects.filter(actor=user)}) == 1, "one request, one batch"


def test_unchanged_save_leaves_no_record(root_client, world):
    project = world.row(Project, "shanghai_yiling")
    data = _form_data(root_client.get(_url(Project, "change", project.pk)))
    assert root_client.post(_url(Project, "change", project.pk), data).status_code == 302
    assert not _changes(project).exists()


def test_admin_add_and_delete_are_recorded_with_cascade(root_client, world):
    root = world.user("admin")
    project = world.row(Project, "shanghai_yiling")
    output = ProjectOutputFactory(project=project)
    response = root_client.post(_url(Project, "delete", project.pk), {"post": "yes"})
    assert response.status_code == 302
    assert _changes(project).get(action=ObjectChange.Action.DELETE).before["code"] == project.code
    cascade = _changes(output).get(action=ObjectChange.Action.DELETE)
    assert cascade.actor == root and cascade.message == "admin: cascade"


def test_bulk_delete_is_scoped_and_recorded(foreign_client, world):
    from duikou.consumption.models import SalesRecord

    own, other = world.row(SalesRecord, "shanghai_yiling"), world.row(SalesRecord, "beijing_badong")
    response = foreign_client.post(_url(SalesRecord), {
        "action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes",
    })
    assert response.status_code == 302
    assert not SalesRecord.objects.filter(pk=own.pk).exists()
    assert SalesRecord.objects.filter(pk=other.pk).exists(), "a row outside the changelist is never touched"
    change = _changes(own).get(action=ObjectChange.Action.DELETE)
    assert change.actor.username == "foreign" and change.before["amount"] == str(own.amount)
