"""Every model with its factory and the names of its services and selectors.

The contract tests (scope, validation, audit) loop over :data:`ENTITIES`, so a new model joins
them by adding one line here.
"""

from dataclasses import dataclass
from importlib import import_module

from django.db import models

from duikou.accounts.models import Membership, Role, User
from duikou.consumption.models import (
    CatalogueListing,
    Product,
    SalesChannel,
    SalesContract,
    SalesRecord,
    Supplier,
)
from duikou.disclosure.models import Disclosure, Objection
from duikou.events.models import Event
from duikou.figures.models import FigureSet, PublishedFigure
from duikou.funds.models import FundAllocation, FundTransaction
from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.organisations.models import AdminDivision, Organisation, OrganisationName, Pairing, Programme
from duikou.people.models import ExpertSupport, Secondment, SecondmentBatch, TrainingSession
from duikou.performance.models import EvaluationScheme, PerformanceIndicator
from duikou.plans.models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target
from duikou.projects.models import ApprovalRecord, Project, ProjectBeneficiary, ProjectOutput, TransitionPolicy
from duikou.rules.models import Rule

from . import factories as f

__all__ = [
    "ACCOUNT_ENTITIES",
    "ENTITIES",
    "PAIRED_ENTITIES",
    "REFERENCE_ENTITIES",
    "SERVICE_ONLY_ENTITIES",
    "Entity",
    "entity_for",
]

_SKIP_FIELDS = {"id", "created", "last_updated"}


@dataclass(frozen=True)
class Entity:
    """A model as the tests see it.

    ``pairing_path`` is the factory keyword that puts a row into a pairing (``"pairing"``,
    ``"plan__pairing"`` …); ``""`` for the pairing itself; ``None`` for rows that belong to no
    pairing (reference data, accounts). ``name`` is the ``<entity>`` of ``<entity>_create`` /
    ``<entity>_list``; ``None`` where the app has no services or selectors for it.
    """

    model: type[models.Model]
    factory: type
    app: str
    name: str | None
    pairing_path: str | None = None

    def __str__(self):
        return self.model.__name__

    @property
    def id(self) -> str:
        return self.model.__name__

    # rows -----------------------------------------------------------------------------------

    def make(self, pairing=None, **kwargs):
        """A saved row, in ``pairing`` when given (for ``Pairing``: a sub-pairing of it)."""
        if pairing is not None:
            if self.pairing_path is None:
                raise TypeError(f"{self} rows belong to no pairing")
            if self.pairing_path == "":
                return f.SubPairingFactory(parent=pairing, **kwargs)
            kwargs[self.pairing_path] = pairing
        return self.factory(**kwargs)

    def create_data(self, pairing=None, **kwargs) -> dict:
        """Valid keyword arguments for ``<entity>_create``: the fields of a row the factory made
        (with its related rows), after deleting that row again."""
        obj = self.make(pairing, **kwargs)
        data = {
            field.name: getattr(obj, field.name)
            for field in self.model._meta.concrete_fields
            if field.name not in _SKIP_FIELDS and not field.auto_created
        }
        type(obj).objects.filter(pk=obj.pk).delete()
        return data

    def fresh(self, obj):
        """The row as the database has it now (or ``None``), read past ``restrict()``."""
        return self.model.objects.filter(pk=obj.pk).first()

    # services and selectors -----------------------------------------------------------------

    def _function(self, module: str, verb: str):
        if self.name is None:
            return None
        return getattr(import_module(f"duikou.{self.app}.{module}"), f"{self.name}_{verb}", None)

    @property
    def create(self):
        return self._function("services", "create")

    @property
    def update(self):
        return self._function("services", "update")

    @property
    def delete(self):
        return self._function("services", "delete")

    @property
    def list(self):
        return self._function("selectors", "list")

    @property
    def get(self):
        return self._function("selectors", "get")


