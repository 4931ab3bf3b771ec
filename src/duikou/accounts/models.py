from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from duikou.core.models import BaseModel
from duikou.core.querysets import RestrictedQuerySet
from duikou.organisations.models import Organisation

__all__ = ["Membership", "Role", "User"]


class UserManager(DjangoUserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager with ``restrict()``."""


class User(AbstractUser):
    """A person who signs in. What they see and do comes from their memberships."""

    objects = UserManager()

    restrict_paths = ("memberships__organisation_id",)
    restrict_distinct = True

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(BaseModel):
    """A role as data: which actions it allows, and whether on every organisation or only its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    actions = models.JSONField(_("actions"), default=list, help_text=_("Any of view, add, change, delete."))
    all_organisations = models.BooleanField(
        _("all organisations"), default=False, help_text=_("Acts on every pairing (national supervisors).")
    )

    restrict_public_view = True

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from duikou.core.permissions import ACTIONS

        bad = [a for a in (self.actions or []) if a not in ACTIONS]
        if not isinstance(self.actions, list) or bad:
            raise ValidationError({"actions": _("Unknown actions: {actions}").format(actions=", ".join(map(str, bad)))})


class Membership(BaseModel):
    """A user works for an organisation in a role."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships")

    restrict_paths = ("organisation_id",)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique",
                violation_error_message=_("This user is already a member of this organisation."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"
