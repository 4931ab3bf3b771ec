"""The rules of a notice and an objection, each refused with an error naming the field."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from duikou.testing.factories import DisclosureFactory, ObjectionFactory, PublishedDisclosureFactory

pytestmark = pytest.mark.django_db


def errors(obj) -> set:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return set(exc.value.error_dict)


def test_the_year_and_title_default_from_the_project(pairings):
    notice = DisclosureFactory.build(pairing=pairings.pairings["beijing_badong"], year=None, title="",
                                     project=DisclosureFactory(pairing=pairings.pairings["beijing_badong"]).project)
    notice.full_clean()
    assert notice.year == notice.project.start_year
    assert notice.title == f"巴东县{notice.year}年度对口支援项目库公示"
    completion = DisclosureFactory.build(kind="completion", pairing=notice.pairing, project=notice.project, year=None,
                                         title="")
    completion.full_clean()
    assert completion.title == f"巴东县{notice.project.end_year}年度对口支援项目竣工公告"


@pytest.mark.parametrize(("changes", "field"), [
    ({"channels": ["somewhere"]}, "channels"),
    ({"channels": ["county_website", "county_website"]}, "channels"),
    ({"channels": "county_website"}, "channels"),
    ({"end_date": dt.date(2020, 1, 1)}, "end_date"),
    ({"year": 1980}, "year"),
    ({"content_snapshot": {"title": "x"}}, "content_snapshot"),  # a draft has no frozen content
])
def test_notice_rules(pairings, changes, field):
    notice = DisclosureFactory(pairing=pairings.pairings["fangshan_badong"])
    for name, value in changes.items():
        setattr(notice, name, value)
    assert field in errors(notice)


def test_a_published_notice_has_its_period_channels_and_content(pairings):
    notice = PublishedDisclosureFactory(pairing=pairings.pairings["beijing_badong"])
    notice.full_clean()
    notice.start_date = notice.end_date = notice.published_on = None
    notice.channels, notice.content_snapshot = [], {}
    assert errors(notice) >= {"start_date", "end_date", "published_on", "channels", "content_snapshot"}


def test_a_withdrawn_notice_says_why_and_when(pairings):
    notice = PublishedDisclosureFactory(pairing=pairings.pairings["beijing_badong"])
    notice.status = "withdrawn"
    assert errors(notice) >= {"withdrawal_reason", "withdrawn_on"}


def test_objection_rules(pairings):
    objection = ObjectionFactory(disclosure__pairing=pairings.pairings["beijing_badong"])
    objection.full_clean()
    objection.decision, objection.decided_on = "dismissed", objection.received_on - dt.timedelta(days=1)
    assert errors(objection) == {"decided_on"}
    objection.decided_on = objection.received_on
    objection.full_clean()
