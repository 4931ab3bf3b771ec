from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CHANNEL_NAMES", "KIND_NAMES", "DisclosureChannel", "DisclosureKind", "DisclosureLevel",
           "DisclosureStatus", "ObjectionDecision"]


class DisclosureKind(models.TextChoices):
    """The notices of domain guide §5 (「三公示一公告」). The values are the contract that
    ``duikou.projects.workflow.Transition.disclosure_kind`` uses."""

    LIBRARY = "library", _("project library notice (项目库公示)")
    ANNUAL_PLAN = "annual_plan", _("annual plan announcement (年度计划公告)")
    PRE_IMPLEMENTATION = "pre_implementation", _("pre-implementation notice (实施前公示)")
    COMPLETION = "completion", _("completion announcement (竣工公告)")


# The Chinese name of each kind as it stands in the document's title (the document is Chinese
# whatever the interface language: it is the notice as posted).
KIND_NAMES = {
    DisclosureKind.LIBRARY: "对口支援项目库公示",
    DisclosureKind.ANNUAL_PLAN: "对口支援资金项目计划公告",
    DisclosureKind.PRE_IMPLEMENTATION: "对口支援项目实施前公示",
    DisclosureKind.COMPLETION: "对口支援项目竣工公告",
}


class DisclosureLevel(models.TextChoices):
    """Who publishes: 「谁分配谁公开、谁使用谁公开、分配到哪里公开到哪里」."""

    VILLAGE = "village", _("village (村)")
    TOWNSHIP = "township", _("township (乡镇)")
    COUNTY = "county", _("county (县)")
    SUPPORTER = "supporter", _("supporter (支援方)")


class DisclosureChannel(models.TextChoices):
    COUNTY_WEBSITE = "county_website", _("county government website")
    TOWNSHIP_BOARD = "township_board", _("township public affairs board (政务公开栏)")
    VILLAGE_BOARD = "village_board", _("village affairs board or WeChat group (村务公开栏/微信群)")
    SITE_SIGNBOARD = "site_signboard", _("signboard at the project site")


CHANNEL_NAMES = {
    DisclosureChannel.COUNTY_WEBSITE: "县人民政府门户网站",
    DisclosureChannel.TOWNSHIP_BOARD: "乡镇政务公开栏",
    DisclosureChannel.VILLAGE_BOARD: "村务公开栏、村民微信群",
    DisclosureChannel.SITE_SIGNBOARD: "项目现场公示牌",
}


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ObjectionDecision(models.TextChoices):
    PENDING = "pending", _("not yet decided")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")
