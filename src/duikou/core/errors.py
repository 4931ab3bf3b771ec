"""Errors that services raise; views, the API and the CLI show them the same way."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _

__all__ = ["ACTION_LABELS", "ApplicationError", "PermissionDenied"]


class ApplicationError(Exception):
    """A business rule refused the operation; ``message`` is for the user."""

    def __init__(self, message, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


ACTION_LABELS = {"view": _("view"), "add": _("add"), "change": _("change"), "delete": _("delete")}


class PermissionDenied(DjangoPermissionDenied):
    def __init__(self, *, action: str, obj):
        self.action = action
        self.obj = obj
        super().__init__(
            _("You may not {action} this {model}.").format(
                action=ACTION_LABELS.get(action, action), model=type(obj)._meta.verbose_name
            )
        )
