"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import crud_services

from .models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target

__all__ = ["document_create", "document_delete", "document_update", "envelope_create", "envelope_delete", "envelope_update", "indicator_create", "indicator_delete", "indicator_update", "key_task_create", "key_task_delete", "key_task_update", "member_unit_duty_create", "member_unit_duty_delete", "member_unit_duty_update", "plan_create", "plan_delete", "plan_update", "target_create", "target_delete", "target_update"]

key_task_create, key_task_update, key_task_delete = crud_services(KeyTask)
plan_create, plan_update, plan_delete = crud_services(Plan)
envelope_create, envelope_update, envelope_delete = crud_services(PlanEnvelope)
indicator_create, indicator_update, indicator_delete = crud_services(Indicator)
target_create, target_update, target_delete = crud_services(Target)
document_create, document_update, document_delete = crud_services(Document)
member_unit_duty_create, member_unit_duty_update, member_unit_duty_delete = crud_services(MemberUnitDuty)
