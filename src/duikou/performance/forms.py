"""Forms of the performance pages: they parse input; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from duikou.ui.forms import ServiceForm

from .choices import Rating
from .models import PerformanceIndicator

__all__ = ["ActualForm", "PerformanceIndicatorForm"]


class PerformanceIndicatorForm(ServiceForm):
    """The target of an indicator (its actual is entered on the project's actuals page)."""

    write_scoped_fields = ("project",)

    class Meta:
        model = PerformanceIndicator
        fields = ["project", "level1", "level2", "name", "operator", "target_value", "target_text", "unit", "weight",
                  "order", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = self.fields["project"].queryset.order_by("-start_year", "code")


class ActualForm(forms.Form):
    """The actual of one indicator, one row of the actuals page (prefix: the indicator's id)."""

    actual_value = forms.DecimalField(label=_("actual value"), max_digits=18, decimal_places=2, required=False)
    actual_rating = forms.ChoiceField(label=_("actual rating"), choices=[("", "---------"), *Rating.choices],
                                      required=False)
    actual_recorded_on = forms.DateField(label=_("actual recorded on"), required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    deviation_reason = forms.CharField(label=_("reason for deviation (偏差原因)"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator: PerformanceIndicator, **kwargs):
        kwargs.setdefault("prefix", f"i{indicator.pk}")
        kwargs.setdefault("initial", {
            "actual_value": indicator.actual_value, "actual_rating": indicator.actual_rating,
            "actual_recorded_on": indicator.actual_recorded_on, "deviation_reason": indicator.deviation_reason,
        })
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.is_qualitative:
            del self.fields["actual_value"]
        else:
            del self.fields["actual_rating"]

    def entry(self) -> dict:
        return {"indicator": self.indicator, **self.cleaned_data}
