"""Abstract bases shared by the domain apps (``core`` has no tables of its own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import RestrictedManager

__all__ = ["BaseModel", "RecordModel"]


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
