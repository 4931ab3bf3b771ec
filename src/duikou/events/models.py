from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duikou.core.models import RecordModel
from duikou.organisations.models import AdminDivision, Organisation, Pairing, Programme

__all__ = ["Event"]


class Event(RecordModel):
    """A meeting, promotion, visit or fair: the 2024-10-23 座谈会 in 宜昌, a 推介 in 长阳奥特莱斯…"""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("coordination meeting")
        PROMOTION = "promotion", _("promotion event")
        VISIT = "visit", _("exchange visit")
        FAIR = "fair", _("trade fair")
        SIGNING = "signing", _("signing ceremony")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="events")
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="events",
                                help_text=_("Empty for a programme-wide event."))
    date = models.DateField(_("date"))
    place_division = models.ForeignKey(AdminDivision, verbose_name=_("place (division)"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="events")
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisers = models.ManyToManyField(Organisation, verbose_name=_("organisers"), blank=True,
                                        related_name="events_organised")
    speakers = models.TextField(_("speakers"), blank=True)
    participants = models.TextField(_("attendees"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    restrict_paths = ("pairing__supporter_id", "pairing__recipient_id")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date} {self.title}"

    def clean(self):
        if self.pairing_id and self.programme_id and self.pairing.programme_id != self.programme_id:
            raise ValidationError({"pairing": _("The pairing belongs to another programme.")})
