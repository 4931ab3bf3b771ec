"""Turns a user's memberships into the scope ``restrict()`` applies.

A membership covers its organisation and every organisation below it (北京市 covers 房山区 and
its member units), for the actions its role allows.
"""

from duikou.core.permissions import Scope

__all__ = ["descendant_ids", "membership_scope"]


def descendant_ids(root_ids) -> set[int]:
    from duikou.organisations.models import Organisation

    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier).exclude(id__in=found).values_list("id", flat=True)
        )
        found |= frontier
    return found


def membership_scope(user, action: str) -> Scope:
    """The user's scope for ``action``; every action's scope is computed from one read of the
    memberships and cached on the user object (one request)."""
    from duikou.core.permissions import ACTIONS

    from .models import Membership

    cache = user.__dict__.setdefault("_duikou_scopes", {})
    if action in cache:
        return cache[action]
    rows = list(Membership.objects.filter(user_id=user.pk).values_list(
        "organisation_id", "role__actions", "role__all_organisations"
    ))
    trees: dict[frozenset, frozenset] = {}
    for act in ACTIONS:
        roots = frozenset(org_id for org_id, actions, _all in rows if act in (actions or []))
        if any(all_orgs and act in (actions or []) for _org, actions, all_orgs in rows):
            cache[act] = Scope(all=True)
            continue
        if roots not in trees:
            trees[roots] = frozenset(descendant_ids(roots)) if roots else frozenset()
        cache[act] = Scope(org_ids=trees[roots])
    return cache[action]
