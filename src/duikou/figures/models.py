"""Published figure sets: dated, immutable snapshots of headline figures with their provenance.

A :class:`FigureSet` is what an office published (for a meeting, a 汇报): a name, a pairing, the
years asked, a date, who. Each :class:`PublishedFigure` keeps one figure of the registry
(``duikou.reports.figures``) as it was then: its value, its definition (label, rule text,
parameters) and the ids of the records behind it. Neither is ever changed or deleted: ``save()``
refuses an update and ``delete()`` refuses outright, so later edits to records leave the snapshot
as published (``duikou.figures.selectors.figure_set_diff`` shows what changed since).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duikou.core.errors import ApplicationError
from duikou.core.models import BaseModel
from duikou.organisations.models import Pairing

__all__ = ["FigureSet", "PublishedFigure"]

SET_PATHS = ("pairing__supporter_id", "pairing__recipient_id")


class Immutable(BaseModel):
    """Rows written once: an update or a delete raises :class:`~duikou.core.errors.ApplicationError`."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ApplicationError(_("A published figure set cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ApplicationError(_("A published figure set cannot be deleted."))


class FigureSet(Immutable):
    """A set of headline figures of a pairing (and its sub-pairings), published on a date."""

    name = models.CharField(_("name"), max_length=200, help_text=_("What it was published for (2025年座谈会)."))
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="figure_sets")
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    as_of = models.DateField(_("date"), help_text=_("The date the figures are given for (the meeting's)."))
    published_at = models.DateTimeField(_("published at"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    published_by_name = models.CharField(_("published by (name)"), max_length=150)

    restrict_paths = SET_PATHS
    label_related = ("pairing__supporter", "pairing__recipient", "pairing__programme")

    class Meta:
        verbose_name = _("published figure set")
        verbose_name_plural = _("published figure sets")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year_to__gte=models.F("year_from")), name="figureset_years",
                                   violation_error_message=_("The last year must not be before the first year.")),
        ]

    def __str__(self):
        return f"{self.name} ({self.as_of:%Y-%m-%d})"


class PublishedFigure(Immutable):
    """One figure of a published set, as it was: value, definition and the records behind it."""

    figure_set = models.ForeignKey(FigureSet, verbose_name=_("figure set"), on_delete=models.PROTECT,
                                   related_name="figures")
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.CharField(_("figure"), max_length=80)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30)
    year_from = models.PositiveSmallIntegerField(_("first year"))
    year_to = models.PositiveSmallIntegerField(_("last year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2, null=True, blank=True,
                                help_text=_("Empty where nothing is planned (no plan envelope)."))
    model = models.CharField(_("records' model"), max_length=100)
    definition = models.JSONField(_("definition"), help_text=_("Label, rule text and parameters as published."))
    record_ids = models.JSONField(_("records"), blank=True, default=list,
                                  help_text=_("Ids of the records behind the value."))

    restrict_paths = tuple(f"figure_set__{p}" for p in SET_PATHS)

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["figure_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["figure_set", "key"], name="publishedfigure_unique_key",
                                    violation_error_message=_("A set has each figure once.")),
        ]

    def __str__(self):
        return f"{self.key} = {self.value}"
