"""Widgets the registers need at national scale.

:class:`FastSelect` renders a ``<select>`` in Python instead of one template per option: the pairing
filter of a national register lists some 1,200 pairings, which Django's template-per-option
``Select`` takes about 100 ms to render on the development machine, and this widget a few
milliseconds. The HTML is the same as Django's (``name``, ``id`` and other attributes, ``selected``,
``<optgroup>``), escaped alike.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

__all__ = ["FastSelect", "FastSelectMultiple"]


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        parts = [format_html("<select{}>", flatatt(final_attrs))]
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                parts.append(format_html('<optgroup label="{}">', "" if option_value is None else option_value))
                parts.extend(self._option(v, label, selected) for v, label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("\n".join(parts))

    def _option(self, value, label, selected: set[str]) -> str:
        text = "" if value is None else str(value)
        mark = " selected" if text in selected else ""
        # one found value only, as Django's Select does, unless several may be chosen
        if mark and not self.allow_multiple_selected:
            selected.discard(text)
        return f'<option value="{conditional_escape(text)}"{mark}>{conditional_escape(label)}</option>'


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False
