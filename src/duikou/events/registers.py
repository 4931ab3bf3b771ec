"""The events register: meetings, promotions, visits, fairs and signings."""

from duikou.ui.registers import RECORD_COLUMNS, Column, Register, pairing_column, pairing_joins, register

from .filters import EventFilterSet
from .forms import EventForm
from .models import Event
from .services import event_create, event_update

__all__ = []

register(Register(
    model=Event,
    slug="events",
    group="plans",
    columns=[
        Column("title", link=True),
        Column("kind"),
        Column("date"),
        pairing_column(),
        Column("place_division", order="place_division__code"),
        Column("place"),
        Column("programme", order="programme__name", export_only=True),
        Column("organisers", order=False, export_only=True),
        Column("speakers", export_only=True),
        Column("participants", export_only=True),
        Column("summary", export_only=True),
        *RECORD_COLUMNS,
    ],
    filterset=EventFilterSet,
    search=["title", "place", "speakers", "participants", "summary"],
    form=EventForm,
    create=event_create,
    update=event_update,
    select_related=[*pairing_joins(), "programme", "place_division"],
    prefetch_related=["organisers"],
    detail_fields=["title", "kind", "date", "programme", "pairing", "place_division", "place", "organisers", "speakers",
                   "participants", "summary", "is_illustrative", "source"],
))
