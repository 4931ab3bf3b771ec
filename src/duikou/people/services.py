"""Writes for this app: audited, permission-checked, validated with full_clean()."""

from duikou.audit.services import bulk_create_service, crud_services

from .models import ExpertSupport, Secondment, SecondmentBatch, TrainingSession

__all__ = ["expert_support_create", "expert_support_delete", "expert_support_update", "secondment_batch_create", "secondment_batch_delete", "secondment_batch_update", "secondment_bulk_create", "secondment_create", "secondment_delete", "secondment_update", "training_session_bulk_create", "training_session_create", "training_session_delete", "training_session_update"]

secondment_batch_create, secondment_batch_update, secondment_batch_delete = crud_services(SecondmentBatch)
secondment_create, secondment_update, secondment_delete = crud_services(Secondment)
expert_support_create, expert_support_update, expert_support_delete = crud_services(ExpertSupport)
training_session_create, training_session_update, training_session_delete = crud_services(TrainingSession)
secondment_bulk_create = bulk_create_service(Secondment)
training_session_bulk_create = bulk_create_service(TrainingSession)
