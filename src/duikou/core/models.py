"""Abstract bases shared by the domain apps (``core`` has no tables of its own)."""

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import CheckConstraint, Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

from .querysets import RestrictedManager

__all__ = ["BaseModel", "RecordModel", "TotalsModel"]


class BaseModel(models.Model):
    """Every domain table: timestamps and the restricted default manager."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    objects = RestrictedManager()

    restrict_paths: tuple[str, ...] = ()
    restrict_public_view = False
    restrict_distinct = False

    class Meta:
        abstract = True

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """Django's, except that the row rules (``clean()``) run only once every field holds a
        valid value: they compare years and dates, and a year of "abc" must be a field error,
        not a ``TypeError``."""
        self.clean_fields(exclude=exclude)  # field errors alone, before clean() sees the values
        self._fields_clean = True  # Django's full_clean() would run them again (with a query per FK)
        try:
            super().full_clean(exclude=exclude, validate_unique=validate_unique,
                               validate_constraints=validate_constraints)
        finally:
            del self._fields_clean

    def clean_fields(self, exclude=None):
        if not getattr(self, "_fields_clean", False):
            super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None, check=None):
        """Django's, except that a failed check constraint names the field it tests (the left side
        of its first lookup, e.g. ``amount`` for ``amount >= 0``, ``valid_to`` for
        ``valid_to >= valid_from``) instead of landing in ``__all__``, so that forms, the API and
        importers show the message beside that field.

        ``check(constraint, model_class, instance, exclude, using)``: what validates one constraint
        (raising ``ValidationError``), by default ``constraint.validate`` (a query each); the batch
        validator (``core.validation``) answers from the rows it read for the whole batch."""
        using = router.db_for_write(self.__class__, instance=self)
        check = check or _validate_constraint
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    check(constraint, model_class, self, exclude, using)
                except ValidationError as e:
                    if isinstance(constraint, CheckConstraint):
                        for name in _failed_fields(model_class, self, constraint, exclude, using, check):
                            errors.setdefault(name, []).append(e)
                    elif getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _validate_constraint(constraint, model_class, instance, exclude, using) -> None:
    constraint.validate(model_class, instance, exclude=exclude, using=using)


def _lookup_fields(condition) -> list[str]:
    """The fields on the left of the lookups of a ``Q``, in order."""
    names = []
    for child in getattr(condition, "children", ()):
        found = [child[0].split(LOOKUP_SEP)[0]] if isinstance(child, tuple) else _lookup_fields(child)
        names += [n for n in found if n not in names]
    return names


def _failed_fields(model_class, instance, constraint, exclude, using, check=_validate_constraint) -> list[str]:
    """The field(s) a failed check constraint is about: of an ``A & B`` condition, the first field
    of each part that fails on its own (latitude or longitude); otherwise its first field."""
    condition = constraint.condition
    parts = []
    if isinstance(condition, Q) and condition.connector == Q.AND and not condition.negated:
        parts = [p if isinstance(p, Q) else Q(p) for p in condition.children] if len(condition.children) > 1 else []
    names = []
    for part in parts:
        try:
            check(CheckConstraint(condition=part, name=constraint.name), model_class, instance, exclude, using)
        except ValidationError:
            names += _lookup_fields(part)[:1]
    fields = []
    for name in dict.fromkeys(names or _lookup_fields(condition)[:1]):
        try:
            fields.append(model_class._meta.get_field(name).name)
        except FieldDoesNotExist:
            pass
    return fields or [NON_FIELD_ERRORS]


class RecordModel(BaseModel):
    """A record of the programme's work: it says where it comes from and whether it is illustrative.

    ``is_illustrative`` marks records that duikou generated where the public sources give only a
    total (the demo's history); pages and reports show the mark. ``source`` cites where a real
    record comes from.
    """

    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Generated for the demo, not from a source document.")
    )
    source = models.CharField(_("source"), max_length=500, blank=True, help_text=_("Document or article cited."))

    class Meta:
        abstract = True


class TotalsModel(models.Model):
    """A register totals table (:mod:`duikou.core.totals`): one row per combination of the source's
    kept fields, with how many source rows have it and the sum of their money in cents. Written only
    by :func:`duikou.core.totals.apply` and ``rebuild``; never edited, never audited itself (it is
    computed from audited records and checked by ``duikou totals check``)."""

    n = models.BigIntegerField(_("records"), default=0)
    total_cents = models.BigIntegerField(_("total (cents)"), default=0)

    objects = RestrictedManager()

    restrict_paths: tuple[str, ...] = ()
    restrict_public_view = False
    restrict_distinct = False

    class Meta:
        abstract = True
