"""The rules register: the fund-management rules as data, by key, scope and years.

Every signed-in user reads the general rules (no supporter, no recipient); a supporter's or a
recipient's rows are read and written by those whose scope reaches that organisation, and general
rows only by users whose scope is everything (see ``Rule.objects.restrict``).
"""

from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import RECORD_COLUMNS, Column, Register, register

from .filters import RuleFilterSet
from .forms import RuleForm
from .models import Rule
from .services import rule_create, rule_update

__all__: list[str] = []

register(Register(
    model=Rule,
    slug="rules",
    group="funds",
    label=_("Fund-management rules"),
    columns=[
        Column("key", link=True),
        Column("value"),
        Column("programme", order="programme__name"),
        Column("supporter", order="supporter__name"),
        Column("recipient", order="recipient__name"),
        Column("valid_from_year"),
        Column("valid_to_year"),
        Column("is_blocking"),
        Column("note", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=RuleFilterSet,
    search=["key", "value", "note", "source"],
    form=RuleForm,
    create=rule_create,
    update=rule_update,
    select_related=["programme", "supporter", "recipient"],
    default_order=["key", "valid_from_year", "id"],
    detail_fields=["key", "value", "programme", "supporter", "recipient", "valid_from_year", "valid_to_year",
                   "is_blocking", "note", "is_illustrative", "source"],
))
