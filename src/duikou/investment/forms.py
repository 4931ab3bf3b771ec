"""Forms of the investment pages: they parse input; the services validate and save."""

from duikou.organisations.choices import OrganisationKind
from duikou.ui.forms import ServiceForm

from .models import CooperationAgreement, EnterpriseIntroduction

__all__ = ["CooperationAgreementForm", "EnterpriseIntroductionForm"]


class EnterpriseIntroductionForm(ServiceForm):
    class Meta:
        model = EnterpriseIntroduction
        fields = [
            "pairing", "enterprise", "industry", "status", "introduced_on", "agreement_signed_on", "agreed_amount",
            "paid_in_amount", "jobs", "responsible_cadre", "note", "source",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model limits the choices to enterprises (limit_choices_to); say so again here, so
        # that no later narrowing of the queryset can drop it.
        enterprise = self.fields["enterprise"]
        enterprise.queryset = enterprise.queryset.filter(kind=OrganisationKind.ENTERPRISE).order_by("name")
        # The responsible cadre is one seconded to the recipient county of a pairing offered.
        pairings = self.fields["pairing"].queryset
        cadre = self.fields["responsible_cadre"]
        cadre.queryset = cadre.queryset.filter(
            batch__pairing__recipient_id__in=pairings.values("recipient_id")
        ).select_related("batch__pairing__supporter", "batch__pairing__recipient")


class CooperationAgreementForm(ServiceForm):
    class Meta:
        model = CooperationAgreement
        fields = ["pairing", "title", "kind", "parties", "signed_on", "signed_year", "valid_until", "content",
                  "progress", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model does not require parties (an agreement may be recorded before they are
        # entered), so neither does the form; a record saved without them can be edited again.
        self.fields["parties"].required = False
