"""Reads for this app, always through restrict()."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from duikou.core.selectors import crud_selectors

from .choices import COUNTED_STATUSES, ProjectStatus
from .models import ApprovalRecord, Project, ProjectBeneficiary, ProjectOutput, TransitionPolicy
from .workflow import Lookups, Transition, available_transitions

__all__ = [
    "TodoItem",
    "approval_record_get",
    "approval_record_list",
    "project_beneficiary_get",
    "project_beneficiary_list",
    "project_counted",
    "project_get",
    "project_list",
    "project_output_get",
    "project_output_list",
    "project_todo_list",
    "transition_policy_get",
    "transition_policy_list",
]

project_list, project_get = crud_selectors(Project)
project_output_list, project_output_get = crud_selectors(ProjectOutput)
project_beneficiary_list, project_beneficiary_get = crud_selectors(ProjectBeneficiary)
approval_record_list, approval_record_get = crud_selectors(ApprovalRecord)
transition_policy_list, transition_policy_get = crud_selectors(TransitionPolicy)


def project_counted(projects):
    """The projects of ``projects`` (a queryset, already restricted) that the figures count: in an
    annual plan and not cancelled (:data:`~duikou.projects.choices.COUNTED_STATUSES`). The
    dashboard cards and the register's "counted" filter both use it, so their numbers match."""
    return projects.filter(status__in=COUNTED_STATUSES)


@dataclass(frozen=True)
class TodoItem:
    """A project waiting for steps the user may take, since its last decision (or its creation)."""

    project: Project
    steps: tuple[Transition, ...]
    since: dt.date


def project_todo_list(*, actor, on: dt.date | None = None) -> list[TodoItem]:
    """The projects the actor may see that wait for a step the actor may take (the lifecycle's
    next step, or the decision on a pending change), longest waiting first.

    Guards are not run here: a project whose next step is blocked (a 公示 still running, a
    missing output) is listed, and its page says what blocks it."""
    lookups = Lookups()
    projects = (
        Project.objects.restrict(actor, "view")
        .exclude(status__in=(ProjectStatus.CLOSED, ProjectStatus.CANCELLED))
        .select_related("pairing__programme", "pairing__supporter", "pairing__recipient", "key_task")
        .annotate(last_decision=Max("approvals__decided_on"))
        .order_by("code")
    )
    items = []
    for project in projects:
        steps = available_transitions(actor, project, on=on, waiting_only=True, lookups=lookups)
        if steps:
            items.append(TodoItem(project, tuple(steps), project.last_decision or project.created.date()))
    items.sort(key=lambda item: (item.since, item.project.code))
    return items
