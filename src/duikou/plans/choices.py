from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["KEY_TASKS", "DocumentKind", "PlanKind", "TargetDirection"]

# The five key tasks of the national plan 2021–2025; the codes are a public contract.
KEY_TASKS = [
    ("ecology", "加强生态保护和环境治理", "Strengthen ecological protection and environmental governance", 1),
    ("industry", "支持产业高质量发展", "Support high-quality industrial development", 2),
    ("public_services", "提高基本公共服务和民生保障能力", "Improve basic public services and livelihood security", 3),
    ("urban_rural", "推进库区城乡区域协调发展", "Advance coordinated urban–rural development of the reservoir area", 4),
    ("opening_up", "提升库区对外开放合作水平", "Raise the reservoir area's opening-up and cooperation", 5),
]


class PlanKind(models.TextChoices):
    NATIONAL = "national", _("national plan")
    PAIRING_FIVE_YEAR = "pairing_five_year", _("pairing five-year plan")
    ANNUAL = "annual", _("annual plan")
    THEMATIC = "thematic", _("thematic plan")


class TargetDirection(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"
    EQUAL = "eq", "="


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("plan")
    MEASURES = "measures", _("management measures")
    DUTIES = "duties", _("assignment of duties")
    AGREEMENT = "agreement", _("agreement")
    NOTICE = "notice", _("notice")
    OTHER = "other", _("other")
