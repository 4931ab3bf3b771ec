"""The upload form of the import page."""

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportForm"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    valid_only = forms.BooleanField(label=_("Save the valid rows only (report the others)"), required=False)
    dry_run = forms.BooleanField(label=_("Check only (save nothing)"), required=False)
