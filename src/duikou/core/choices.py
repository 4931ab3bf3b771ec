"""Vocabulary shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["FundLevel", "FundStream"]


class FundStream(models.TextChoices):
    """The two streams are never added together (domain guide §4)."""

    GRANT = "grant", _("free aid (无偿援助)")
    ECON = "econ", _("economic cooperation (经济合作)")


class FundLevel(models.TextChoices):
    CITY = "city", _("city level (市级)")
    DISTRICT = "district", _("district level (区级)")
    OTHER = "other", _("other")
