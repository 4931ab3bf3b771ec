"""Forms of the cadre and training pages: they parse input; the services validate and save."""

from duikou.ui.forms import ServiceForm

from .models import ExpertSupport, Secondment, SecondmentBatch, TrainingSession

__all__ = ["ExpertSupportForm", "SecondmentBatchForm", "SecondmentForm", "TrainingSessionForm"]


class SecondmentBatchForm(ServiceForm):
    class Meta:
        model = SecondmentBatch
        fields = ["pairing", "number", "name", "dispatched_on", "source"]


class SecondmentForm(ServiceForm):
    # A secondment sits in its pairing through its batch: offer the batches the user may write.
    write_scoped_fields = ("batch",)

    class Meta:
        model = Secondment
        fields = ["batch", "person_name", "kind", "field", "home_unit", "host_unit", "post", "start_date", "end_date",
                  "source"]


class ExpertSupportForm(ServiceForm):
    class Meta:
        model = ExpertSupport
        fields = ["pairing", "expert_name", "home_unit", "field", "topic", "start_date", "end_date", "source"]


class TrainingSessionForm(ServiceForm):
    class Meta:
        model = TrainingSession
        fields = ["pairing", "title", "category", "start_date", "end_date", "location", "organiser", "participants",
                  "person_times", "funds", "source"]
