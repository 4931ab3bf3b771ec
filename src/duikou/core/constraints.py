"""The check constraints the domain repeats, with their translated messages.

Each returns a ``CheckConstraint`` equal to the hand-written one, so migrations see no change.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = ["ends_after", "not_negative", "positive", "year_range"]

END_BEFORE_START = _("The end must not be before the start.")
NEGATIVE_AMOUNT = _("The amount must not be negative.")
AMOUNT_NOT_POSITIVE = _("The amount must be greater than zero.")


def ends_after(name: str, start: str, end: str, message=END_BEFORE_START, nullable: bool = True):
    """``end >= start`` (an empty end is open when ``nullable``)."""
    condition = Q(**{f"{end}__gte": F(start)})
    if nullable:
        condition = Q(**{f"{end}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def not_negative(name: str, field: str, message=NEGATIVE_AMOUNT, nullable: bool = False):
    condition = Q(**{f"{field}__gte": 0})
    if nullable:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def positive(name: str, field: str, message=AMOUNT_NOT_POSITIVE):
    return models.CheckConstraint(condition=Q(**{f"{field}__gt": 0}), name=name, violation_error_message=message)


def year_range(name: str, field: str, message):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1949, f"{field}__lte": 2100}), name=name, violation_error_message=message
    )
