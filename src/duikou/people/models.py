from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import ends_after, not_negative
from duikou.core.models import RecordModel
from duikou.organisations.models import Organisation, Pairing

__all__ = ["ExpertSupport", "Field", "Secondment", "SecondmentBatch", "TrainingSession"]

PAIRING_PATHS = ("pairing__supporter_id", "pairing__recipient_id")


class Field(models.TextChoices):
    FINANCE = "finance", _("finance (财政)")
    AGRICULTURE = "agriculture", _("agriculture (农业)")
    CULTURE_TOURISM = "culture_tourism", _("culture and tourism (文旅)")
    EDUCATION = "education", _("education (教育)")
    HEALTH = "health", _("health (卫健)")
    DEVELOPMENT = "development", _("development and reform (发改)")
    COMMERCE = "commerce", _("commerce (商务)")
    INDUSTRY = "industry", _("industry (工信)")
    PARTY = "party", _("party affairs (党务)")
    OTHER = "other", _("other")


def _dates_check(name):
    return ends_after(name, "start_date", "end_date")


class SecondmentBatch(RecordModel):
    """A batch (批) of cadres the supporter sends to the recipient."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="secondment_batches")
    number = models.PositiveSmallIntegerField(_("batch number"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    dispatched_on = models.DateField(_("dispatched on"))

    restrict_paths = PAIRING_PATHS
    label_related = ("pairing__supporter", "pairing__recipient")  # what __str__ reads

    class Meta:
        verbose_name = _("secondment batch")
        verbose_name_plural = _("secondment batches")
        ordering = ["pairing", "number"]
        constraints = [models.UniqueConstraint(fields=["pairing", "number"], name="batch_unique_number",
                                               violation_error_message=_("This batch number exists already."))]

    def __str__(self):
        name = self.name or _("Batch {n}").format(n=self.number)
        try:
            pairing = self.pairing
        except ObjectDoesNotExist:  # not attached to a pairing yet
            pairing = None
        return f"{pairing.short_label} · {name}" if pairing else name

    def clean(self):
        if self.pairing_id and self.dispatched_on and not self.pairing.covers_year(self.dispatched_on.year):
            raise ValidationError({"dispatched_on": _("The date lies outside the pairing's period.")})


class Secondment(RecordModel):
    """A cadre or professional seconded (挂职) to the recipient for a term."""

    class Kind(models.TextChoices):
        CADRE = "cadre", _("party and government cadre (党政干部)")
        PROFESSIONAL = "professional", _("professional (专技人才)")

    batch = models.ForeignKey(SecondmentBatch, verbose_name=_("batch"), on_delete=models.PROTECT,
                              related_name="secondments")
    person_name = models.CharField(_("full name"), max_length=100)
    home_unit = models.ForeignKey(Organisation, verbose_name=_("home unit"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="secondees")
    host_unit = models.CharField(_("host unit"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CADRE)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    restrict_paths = ("batch__pairing__supporter_id", "batch__pairing__recipient_id")

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["batch", "person_name"]
        constraints = [_dates_check("secondment_dates")]

    def __str__(self):
        return f"{self.person_name} ({self.batch})"


class ExpertSupport(RecordModel):
    """An expert's short-term support (专家短期支援)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="expert_supports")
    expert_name = models.CharField(_("expert"), max_length=100)
    home_unit = models.ForeignKey(Organisation, verbose_name=_("home unit"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="expert_supports")
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    topic = models.CharField(_("topic"), max_length=300)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("expert support")
        verbose_name_plural = _("expert supports")
        ordering = ["-start_date"]
        constraints = [_dates_check("expert_support_dates")]

    def __str__(self):
        return f"{self.expert_name}: {self.topic}"


class TrainingSession(RecordModel):
    """A training course for the recipient's cadres and talent, counted in person-times (人次)."""

    class Category(models.TextChoices):
        PARTY_AFFAIRS = "party_affairs", _("party affairs (党务)")
        EDUCATION = "education", _("education (教育)")
        WOMENS_FEDERATION = "womens_federation", _("women's federation (妇联)")
        RURAL_LEADERS = "rural_leaders", _("rural revitalisation leaders (乡村振兴带头人)")
        HEALTH = "health", _("health (卫健)")
        OTHER = "other", _("other")

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="training_sessions")
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    organiser = models.ForeignKey(Organisation, verbose_name=_("organiser"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="training_organised")
    participants = models.PositiveIntegerField(_("participants"))
    person_times = models.PositiveIntegerField(_("person-times"))
    funds = models.DecimalField(_("funds (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True)

    restrict_paths = PAIRING_PATHS

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-start_date"]
        constraints = [
            _dates_check("training_dates"),
            models.CheckConstraint(condition=Q(person_times__gte=F("participants")), name="training_person_times",
                                   violation_error_message=_("Person-times cannot be fewer than participants.")),
            not_negative("training_funds", "funds", _("Funds must not be negative."), nullable=True),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.pairing_id and self.start_date and not self.pairing.covers_year(self.start_date.year):
            raise ValidationError({"start_date": _("The date lies outside the pairing's period.")})
