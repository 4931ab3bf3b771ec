from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duikou.core.constraints import ends_after, not_negative
from duikou.core.models import BaseModel, RecordModel, TotalsModel
from duikou.organisations.models import AdminDivision, Organisation, Pairing, Programme
from duikou.plans.models import KeyTask, Plan

from .choices import Decision, PolicySide, ProjectStatus, Sector, TransitionKey, WorkField

__all__ = ["ApprovalRecord", "Project", "ProjectBeneficiary", "ProjectOutput", "ProjectTotal", "TransitionPolicy"]

PROJECT_PATHS = ("project__pairing__supporter_id", "project__pairing__recipient_id")


class Project(RecordModel):
    """An aid project of a pairing, under one key task, through its lifecycle."""

    code = models.CharField(_("code"), max_length=40, unique=True,
                            error_messages={"unique": _("A project with this code exists already.")})
    name = models.CharField(_("name"), max_length=300)
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="projects")
    key_task = models.ForeignKey(KeyTask, verbose_name=_("key task"), on_delete=models.PROTECT,
                                 related_name="projects")
    work_field = models.CharField(_("field of work"), max_length=20, choices=WorkField.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    annual_plan = models.ForeignKey(Plan, verbose_name=_("annual plan"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="projects")
    location_division = models.ForeignKey(AdminDivision, verbose_name=_("location (division)"),
                                          on_delete=models.PROTECT, related_name="projects")
    location = models.CharField(_("location (township, village)"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=18, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    implementing_unit = models.ForeignKey(Organisation, verbose_name=_("implementing unit"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="projects_implemented")
    description = models.TextField(_("content and scale"), blank=True)
    farmer_linkage = models.TextField(
        _("farmer-linkage mechanism (联农带农)"), blank=True,
        help_text=_("How the project benefits local farmers (利益联结机制); write 不涉及 where none applies. "
                    "Needed before the project enters the library."),
    )
    return_status = models.CharField(
        _("status to return to"), max_length=20, choices=ProjectStatus.choices, blank=True, editable=False,
        help_text=_("Kept while a change is pending or the project is suspended."),
    )

    restrict_paths = ("pairing__supporter_id", "pairing__recipient_id")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_year", "code"]
        constraints = [
            not_negative("project_budget_not_negative", "budget", _("The budget must not be negative.")),
            ends_after("project_years_order", "start_year", "end_year",
                       _("The last year must not be before the first year."), nullable=False),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90))
                & (Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180)),
                name="project_coordinates_range",
                violation_error_message=_("Coordinates must be a latitude in ±90 and a longitude in ±180."),
            ),
        ]
        indexes = [
            models.Index(fields=["pairing", "start_year"], name="project_pairing_year_idx"),
            # The register's first page (the ordering above) without sorting the whole table (bench/run.py).
            models.Index(fields=["-start_year", "code"], name="project_list_order_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        pairing = self.pairing if self.pairing_id else None
        if pairing and self.start_year and not pairing.covers_year(self.start_year):
            errors["start_year"] = _("The year {year} lies outside the pairing's period ({period}).").format(
                year=self.start_year, period=_pairing_period(pairing)
            )
        if pairing and self.end_year and not pairing.covers_year(self.end_year) and "start_year" not in errors:
            errors["end_year"] = _("The year {year} lies outside the pairing's period ({period}).").format(
                year=self.end_year, period=_pairing_period(pairing)
            )
        if pairing and self.location_division_id and not self.location_division.code.startswith(
            pairing.recipient_division.code_prefix
        ):
            errors["location_division"] = _("The location lies outside the recipient {division}.").format(
                division=pairing.recipient_division
            )
        if errors:
            raise ValidationError(errors)


def _pairing_period(pairing) -> str:
    return f"{pairing.valid_from.year}–{pairing.valid_to.year if pairing.valid_to else ''}"


class ProjectOutput(RecordModel):
    """What a project builds or delivers: 教学楼 1 栋, 道路 3.2 km…"""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="outputs")
    name = models.CharField(_("output"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)

    restrict_paths = PROJECT_PATHS

    class Meta:
        verbose_name = _("project output")
        verbose_name_plural = _("project outputs")
        constraints = [not_negative("output_quantity_not_negative", "quantity", _("The quantity must not be negative."))]

    def __str__(self):
        return f"{self.name} {self.quantity.normalize():f} {self.unit}"


class ProjectBeneficiary(RecordModel):
    """Who benefits and how many (1200多名师生 → 1200, "more than")."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        MORE_THAN = "more_than", _("more than (多)")
        ABOUT = "about", _("about (约)")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="beneficiaries")
    group = models.CharField(_("group"), max_length=100)
    count = models.PositiveIntegerField(_("number of people"))
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)

    restrict_paths = PROJECT_PATHS

    class Meta:
        verbose_name = _("project beneficiary")
        verbose_name_plural = _("project beneficiaries")

    def __str__(self):
        return f"{self.group} {self.count}{'+' if self.qualifier == self.Qualifier.MORE_THAN else ''}"


class ApprovalRecord(RecordModel):
    """One decision on a step of a project's lifecycle: who took it, when, in which role, with what
    opinion and document number (domain guide §5).

    Immutable: there is no update or delete service; a correction is a further record. Written
    only by :func:`duikou.projects.workflow.project_transition` (and, for the demo's history, by
    the demo loader)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="approvals")
    transition = models.CharField(_("step"), max_length=30, choices=TransitionKey.choices)
    from_status = models.CharField(_("status before"), max_length=20, choices=ProjectStatus.choices)
    to_status = models.CharField(_("status after"), max_length=20, choices=ProjectStatus.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.APPROVE)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="approval_records")
    actor_name = models.CharField(_("decided by"), max_length=150)
    actor_org = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="approval_records")
    role = models.CharField(_("role code"), max_length=40, help_text=_("The code of the role the decision was taken in."))
    role_name = models.CharField(_("role"), max_length=100, blank=True,
                                 help_text=_("The role's name when the decision was taken."))
    decided_on = models.DateField(_("date of decision"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    opinion = models.TextField(_("opinion"), blank=True)
    doc_no = models.CharField(_("document number"), max_length=100, blank=True)
    changes = models.JSONField(
        _("changes"), default=list, blank=True,
        help_text=_("A change request: the fields and values asked for; an approved change: those applied. "
                    "A list of [field, value] pairs."),
    )

    restrict_paths = PROJECT_PATHS
    label_related = ("project",)

    class Meta:
        verbose_name = _("approval record")
        verbose_name_plural = _("approval records")
        ordering = ["decided_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["project", "decided_on"], name="approval_project_date_idx")]

    def __str__(self):
        return f"{self.project.code} · {self.get_transition_display()} · {self.get_decision_display()} · {self.decided_on}"

    @property
    def field_changes(self) -> dict:
        """``changes`` as a dict: {field name: value as stored}."""
        return {name: value for name, value in (self.changes or [])}

    def clean(self):
        if not isinstance(self.changes, list) or not all(
            isinstance(pair, list | tuple) and len(pair) == 2 for pair in self.changes
        ):
            raise ValidationError({"changes": _("Changes are a list of [field, value] pairs.")})
        if self.decided_on and self.decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})


class TransitionPolicy(BaseModel):
    """Who may take one step of the lifecycle in a programme: the roles (codes of
    :class:`~duikou.accounts.models.Role`) and the side of the pairing their organisation is on.

    A programme without a row for a step uses the default of
    :data:`duikou.projects.workflow.DEFAULT_POLICY`; an administrator adds a row to change it."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE,
                                  related_name="transition_policies")
    transition = models.CharField(_("step"), max_length=30, choices=TransitionKey.choices)
    side = models.CharField(_("side"), max_length=10, choices=PolicySide.choices, default=PolicySide.SUPPORTER)
    role_codes = models.JSONField(_("roles"), default=list,
                                  help_text=_("Codes of the roles that may take the step, e.g. [\"supporter_office\"]."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    restrict_public_view = True
    label_related = ("programme",)

    class Meta:
        verbose_name = _("transition policy")
        verbose_name_plural = _("transition policies")
        ordering = ["programme", "transition"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "transition"], name="transition_policy_unique",
                violation_error_message=_("This programme already has a policy for this step."),
            )
        ]

    def __str__(self):
        return f"{self.programme} · {self.get_transition_display()}"

    def clean(self):
        from duikou.accounts.models import Role

        codes = self.role_codes
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c for c in codes):
            raise ValidationError({"role_codes": _("Name at least one role code, as a list of texts.")})
        unknown = sorted(set(codes) - set(Role.objects.filter(code__in=codes).values_list("code", flat=True)))
        if unknown:
            raise ValidationError({"role_codes": _("Unknown roles: {codes}").format(codes=", ".join(unknown))})


class ProjectTotal(TotalsModel):
    """Register totals of projects (:mod:`duikou.core.totals`): how many and how much budget per
    pairing, first year, status and illustrative flag. Kept by the write services."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ProjectStatus.choices)
    is_illustrative = models.BooleanField()

    restrict_paths = Project.restrict_paths

    class Meta:
        verbose_name = _("project total")
        verbose_name_plural = _("project totals")
        constraints = [models.UniqueConstraint(
            fields=["pairing", "start_year", "status", "is_illustrative"], name="project_total_key")]