PAIRED_ENTITIES = [
    Entity(Pairing, f.PairingFactory, "organisations", "pairing", ""),
    Entity(Plan, f.PlanFactory, "plans", "plan", "pairing"),
    Entity(PlanEnvelope, f.PlanEnvelopeFactory, "plans", "envelope", "plan__pairing"),
    Entity(Target, f.TargetFactory, "plans", "target", "plan__pairing"),
    Entity(Document, f.DocumentFactory, "plans", "document", "pairing"),
    Entity(MemberUnitDuty, f.MemberUnitDutyFactory, "plans", "member_unit_duty", "pairing"),
    Entity(Event, f.EventFactory, "events", "event", "pairing"),
    Entity(Project, f.ProjectFactory, "projects", "project", "pairing"),
    Entity(ProjectOutput, f.ProjectOutputFactory, "projects", "project_output", "project__pairing"),
    Entity(ProjectBeneficiary, f.ProjectBeneficiaryFactory, "projects", "project_beneficiary", "project__pairing"),
    Entity(FundTransaction, f.FundTransactionFactory, "funds", "fund_transaction", "pairing"),
    Entity(FundAllocation, f.FundAllocationFactory, "funds", "allocation", "pairing"),
    Entity(SecondmentBatch, f.SecondmentBatchFactory, "people", "secondment_batch", "pairing"),
    Entity(Secondment, f.SecondmentFactory, "people", "secondment", "batch__pairing"),
    Entity(ExpertSupport, f.ExpertSupportFactory, "people", "expert_support", "pairing"),
    Entity(TrainingSession, f.TrainingSessionFactory, "people", "training_session", "pairing"),
    Entity(Supplier, f.SupplierFactory, "consumption", "supplier", "pairing"),
    Entity(Product, f.ProductFactory, "consumption", "product", "pairing"),
    Entity(SalesChannel, f.SalesChannelFactory, "consumption", "sales_channel", "pairing"),
    Entity(CatalogueListing, f.CatalogueListingFactory, "consumption", "catalogue_listing", "product__pairing"),
    Entity(SalesRecord, f.SalesRecordFactory, "consumption", "sales_record", "pairing"),
    Entity(SalesContract, f.SalesContractFactory, "consumption", "sales_contract", "pairing"),
    Entity(EnterpriseIntroduction, f.EnterpriseIntroductionFactory, "investment", "enterprise_introduction", "pairing"),
    Entity(CooperationAgreement, f.CooperationAgreementFactory, "investment", "cooperation_agreement", "pairing"),
    Entity(Disclosure, f.DisclosureFactory, "disclosure", "disclosure", "pairing"),
    Entity(Objection, f.ObjectionFactory, "disclosure", "objection", "disclosure__pairing"),
    Entity(PerformanceIndicator, f.PerformanceIndicatorFactory, "performance", "performance_indicator",
           "project__pairing"),
    # a rule for the pairing's supporter and recipient (the factory takes ``pairing``)
    Entity(Rule, f.RuleFactory, "rules", "rule", "pairing"),
]

# Reference data every signed-in user may read (``restrict_public_view``).
REFERENCE_ENTITIES = [
    Entity(AdminDivision, f.AdminDivisionFactory, "organisations", "division"),
    Entity(Organisation, f.OrganisationFactory, "organisations", "organisation"),
    Entity(OrganisationName, f.OrganisationNameFactory, "organisations", "organisation_name"),
    Entity(Programme, f.ProgrammeFactory, "organisations", "programme"),
    Entity(KeyTask, f.KeyTaskFactory, "plans", "key_task"),
    Entity(Indicator, f.IndicatorFactory, "plans", "indicator"),
    Entity(EvaluationScheme, f.EvaluationSchemeFactory, "performance", "evaluation_scheme"),
    # accounts has no role_* services or selectors yet.
    Entity(Role, f.RoleFactory, "accounts", None),
]

# accounts has user_create and membership_create only, and no selectors.
ACCOUNT_ENTITIES = [
    Entity(User, f.UserFactory, "accounts", "user"),
    Entity(Membership, f.MembershipFactory, "accounts", "membership"),
]

ENTITIES = PAIRED_ENTITIES + REFERENCE_ENTITIES + ACCOUNT_ENTITIES

# Rows written only by their own services, never by create/update/delete: approval records (by
# project_transition; immutable) and transition policies (by transition_policy_set). They are in
# ENTITIES (every model has an entity and a factory) but in none of the lists above, whose contract
# tests update and delete rows; their scope and audit tests are in duikou/projects/tests.
SERVICE_ONLY_ENTITIES = [
    Entity(ApprovalRecord, f.ApprovalRecordFactory, "projects", "approval_record", "project__pairing"),
    Entity(TransitionPolicy, f.TransitionPolicyFactory, "projects", "transition_policy"),
    # published figure sets: written once by figure_set_publish, never updated nor deleted
    Entity(FigureSet, f.FigureSetFactory, "figures", "figure_set", "pairing"),
    Entity(PublishedFigure, f.PublishedFigureFactory, "figures", "published_figure", "figure_set__pairing"),
]
ENTITIES += SERVICE_ONLY_ENTITIES


def entity_for(model) -> Entity:
    for entity in ENTITIES:
        if entity.model is model:
            return entity
    raise LookupError(model)
