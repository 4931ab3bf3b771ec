"""factory_boy factories, one per model.

Each factory makes a valid row with the fewest rows around it. Rows that belong to a pairing
take their dates, years and divisions from that pairing, so ``ProjectFactory(pairing=p)`` is
valid for any ``p``. ``.build()`` makes unsaved objects without touching the database (related
rows are built, not saved).

Reference rows seeded by migrations are reused with ``django_get_or_create``:
``KeyTaskFactory(code="industry")`` and ``RoleFactory(code="read_only")`` return the seeded rows.
"""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory, Password

from duikou.accounts.models import Membership, Role, User
from duikou.audit.services import snapshot
from duikou.consumption.models import (
    CatalogueListing,
    Product,
    SalesChannel,
    SalesContract,
    SalesRecord,
    Supplier,
)
from duikou.core import totals
from duikou.core.choices import FundStream
from duikou.disclosure.models import Disclosure, Objection
from duikou.events.models import Event
from duikou.funds.models import FundAllocation, FundTransaction
from duikou.investment.models import CooperationAgreement, EnterpriseIntroduction
from duikou.organisations.choices import DivisionLevel, OrganisationKind, PairingLevel, ProgrammeKind
from duikou.organisations.models import AdminDivision, Organisation, OrganisationName, Pairing, Programme
from duikou.people.models import ExpertSupport, Field, Secondment, SecondmentBatch, TrainingSession
from duikou.performance.models import EvaluationScheme, PerformanceIndicator
from duikou.plans.choices import DocumentKind, PlanKind
from duikou.plans.models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target
from duikou.projects.models import ApprovalRecord, Project, ProjectBeneficiary, ProjectOutput, TransitionPolicy
from duikou.rules.models import Rule

__all__ = [
    "AdminDivisionFactory",
    "ApprovalRecordFactory",
    "CatalogueListingFactory",
    "CooperationAgreementFactory",
    "DisclosureFactory",
    "DocumentFactory",
    "EnterpriseIntroductionFactory",
    "EvaluationSchemeFactory",
    "EventFactory",
    "ExpertSupportFactory",
    "FigureSetFactory",
    "FundAllocationFactory",
    "FundTransactionFactory",
    "IndicatorFactory",
    "KeyTaskFactory",
    "MemberUnitDutyFactory",
    "MembershipFactory",
    "ObjectionFactory",
    "OrganisationFactory",
    "OrganisationNameFactory",
    "PairingFactory",
    "PerformanceIndicatorFactory",
    "PlanEnvelopeFactory",
    "PlanFactory",
    "ProductFactory",
    "ProgrammeFactory",
    "ProjectBeneficiaryFactory",
    "ProjectFactory",
    "ProjectOutputFactory",
    "PublishedDisclosureFactory",
    "PublishedFigureFactory",
    "RecipientFactory",
    "RoleFactory",
    "RuleFactory",
    "SalesChannelFactory",
    "SalesContractFactory",
    "SalesRecordFactory",
    "SecondmentBatchFactory",
    "SecondmentFactory",
    "SubPairingFactory",
    "SupplierFactory",
    "TargetFactory",
    "TrainingSessionFactory",
    "TransitionPolicyFactory",
    "UserFactory",
    "year_in",
]


def year_in(pairing, preferred: int = 2024) -> int:
    """A year inside the pairing's period, ``preferred`` when it can be."""
    year = max(preferred, pairing.valid_from.year)
    if pairing.valid_to is not None:
        year = min(year, pairing.valid_to.year)
    return year


def _date_in(pairing, month: int = 6, day: int = 1) -> dt.date:
    return dt.date(year_in(pairing), month, day)


# organisations ------------------------------------------------------------------------------


class AdminDivisionFactory(DjangoModelFactory):
    """A made-up county (codes ``T00001`` … never clash with the real GB/T 2260 codes)."""

    class Meta:
        model = AdminDivision
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = DivisionLevel.COUNTY


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrganisationKind.OTHER


class RecipientFactory(OrganisationFactory):
    """A recipient county's government, with its own division."""

    name = factory.Sequence(lambda n: f"受援县{n}")
    kind = OrganisationKind.RECIPIENT_COUNTY
    division = factory.SubFactory(AdminDivisionFactory)


class OrganisationNameFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationName

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"曾用名{n}")
    valid_from = dt.date(2018, 1, 1)
    valid_to = dt.date(2022, 12, 31)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"对口支援计划{n}")
    kind = ProgrammeKind.THREE_GORGES
    started_on = dt.date(1992, 1, 1)


class PairingFactory(DjangoModelFactory):
    """A top-level pairing of a new supporter and a new recipient county, from 2021, open-ended."""

    class Meta:
        model = Pairing

    programme = factory.SubFactory(ProgrammeFactory)
    supporter = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.SUPPORTER_PROVINCE)
    recipient = factory.SubFactory(RecipientFactory)
    recipient_division = factory.SelfAttribute("recipient.division")
    level = PairingLevel.PROVINCE_COUNTY
    valid_from = dt.date(2021, 1, 1)


class SubPairingFactory(PairingFactory):
    """A district's pairing inside a parent pairing (房山区 → 巴东县 inside 北京市 → 巴东县)."""

    parent = factory.SubFactory(PairingFactory)
    programme = factory.SelfAttribute("parent.programme")
    supporter = factory.SubFactory(
        OrganisationFactory, kind=OrganisationKind.DISTRICT, parent=factory.SelfAttribute("..parent.supporter")
    )
    recipient = factory.SelfAttribute("parent.recipient")
    recipient_division = factory.SelfAttribute("parent.recipient_division")
    level = PairingLevel.DISTRICT_COUNTY
    valid_from = factory.SelfAttribute("parent.valid_from")


# accounts -----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = Password("pw")


class RoleFactory(DjangoModelFactory):
    """A new role (view only); ``RoleFactory(code="supporter_office")`` returns the seeded role."""

    class Meta:
        model = Role
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"角色{n}")
    actions = factory.LazyFunction(lambda: ["view"])


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.SubFactory(RoleFactory, code="read_only")


# plans --------------------------------------------------------------------------------------


class KeyTaskFactory(DjangoModelFactory):
    """A new key task; ``KeyTaskFactory(code="industry")`` returns the seeded one."""

    class Meta:
        model = KeyTask
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"task-{n}")
    name = factory.Sequence(lambda n: f"重点任务{n}")
    order = factory.Sequence(lambda n: 10 + n)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"测试指标{n}")
    unit = "个"


class PlanFactory(DjangoModelFactory):
    """A pairing's five-year plan starting in a year the pairing covers."""

    class Meta:
        model = Plan

    kind = PlanKind.PAIRING_FIVE_YEAR
    title = factory.Sequence(lambda n: f"对口支援规划{n}")
    pairing = factory.SubFactory(PairingFactory)
    programme = factory.Maybe(
        "pairing", factory.SelfAttribute("pairing.programme"), factory.SubFactory(ProgrammeFactory)
    )
    start_year = factory.LazyAttribute(lambda o: year_in(o.pairing, 2021) if o.pairing else 2021)
    end_year = factory.LazyAttribute(lambda o: o.start_year + 4)


class PlanEnvelopeFactory(DjangoModelFactory):
    class Meta:
        model = PlanEnvelope

    plan = factory.SubFactory(PlanFactory)
    stream = FundStream.GRANT
    amount = Decimal("260000000.00")


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal("1200.00")


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    kind = DocumentKind.MEASURES
    title = factory.Sequence(lambda n: f"对口支援项目资金管理办法{n}")
    pairing = factory.SubFactory(PairingFactory)


class MemberUnitDutyFactory(DjangoModelFactory):
    """A duty of a member unit that belongs to the pairing's supporter."""

    class Meta:
        model = MemberUnitDuty

    pairing = factory.SubFactory(PairingFactory)
    member_unit = factory.SubFactory(
        OrganisationFactory, kind=OrganisationKind.MEMBER_UNIT, parent=factory.SelfAttribute("..pairing.supporter")
    )
    duty = "负责教育领域对口支援项目"


# events -------------------------------------------------------------------------------------


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.MEETING
    title = factory.Sequence(lambda n: f"对口支援工作座谈会{n}")
    pairing = factory.SubFactory(PairingFactory)
    programme = factory.SelfAttribute("pairing.programme")
    date = factory.LazyAttribute(lambda o: _date_in(o.pairing, 10, 23))


# projects -----------------------------------------------------------------------------------


