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
    from .models import Membership

    cache = user.__dict__.setdefault("_duikou_scopes", {})
    if action in cache:
        return cache[action]
    roots = set()
    everything = False
    for org_id, actions, all_orgs in Membership.objects.filter(user_id=user.pk).values_list(
        "organisation_id", "role__actions", "role__all_organisations"
    ):
        if action in (actions or []):
            everything = everything or all_orgs
            roots.add(org_id)
    scope = Scope(all=True) if everything else Scope(org_ids=frozenset(descendant_ids(roots)) if roots else frozenset())
    cache[action] = scope
    return scope
