from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duikou.core.permissions import scope_for
from duikou.core.querysets import RestrictedQuerySet

__all__ = ["AuditChainHead", "ObjectChange", "ObjectChangeQuerySet", "ObjectChangeScope"]


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

    The log is tamper-evident: ``hash`` is the SHA-256 of the change's content, its scope and
    ``prev_hash``, the ``hash`` of the change before it in id order (``duikou.audit.chain``), so
    altering, deleting or reordering a change breaks the chain at that point (``duikou audit
    verify``). ``time`` is set when the change joins the chain, under the chain's lock
    (:class:`AuditChainHead`), so it never goes backwards along the chain.
    """

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "created")
        UPDATE = "update", pgettext_lazy("audit action", "updated")
        DELETE = "delete", pgettext_lazy("audit action", "deleted")

    # Not auto_now_add: the time is part of the hash, which is computed before the insert.
    time = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
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
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="", editable=False)

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


class AuditChainHead(models.Model):
    """The end of the audit log's hash chain: the last change's id and hash, in one row (id 1).

    Every audited write locks this row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
    ``IMMEDIATE`` transactions already admit one writer at a time), takes ``hash`` as the new
    change's ``prev_hash`` and moves the head on, so two transactions cannot both append after the
    same change. The lock is held until the writing transaction ends. ``duikou audit verify`` also
    checks that the chain reaches the head, so records cut from the end are found too.
    ``change_id`` is a plain integer: the head must outlive the row it names, or it could not tell
    that the row went.
    """

    change_id = models.PositiveBigIntegerField(_("last change"), null=True, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="audit_chain_head_single_row",
                                              violation_error_message=_("The audit chain has one head."))]

    def __str__(self):
        return f"#{self.change_id or 0} {self.hash[:12]}"
