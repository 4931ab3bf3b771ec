"""Forms of the events pages: they parse input; the services validate and save."""

from duikou.core.permissions import scope_for
from duikou.organisations.forms import area_divisions, party_organisations
from duikou.ui.forms import ServiceForm

from .models import Event

__all__ = ["EventForm"]


class EventForm(ServiceForm):
    class Meta:
        model = Event
        fields = ["kind", "title", "programme", "pairing", "date", "place_division", "place", "organisers", "speakers",
                  "participants", "summary", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        action = "change" if instance.pk else "add"
        pairings = self.fields["pairing"].queryset
        # A programme-wide event (no pairing) reaches no organisation: only a user whose scope is
        # everything may write one, so the others must name a pairing.
        self.fields["pairing"].required = not scope_for(self.actor, action).all
        self.fields["place_division"].queryset = area_divisions(pairings, instance.place_division_id)
        current = list(instance.organisers.values_list("pk", flat=True)) if instance.pk else []
        self.fields["organisers"].queryset = party_organisations(self.actor, action, pairings, *current)
