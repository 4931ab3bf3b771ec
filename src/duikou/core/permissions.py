"""Who may see or do what: one scope per actor and action.

``accounts`` registers the provider that turns a user's memberships into a :class:`Scope`
(roles are data there). ``core`` knows nothing of users; it only asks the provider.

A model says how its rows reach organisations with ``restrict_paths`` (lookups that end at an
``Organisation`` id, e.g. ``("pairing__supporter_id", "pairing__recipient_id")``). Reference
models that every signed-in user may read set ``restrict_public_view = True``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "ACTIONS",
    "SYSTEM",
    "Scope",
    "SystemActor",
    "can",
    "object_org_ids",
    "register_scope_provider",
    "require",
    "scope_for",
]

ACTIONS = ("view", "add", "change", "delete")


@dataclass(frozen=True)
class Scope:
    """The organisations an actor may act on for one action; ``all`` for every organisation."""

    all: bool = False
    org_ids: frozenset[int] = field(default_factory=frozenset)


class SystemActor:
    """The actor of loaders and maintenance commands: may do everything, named in the audit log."""

    is_authenticated = True
    is_superuser = True
    pk = None

    def __init__(self, name: str = "system"):
        self.name = name

    def __str__(self) -> str:
        return self.name


SYSTEM = SystemActor()

_provider: Callable[[object, str], Scope] | None = None


def register_scope_provider(provider: Callable[[object, str], Scope]) -> None:
    global _provider
    _provider = provider


def scope_for(actor, action: str) -> Scope:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Scope()
    if isinstance(actor, SystemActor) or getattr(actor, "is_superuser", False):
        return Scope(all=True)
    if _provider is None:
        return Scope()
    return _provider(actor, action)


def _walk(obj, parts: list[str]) -> set:
    """The values at the end of ``a__b__c_id`` on an instance, following to-many relations too."""
    if obj is None:
        return set()
    if not parts:
        return {obj}
    value = getattr(obj, parts[0], None)
    if hasattr(value, "all") and callable(value.all):  # a related manager: every related row
        if getattr(obj, "pk", None) is None:
            return set()
        return set().union(*(_walk(item, parts[1:]) for item in value.all()))
    return _walk(value, parts[1:])


def object_org_ids(obj) -> set[int]:
    ids = set()
    for path in getattr(type(obj), "restrict_paths", ()):
        ids |= _walk(obj, path.split("__"))
    return ids


def can(actor, action: str, obj) -> bool:
    """May ``actor`` do ``action`` on ``obj`` (saved or not)?"""
    scope = scope_for(actor, action)
    if scope.all:
        return True
    if action == "view" and getattr(type(obj), "restrict_public_view", False):
        return getattr(actor, "is_authenticated", False)
    return bool(object_org_ids(obj) & scope.org_ids)


def require(actor, action: str, obj) -> None:
    from .errors import PermissionDenied

    if not can(actor, action, obj):
        raise PermissionDenied(action=action, obj=obj)
