"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import Document, Indicator, KeyTask, MemberUnitDuty, Plan, PlanEnvelope, Target

__all__ = ["document_get", "document_list", "envelope_get", "envelope_list", "indicator_get", "indicator_list", "key_task_get", "key_task_list", "member_unit_duty_get", "member_unit_duty_list", "plan_get", "plan_list", "target_get", "target_list"]

key_task_list, key_task_get = crud_selectors(KeyTask)
plan_list, plan_get = crud_selectors(Plan)
envelope_list, envelope_get = crud_selectors(PlanEnvelope)
indicator_list, indicator_get = crud_selectors(Indicator)
target_list, target_get = crud_selectors(Target)
document_list, document_get = crud_selectors(Document)
member_unit_duty_list, member_unit_duty_get = crud_selectors(MemberUnitDuty)
