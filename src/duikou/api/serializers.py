"""Serializers made from a register: the model's fields (foreign keys as ids, money as decimal
strings, choices as codes), writable where the register's form lets the pages write them.

Input is parsed twice, the second time exactly as the pages parse it: DRF checks the JSON types
(and that every id names a row the user may view), then the register's ``ServiceForm`` parses the
merged record (the stored values with the request's on top) with its own choices, and its
``service_data()`` goes to the register's ``create``/``update`` service, which checks the right,
runs ``full_clean()`` and leaves the audit record.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from rest_framework import serializers
from rest_framework.settings import api_settings

from duikou.ui.registers import Register

__all__ = ["RegisterSerializer", "form_errors", "serializer_for", "writable_fields"]

_SERIALIZERS: dict[str, type] = {}


def writable_fields(register: Register) -> list[str]:
    """The model fields the register's form writes (none when the register has no write service)."""
    if register.form is None or (register.create is None and register.update is None):
        return []
    names = {f.name for f in register.model._meta.get_fields()}
    return [name for name in register.form.base_fields if name in names]


def read_fields(model) -> list[str]:
    """``id``, then every concrete and many-to-many field of the model, in declaration order."""
    names = ["id"]
    for f in model._meta.get_fields():
        if f.auto_created or f.name == "id":
            continue
        if f.concrete or f.many_to_many:
            names.append(f.name)
    return names


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - not a model field
        return None


def form_errors(errors: dict) -> dict:
    """A form's or a ``ValidationError``'s errors keyed by field; ``__all__`` becomes DRF's
    ``non_field_errors``."""
    key = api_settings.NON_FIELD_ERRORS_KEY
    return {(key if name == NON_FIELD_ERRORS else name): ValidationError(list(messages)).messages
            for name, messages in errors.items()}


def _form_value(value):
    """A validated DRF value as form data (what a browser would post)."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return [_form_value(v) for v in items]
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class RegisterSerializer(serializers.ModelSerializer):
    """Base of the generated serializers; ``register`` is set on each subclass."""

    register: Register

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        actor = getattr(request, "user", None)
        for f in fields.values():
            relation = getattr(f, "child_relation", f)
            qs = getattr(relation, "queryset", None)
            if qs is not None and hasattr(qs, "restrict"):
                relation.queryset = qs.restrict(actor, "view")
        # A read-only field says what it may hold (DRF leaves blank and null out for those).
        for name, f in fields.items():
            model_field = _model_field(self.Meta.model, name)
            if f.read_only and model_field is not None:
                f.allow_null = model_field.null
                if isinstance(f, serializers.CharField | serializers.ChoiceField):
                    f.allow_blank = model_field.blank
        # What is required is the form's call (a project's place defaults to its county).
        if self.register.form is not None:
            form_fields = self.register.form(actor=actor).fields
            for name, f in fields.items():
                if f.read_only or name not in form_fields or form_fields[name].required:
                    continue
                f.required = False
                if isinstance(f, serializers.CharField):
                    f.allow_blank = True
                elif not isinstance(f, serializers.ManyRelatedField | serializers.BooleanField):
                    f.allow_null = True
        return fields

    # input ---------------------------------------------------------------------------------
    def _form(self, attrs):
        register, actor = self.register, self.context["request"].user
        instance = self.instance
        # What a browser would post: the stored record (or a new one's defaults) …
        shown = register.form(instance=instance, actor=actor)
        data = {name: _form_value(shown[name].value()) for name in shown.fields}
        # … with the request's values on top.
        data.update({name: _form_value(value) for name, value in attrs.items()})
        return register.form(data=data, instance=instance, actor=actor)

    def validate(self, attrs):
        form = self._form(attrs)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form.errors))
        self._parsed = form
        return attrs

    def _service_kwargs(self) -> dict:
        data, m2m = self._parsed.service_data()
        return {**data, **({"m2m": m2m} if m2m else {})}

    def create(self, validated_data):
        with transaction.atomic():
            return self.register.create(actor=self.context["request"].user, **self._service_kwargs())

    def update(self, instance, validated_data):
        with transaction.atomic():
            return self.register.update(actor=self.context["request"].user, instance=instance,
                                        **self._service_kwargs())


def _component_name(register: Register) -> str:
    return "".join(part.capitalize() for part in register.slug.split("-"))


def serializer_for(register: Register) -> type[RegisterSerializer]:
    """The serializer of a register (made once)."""
    if register.slug in _SERIALIZERS:
        return _SERIALIZERS[register.slug]
    writable = set(writable_fields(register))
    fields = read_fields(register.model)
    meta = type("Meta", (), {
        "model": register.model,
        "fields": fields,
        "read_only_fields": [name for name in fields if name not in writable],
        # The services validate the record (constraints included), not the serializer.
        "validators": [],
    })
    cls = type(f"{_component_name(register)}Serializer", (RegisterSerializer,), {
        "Meta": meta, "register": register, "__module__": __name__,
        "__doc__": f"A row of the register {register.slug!r} ({register.model._meta.verbose_name}).",
    })
    _SERIALIZERS[register.slug] = cls
    return cls
