"""Rules about granting access, used by the services and the admin alike."""

from duikou.core.permissions import can, scope_for

__all__ = ["may_grant"]


def may_grant(actor, membership) -> bool:
    """Nobody grants more than they hold there: every action of the role must be the actor's at the
    membership's organisation, and a role acting on all organisations needs an actor who acts on all."""
    role = membership.role
    return all(
        scope_for(actor, action).all if role.all_organisations else can(actor, action, membership)
        for action in role.actions or []
    )
