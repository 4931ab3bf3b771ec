"""The vocabulary of performance targets (绩效目标, 财预〔2020〕10号; domain guide §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["LEVEL1_ORDER", "LEVEL2_OF", "LEVEL2_ORDER", "Grade", "Level1", "Level2", "Operator", "PartialRule", "Rating"]


class Level1(models.TextChoices):
    """一级指标. The fourth scored part, 预算执行率, is not an indicator: it is computed from the
    project's funds (see :mod:`duikou.performance.scoring`)."""

    OUTPUT = "output", _("output (产出指标)")
    EFFECT = "effect", _("effect (效益指标)")
    SATISFACTION = "satisfaction", _("satisfaction (满意度指标)")


class Level2(models.TextChoices):
    """二级指标, each under one 一级指标 (:data:`LEVEL2_OF`)."""

    QUANTITY = "quantity", _("quantity (数量指标)")
    QUALITY = "quality", _("quality (质量指标)")
    TIMELINESS = "timeliness", _("timeliness (时效指标)")
    COST = "cost", _("cost (成本指标)")
    ECONOMIC = "economic", _("economic effect (经济效益指标)")
    SOCIAL = "social", _("social effect (社会效益指标)")
    ECOLOGICAL = "ecological", _("ecological effect (生态效益指标)")
    SUSTAINABLE = "sustainable", _("sustainable impact (可持续影响指标)")
    BENEFICIARY = "beneficiary", _("beneficiary satisfaction (服务对象满意度指标)")


LEVEL2_OF = {
    Level1.OUTPUT: (Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS, Level2.COST),
    Level1.EFFECT: (Level2.ECONOMIC, Level2.SOCIAL, Level2.ECOLOGICAL, Level2.SUSTAINABLE),
    Level1.SATISFACTION: (Level2.BENEFICIARY,),
}
LEVEL1_ORDER = {level.value: i for i, level in enumerate(Level1)}
LEVEL2_ORDER = {level.value: i for i, level in enumerate(Level2)}


class Operator(models.TextChoices):
    """How the actual value is compared with the target (指标值)."""

    EQ = "eq", "="
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    QUALITATIVE = "qualitative", _("qualitative (定性)")


class Rating(models.TextChoices):
    """The scale of a qualitative indicator's actual (优/良/中/低/差)."""

    EXCELLENT = "excellent", _("excellent (优)")
    GOOD = "good", _("good (良)")
    FAIR = "fair", _("fair (中)")
    LOW = "low", _("low (低)")
    POOR = "poor", _("poor (差)")


class Grade(models.TextChoices):
    """The grade of a self-assessment out of 100 points (优/良/中/差)."""

    EXCELLENT = "excellent", _("excellent (优)")
    GOOD = "good", _("good (良)")
    FAIR = "fair", _("fair (中)")
    POOR = "poor", _("poor (差)")


class PartialRule(models.TextChoices):
    """How a quantitative indicator that misses its target scores."""

    PROPORTIONAL = "proportional", _("proportional (actual / target, capped at the weight)")
    ALL_OR_NOTHING = "all_or_nothing", _("all or nothing (full weight if met, else zero)")
