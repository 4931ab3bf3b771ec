"""The one gate every query goes through: ``Model.objects.restrict(actor, action)``."""

from django.db import models
from django.db.models import Q

from .permissions import scope_for

__all__ = ["RestrictedManager", "RestrictedQuerySet"]


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, actor, action: str = "view"):
        scope = scope_for(actor, action)
        if scope.all:
            return self
        model = self.model
        if action == "view" and getattr(model, "restrict_public_view", False):
            return self if getattr(actor, "is_authenticated", False) else self.none()
        paths = getattr(model, "restrict_paths", ())
        if not scope.org_ids or not paths:
            return self.none()
        q = Q()
        for path in paths:
            q |= Q(**{f"{path}__in": scope.org_ids})
        qs = self.filter(q)
        return qs.distinct() if getattr(model, "restrict_distinct", False) else qs


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)
