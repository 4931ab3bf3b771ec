"""Forms of the rules pages: they parse input; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from duikou.ui.forms import ServiceForm

from .defaults import DEFAULT_RULES
from .models import Rule

__all__ = ["RuleForm"]


class RuleForm(ServiceForm):
    """A rule row: the key from the list of known rules, the value as text (checked by the service)."""

    key = forms.ChoiceField(label=_("rule"), choices=[(k, k) for k in sorted(DEFAULT_RULES)])
    is_blocking = forms.NullBooleanField(
        label=_("blocking"), required=False,
        widget=forms.Select(choices=[("unknown", _("as the rule's default")), ("true", _("yes")),
                                     ("false", _("no"))]),
    )

    class Meta:
        model = Rule
        fields = ["key", "value", "programme", "supporter", "recipient", "valid_from_year", "valid_to_year",
                  "is_blocking", "source", "note"]
