"""Filters of the printable notice: a field's text, its placeholders marked, dates in Chinese."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from duikou.disclosure.content import MISSING, cn_date, text_of

__all__ = ["cn_date_filter", "field_text", "mark_missing"]

register = template.Library()


@register.filter
def field_text(value) -> str:
    return text_of(value)


@register.filter
def mark_missing(text) -> str:
    """Escape the text and mark （待补充） so a reader sees at once what no record holds."""
    escaped = conditional_escape(text)
    marked = format_html('<span class="missing">{}</span>', MISSING)
    return mark_safe(str(escaped).replace(MISSING, marked))


@register.filter(name="cn_date")
def cn_date_filter(value) -> str:
    return cn_date(value) if value else ""
