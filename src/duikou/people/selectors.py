"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import ExpertSupport, Secondment, SecondmentBatch, TrainingSession

__all__ = ["expert_support_get", "expert_support_list", "secondment_batch_get", "secondment_batch_list", "secondment_get", "secondment_list", "training_session_get", "training_session_list"]

secondment_batch_list, secondment_batch_get = crud_selectors(SecondmentBatch)
secondment_list, secondment_get = crud_selectors(Secondment)
expert_support_list, expert_support_get = crud_selectors(ExpertSupport)
training_session_list, training_session_get = crud_selectors(TrainingSession)
