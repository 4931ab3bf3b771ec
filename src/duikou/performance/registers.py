"""The performance-indicator register (绩效目标): list, detail, create, edit, export. The project's
绩效自评表, actuals page and the pairing summaries are in :mod:`duikou.performance.views`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import (
    RECORD_COLUMNS,
    Column,
    Register,
    Related,
    get_register,
    pairing_column,
    pairing_joins,
    register,
)

from .filters import PerformanceIndicatorFilterSet
from .forms import PerformanceIndicatorForm
from .models import PerformanceIndicator
from .services import performance_indicator_create, performance_indicator_update


def _detail_context(request, indicator):
    return {
        "assessment_url": reverse("performance:project", args=[indicator.project_id]),
        "actuals_url": reverse("performance:actuals", args=[indicator.project_id]),
    }


register(Register(
    model=PerformanceIndicator,
    slug="performance-indicators",
    group="projects",
    label=_("Performance targets"),
    columns=[
        Column("name", link=True),
        Column("project", order="project__code"),
        pairing_column("project.pairing"),
        Column("level1"),
        Column("level2"),
        Column("target_display", label=_("target (指标值)"), order=False),
        Column("weight"),
        Column("actual_display", label=_("actual (实际值)"), order=False),
        Column("actual_recorded_on"),
        Column("operator", export_only=True),
        Column("target_value", export_only=True),
        Column("target_text", export_only=True),
        Column("unit", export_only=True),
        Column("actual_value", export_only=True),
        Column("actual_rating", export_only=True),
        Column("deviation_reason", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=PerformanceIndicatorFilterSet,
    search=["name", "project__code", "project__name", "target_text"],
    form=PerformanceIndicatorForm,
    create=performance_indicator_create,
    update=performance_indicator_update,
    select_related=["project", *pairing_joins("project__pairing")],
    default_order=["project__code", "order", "id"],
    detail_fields=[
        "project", "level1", "level2", "name", "operator", "target_value", "target_text", "unit", "weight",
        "actual_value", "actual_rating", "actual_recorded_on", "deviation_reason", "order", "is_illustrative", "source",
    ],
    detail_template="performance/indicator_detail.html",
    detail_context=_detail_context,
))


# The project's page lists its targets and links to its 绩效自评表.
_projects = get_register("projects")
_projects.related = [
    *_projects.related,
    Related(_("Performance targets"), lambda p, actor: p.performance_indicators.all().restrict(actor, "view"),
            [Column("name", link=True), Column("level1"), Column("level2"),
             Column("target_display", label=_("target (指标值)")), Column("actual_display", label=_("actual"))],
            register="performance-indicators", add_param="project"),
]
_projects.links.append(lambda project, user: (_("Self-assessment form"), reverse("performance:project", args=[project.pk])))