class KeepsTotals:
    """Factories write rows directly, not through the services: for the models with register totals
    (``duikou.core.totals``) they keep the totals as the services do, so that the registers agree."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        totals.apply(model_class, [(None, snapshot(obj))])
        return obj


class ProjectFactory(KeepsTotals, DjangoModelFactory):
    """A one-year project in the pairing's recipient county, under the seeded key task ``industry``."""

    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"TP-{n:05d}")
    name = factory.Sequence(lambda n: f"援建项目{n}")
    pairing = factory.SubFactory(PairingFactory)
    key_task = factory.SubFactory(KeyTaskFactory, code="industry")
    location_division = factory.SelfAttribute("pairing.recipient_division")
    start_year = factory.LazyAttribute(lambda o: year_in(o.pairing))
    end_year = factory.SelfAttribute("start_year")
    budget = Decimal("9000000.00")


class ProjectOutputFactory(DjangoModelFactory):
    class Meta:
        model = ProjectOutput

    project = factory.SubFactory(ProjectFactory)
    name = "教学楼"
    quantity = Decimal("1.00")
    unit = "栋"


class ProjectBeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = ProjectBeneficiary

    project = factory.SubFactory(ProjectFactory)
    group = "师生"
    count = 1200
    qualifier = ProjectBeneficiary.Qualifier.MORE_THAN


# funds --------------------------------------------------------------------------------------


class FundTransactionFactory(KeepsTotals, DjangoModelFactory):
    """A receipt (到位) of free aid for the pairing, drawing on no allocation."""

    class Meta:
        model = FundTransaction

    kind = FundTransaction.Kind.RECEIPT
    pairing = factory.SubFactory(PairingFactory)
    stream = FundStream.GRANT
    year = factory.LazyAttribute(lambda o: year_in(o.pairing))
    amount = Decimal("51130000.00")


class FundAllocationFactory(FundTransactionFactory):
    """A free-aid allocation (计划下达) to a project of the same pairing."""

    class Meta:
        model = FundAllocation

    kind = FundTransaction.Kind.ALLOCATION
    project = factory.SubFactory(ProjectFactory, pairing=factory.SelfAttribute("..pairing"))
    amount = Decimal("9000000.00")


# people -------------------------------------------------------------------------------------


class SecondmentBatchFactory(DjangoModelFactory):
    class Meta:
        model = SecondmentBatch

    pairing = factory.SubFactory(PairingFactory)
    number = factory.Sequence(lambda n: n + 1)
    dispatched_on = factory.LazyAttribute(lambda o: _date_in(o.pairing, 3, 1))


class SecondmentFactory(DjangoModelFactory):
    class Meta:
        model = Secondment

    batch = factory.SubFactory(SecondmentBatchFactory)
    person_name = factory.Sequence(lambda n: f"挂职干部{n}")
    field = Field.FINANCE
    start_date = factory.SelfAttribute("batch.dispatched_on")


class ExpertSupportFactory(DjangoModelFactory):
    class Meta:
        model = ExpertSupport

    pairing = factory.SubFactory(PairingFactory)
    expert_name = factory.Sequence(lambda n: f"专家{n}")
    field = Field.HEALTH
    topic = "中医药临床带教"
    start_date = factory.LazyAttribute(lambda o: _date_in(o.pairing, 5, 1))


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    pairing = factory.SubFactory(PairingFactory)
    title = factory.Sequence(lambda n: f"党政干部培训班{n}")
    category = TrainingSession.Category.PARTY_AFFAIRS
    start_date = factory.LazyAttribute(lambda o: _date_in(o.pairing, 9, 1))
    participants = 50
    person_times = 100
    funds = Decimal("200000.00")


# consumption --------------------------------------------------------------------------------


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = Supplier

    pairing = factory.SubFactory(PairingFactory)
    name = factory.Sequence(lambda n: f"合作社{n}")
    division = factory.SelfAttribute("pairing.recipient_division")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    pairing = factory.SubFactory(PairingFactory)
    name = factory.Sequence(lambda n: f"特色农产品{n}")
    origin_division = factory.SelfAttribute("pairing.recipient_division")


class SalesChannelFactory(DjangoModelFactory):
    class Meta:
        model = SalesChannel

    pairing = factory.SubFactory(PairingFactory)
    name = factory.Sequence(lambda n: f"消费帮扶馆{n}")
    kind = SalesChannel.Kind.PAVILION


