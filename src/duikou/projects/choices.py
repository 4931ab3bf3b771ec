from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["COUNTED_STATUSES", "ProjectStatus", "Sector", "WorkField"]


class ProjectStatus(models.TextChoices):
    """The lifecycle of domain guide §5 (the approval workflow itself is a later issue)."""

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
