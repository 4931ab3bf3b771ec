"""The sheets an import workbook may hold, built from the registers.

Each :class:`SheetSpec` names a register (``duikou.ui.registers``): its ``ServiceForm`` gives the
columns (one per form field, headed by the field's verbose name in the active language) and
parses each row; its ``create``/``update`` services write it. ``key`` is the row's natural key:
a row whose key matches a record the user sees updates that record, any other row creates one.

Headers are matched without regard to case, spaces or a trailing ``*``, in Chinese or English, or
as the field's name (``code``); sheets likewise by the register's title in either language or its
slug (``projects``). Foreign keys are given by human keys (see :mod:`duikou.imports.lookups`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import get_register

__all__ = [
    "SHEETS",
    "SheetSpec",
    "header_key",
    "sheet_for_name",
]


@dataclass(frozen=True)
class SheetSpec:
    """One kind of sheet: the register it feeds and the fields that identify a row."""

    register_slug: str
    key: tuple[str, ...]
    note: str  # what the key is, for the instructions sheet

    @property
    def register(self):
        return get_register(self.register_slug)

    @property
    def model(self) -> type[models.Model]:
        return self.register.model

    @property
    def form_class(self):
        return self.register.form

    def field_names(self) -> list[str]:
        return list(self.form_class.base_fields)

    def model_field(self, name: str):
        return self.model._meta.get_field(name)

    def title(self) -> str:
        """The sheet's name in the active language (at most 31 characters, Excel's limit)."""
        return capfirst(str(self.model._meta.verbose_name_plural))[:31]

    def header(self, name: str) -> str:
        return capfirst(str(self.form_class.base_fields[name].label or self.model_field(name).verbose_name))

    def names(self) -> set[str]:
        """Every name the sheet is known by: its title in each language, its slug, its model's name."""
        out = {header_key(self.register_slug), header_key(self.model._meta.model_name)}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                out.add(header_key(self.title()))
                out.add(header_key(str(self.model._meta.verbose_name)))
        return out

    def header_map(self) -> dict[str, str]:
        """Normalised header → field name, for headers in either language or as field names."""
        out = {}
        for name in self.field_names():
            out[header_key(name)] = name
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    out[header_key(self.header(name))] = name
                    out[header_key(str(self.model_field(name).verbose_name))] = name
        return out


def header_key(text) -> str:
    """A header or sheet name as compared: lower case, no spaces, no trailing ``*``."""
    return re.sub(r"\s+", "", str(text or "")).rstrip("*＊").lower()


# In import order: a workbook may create a project and, on a later sheet, its allocation.
SHEETS: list[SheetSpec] = [
    SheetSpec("projects", ("code",), _("project code")),
    SheetSpec("fund-allocations", ("pairing", "project", "year", "stream", "level", "doc_no"),
              _("pairing, project, budget year, fund stream, level and document number")),
    SheetSpec("secondments", ("batch", "person_name", "start_date"), _("batch, full name and start")),
    SheetSpec("training-sessions", ("pairing", "title", "start_date"), _("pairing, title and start")),
    SheetSpec("products", ("pairing", "name"), _("pairing and name")),
    SheetSpec("sales-records", ("pairing", "product", "channel", "market_division", "date", "buyer"),
              _("pairing, product, channel, market, date and buyer")),
]


def sheet_for_name(name: str) -> SheetSpec | None:
    key = header_key(name)
    for spec in SHEETS:
        if key in spec.names():
            return spec
    return None
