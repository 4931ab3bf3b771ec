from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duikou.audit.admin_base import AuditedModelAdmin
from duikou.organisations.choices import OrganisationKind

from .models import CooperationAgreement, EnterpriseIntroduction

__all__ = ["CooperationAgreementAdmin", "EnterpriseIntroductionAdmin"]


@admin.register(EnterpriseIntroduction)
class EnterpriseIntroductionAdmin(AuditedModelAdmin):
    """招商引资: amounts are economic cooperation (经济合作), never added to free aid."""

    list_display = ("enterprise", "status", "industry", "introduced_on", "agreement_signed_on", "agreed_amount",
                    "paid_in_amount", "jobs", "pairing_short")
    list_filter = ("status", "pairing")
    search_fields = ("enterprise__name", "industry", "note")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("pairing", "responsible_cadre")
    date_hierarchy = "introduced_on"
    fieldsets = (
        (None, {"fields": ("pairing", "enterprise", "industry", "status", "introduced_on", "agreement_signed_on")}),
        (_("Results"), {"fields": ("agreed_amount", "paid_in_amount", "jobs", "responsible_cadre", "note")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enterprise":
            # A plain list of enterprises (the model checks the kind too).
            kwargs["queryset"] = db_field.remote_field.model.objects.restrict(request.user, "view").filter(
                kind=OrganisationKind.ENTERPRISE
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(AuditedModelAdmin):
    list_display = ("title", "kind", "signed_year", "signed_on", "valid_until", "pairing_short")
    list_filter = ("kind", "signed_year", "pairing")
    search_fields = ("title", "content", "parties__name")
    autocomplete_fields = ("pairing", "parties")
    fieldsets = (
        (None, {"fields": ("pairing", "title", "kind", "parties", "signed_on", "signed_year", "valid_until")}),
        (_("Content"), {"fields": ("content", "progress")}),
        (_("Source"), {"fields": ("source", "is_illustrative")}),
    )
