from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DivisionLevel", "OrganisationKind", "PairingLevel", "ProgrammeKind"]


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    PREFECTURE = "prefecture", _("prefecture")
    COUNTY = "county", _("county")


class OrganisationKind(models.TextChoices):
    SUPPORTER_PROVINCE = "supporter_province", _("supporting province or municipality")
    SUPPORTER_CITY = "supporter_city", _("supporting city")
    DISTRICT = "district", _("district")
    RECIPIENT_COUNTY = "recipient_county", _("recipient county")
    MEMBER_UNIT = "member_unit", _("member unit")
    ENTERPRISE = "enterprise", _("enterprise")
    UNIVERSITY = "university", _("university")
    HOSPITAL = "hospital", _("hospital")
    RESEARCH_INSTITUTE = "research_institute", _("research institute")
    MINISTRY = "ministry", _("ministry")
    TOWNSHIP = "township", _("township")
    SCHOOL = "school", _("school")
    OTHER = "other", _("other")


class ProgrammeKind(models.TextChoices):
    THREE_GORGES = "three_gorges", _("Three Gorges reservoir counterpart support")
    EAST_WEST = "east_west", _("East–West cooperation")
    OLD_AREA = "old_area", _("old revolutionary area cooperation")
    IN_PROVINCE = "in_province", _("in-province counterpart support")
    SOUTH_NORTH_WATER = "south_north_water", _("South–North Water Diversion cooperation")
    DESIGNATED = "designated", _("designated assistance")
    XINJIANG_TIBET = "xinjiang_tibet", _("support to Xinjiang and Tibet")
    OTHER = "other", _("other")


class PairingLevel(models.TextChoices):
    PROVINCE_COUNTY = "province_county", _("province or municipality → county")
    CITY_COUNTY = "city_county", _("city → county")
    DISTRICT_COUNTY = "district_county", _("district → county")
    TOWN_TOWN = "town_town", _("town → township")
    INSTITUTION = "institution", _("school or hospital → school or hospital")
    ENTERPRISE_VILLAGE = "enterprise_village", _("enterprise → village")
    ENTERPRISE_COUNTY = "enterprise_county", _("enterprise → county")
