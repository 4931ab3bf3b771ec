"""Publishing freezes the content (after the period rule and the privacy check); a published
notice is withdrawn, never edited or deleted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duikou.audit.models import ObjectChange
from duikou.core.errors import PermissionDenied
from duikou.disclosure.content import text_of
from duikou.disclosure.models import Disclosure
from duikou.disclosure.services import (
    disclosure_create,
    disclosure_delete,
    disclosure_publish,
    disclosure_update,
    disclosure_withdraw,
    objection_create,
)
from duikou.projects.services import project_output_update, project_update
from duikou.testing.asserts import changes_for
from duikou.testing.factories import DisclosureFactory, ProjectOutputFactory, RuleFactory

from .test_content import school

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 3, 1)


@pytest.fixture
def draft(pairings):
    project = school(pairings.pairings["beijing_badong"])
    return DisclosureFactory(pairing=project.pairing, project=project, start_date=None, end_date=None,
                             title="", year=None, channels=["county_website", "village_board"])


def project_fields(disclosure) -> dict:
    return {row["label"]: text_of(row["value"]) for row in disclosure.content_snapshot["sections"][1]["rows"]}


def test_create_makes_a_draft_only(pairings, draft):
    user = pairings.user("supporter")
    data = {"kind": "library", "pairing": draft.pairing, "project": draft.project, "channels": ["county_website"]}
    created = disclosure_create(actor=user, **data)
    assert created.status == "draft" and created.year == 2023 and created.title == "巴东县2023年度对口支援项目库公示"
    with pytest.raises(ValidationError) as exc:
        disclosure_create(actor=user, **data, status="published")
    assert "status" in exc.value.error_dict


def test_publish_freezes_the_content_with_the_default_period(pairings, draft):
    user = pairings.user("recipient")
    published = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    published.refresh_from_db()
    assert published.status == "published" and published.published_by == user and published.published_on == DAY
    assert (published.start_date, published.end_date) == (DAY, dt.date(2023, 3, 10))  # 10 days: disclosure.min_days
    snapshot = published.content_snapshot
    assert snapshot["title"] == "巴东县2023年度对口支援项目库公示" and snapshot["date"] == "2023-03-01"
    assert snapshot["channels"] == ["县人民政府门户网站", "村务公开栏、村民微信群"]
    assert project_fields(published)["项目名称"] == "青龙桥小学教学楼"
    [change] = changes_for(published, ObjectChange.Action.UPDATE)
    assert change.message == "publish" and change.before["status"] == "draft" and change.before["start_date"] is None
    assert change.after["content_snapshot"] == snapshot


def test_the_published_notice_does_not_change_when_the_project_does(pairings, draft):
    user = pairings.user("supporter")
    published = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    frozen = Disclosure.objects.get(pk=published.pk).content_snapshot
    project = published.project
    project_update(actor=user, instance=project, name="青龙桥小学教学楼（变更后）", description="改为综合楼")
    project_output_update(actor=user, instance=project.outputs.get(), name="综合楼")
    ProjectOutputFactory(project=project, name="运动场", unit="个")
    again = Disclosure.objects.get(pk=published.pk)
    assert again.content_snapshot == frozen
    assert project_fields(again)["项目名称"] == "青龙桥小学教学楼"
    assert "教学楼1栋" in project_fields(again)["建设内容"]
    # a new draft of the same project shows the records as they are now
    from duikou.core.permissions import SYSTEM
    from duikou.disclosure.content import build_content

    preview = build_content(DisclosureFactory(pairing=project.pairing, project=project), actor=SYSTEM)
    assert "综合楼" in text_of(preview["sections"][1]["rows"][4]["value"])


def test_what_a_published_notice_shows_cannot_be_edited(pairings, draft):
    user = pairings.user("supporter")
    published = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    for field, value in (("title", "另一个标题"), ("end_date", dt.date(2023, 3, 20)), ("note", "补充"),
                         ("channels", ["county_website"])):
        changes = ObjectChange.objects.count()
        with pytest.raises(ValidationError) as exc:
            disclosure_update(actor=user, instance=Disclosure.objects.get(pk=published.pk), **{field: value})
        assert field in exc.value.error_dict
        assert ObjectChange.objects.count() == changes
    for field, value in (("status", "draft"), ("content_snapshot", {})):
        with pytest.raises(ValidationError) as exc:
            disclosure_update(actor=user, instance=Disclosure.objects.get(pk=published.pk), **{field: value})
        assert field in exc.value.error_dict
    disclosure_update(actor=user, instance=Disclosure.objects.get(pk=published.pk), source="县政府网站公告栏")
    assert Disclosure.objects.get(pk=published.pk).source == "县政府网站公告栏"


def test_publish_refuses_a_period_shorter_than_the_rule(pairings, draft):
    user = pairings.user("supporter")
    with pytest.raises(ValidationError) as exc:
        disclosure_publish(actor=user, disclosure=draft, on=DAY, end_date=dt.date(2023, 3, 9))
    assert "end_date" in exc.value.error_dict
    with translation.override("en"):
        assert "不得少于 10 天" in exc.value.error_dict["end_date"][0].messages[0]
    assert Disclosure.objects.get(pk=draft.pk).status == "draft"
    # the rule is data: 15 days for this pairing
    RuleFactory(pairing=draft.pairing, key="disclosure.min_days", value="15", valid_from_year=2021)
    with pytest.raises(ValidationError):
        disclosure_publish(actor=user, disclosure=Disclosure.objects.get(pk=draft.pk), on=DAY,
                           end_date=dt.date(2023, 3, 14))
    published = disclosure_publish(actor=user, disclosure=Disclosure.objects.get(pk=draft.pk), on=DAY)
    assert published.end_date == dt.date(2023, 3, 15)


def test_publish_needs_a_channel_and_a_draft(pairings, draft):
    user = pairings.user("supporter")
    draft.channels = []
    draft.save()
    with pytest.raises(ValidationError) as exc:
        disclosure_publish(actor=user, disclosure=draft, on=DAY)
    assert "channels" in exc.value.error_dict
    draft.channels = ["county_website"]
    draft.save()
    published = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    with pytest.raises(ValidationError) as exc:
        disclosure_publish(actor=user, disclosure=published, on=DAY)
    assert "status" in exc.value.error_dict


@pytest.mark.parametrize(("field", "text", "kind"), [
    ("description", "新建教学楼，联系人张某某13812345678", "手机号码"),
    ("description", "施工负责人身份证422823199003071234", "身份证号码"),
    ("location", "溪丘湾乡（收款卡号6222021234567890128）", "银行卡号或账号"),
])
def test_publish_refuses_personal_data_naming_the_field(pairings, draft, field, text, kind):
    project = draft.project
    setattr(project, field, text)
    project.save()
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        disclosure_publish(actor=pairings.user("supporter"), disclosure=draft, on=DAY)
    with translation.override("en"):
        [message] = exc.value.error_dict["content_snapshot"][0].messages
        assert kind in message
    place = {"description": "建设内容", "location": "实施地点"}[field]
    assert f"二、项目情况 › {place}" in message
    stored = Disclosure.objects.get(pk=draft.pk)
    assert stored.status == "draft" and stored.content_snapshot == {} and stored.start_date is None
    assert ObjectChange.objects.count() == changes


def test_publish_refuses_health_data_about_beneficiaries(pairings, draft):
    beneficiary = draft.project.beneficiaries.get()
    beneficiary.group = "重病患者"
    beneficiary.count = 3
    beneficiary.save()
    with pytest.raises(ValidationError) as exc:
        disclosure_publish(actor=pairings.user("supporter"), disclosure=draft, on=DAY)
    message = exc.value.error_dict["content_snapshot"][0].messages[0]
    assert "受益对象" in message


def test_the_model_refuses_a_published_row_with_personal_data(pairings, draft):
    """The rule lives in the model: admin and loaders cannot publish personal data either."""
    draft.status, draft.start_date, draft.end_date, draft.published_on = "published", DAY, DAY, DAY
    draft.content_snapshot = {"title": "公示", "note": "电话13812345678"}
    with pytest.raises(ValidationError) as exc:
        draft.full_clean()
    assert "content_snapshot" in exc.value.error_dict


def test_withdraw_then_publish_anew(pairings, draft):
    user = pairings.user("supporter")
    first = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    second = DisclosureFactory(pairing=first.pairing, project=first.project)
    with pytest.raises(ValidationError):  # one published notice of a kind per project
        disclosure_publish(actor=user, disclosure=second, on=DAY)
    with pytest.raises(ValidationError) as exc:
        disclosure_withdraw(actor=user, disclosure=Disclosure.objects.get(pk=first.pk), reason="  ")
    assert "withdrawal_reason" in exc.value.error_dict
    withdrawn = disclosure_withdraw(actor=user, disclosure=Disclosure.objects.get(pk=first.pk),
                                    reason="异议成立，项目选址调整", on=dt.date(2023, 3, 5))
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_on == dt.date(2023, 3, 5)
    assert disclosure_publish(actor=user, disclosure=Disclosure.objects.get(pk=second.pk), on=DAY).status == "published"
    with pytest.raises(ValidationError):
        disclosure_withdraw(actor=user, disclosure=Disclosure.objects.get(pk=first.pk), reason="again")


def test_a_published_notice_is_not_deleted(pairings, draft):
    user = pairings.user("supporter")
    published = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    with pytest.raises(ValidationError):
        disclosure_delete(actor=user, instance=published)
    assert Disclosure.objects.filter(pk=published.pk).exists()
    with pytest.raises(PermissionDenied):  # the right is checked before the state
        disclosure_delete(actor=pairings.user("foreign"), instance=published)


def test_foreign_and_read_only_users_cannot_publish(pairings, draft):
    for who in ("foreign", "read_only", "national"):
        with pytest.raises(PermissionDenied):
            disclosure_publish(actor=pairings.user(who), disclosure=draft, on=DAY)
    assert Disclosure.objects.get(pk=draft.pk).status == "draft"


def test_objections_only_to_published_notices(pairings, draft):
    user = pairings.user("recipient")
    with pytest.raises(ValidationError) as exc:
        objection_create(actor=user, disclosure=draft, received_on=DAY, summary="选址不当")
    assert "disclosure" in exc.value.error_dict
    published = disclosure_publish(actor=user, disclosure=draft, on=DAY)
    with pytest.raises(ValidationError) as exc:
        objection_create(actor=user, disclosure=published, received_on=DAY - dt.timedelta(days=1), summary="早于公示")
    assert "received_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        objection_create(actor=user, disclosure=published, received_on=DAY, summary="选址不当", decision="upheld")
    assert "decided_on" in exc.value.error_dict
    objection = objection_create(actor=user, disclosure=published, received_on=DAY, summary="选址不当")
    assert objection.decision == "pending" and not objection.upheld


def test_annual_plan_announcement_rules(pairings):
    from duikou.testing.factories import PlanFactory, ProjectFactory

    city = pairings.pairings["beijing_badong"]
    five_year = PlanFactory(pairing=city)
    with pytest.raises(ValidationError) as exc:
        DisclosureFactory.build(kind="annual_plan", pairing=city, project=None, plan=five_year).full_clean()
    assert "plan" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        DisclosureFactory.build(kind="annual_plan", pairing=city, project=ProjectFactory(pairing=city), year=2023
                                ).full_clean()
    assert "project" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        DisclosureFactory.build(kind="library", pairing=city, project=None, year=2023).full_clean()
    assert "project" in exc.value.error_dict
    other = ProjectFactory(pairing=pairings.pairings["shanghai_yiling"])
    with pytest.raises(ValidationError) as exc:
        DisclosureFactory.build(kind="library", pairing=city, project=other).full_clean()
    assert "project" in exc.value.error_dict
