"""Forms of the registers: Django model forms that only *parse* input.

Validation of the record (field rules, row rules, constraints) and the right to write belong to
the services, which every path (pages, API, CLI, imports) shares. A :class:`ServiceForm` therefore
skips the model validation a ``ModelForm`` would run, hands its cleaned data to the service, and
shows the service's ``ValidationError`` next to the fields it names.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

__all__ = ["ServiceForm", "add_service_errors"]


class ServiceForm(forms.ModelForm):
    """A model form whose choices are limited to rows the user may see (or write, for the
    organisation-bearing fields) and which leaves validation of the record to the service."""

    #: fields whose choices are limited with the "add"/"change" scope rather than "view"
    write_scoped_fields: tuple[str, ...] = ("pairing",)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        action = "change" if self.instance.pk else "add"
        for name, fld in self.fields.items():
            qs = getattr(fld, "queryset", None)
            if qs is None or not hasattr(qs, "restrict"):
                continue
            qs = qs.restrict(actor, action if name in self.write_scoped_fields else "view")
            fld.queryset = qs.select_related(*getattr(qs.model, "label_related", ()))
        for fld in self.fields.values():
            if isinstance(fld.widget, forms.DateInput):
                fld.widget.input_type = "date"
                fld.widget.format = "%Y-%m-%d"

    def _post_clean(self):
        """Parse only: the service runs ``full_clean()`` on the record it writes."""

    def service_data(self) -> tuple[dict, dict]:
        """(fields, many-to-many) from the cleaned data, for ``create``/``update`` services."""
        data, m2m = {}, {}
        for name in self.fields:
            if name not in self.cleaned_data:
                continue
            model_field = self._meta.model._meta.get_field(name)
            (m2m if model_field.many_to_many else data)[name] = self.cleaned_data[name]
        return data, m2m


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: next to a field the form shows, else on
    top of the form, prefixed with the field's name."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
            continue
        label = ""
        if name != NON_FIELD_ERRORS and model is not None:
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - not a model field
                label = name
        for e in errors:
            for message in ValidationError(e).messages:
                form.add_error(None, f"{label}: {message}" if label else message)
