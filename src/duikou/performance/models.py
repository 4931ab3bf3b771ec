from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import not_negative
from duikou.core.models import RecordModel
from duikou.organisations.models import Organisation, Programme
from duikou.projects.models import Project

from .choices import LEVEL2_OF, Level1, Level2, Operator, PartialRule, Rating
from .scoring import BUDGET, SchemeParams

__all__ = ["EvaluationScheme", "PerformanceIndicator"]

HUNDRED = Decimal("100")


def _percent_range(name: str, field: str):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}), name=name,
        violation_error_message=_("Enter a value between 0 and 100."),
    )


def _points(label):
    return models.DecimalField(label, max_digits=5, decimal_places=2)


class EvaluationScheme(RecordModel):
    """The scoring parameters of the self-assessment (绩效自评) for a programme, optionally for one
    supporter, from a year on: level weights, grade bands, the partial-completion rule and the
    points of the qualitative scale.

    A migration seeds the default for every programme (``programme`` empty) with the widely quoted
    values of 财预〔2020〕10号, **not verified** against the official text (``verified`` off), and the
    design defaults of domain guide §7. The most specific scheme valid in the project's last year
    applies (the supporter's > the programme's > every programme's)."""

    name = models.CharField(_("name"), max_length=200)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="evaluation_schemes",
                                  help_text=_("Empty: every programme."))
    supporter = models.ForeignKey(Organisation, verbose_name=_("supporter"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="evaluation_schemes",
                                  help_text=_("Empty: every supporter of the programme. A district's pairings "
                                              "also use their parent supporter's scheme."))
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"))
    valid_to_year = models.PositiveSmallIntegerField(_("valid to year"), null=True, blank=True,
                                                     help_text=_("Empty: until a later scheme replaces it."))
    grade_excellent_min = _points(_("lowest total graded excellent (优)"))
    grade_good_min = _points(_("lowest total graded good (良)"))
    grade_fair_min = _points(_("lowest total graded fair (中)"))
    weight_output = _points(_("points of output indicators (产出)"))
    weight_effect = _points(_("points of effect indicators (效益)"))
    weight_satisfaction = _points(_("points of satisfaction indicators (满意度)"))
    weight_budget = _points(_("points of budget execution (预算执行率)"))
    partial_rule = models.CharField(_("partial completion"), max_length=20, choices=PartialRule.choices,
                                    default=PartialRule.PROPORTIONAL)
    rating_excellent = _points(_("percent of the weight for 优"))
    rating_good = _points(_("percent of the weight for 良"))
    rating_fair = _points(_("percent of the weight for 中"))
    rating_low = _points(_("percent of the weight for 低"))
    rating_poor = _points(_("percent of the weight for 差"))
    verified = models.BooleanField(
        _("verified"), default=False,
        help_text=_("Tick once the values are confirmed against the official text or the client office's rules."),
    )
    note = models.TextField(_("note"), blank=True)

    restrict_public_view = True  # reference data: every signed-in user reads it; only administrators write

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["programme_id", "supporter_id", "-valid_from_year"]
        constraints = [
            *(_percent_range(f"scheme_{name}_range", name) for name in (
                "weight_output", "weight_effect", "weight_satisfaction", "weight_budget", "grade_excellent_min",
                "grade_good_min", "grade_fair_min", "rating_excellent", "rating_good", "rating_fair", "rating_low",
                "rating_poor")),
            models.UniqueConstraint(
                fields=["valid_from_year"], condition=Q(programme__isnull=True, supporter__isnull=True),
                name="scheme_unique_default_year",
                violation_error_message=_("A default scheme already starts in this year."),
            ),
            models.UniqueConstraint(
                fields=["programme", "valid_from_year"], condition=Q(supporter__isnull=True),
                name="scheme_unique_programme_year",
                violation_error_message=_("A scheme of this programme already starts in this year."),
            ),
            models.UniqueConstraint(
                fields=["programme", "supporter", "valid_from_year"], name="scheme_unique_supporter_year",
                violation_error_message=_("A scheme of this supporter already starts in this year."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from_year}–{self.valid_to_year or ''})"

    def clean(self):
        errors = {}
        if self.supporter_id and not self.programme_id:
            errors["programme"] = _("A supporter's scheme belongs to a programme.")
        if self.valid_to_year is not None and self.valid_from_year and self.valid_to_year < self.valid_from_year:
            errors["valid_to_year"] = _("The last year must not be before the first year.")
        weights = [self.weight_output, self.weight_effect, self.weight_satisfaction, self.weight_budget]
        if all(w is not None for w in weights) and sum(weights) != HUNDRED:
            errors["weight_budget"] = _("The four parts must add up to 100 points; they add up to {total}.").format(
                total=f"{sum(weights).normalize():f}")
        bands = [self.grade_excellent_min, self.grade_good_min, self.grade_fair_min]
        if all(b is not None for b in bands) and not bands[0] > bands[1] > bands[2]:
            errors["grade_good_min"] = _("The grade bands must descend: excellent above good above fair.")
        if errors:
            raise ValidationError(errors)

    @property
    def params(self) -> SchemeParams:
        return SchemeParams(
            weights={Level1.OUTPUT: self.weight_output, Level1.EFFECT: self.weight_effect,
                     Level1.SATISFACTION: self.weight_satisfaction, BUDGET: self.weight_budget},
            excellent_min=self.grade_excellent_min, good_min=self.grade_good_min, fair_min=self.grade_fair_min,
            partial_rule=self.partial_rule,
            rating_points={Rating.EXCELLENT: self.rating_excellent, Rating.GOOD: self.rating_good,
                           Rating.FAIR: self.rating_fair, Rating.LOW: self.rating_low, Rating.POOR: self.rating_poor},
        )


class PerformanceIndicator(RecordModel):
    """One 三级指标 of a project's performance targets (绩效目标): under a 一级 and 二级 indicator,
    with its operator, target (指标值), unit and weight, and once known its actual (实际值), the
    day it was recorded and the reason for a deviation (偏差原因)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="performance_indicators")
    level1 = models.CharField(_("level-1 indicator"), max_length=20, choices=Level1.choices)
    level2 = models.CharField(_("level-2 indicator"), max_length=20, choices=Level2.choices)
    name = models.CharField(_("indicator (三级指标)"), max_length=200)
    operator = models.CharField(_("operator"), max_length=12, choices=Operator.choices, default=Operator.GTE)
    target_value = models.DecimalField(_("target value"), max_digits=18, decimal_places=2, null=True, blank=True,
                                       help_text=_("For =, ≥ and ≤."))
    target_text = models.CharField(_("target (qualitative)"), max_length=200, blank=True,
                                   help_text=_("For a qualitative indicator: what is to be achieved."))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2)
    actual_value = models.DecimalField(_("actual value"), max_digits=18, decimal_places=2, null=True, blank=True)
    actual_rating = models.CharField(_("actual rating"), max_length=10, choices=Rating.choices, blank=True,
                                     help_text=_("For a qualitative indicator."))
    actual_recorded_on = models.DateField(_("actual recorded on"), null=True, blank=True)
    deviation_reason = models.TextField(_("reason for deviation (偏差原因)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    restrict_paths = ("project__pairing__supporter_id", "project__pairing__recipient_id")

    class Meta:
        verbose_name = _("performance indicator")
        verbose_name_plural = _("performance indicators")
        ordering = ["project_id", "order", "id"]
        constraints = [
            not_negative("indicator_weight_not_negative", "weight", _("The weight must not be negative.")),
            models.CheckConstraint(condition=Q(weight__lte=100), name="indicator_weight_at_most_100",
                                   violation_error_message=_("The weight must not exceed 100 points.")),
        ]
        indexes = [models.Index(fields=["project", "level1"], name="perf_indicator_level_idx")]

    def __str__(self):
        return f"{self.name} {self.target_display}".strip()

    @property
    def is_qualitative(self) -> bool:
        return self.operator == Operator.QUALITATIVE

    @property
    def target_display(self) -> str:
        """The 指标值 as the form prints it: ``≥1200人``, ``定性：有效缓解``."""
        if self.is_qualitative:
            return self.target_text
        if self.target_value is None:
            return ""
        return f"{self.get_operator_display()}{_number(self.target_value)}{self.unit}"

    @property
    def actual_display(self) -> str:
        if self.is_qualitative:
            return self.get_actual_rating_display() if self.actual_rating else ""
        return "" if self.actual_value is None else f"{_number(self.actual_value)}{self.unit}"

    @property
    def has_actual(self) -> bool:
        return bool(self.actual_rating) if self.is_qualitative else self.actual_value is not None

    def clean(self):
        errors = {}
        if self.level1 and self.level2 and self.level2 not in LEVEL2_OF.get(self.level1, ()):
            errors["level2"] = _("{level2} is not a part of {level1}.").format(
                level2=self.get_level2_display(), level1=self.get_level1_display())
        if self.is_qualitative:
            if not self.target_text.strip():
                errors["target_text"] = _("Describe what a qualitative indicator is to achieve.")
            if self.target_value is not None:
                errors["target_value"] = _("A qualitative indicator has no numeric target.")
            if self.actual_value is not None:
                errors["actual_value"] = _("A qualitative indicator is rated, not measured: choose a rating.")
        else:
            if self.target_value is None:
                errors["target_value"] = _("Enter the target value.")
            if self.actual_rating:
                errors["actual_rating"] = _("Only a qualitative indicator is rated: enter the actual value.")
        if self.has_actual and self.actual_recorded_on is None:
            errors["actual_recorded_on"] = _("Enter the day the actual was recorded.")
        if errors:
            raise ValidationError(errors)


def _number(value: Decimal) -> str:
    """``1200`` for 1200.00, ``92.5`` for 92.50."""
    return f"{Decimal(value).normalize():f}"
