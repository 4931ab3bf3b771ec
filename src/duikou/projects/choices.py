from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ACTIVE_STATUSES",
    "COUNTED_STATUSES",
    "Decision",
    "PolicySide",
    "ProjectStatus",
    "Sector",
    "TransitionKey",
    "WorkField",
]


class ProjectStatus(models.TextChoices):
    """The lifecycle of domain guide §5; :mod:`duikou.projects.workflow` moves a project between them."""

    DRAFT = "draft", _("draft")
    PROPOSED = "proposed", _("proposed (申报)")
    TOWNSHIP_REVIEWED = "township_reviewed", _("reviewed by township (审核)")
    IN_LIBRARY = "in_library", _("in project library (审定入库)")
    PLANNED = "planned", _("in annual plan (年度计划下达)")
    AGREED = "agreed", _("implementation agreement signed")
    PREPARING = "preparing", _("procurement (招投标/采购)")
    IN_PROGRESS = "in_progress", _("under way (实施)")
    COMPLETED = "completed", _("completed (完工)")
    ACCEPTED = "accepted", _("accepted (竣工验收)")
    HANDED_OVER = "handed_over", _("handed over (资产移交)")
    EVALUATED = "evaluated", _("evaluated (绩效评价)")
    AUDITED = "audited", _("audited (审计)")
    CLOSED = "closed", _("closed (关闭)")
    CHANGE_PENDING = "change_pending", _("change pending (变更)")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")


# A project counts as carried out once it is in an annual plan (年度计划下达) and until it is closed;
# pipeline stages (draft … project library) and cancelled projects do not count.
COUNTED_STATUSES = (
    ProjectStatus.PLANNED, ProjectStatus.AGREED, ProjectStatus.PREPARING, ProjectStatus.IN_PROGRESS,
    ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED, ProjectStatus.HANDED_OVER, ProjectStatus.EVALUATED,
    ProjectStatus.AUDITED, ProjectStatus.CLOSED, ProjectStatus.CHANGE_PENDING, ProjectStatus.SUSPENDED,
)


# The states in which a project is under way between its admission to the library and its closing:
# a change (变更) may be requested and the project may be suspended from any of them.
ACTIVE_STATUSES = (
    ProjectStatus.IN_LIBRARY, ProjectStatus.PLANNED, ProjectStatus.AGREED, ProjectStatus.PREPARING,
    ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED, ProjectStatus.HANDED_OVER,
    ProjectStatus.EVALUATED, ProjectStatus.AUDITED,
)


class TransitionKey(models.TextChoices):
    """The steps of the lifecycle (:data:`duikou.projects.workflow.TRANSITIONS` says from where to where)."""

    PROPOSE = "propose", _("propose (申报)")
    TOWNSHIP_REVIEW = "township_review", _("township review (乡镇审核)")
    APPROVE_LIBRARY = "approve_library", _("approve into the project library (审定入库)")
    PLAN = "plan", _("include in the annual plan (年度计划下达)")
    AGREE = "agree", _("sign the implementation agreement (实施协议)")
    PROCURE = "procure", _("procurement and preparation (招投标/采购)")
    START = "start", _("start the works (开工)")
    COMPLETE = "complete", _("complete the works (完工)")
    ACCEPT = "accept", _("acceptance (竣工验收)")
    HAND_OVER = "hand_over", _("hand over the assets (资产移交)")
    EVALUATE = "evaluate", _("performance evaluation (绩效评价)")
    AUDIT = "audit", _("audit (审计)")
    CLOSE = "close", _("close (关闭)")
    REQUEST_CHANGE = "request_change", _("request a change (变更申请)")
    APPROVE_CHANGE = "approve_change", _("approve the change (变更审批)")
    REJECT_CHANGE = "reject_change", _("reject the change")
    SUSPEND = "suspend", _("suspend (暂停)")
    RESUME = "resume", _("resume")
    CANCEL = "cancel", _("cancel (撤销)")


class Decision(models.TextChoices):
    APPROVE = "approve", _("approved")
    REJECT = "reject", _("rejected")


class PolicySide(models.TextChoices):
    """Whose memberships count for a step: the pairing's recipient side, its supporter side, or either."""

    RECIPIENT = "recipient", _("recipient side")
    SUPPORTER = "supporter", _("supporter side")
    ANY = "any", _("either side")


class WorkField(models.TextChoices):
    """The second classification the article uses (民生改善, 产业合作 …)."""

    LIVELIHOOD = "livelihood", _("livelihood (民生改善)")
    INDUSTRY = "industry", _("industrial cooperation (产业合作)")
    ECOLOGY = "ecology", _("ecological governance (生态治理)")
    CONSUMPTION = "consumption", _("consumption assistance (消费帮扶)")
    TALENT = "talent", _("talent exchange (人才交流)")


class Sector(models.TextChoices):
    EDUCATION = "education", _("education")
    HEALTH = "health", _("health")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")
    AGRICULTURE = "agriculture", _("agriculture")
    MANUFACTURING = "manufacturing", _("manufacturing")
    TOURISM = "tourism", _("culture and tourism")
    ENVIRONMENT = "environment", _("environment")
    WATER = "water", _("water supply")
    COMMUNITY = "community", _("community services")
    EMPLOYMENT = "employment", _("employment and skills")
    OTHER = "other", _("other")
