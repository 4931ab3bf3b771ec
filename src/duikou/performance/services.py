"""Writes for this app: audited, permission-checked, validated with full_clean().

Indicators and schemes have the generic create/update/delete services. Actuals are recorded with
:func:`performance_actuals_record`, which writes all the rows of one form or none."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duikou.audit.services import crud_services, object_update

from .models import EvaluationScheme, PerformanceIndicator

__all__ = [
    "evaluation_scheme_create",
    "evaluation_scheme_delete",
    "evaluation_scheme_update",
    "performance_actual_record",
    "performance_actuals_record",
    "performance_indicator_create",
    "performance_indicator_delete",
    "performance_indicator_update",
]

performance_indicator_create, performance_indicator_update, performance_indicator_delete = crud_services(
    PerformanceIndicator)
evaluation_scheme_create, evaluation_scheme_update, evaluation_scheme_delete = crud_services(EvaluationScheme)

_ACTUAL_FIELDS = ("actual_value", "actual_rating", "actual_recorded_on", "deviation_reason")


def performance_actual_record(*, actor, indicator: PerformanceIndicator, actual_value=None, actual_rating: str = "",
                              actual_recorded_on: dt.date | None = None,
                              deviation_reason: str = "") -> PerformanceIndicator:
    """Record (or clear) the actual of one indicator. The day defaults to today when an actual is
    given; clearing the actual clears the day too."""
    has_actual = actual_value not in (None, "") or bool(actual_rating)
    if has_actual and actual_recorded_on is None:
        actual_recorded_on = timezone.localdate()
    if not has_actual:
        actual_recorded_on = None
    return object_update(indicator, actor=actor, message="actual", data={
        "actual_value": actual_value if actual_value != "" else None,
        "actual_rating": actual_rating or "",
        "actual_recorded_on": actual_recorded_on,
        "deviation_reason": deviation_reason or "",
    })


def performance_actuals_record(*, actor, project, entries: list[dict]) -> list[PerformanceIndicator]:
    """Record the actuals of several indicators of ``project`` in one transaction: all or none.

    ``entries``: dicts with ``indicator`` and any of ``actual_value``, ``actual_rating``,
    ``actual_recorded_on``, ``deviation_reason``. A refused row raises ``ValidationError``
    ({"actuals": […]}, each message naming the indicator) and nothing is saved; the per-row errors
    are on the exception's ``row_errors`` ({indicator id: ValidationError})."""
    row_errors: dict[int, ValidationError] = {}
    saved = []
    with transaction.atomic():
        for entry in entries:
            indicator = entry["indicator"]
            if indicator.project_id != project.pk:
                row_errors[indicator.pk] = ValidationError({"indicator": _("The indicator belongs to another project.")})
                continue
            try:
                with transaction.atomic():
                    saved.append(performance_actual_record(
                        actor=actor, indicator=indicator, **{k: entry.get(k) for k in _ACTUAL_FIELDS if k in entry}))
            except ValidationError as exc:
                row_errors[indicator.pk] = exc
        if row_errors:
            messages = []
            names = {e["indicator"].pk: e["indicator"].name for e in entries}
            for pk, exc in row_errors.items():
                messages += [f"{names.get(pk, pk)}: {m}" for m in exc.messages]
            error = ValidationError({"actuals": messages})
            error.row_errors = row_errors
            raise error  # inside the transaction: every row written so far is rolled back
    return saved
