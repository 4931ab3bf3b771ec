from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["PublishForm"]


class PublishForm(forms.Form):
    pairing = forms.TypedChoiceField(label=_("pairing"), coerce=int)
    name = forms.CharField(label=_("name"), max_length=200, help_text=_("What it is published for (2025年座谈会)."))
    year_from = forms.IntegerField(label=_("first year"), min_value=1949, max_value=2100)
    year_to = forms.IntegerField(label=_("last year"), min_value=1949, max_value=2100)
    as_of = forms.DateField(label=_("date"), initial=timezone.localdate,
                            help_text=_("The date the figures are given for (the meeting's)."))

    def __init__(self, *args, pairings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing"].choices = [(p.pk, str(p)) for p in pairings]

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_to"] < data["year_from"]:
            self.add_error("year_to", _("The last year must not be before the first year."))
        return data