class CatalogueListingFactory(DjangoModelFactory):
    """A listing in a catalogue channel of the product's own pairing."""

    class Meta:
        model = CatalogueListing

    product = factory.SubFactory(ProductFactory)
    channel = factory.SubFactory(
        SalesChannelFactory, kind=SalesChannel.Kind.CATALOGUE, pairing=factory.SelfAttribute("..product.pairing")
    )
    listed_on = factory.LazyAttribute(lambda o: _date_in(o.product.pairing, 1, 15))


class SalesRecordFactory(DjangoModelFactory):
    class Meta:
        model = SalesRecord

    pairing = factory.SubFactory(PairingFactory)
    product = factory.SubFactory(ProductFactory, pairing=factory.SelfAttribute("..pairing"))
    channel = factory.SubFactory(SalesChannelFactory, pairing=factory.SelfAttribute("..pairing"))
    market_division = factory.SubFactory(AdminDivisionFactory)
    date = factory.LazyAttribute(lambda o: _date_in(o.pairing, 11, 11))
    amount = Decimal("35000.00")


class SalesContractFactory(DjangoModelFactory):
    class Meta:
        model = SalesContract

    pairing = factory.SubFactory(PairingFactory)
    product = factory.SubFactory(ProductFactory, pairing=factory.SelfAttribute("..pairing"))
    buyer = "北京某商贸公司"
    market_division = factory.SubFactory(AdminDivisionFactory)
    signed_on = factory.LazyAttribute(lambda o: _date_in(o.pairing, 8, 1))
    amount = Decimal("18300000.00")


# investment ---------------------------------------------------------------------------------


class EnterpriseIntroductionFactory(DjangoModelFactory):
    class Meta:
        model = EnterpriseIntroduction

    pairing = factory.SubFactory(PairingFactory)
    enterprise = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.ENTERPRISE)
    introduced_on = factory.LazyAttribute(lambda o: _date_in(o.pairing, 4, 1))
    industry = "中医药"


class CooperationAgreementFactory(DjangoModelFactory):
    class Meta:
        model = CooperationAgreement
        skip_postgeneration_save = True

    pairing = factory.SubFactory(PairingFactory)
    title = factory.Sequence(lambda n: f"战略合作协议{n}")
    kind = CooperationAgreement.Kind.STRATEGIC
    signed_year = factory.LazyAttribute(lambda o: year_in(o.pairing))
    signed_on = factory.LazyAttribute(lambda o: _date_in(o.pairing, 7, 1))

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.parties.set(extracted)


# rules --------------------------------------------------------------------------------------


class RuleFactory(DjangoModelFactory):
    """A rule for one pairing (its supporter and recipient, in its programme) from the pairing's
    first year on: ``RuleFactory(pairing=p)``. For a general rule pass ``supporter=None,
    recipient=None`` (and ``programme=None`` for every programme)."""

    class Meta:
        model = Rule

    class Params:
        pairing = factory.SubFactory(PairingFactory)

    key = "alloc.max_mgmt_fee"
    value = "0.02"
    programme = factory.SelfAttribute("pairing.programme")
    supporter = factory.SelfAttribute("pairing.supporter")
    recipient = factory.SelfAttribute("pairing.recipient")
    valid_from_year = factory.LazyAttribute(lambda o: o.pairing.valid_from.year)


# performance --------------------------------------------------------------------------------


class PerformanceIndicatorFactory(DjangoModelFactory):
    """An output indicator of a project: 教学楼 = 1 栋, 20 points, no actual yet."""

    class Meta:
        model = PerformanceIndicator

    project = factory.SubFactory(ProjectFactory)
    level1 = "output"
    level2 = "quantity"
    name = factory.Sequence(lambda n: f"新建教学楼{n}")
    operator = "eq"
    target_value = Decimal("1.00")
    unit = "栋"
    weight = Decimal("20.00")


