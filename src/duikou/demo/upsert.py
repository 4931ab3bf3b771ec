"""Idempotent, audited writes for loaders: create what is missing, update what differs, touch
nothing that is already right (so loading twice gives the same database, audit log included)."""

from django.db import models

from duikou.audit.services import object_create, object_update

__all__ = ["Upserter"]


def _same(obj, field: models.Field, value) -> bool:
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname) == (value.pk if isinstance(value, models.Model) else value)
    current = getattr(obj, field.attname)
    if current is None or value is None:
        return current is value
    return field.to_python(current) == field.to_python(value)


class Upserter:
    """Counts what it created and updated, per model."""

    def __init__(self, actor):
        self.actor = actor
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}

    def __call__(self, model, lookup: dict, fields: dict | None = None, m2m: dict | None = None):
        fields = fields or {}
        obj = model.objects.filter(**lookup).first()
        name = model._meta.verbose_name_plural
        if obj is None:
            obj = object_create(model, actor=self.actor, data={**lookup, **fields}, m2m=m2m, message="load-demo")
            self.created[name] = self.created.get(name, 0) + 1
            return obj
        changed = {k: v for k, v in fields.items() if not _same(obj, model._meta.get_field(k), v)}
        m2m_changed = {
            k: v for k, v in (m2m or {}).items()
            if set(getattr(obj, k).values_list("pk", flat=True)) != {x.pk for x in v}
        }
        if changed or m2m_changed:
            obj = object_update(obj, actor=self.actor, data=changed, m2m=m2m_changed, message="load-demo")
            self.updated[name] = self.updated.get(name, 0) + 1
        return obj
