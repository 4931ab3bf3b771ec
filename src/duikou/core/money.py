"""Money is ``Decimal`` yuan everywhere; these helpers show it in 万元 / 亿元 as offices write it."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

__all__ = ["WAN", "YI", "as_yuan_str", "cn_amount", "cn_amount_auto", "floor_cn"]

WAN = Decimal("10000")
YI = Decimal("100000000")
CENT = Decimal("0.01")


def as_yuan_str(value) -> str:
    """Decimal yuan as a string with 2 decimals (the JSON form)."""
    return str(Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP))


def cn_amount(value, unit: str = "万元") -> str:
    """``Decimal('51130000')`` → ``'5113.00万元'``; unit is 万元 or 亿元."""
    divisor = WAN if unit == "万元" else YI
    amount = (Decimal(value or 0) / divisor).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{amount:,}{unit}"


def cn_amount_auto(value) -> str:
    """亿元 from 100 million up, 万元 below: ``1146380000`` → ``'11.46亿元'``, ``51130000`` → ``'5,113.00万元'``."""
    return cn_amount(value, "亿元" if abs(Decimal(value or 0)) >= YI else "万元")


def floor_cn(value) -> str:
    """The headline form: truncate to the first decimal of the unit and add 多 when something was cut.

    ``1146380000`` → ``'11.4亿多元'``; ``51130000`` → ``'5113万元'``; ``18360000`` → ``'1836万元'``.
    """
    value = Decimal(value or 0)
    if value >= YI:
        shown = (value / YI).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        return f"{shown.normalize():f}亿{'多' if shown * YI < value else ''}元"
    shown = (value / WAN).quantize(Decimal("1"), rounding=ROUND_DOWN)
    return f"{shown:f}万{'多' if shown * WAN < value else ''}元"