class EvaluationSchemeFactory(DjangoModelFactory):
    """A programme's evaluation scheme from 2021 with the default values (50/30/10/10; 90/80/60)."""

    class Meta:
        model = EvaluationScheme

    name = factory.Sequence(lambda n: f"评分方案{n}")
    programme = factory.SubFactory(ProgrammeFactory)
    valid_from_year = 2021
    weight_output = Decimal("50")
    weight_effect = Decimal("30")
    weight_satisfaction = Decimal("10")
    weight_budget = Decimal("10")
    grade_excellent_min = Decimal("90")
    grade_good_min = Decimal("80")
    grade_fair_min = Decimal("60")
    rating_excellent = Decimal("100")
    rating_good = Decimal("80")
    rating_fair = Decimal("60")
    rating_low = Decimal("40")
    rating_poor = Decimal("0")


# project lifecycle --------------------------------------------------------------------------


class ApprovalRecordFactory(DjangoModelFactory):
    """The proposal (申报) of a project by the recipient's office, in the project's first year.
    (The lifecycle writes these through ``project_transition``; the factory is for reads and scope.)"""

    class Meta:
        model = ApprovalRecord

    project = factory.SubFactory(ProjectFactory)
    transition = "propose"
    from_status = "draft"
    to_status = "proposed"
    decision = "approve"
    actor_name = "巴东县区域合作中心"
    role = "recipient_office"
    role_name = "受援方工作机构"
    decided_on = factory.LazyAttribute(lambda o: dt.date(o.project.start_year, 3, 1))


class TransitionPolicyFactory(DjangoModelFactory):
    """A programme's policy for 审定入库: the supporter's office alone."""

    class Meta:
        model = TransitionPolicy

    programme = factory.SubFactory(ProgrammeFactory)
    transition = "approve_library"
    side = "supporter"
    role_codes = factory.LazyFunction(lambda: ["supporter_office"])


# disclosure ---------------------------------------------------------------------------------


class DisclosureFactory(DjangoModelFactory):
    """A draft project library notice (项目库公示) of a project of the pairing, ten days from 1 March."""

    class Meta:
        model = Disclosure

    kind = "library"
    pairing = factory.SubFactory(PairingFactory)
    project = factory.SubFactory(ProjectFactory, pairing=factory.SelfAttribute("..pairing"))
    year = factory.LazyAttribute(lambda o: o.project.start_year if o.project else year_in(o.pairing))
    title = factory.Sequence(lambda n: f"测试县对口支援项目库公示{n}")
    level = "county"
    channels = factory.LazyFunction(lambda: ["county_website"])
    start_date = factory.LazyAttribute(lambda o: _date_in(o.pairing, 3, 1))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=9))


class PublishedDisclosureFactory(DisclosureFactory):
    """A published notice with a minimal frozen content (tests of the content publish a draft
    with ``disclosure_publish``)."""

    status = "published"
    published_on = factory.SelfAttribute("start_date")
    content_snapshot = factory.LazyAttribute(
        lambda o: {"version": 1, "title": o.title, "project_ids": [o.project.pk] if o.project else []}
    )


class ObjectionFactory(DjangoModelFactory):
    """An undecided objection received on the third day of a published notice."""

    class Meta:
        model = Objection

    disclosure = factory.SubFactory(PublishedDisclosureFactory)
    received_on = factory.LazyAttribute(lambda o: o.disclosure.start_date + dt.timedelta(days=2))
    summary = "对项目选址有异议"


# figures (published figure sets) ------------------------------------------------------------


class FigureSetFactory(DjangoModelFactory):
    """A published figure set (``figure_set_publish`` writes the real ones; this is for reads and scope)."""

    class Meta:
        model = "figures.FigureSet"

    name = factory.Sequence(lambda n: f"座谈会{n}")
    pairing = factory.SubFactory(PairingFactory)
    year_from = 2021
    year_to = 2025
    as_of = dt.date(2025, 6, 30)
    published_by_name = "system"


class PublishedFigureFactory(DjangoModelFactory):
    class Meta:
        model = "figures.PublishedFigure"

    figure_set = factory.SubFactory(FigureSetFactory)
    order = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"figure_{n}")
    label_zh = "无偿援助资金"
    label_en = "Free aid funds"
    unit = "yuan"
    year_from = 2021
    year_to = 2025
    value = Decimal("228430000.00")
    model = "funds.FundTransaction"
    definition = factory.LazyFunction(lambda: {"key": "aid_funds", "rule": "the years asked (from–to)"})
    record_ids = factory.LazyFunction(list)
