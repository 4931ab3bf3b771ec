"""Read helpers every app's selectors use: restricted list and get."""

from django.http import Http404

__all__ = ["crud_selectors", "restricted_get", "restricted_list"]


def restricted_list(model, *, actor, action: str = "view", **filters):
    return model.objects.restrict(actor, action).filter(**filters)


def restricted_get(model, *, actor, pk, action: str = "view"):
    """The row if the actor may see it; otherwise ``Http404`` (never say it exists)."""
    try:
        return model.objects.restrict(actor, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(str(model._meta.verbose_name)) from exc


def crud_selectors(model):
    """``<entity>_list(*, actor, action="view", **filters)`` and ``<entity>_get(*, actor, pk, action="view")``."""

    def list_(*, actor, action: str = "view", **filters):
        return restricted_list(model, actor=actor, action=action, **filters)

    def get(*, actor, pk, action: str = "view"):
        return restricted_get(model, actor=actor, pk=pk, action=action)

    list_.__name__ = f"{model._meta.model_name}_list"
    get.__name__ = f"{model._meta.model_name}_get"
    return list_, get
