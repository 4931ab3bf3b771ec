"""Publishing a figure set: the one write of this app (there is no update and no delete)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from duikou.audit.models import ObjectChange
from duikou.audit.services import object_create, record_bulk
from duikou.organisations.models import Pairing
from duikou.reports import figures as registry

from .models import FigureSet, PublishedFigure

__all__ = ["DEFAULT_FIGURES", "figure_set_publish"]

# What a set holds unless the caller names figures: every figure of the registry, in its order.
DEFAULT_FIGURES = tuple(registry.FIGURES)

CENT = Decimal("0.01")


def _user(actor):
    return actor if getattr(actor, "pk", None) is not None and hasattr(actor, "username") else None


def figure_set_publish(*, actor, pairing: Pairing, year_from: int, year_to: int, name: str,
                       as_of: date | None = None, keys=None) -> FigureSet:
    """Publish the figures ``keys`` (default :data:`DEFAULT_FIGURES`) of ``pairing`` and its
    sub-pairings for the years asked, as ``actor`` sees the records, in one transaction.

    Needs the right to add records of the pairing. Each figure keeps its value, its definition as it
    is now and the ids of the records behind it (:func:`duikou.reports.figures.records`: the same
    query as the value). Raises ``ValidationError`` (name, years, unknown figure) or
    ``PermissionDenied``; nothing is saved then."""
    keys = list(dict.fromkeys(keys or DEFAULT_FIGURES))
    try:
        figures = [registry.get_figure(key) for key in keys]
    except KeyError as exc:
        raise ValidationError({"figure": f"Unknown figure {exc.args[0]}."}) from None
    ctx = registry.figure_context(actor=actor, pairing=pairing, year_from=year_from, year_to=year_to)
    user = _user(actor)
    with transaction.atomic():
        figure_set = object_create(FigureSet, actor=actor, data={
            "name": (name or "").strip(), "pairing": pairing, "year_from": year_from, "year_to": year_to,
            "as_of": as_of or timezone.localdate(), "published_by": user,
            "published_by_name": getattr(user, "username", None) or str(actor),
        })
        values = registry.evaluate(ctx, figures)
        rows = []
        for order, fig in enumerate(figures, start=1):
            years = fig.period.resolve(ctx)
            value = values[fig.key]
            rows.append(PublishedFigure(
                figure_set=figure_set, order=order, key=fig.key, label_zh=fig.label_zh, label_en=fig.label_en,
                unit=fig.unit, year_from=years[0], year_to=years[1],
                value=None if value is None else Decimal(value).quantize(CENT),
                model=registry.SOURCES[fig.source].model_label, definition=fig.definition(),
                record_ids=sorted(registry.records(ctx, fig, years=years).values_list("pk", flat=True)),
            ))
        for row in rows:
            row.full_clean(exclude=["figure_set"])
        PublishedFigure.objects.bulk_create(rows)
        record_bulk(PublishedFigure.objects.filter(figure_set=figure_set).select_related(
            "figure_set__pairing"), action=ObjectChange.Action.CREATE, actor=actor)
    return figure_set
