"""The investment registers: enterprise introductions (招商引资) and cooperation agreements.

The dashboard's investment card links to the introductions with ``status_group=counted``; the
``enterprises`` figure of the filtered rows equals ``enterprises_introduced`` of ``pairing_figures``.
Agreed and paid-in amounts belong to the economic-cooperation stream and are shown apart from aid.
"""

from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import (
    RECORD_COLUMNS,
    Column,
    Register,
    Summary,
    distinct_count,
    pairing_column,
    pairing_joins,
    register,
    sum_of,
)

from .filters import CooperationAgreementFilterSet, EnterpriseIntroductionFilterSet
from .forms import CooperationAgreementForm, EnterpriseIntroductionForm
from .models import CooperationAgreement, EnterpriseIntroduction
from .services import (
    cooperation_agreement_create,
    cooperation_agreement_update,
    enterprise_introduction_create,
    enterprise_introduction_update,
)

__all__ = []

PAIRING = pairing_column()


register(Register(
    model=EnterpriseIntroduction,
    slug="enterprise-introductions",
    group="investment",
    columns=[
        Column("enterprise", link=True, order="enterprise__name"),
        PAIRING,
        Column("industry"),
        Column("status"),
        Column("introduced_on"),
        Column("agreement_signed_on"),
        Column("agreed_amount"),
        Column("paid_in_amount"),
        Column("jobs"),
        Column("responsible_cadre", order="responsible_cadre__person_name"),
        Column("note", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=EnterpriseIntroductionFilterSet,
    search=["enterprise__name", "industry", "note", "responsible_cadre__person_name"],
    form=EnterpriseIntroductionForm,
    create=enterprise_introduction_create,
    update=enterprise_introduction_update,
    select_related=[*pairing_joins(), "enterprise", *pairing_joins("responsible_cadre__batch__pairing")],
    total="agreed_amount",
    summaries=[
        Summary("paid_in", _("paid-in investment (yuan)"), sum_of("paid_in_amount"), money=True),
        Summary("enterprises", _("enterprises"), distinct_count("enterprise")),
        Summary("jobs", _("jobs created"), sum_of("jobs")),
    ],
    detail_fields=["enterprise", "pairing", "industry", "status", "introduced_on", "agreement_signed_on",
                   "agreed_amount", "paid_in_amount", "jobs", "responsible_cadre", "note", "is_illustrative",
                   "source"],
))

register(Register(
    model=CooperationAgreement,
    slug="cooperation-agreements",
    group="investment",
    columns=[
        Column("title", link=True),
        PAIRING,
        Column("kind"),
        Column("parties", order=False),
        Column("signed_year"),
        Column("signed_on"),
        Column("valid_until"),
        Column("content", export_only=True),
        Column("progress", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=CooperationAgreementFilterSet,
    search=["title", "content", "progress"],
    form=CooperationAgreementForm,
    create=cooperation_agreement_create,
    update=cooperation_agreement_update,
    select_related=pairing_joins(),
    prefetch_related=["parties"],
    detail_fields=["title", "pairing", "kind", "parties", "signed_on", "signed_year", "valid_until", "content",
                   "progress", "is_illustrative", "source"],
))
