"""Rule values as text and back: one canonical text form per kind, read without loss.

A Decimal keeps the digits it was written with (``0.80`` stays ``Decimal("0.80")``); a value never
passes through float.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

__all__ = ["format_value", "parse_value"]

_TRUE, _FALSE = {"true", "1", "yes", "是"}, {"false", "0", "no", "否"}


def parse_value(kind: str, text):
    """The typed value of ``text`` for a rule of ``kind``; ``ValueError`` with a message for the user."""
    if not isinstance(text, str):
        text = format_value(kind, text)
    text = text.strip()
    if kind in ("share", "yuan"):
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Enter a number such as 0.80.")) from None
        if not value.is_finite():
            raise ValueError(_("Enter a number such as 0.80."))
        if kind == "share" and not (0 <= value <= 1):
            raise ValueError(_("A share lies between 0 and 1 (0.80 = 80 %)."))
        if kind == "yuan" and value < 0:
            raise ValueError(_("The amount must not be negative."))
        return value
    if kind == "int":
        try:
            value = int(text)
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
        if value < 0:
            raise ValueError(_("The number must not be negative."))
        return value
    if kind == "monthday":
        try:
            dt.date.fromisoformat(f"2000-{text}")  # a leap year: 02-29 is a day
        except ValueError:
            raise ValueError(_("Enter a day of the year as MM-DD, e.g. 04-01.")) from None
        if len(text) != 5:
            raise ValueError(_("Enter a day of the year as MM-DD, e.g. 04-01."))
        return text
    if kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(_("Enter true or false."))
    if kind == "text":
        if not text:
            raise ValueError(_("Enter a value."))
        return text
    raise ValueError(f"unknown rule kind {kind!r}")


def format_value(kind: str, value) -> str:
    """The canonical text of a value (``Decimal("0.80")`` → ``"0.80"``, ``True`` → ``"true"``)."""
    if kind in ("share", "yuan"):
        if isinstance(value, float):
            raise TypeError("rule values are never floats; pass a Decimal or a string")
        try:
            return format(Decimal(str(value).strip()), "f")
        except InvalidOperation:
            return str(value)
    if kind == "bool":
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value).strip().lower()
    return str(value).strip()
