"""Forms of the fund pages: they parse input; the services validate and save."""

from django import forms

from duikou.ui.forms import ServiceForm
from duikou.ui.registers import format_money

from .models import FundAllocation, FundTransaction

__all__ = ["AllocationChoiceField", "FundAllocationForm", "FundTransactionForm"]

ALLOCATION_FIELDS = ["pairing", "project", "stream", "level", "year", "date", "amount", "doc_no", "account", "note",
                     "source"]


class AllocationChoiceField(forms.ModelChoiceField):
    """Allocations named as users know them: year, project, amount, document number."""

    def label_from_instance(self, obj):
        project = obj.project.code if obj.project_id else ""
        return " · ".join(str(p) for p in (obj.year, project, format_money(obj.amount), obj.doc_no) if p)


class FundAllocationForm(ServiceForm):
    """An allocation (计划下达): the kind is fixed by the model."""

    class Meta:
        model = FundAllocation
        fields = ALLOCATION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Money goes to the projects of the pairings offered (the service checks the pairing matches).
        pairings = self.fields["pairing"].queryset
        self.fields["project"].queryset = self.fields["project"].queryset.filter(pairing__in=pairings).order_by(
            "-start_year", "code"
        )


class FundTransactionForm(FundAllocationForm):
    """Any step of money; remittances, receipts, disbursements and expenditures may name the
    allocation they draw on."""

    class Meta:
        model = FundTransaction
        fields = ["kind", *ALLOCATION_FIELDS[:2], "allocation", *ALLOCATION_FIELDS[2:], "is_management_fee"]
        field_classes = {"allocation": AllocationChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = self.fields["allocation"].queryset.filter(
            pairing__in=self.fields["pairing"].queryset
        ).select_related("project").order_by("-year", "id")
