"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import Event

__all__ = ["event_get", "event_list"]

event_list, event_get = crud_selectors(Event)
