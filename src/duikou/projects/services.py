"""Writes for this app: audited, permission-checked, validated with full_clean().

A project's status changes only through :func:`~duikou.projects.workflow.project_transition`
(re-exported here): ``project_create`` starts every project as a draft and ``project_update``
refuses ``status``. Loaders that bring in projects with their history (the demo) write as the
system actor, which may set the status directly.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duikou.audit.services import bulk_create_service, crud_services, object_create, object_delete, object_update
from duikou.core.permissions import SystemActor

from .choices import ProjectStatus
from .models import Project, ProjectBeneficiary, ProjectOutput, TransitionPolicy
from .workflow import project_transition

__all__ = [
    "project_beneficiary_create",
    "project_beneficiary_delete",
    "project_beneficiary_update",
    "project_bulk_create",
    "project_create",
    "project_delete",
    "project_output_create",
    "project_output_delete",
    "project_output_update",
    "project_transition",
    "project_update",
    "transition_policy_set",
]

STATUS_BY_TRANSITION_ONLY = _("The status changes only through the steps of the lifecycle (the buttons on the "
                              "project page, or project_transition).")


def _is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def _check_create(actor, fields: dict) -> None:
    status = fields.get("status")
    if status not in (None, "", ProjectStatus.DRAFT) and not _is_system(actor):
        raise ValidationError({"status": STATUS_BY_TRANSITION_ONLY})


def project_create(*, actor, m2m: dict | None = None, **fields) -> Project:
    """Create a project (audited). It starts as a draft; only the system actor (loaders of
    existing records) may create it in another status."""
    _check_create(actor, fields)
    return object_create(Project, actor=actor, data=fields, m2m=m2m)


#: ``project_bulk_create(*, actor, rows, partial=False)``: many projects at once, each checked as
#: :func:`project_create` checks it and audited (``audit.services.object_bulk_create``).
project_bulk_create = bulk_create_service(Project, check=_check_create)


def project_update(*, actor, instance: Project, m2m: dict | None = None, **fields) -> Project:
    """Change a project's fields (audited). ``status`` and ``return_status`` change only through
    :func:`project_transition` (the system actor excepted, for loaders)."""
    for name in ("status", "return_status"):
        if name in fields and fields[name] != getattr(instance, name) and not _is_system(actor):
            raise ValidationError({name: STATUS_BY_TRANSITION_ONLY})
    return object_update(instance, actor=actor, data=fields, m2m=m2m)


def project_delete(*, actor, instance: Project) -> None:
    """Delete a project that has no approval records (a project with a history is cancelled)."""
    if instance.approvals.exists():
        raise ValidationError({"status": _("This project has approval records and cannot be deleted: cancel it "
                                           "instead.")})
    object_delete(instance, actor=actor)


project_output_create, project_output_update, project_output_delete = crud_services(ProjectOutput)
project_beneficiary_create, project_beneficiary_update, project_beneficiary_delete = crud_services(ProjectBeneficiary)


def transition_policy_set(*, actor, programme, transition: str, role_codes: list[str], side: str,
                          note: str = "") -> TransitionPolicy:
    """Set who may take ``transition`` in ``programme`` (creates or updates the programme's row;
    audited). Only national administrators and superusers may change a policy."""
    row = TransitionPolicy.objects.filter(programme=programme, transition=transition).first()
    data = {"role_codes": list(role_codes), "side": side, "note": note}
    if row is None:
        return object_create(TransitionPolicy, actor=actor, data={"programme": programme, "transition": transition,
                                                                  **data})
    return object_update(row, actor=actor, data=data)
