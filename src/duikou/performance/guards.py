"""The lifecycle guard of the performance targets, registered with
:func:`duikou.projects.workflow.register_guard` in :meth:`PerformanceConfig.ready`.

- Before ``approve_library`` (审定入库): at least one indicator in each of 产出 / 效益 / 满意度
  (domain guide §6, ``completeness.before_library``; the rule may switch the check off for a
  programme, supporter or pairing).
- Before ``evaluate`` (绩效评价): at least one indicator, and an actual for every indicator.

The guard counts every indicator of the project, whoever asks: it checks a rule, it shows no rows.
"""

from datetime import date

from django.utils.translation import gettext as _

from duikou.rules.selectors import rule_value

from .choices import Level1
from .models import PerformanceIndicator

__all__ = ["EVALUATE", "LIBRARY", "performance_guard"]

LIBRARY = "approve_library"
EVALUATE = "evaluate"


def _library_errors(project, on: date) -> list[str]:
    if not rule_value("completeness.before_library", pairing=project.pairing, year=on.year):
        return []
    present = set(PerformanceIndicator._base_manager.filter(project=project).values_list("level1", flat=True))
    missing = [str(level.label) for level in Level1 if level not in present]
    if not missing:
        return []
    return [_("Performance targets incomplete: add at least one indicator under {levels} before the project "
              "enters the library.").format(levels="、".join(missing))]


def _evaluate_errors(project) -> list[str]:
    indicators = list(PerformanceIndicator._base_manager.filter(project=project).order_by("order", "id"))
    if not indicators:
        return [_("The project has no performance indicators to evaluate.")]
    pending = [i.name for i in indicators if not i.has_actual]
    if not pending:
        return []
    return [_("Enter the actual value of every performance indicator before the evaluation; missing: "
              "{names}.").format(names="、".join(pending))]


def performance_guard(*, project, transition, actor, on: date | None = None) -> list[str]:
    """Blocking messages for ``transition`` of ``project`` (a ``Transition`` or its key)."""
    key = getattr(transition, "key", transition)
    on = on or date.today()
    if key == LIBRARY:
        return _library_errors(project, on)
    if key == EVALUATE:
        return _evaluate_errors(project)
    return []
