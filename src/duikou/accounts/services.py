from duikou.audit.services import object_create

from .models import Membership, Role, User

__all__ = ["membership_create", "user_create"]


def user_create(*, actor, username: str, password: str | None = None, **fields) -> User:
    """Create a user (audited). Access comes only from memberships."""
    from django.db import transaction

    from duikou.audit.models import ObjectChange
    from duikou.audit.services import record
    from duikou.core.permissions import scope_for

    if not scope_for(actor, "add").all:
        from duikou.core.errors import PermissionDenied

        raise PermissionDenied(action="add", obj=User())
    user = User(username=username, **fields)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    with transaction.atomic():
        user.save()
        record(user, action=ObjectChange.Action.CREATE, actor=actor)
    return user


def membership_create(*, actor, user: User, organisation, role: Role) -> Membership:
    """Grant ``role`` at ``organisation``. Nobody grants more than they hold there: every action of
    the role, and a national scope for a role acting on all organisations."""
    from duikou.core.errors import PermissionDenied
    from duikou.core.permissions import can, scope_for

    membership = Membership(user=user, organisation=organisation, role=role)
    for action in role.actions or []:
        if not (scope_for(actor, action).all if role.all_organisations else can(actor, action, membership)):
            raise PermissionDenied(action="add", obj=membership)
    return object_create(Membership, actor=actor, data={"user": user, "organisation": organisation, "role": role})
