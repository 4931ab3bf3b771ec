from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duikou.core.permissions import scope_for
from duikou.core.querysets import RestrictedQuerySet

__all__ = ["ObjectChange", "ObjectChangeQuerySet", "ObjectChangeScope"]


class ObjectChangeQuerySet(RestrictedQuerySet):
    def restrict(self, actor, action: str = "view"):
        """The changes scoped to an organisation in the actor's scope (every change for a scope of all).

        ``restrict_paths`` runs to many rows (``scopes__organisation_id``); instead of the join
        plus ``DISTINCT`` that ``restrict_distinct`` would give, the scope rows are asked with an
        ``EXISTS`` subquery: no duplicate rows, no ``DISTINCT`` over the JSON columns, and
        "the latest ten" can walk the time index.
        """
        scope = scope_for(actor, action)
        if scope.all:
            return self
        if not scope.org_ids:
            return self.none()
        return self.filter(
            Exists(ObjectChangeScope.objects.filter(change_id=OuterRef("pk"), organisation_id__in=scope.org_ids))
        )


class ObjectChange(models.Model):
    """One write to one record: who, when, in which batch, and the record before and after.

    Its :class:`ObjectChangeScope` rows say which organisations' users may read it
    (``restrict()``): those the record reached when it was written (``object_org_ids``). Records of
    reference data that everyone reads (divisions, key tasks, indicators …) reach no
    organisation, so only users whose scope is everything (superusers, national supervisors) see
    their changes.
    """

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "created")
        UPDATE = "update", pgettext_lazy("audit action", "updated")
        DELETE = "delete", pgettext_lazy("audit action", "deleted")

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150)
    batch_id = models.UUIDField(_("batch"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    message = models.CharField(_("message"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = models.Manager.from_queryset(ObjectChangeQuerySet)()

    restrict_paths = ("scopes__organisation_id",)  # for can(); restrict() asks them with EXISTS

    class Meta:
        verbose_name = _("object change")
        verbose_name_plural = _("object changes")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"


class ObjectChangeScope(models.Model):
    """An organisation whose users may read a change: one row per organisation the record reached
    when it was written (for a delete, before it was deleted).

    ``organisation_id`` is a plain integer, not a foreign key: ``audit`` sits below
    ``organisations`` in the layer order, and the scope must outlive the organisation's rename,
    merge or deletion just as the change record does.
    """

    change = models.ForeignKey(
        ObjectChange, verbose_name=_("change"), on_delete=models.CASCADE, related_name="scopes",
        db_index=False,  # the unique constraint's index starts with change_id
    )
    organisation_id = models.PositiveBigIntegerField(_("organisation"), db_index=True)

    class Meta:
        verbose_name = _("object change scope")
        verbose_name_plural = _("object change scopes")
        constraints = [
            models.UniqueConstraint(fields=["change", "organisation_id"], name="audit_change_scope_unique"),
        ]

    def __str__(self):
        return f"{self.change_id} → {self.organisation_id}"
