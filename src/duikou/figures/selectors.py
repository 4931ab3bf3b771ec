"""Reading published figure sets: the list, one set, its records, and what changed since.

Every read goes through ``restrict(actor, "view")``: a set is seen by the organisations of its
pairing (the supporter's and the recipient's, and those above them), never by another."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from duikou.audit.models import ObjectChange
from duikou.core.selectors import restricted_get
from duikou.reports import figures as registry

from .models import FigureSet, PublishedFigure

__all__ = ["FigureDiff", "figure_records", "figure_set_diff", "figure_set_get", "figure_set_list"]

CENT = Decimal("0.01")


def figure_set_list(*, actor, pairing=None):
    qs = FigureSet.objects.restrict(actor, "view").select_related(
        "pairing__supporter", "pairing__recipient", "pairing__programme")
    return qs if pairing is None else qs.filter(pairing=pairing)


def figure_set_get(*, actor, pk) -> FigureSet:
    """The set if the actor may see it, with its figures; ``Http404`` otherwise."""
    found = restricted_get(FigureSet, actor=actor, pk=pk)
    return figure_set_list(actor=actor).prefetch_related("figures").get(pk=found.pk)


def figure_records(*, actor, model: str, ids) -> list:
    """The records of ``model`` (``"funds.FundTransaction"``) with these ids that the actor may see
    and that still exist, in id order."""
    return list(apps.get_model(model).objects.restrict(actor, "view").filter(pk__in=list(ids)).order_by("pk"))


@dataclass(frozen=True)
class FigureDiff:
    """One published figure then and now. ``now`` is ``None`` when the registry no longer defines
    the figure (``withdrawn``). ``changed``: records behind the figure both then and now whose audit
    log has entries after the set was published."""

    figure: PublishedFigure
    now: Decimal | None
    withdrawn: bool
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)

    @property
    def then(self) -> Decimal | None:
        return self.figure.value

    @property
    def same(self) -> bool:
        return not (self.withdrawn or self.added or self.removed or self.changed) and self.now == self.then

    @property
    def delta(self) -> Decimal | None:
        if self.now is None or self.then is None:
            return None
        return self.now - self.then


def figure_set_diff(*, actor, figure_set: FigureSet) -> list[FigureDiff]:
    """Each figure of the set then and now: the same definition (by key) over the same resolved
    years, recomputed from the records as ``actor`` sees them now; the records added, removed and
    changed since publication. One aggregate per source and period, one query per figure for its
    records and one per model for the audit log."""
    ctx = registry.figure_context(actor=actor, pairing=figure_set.pairing, year_from=figure_set.year_from,
                                  year_to=figure_set.year_to)
    published = list(figure_set.figures.all())
    current = {}
    for pf in published:
        try:
            current[pf.key] = registry.get_figure(pf.key)
        except KeyError:
            pass
    years = {pf.key: (pf.year_from, pf.year_to) for pf in published}
    values = registry.evaluate(ctx, list(current.values()), years=years)
    now_ids = {key: set(registry.records(ctx, fig, years=years[key]).values_list("pk", flat=True))
               for key, fig in current.items()}
    kept_by_model: dict[str, set[int]] = {}
    for pf in published:
        if pf.key in current:
            kept_by_model.setdefault(pf.model, set()).update(set(pf.record_ids) & now_ids[pf.key])
    edited: dict[str, set[int]] = {}
    for model, ids in kept_by_model.items():
        content_type = ContentType.objects.get_for_model(apps.get_model(model))
        edited[model] = {int(i) for i in ObjectChange.objects.restrict(actor, "view").filter(
            content_type=content_type, object_id__in=[str(i) for i in ids], time__gt=figure_set.published_at,
        ).order_by().values_list("object_id", flat=True).distinct()} if ids else set()
    diffs = []
    for pf in published:
        if pf.key not in current:
            diffs.append(FigureDiff(figure=pf, now=None, withdrawn=True))
            continue
        then, now = set(pf.record_ids), now_ids[pf.key]
        value = values[pf.key]
        diffs.append(FigureDiff(
            figure=pf, now=None if value is None else Decimal(value).quantize(CENT), withdrawn=False,
            added=sorted(now - then), removed=sorted(then - now),
            changed=sorted((then & now) & edited.get(pf.model, set())),
        ))
    return diffs
