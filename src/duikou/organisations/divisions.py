"""Load the administrative divisions shipped in ``data/cn-divisions`` (NBS 2023, WTFPL)."""

import csv
from datetime import date
from pathlib import Path

from django.db import transaction

from duikou.audit.models import ObjectChange
from duikou.audit.services import record_bulk
from duikou.core.permissions import require

from .choices import DivisionLevel
from .models import AdminDivision

__all__ = ["DATA_DIR", "divisions_load"]

DATA_DIR = Path(__file__).parent / "data" / "cn-divisions"


def _rows():
    """(code, name, level, parent code, is statistical only) in parent-first order."""
    with open(DATA_DIR / "provinces.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            yield r["code"].ljust(6, "0"), r["name"], DivisionLevel.PROVINCE, None, False
    with open(DATA_DIR / "cities.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            yield r["code"].ljust(6, "0"), r["name"], DivisionLevel.PREFECTURE, r["provinceCode"].ljust(6, "0"), False
    with open(DATA_DIR / "areas.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            stat_only = r["code"][4:6].isdigit() and 71 <= int(r["code"][4:6]) <= 79
            yield r["code"], r["name"], DivisionLevel.COUNTY, r["cityCode"].ljust(6, "0"), stat_only


def divisions_load(*, actor) -> int:
    """Insert the divisions that are missing (idempotent); returns how many were added."""
    require(actor, "add", AdminDivision())
    with transaction.atomic():
        existing = set(AdminDivision.objects.values_list("code", flat=True))
        rows, seen = [], set(existing)
        for row in _rows():
            # A prefecture-level city without counties (东莞 441900) repeats its own code as a
            # county row: the prefecture row stands for both.
            if row[0] not in seen:
                seen.add(row[0])
                rows.append(row)
        new = []
        for level in (DivisionLevel.PROVINCE, DivisionLevel.PREFECTURE, DivisionLevel.COUNTY):
            ids = dict(AdminDivision.objects.values_list("code", "id"))
            batch = [
                AdminDivision(code=code, name=name, level=lvl, parent_id=ids.get(parent), is_statistical_only=stat)
                for code, name, lvl, parent, stat in rows
                if lvl == level
            ]
            AdminDivision.objects.bulk_create(batch, batch_size=1000)
            new += batch
        ids = dict(AdminDivision.objects.values_list("code", "id"))
        with open(DATA_DIR / "historic.csv", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["code"] in ids:
                    continue
                obj = AdminDivision.objects.create(
                    code=r["code"], name=r["name"], level=DivisionLevel.COUNTY,
                    parent_id=ids[r["parent"].ljust(6, "0")], valid_to=date.fromisoformat(r["valid_to"]),
                    successor_id=ids[r["successor"]], note=r["note"],
                )
                new.append(obj)
        if new:
            new = list(AdminDivision.objects.filter(code__in=[o.code for o in new]))
            record_bulk(new, action=ObjectChange.Action.CREATE, actor=actor, message="load-divisions")
    return len(new)
