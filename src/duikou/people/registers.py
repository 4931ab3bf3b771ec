"""The cadre and training registers: secondment batches (with their cadres), secondments, expert
supports and training sessions.

The dashboard's cadre and training cards link here; the ``batches`` and ``person_times`` figures
of the filtered rows equal ``cadre_batches`` and ``training_person_times`` of ``pairing_figures``.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from duikou.ui.registers import (
    RECORD_COLUMNS,
    Column,
    Register,
    Related,
    Summary,
    distinct_count,
    pairing_column,
    pairing_joins,
    register,
    sum_of,
)

from .filters import ExpertSupportFilterSet, SecondmentBatchFilterSet, SecondmentFilterSet, TrainingSessionFilterSet
from .forms import ExpertSupportForm, SecondmentBatchForm, SecondmentForm, TrainingSessionForm
from .models import ExpertSupport, Secondment, SecondmentBatch, TrainingSession
from .services import (
    expert_support_create,
    expert_support_update,
    secondment_batch_create,
    secondment_batch_update,
    secondment_bulk_create,
    secondment_create,
    secondment_update,
    training_session_bulk_create,
    training_session_create,
    training_session_update,
)

__all__ = ["BatchRegister"]

@dataclass
class BatchRegister(Register):
    """Batches with the number of their cadres (``cadres``), read in the same query as the rows."""

    def queryset(self, actor, action: str = "view"):
        cadres = (Secondment.objects.filter(batch=OuterRef("pk")).order_by()
                  .values("batch").annotate(n=Count("pk")).values("n"))
        return super().queryset(actor, action).annotate(
            cadres=Coalesce(Subquery(cadres, output_field=IntegerField()), Value(0))
        )


register(BatchRegister(
    model=SecondmentBatch,
    slug="secondment-batches",
    group="people",
    columns=[
        Column("number", link=True),
        Column("name"),
        pairing_column(),
        Column("dispatched_on"),
        Column("cadres", label=_("cadres"), order="cadres"),
        *RECORD_COLUMNS,
    ],
    filterset=SecondmentBatchFilterSet,
    search=["name", "pairing__supporter__name", "pairing__recipient__name"],
    form=SecondmentBatchForm,
    create=secondment_batch_create,
    update=secondment_batch_update,
    select_related=pairing_joins(),
    summaries=[Summary("cadres", _("cadres"), sum_of("cadres"))],
    detail_fields=["pairing", "number", "name", "dispatched_on", "is_illustrative", "source"],
    related=[
        Related(_("Cadres of this batch"),
                lambda b, actor: b.secondments.all().restrict(actor, "view").select_related("home_unit"),
                [Column("person_name", link=True), Column("kind"), Column("field"), Column("post"),
                 Column("host_unit"), Column("home_unit"), Column("start_date"), Column("end_date")],
                register="secondments", add_param="batch"),
    ],
))

register(Register(
    model=Secondment,
    slug="secondments",
    group="people",
    columns=[
        Column("person_name", link=True),
        Column("batch", order="batch__dispatched_on"),
        pairing_column("batch__pairing"),
        Column("kind"),
        Column("field"),
        Column("post"),
        Column("host_unit"),
        Column("start_date"),
        Column("end_date"),
        Column("home_unit", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=SecondmentFilterSet,
    search=["person_name", "post", "host_unit", "home_unit__name"],
    form=SecondmentForm,
    create=secondment_create,
    bulk_create=secondment_bulk_create,
    update=secondment_update,
    select_related=[*pairing_joins("batch__pairing"), "home_unit"],
    summaries=[Summary("batches", _("batches"), distinct_count("batch"))],
    detail_fields=["person_name", "batch", "kind", "field", "home_unit", "host_unit", "post", "start_date",
                   "end_date", "is_illustrative", "source"],
))

register(Register(
    model=ExpertSupport,
    slug="expert-supports",
    group="people",
    columns=[
        Column("expert_name", link=True),
        Column("topic"),
        pairing_column(),
        Column("field"),
        Column("home_unit", order="home_unit__name"),
        Column("start_date"),
        Column("end_date"),
        *RECORD_COLUMNS,
    ],
    filterset=ExpertSupportFilterSet,
    search=["expert_name", "topic", "home_unit__name"],
    form=ExpertSupportForm,
    create=expert_support_create,
    update=expert_support_update,
    select_related=[*pairing_joins(), "home_unit"],
    detail_fields=["expert_name", "pairing", "home_unit", "field", "topic", "start_date", "end_date",
                   "is_illustrative", "source"],
))

register(Register(
    model=TrainingSession,
    slug="training-sessions",
    group="people",
    columns=[
        Column("title", link=True),
        pairing_column(),
        Column("category"),
        Column("start_date"),
        Column("end_date"),
        Column("location"),
        Column("participants"),
        Column("person_times"),
        Column("funds"),
        Column("organiser", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=TrainingSessionFilterSet,
    search=["title", "location", "organiser__name"],
    form=TrainingSessionForm,
    create=training_session_create,
    bulk_create=training_session_bulk_create,
    update=training_session_update,
    select_related=[*pairing_joins(), "organiser"],
    total="funds",
    summaries=[
        Summary("person_times", _("person-times"), sum_of("person_times")),
        Summary("participants", _("participants"), sum_of("participants")),
    ],
    detail_fields=["title", "pairing", "category", "start_date", "end_date", "location", "organiser",
                   "participants", "person_times", "funds", "is_illustrative", "source"],
))
