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
    """Grant ``role`` at ``organisation`` (see :func:`~duikou.accounts.validators.may_grant`)."""
    from duikou.core.errors import PermissionDenied

    from .validators import may_grant

    membership = Membership(user=user, organisation=organisation, role=role)
    if not may_grant(actor, membership):
        raise PermissionDenied(action="add", obj=membership)
    return object_create(Membership, actor=actor, data={"user": user, "organisation": organisation, "role": role})
