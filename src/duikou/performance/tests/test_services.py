"""Writes: each rule refused with an error naming the field and nothing saved; actuals all or none."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from duikou.audit.models import ObjectChange
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SYSTEM
from duikou.performance.models import EvaluationScheme, PerformanceIndicator
from duikou.performance.services import (
    evaluation_scheme_create,
    evaluation_scheme_update,
    performance_actual_record,
    performance_actuals_record,
    performance_indicator_create,
)
from duikou.testing.asserts import changes_for
from duikou.testing.factories import EvaluationSchemeFactory, PerformanceIndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = Decimal


def refused(field, fn, **kwargs):
    """``fn(**kwargs)`` raises a ValidationError naming ``field``; nothing is saved or recorded."""
    counts = (PerformanceIndicator.objects.count(), EvaluationScheme.objects.count(), ObjectChange.objects.count())
    with pytest.raises(ValidationError) as exc:
        fn(**kwargs)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert (PerformanceIndicator.objects.count(), EvaluationScheme.objects.count(),
            ObjectChange.objects.count()) == counts
    return exc.value.message_dict


def indicator(**overrides):
    data = {"project": ProjectFactory(), "level1": "output", "level2": "quantity", "name": "新建教学楼",
            "operator": "eq", "target_value": D(1), "unit": "栋", "weight": D(20)}
    return {**data, **overrides}


# indicators ---------------------------------------------------------------------------------------


def test_create_is_audited():
    obj = performance_indicator_create(actor=SYSTEM, **indicator())
    [change] = changes_for(obj)
    assert change.action == ObjectChange.Action.CREATE and change.after["weight"] == "20.00"


def test_level2_must_belong_to_level1():
    [message] = refused("level2", performance_indicator_create, actor=SYSTEM, **indicator(level2="social"))["level2"]
    assert "社会效益" in message or "social" in message


def test_quantitative_needs_a_target_value():
    refused("target_value", performance_indicator_create, actor=SYSTEM, **indicator(target_value=None))


def test_qualitative_needs_a_target_text_and_no_number():
    errors = refused("target_text", performance_indicator_create, actor=SYSTEM,
                     **indicator(operator="qualitative", target_value=D(1)))
    assert "target_value" in errors


def test_qualitative_is_rated_not_measured():
    data = indicator(operator="qualitative", target_value=None, target_text="有效缓解", actual_value=D(1),
                     actual_recorded_on=dt.date(2023, 12, 1))
    refused("actual_value", performance_indicator_create, actor=SYSTEM, **data)


def test_quantitative_is_measured_not_rated():
    data = indicator(actual_rating="good", actual_recorded_on=dt.date(2023, 12, 1))
    refused("actual_rating", performance_indicator_create, actor=SYSTEM, **data)


def test_an_actual_needs_its_day():
    refused("actual_recorded_on", performance_indicator_create, actor=SYSTEM, **indicator(actual_value=D(1)))


@pytest.mark.parametrize("weight", [D("-1"), D("100.5")])
def test_weight_lies_between_0_and_100(weight):
    refused("weight", performance_indicator_create, actor=SYSTEM, **indicator(weight=weight))


def test_foreign_supporter_may_not_add_to_our_project(pairings):
    project = ProjectFactory(pairing=pairings.pairings["beijing_badong"])
    with pytest.raises(PermissionDenied):
        performance_indicator_create(actor=pairings.user("foreign"), **indicator(project=project))
    assert not PerformanceIndicator.objects.filter(project=project).exists()


# actuals ------------------------------------------------------------------------------------------


def test_recording_an_actual_defaults_the_day_to_today_and_is_audited():
    obj = PerformanceIndicatorFactory()
    performance_actual_record(actor=SYSTEM, indicator=obj, actual_value=D(1))
    obj.refresh_from_db()
    assert (obj.actual_value, obj.actual_recorded_on) == (D(1), timezone.localdate())
    [change] = changes_for(obj)
    assert change.message == "actual" and change.after["actual_value"] == "1.00"


def test_clearing_an_actual_clears_its_day():
    obj = PerformanceIndicatorFactory(actual_value=D(1), actual_recorded_on=dt.date(2023, 12, 1))
    performance_actual_record(actor=SYSTEM, indicator=obj, actual_value=None)
    obj.refresh_from_db()
    assert (obj.actual_value, obj.actual_recorded_on) == (None, None)


def test_actuals_are_recorded_all_or_none():
    project = ProjectFactory()
    good = PerformanceIndicatorFactory(project=project)
    bad = PerformanceIndicatorFactory(project=project, operator="qualitative", target_value=None,
                                      target_text="有效缓解", name="缓解超大班")
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        performance_actuals_record(actor=SYSTEM, project=project, entries=[
            {"indicator": good, "actual_value": D(1)},
            {"indicator": bad, "actual_value": D(1)},  # a qualitative indicator takes a rating
        ])
    assert "actuals" in exc.value.message_dict and "缓解超大班" in exc.value.message_dict["actuals"][0]
    assert set(exc.value.row_errors) == {bad.pk}
    assert "actual_value" in exc.value.row_errors[bad.pk].message_dict
    good.refresh_from_db()
    assert good.actual_value is None and ObjectChange.objects.count() == changes
    saved = performance_actuals_record(actor=SYSTEM, project=project, entries=[
        {"indicator": PerformanceIndicator.objects.get(pk=good.pk), "actual_value": D(1)},
        {"indicator": PerformanceIndicator.objects.get(pk=bad.pk), "actual_rating": "good",
         "deviation_reason": "部分班级仍超员"},
    ])
    assert len(saved) == 2 and ObjectChange.objects.count() == changes + 2


def test_actuals_of_another_projects_indicator_are_refused():
    project, other = ProjectFactory(), PerformanceIndicatorFactory()
    with pytest.raises(ValidationError):
        performance_actuals_record(actor=SYSTEM, project=project, entries=[{"indicator": other, "actual_value": D(1)}])
    other.refresh_from_db()
    assert other.actual_value is None


def test_read_only_and_foreign_users_record_no_actuals(pairings):
    obj = PerformanceIndicatorFactory(project=ProjectFactory(pairing=pairings.pairings["beijing_badong"]))
    for who in ("read_only", "foreign"):
        with pytest.raises(PermissionDenied):
            performance_actuals_record(actor=pairings.user(who), project=obj.project,
                                       entries=[{"indicator": obj, "actual_value": D(1)}])
        obj.refresh_from_db()
        assert obj.actual_value is None
    performance_actual_record(actor=pairings.user("recipient"), indicator=obj, actual_value=D(1))


# schemes ------------------------------------------------------------------------------------------


def scheme(**overrides):
    data = {f.name: getattr(EvaluationSchemeFactory.build(), f.name) for f in EvaluationScheme._meta.concrete_fields
            if f.name not in ("id", "created", "last_updated", "programme", "supporter")}
    data["programme"] = EvaluationSchemeFactory().programme
    data["valid_from_year"] = 2023
    return {**data, **overrides}


def test_the_four_parts_add_up_to_100():
    [message] = refused("weight_budget", evaluation_scheme_create, actor=SYSTEM,
                        **scheme(weight_budget=D(20)))["weight_budget"]
    assert "110" in message


def test_grade_bands_descend():
    refused("grade_good_min", evaluation_scheme_create, actor=SYSTEM, **scheme(grade_good_min=D(95)))


def test_a_supporter_scheme_names_its_programme(pairings):
    refused("programme", evaluation_scheme_create, actor=SYSTEM,
            **scheme(programme=None, supporter=pairings.orgs["北京市"]))


def test_percentages_lie_between_0_and_100():
    refused("rating_good", evaluation_scheme_create, actor=SYSTEM, **scheme(rating_good=D(120)))


def test_one_default_scheme_per_start_year():
    refused("__all__", evaluation_scheme_create, actor=SYSTEM, **scheme(programme=None, valid_from_year=2020))


def test_only_administrators_edit_schemes(pairings):
    default = EvaluationScheme.objects.get(programme=None, valid_from_year=2020)
    for who in ("supporter", "recipient", "national"):
        with pytest.raises(PermissionDenied):
            evaluation_scheme_update(actor=pairings.user(who), instance=default, weight_budget=D(10))
    evaluation_scheme_update(actor=pairings.user("admin"), instance=default, verified=True)
    assert EvaluationScheme.objects.get(pk=default.pk).verified
