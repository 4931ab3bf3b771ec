"""Charts of the report documents as PNG images (matplotlib, Agg backend: no display needed).

Labels are digits and Latin letters only, so the image needs no CJK font; the Chinese caption is
written in the document beside it.
"""

import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend

from duikou.core.money import WAN  # noqa: E402

__all__ = ["funds_by_year_png"]


def funds_by_year_png(funds) -> bytes:
    """Stacked bars of free-aid allocations per budget year (city / district / other), in 10,000 yuan
    (万元); ``funds`` is a list of :class:`~duikou.reports.selectors.YearFunds`."""
    years = [str(row.year) for row in funds]

    def wan(values):
        return [float(Decimal(v) / WAN) for v in values]

    city, district, other = (wan([getattr(r, name) for r in funds]) for name in ("city", "district", "other"))
    fig = Figure(figsize=(6.4, 3.2), dpi=150)
    ax = fig.add_subplot()
    ax.bar(years, city, color="#c0392b", label="city")
    ax.bar(years, district, bottom=city, color="#e67e22", label="district")
    ax.bar(years, other, bottom=[a + b for a, b in zip(city, district, strict=True)], color="#7f8c8d", label="other")
    for i, total in enumerate(wan([r.total for r in funds])):
        if total:
            ax.annotate(f"{total:,.0f}", (i, total), ha="center", va="bottom", fontsize=7)
    ax.set_ylabel("10,000 yuan")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False, fontsize=8)
    if len(years) > 12:
        ax.tick_params(axis="x", labelrotation=90, labelsize=6)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
