"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import crud_services

from .models import Event

__all__ = ["event_create", "event_delete", "event_update"]

event_create, event_update, event_delete = crud_services(Event)
