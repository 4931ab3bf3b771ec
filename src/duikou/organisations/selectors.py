"""Reads for this app, always through restrict()."""

from duikou.core.selectors import crud_selectors

from .models import AdminDivision, Organisation, OrganisationName, Pairing, Programme

__all__ = ["division_get", "division_list", "organisation_get", "organisation_list", "organisation_name_get", "organisation_name_list", "pairing_find", "pairing_get", "pairing_list", "pairing_tree_ids", "programme_get", "programme_list"]

division_list, division_get = crud_selectors(AdminDivision)
organisation_list, organisation_get = crud_selectors(Organisation)
organisation_name_list, organisation_name_get = crud_selectors(OrganisationName)
programme_list, programme_get = crud_selectors(Programme)
pairing_list, pairing_get = crud_selectors(Pairing)


def pairing_tree_ids(pairing) -> list[int]:
    """The pairing and all its sub-pairings (房山区 → 巴东县 inside 北京市 → 巴东县)."""
    ids, frontier = [pairing.pk], [pairing.pk]
    while frontier:
        # no ordering (the model's would join the programmes): ids in ascending order, one level at a time
        frontier = sorted(Pairing.objects.filter(parent_id__in=frontier).order_by().values_list("id", flat=True))
        ids += frontier
    return ids


def pairing_find(*, actor, supporter: str, recipient: str, programme: str | None = None) -> Pairing:
    """The top-level pairing between two organisations named as users write them (北京市, 巴东县).

    Raises ``Pairing.DoesNotExist`` (with a message naming both) if there is none the actor may see.
    """
    from django.db.models import Q

    def named(prefix, name):
        return Q(**{f"{prefix}__name": name}) | Q(**{f"{prefix}__short_name": name}) | Q(
            **{f"{prefix}__division__name": name}
        )

    qs = Pairing.objects.restrict(actor, "view").filter(named("supporter", supporter), named("recipient", recipient))
    if programme:
        qs = qs.filter(Q(programme__code=programme) | Q(programme__name=programme))
    found = list(qs.filter(parent__isnull=True).order_by("valid_from")[:2]) or list(qs.order_by("valid_from")[:2])
    if not found:
        raise Pairing.DoesNotExist(f"No pairing {supporter} → {recipient} visible to you.")
    if len(found) > 1 and not programme:
        raise Pairing.MultipleObjectsReturned(
            f"{supporter} → {recipient} is paired in more than one programme; name the programme."
        )
    return found[0]


def division_by_code(code: str, *, field: str = "division") -> AdminDivision:
    """The division with this GB/T 2260 code, or a ``ValidationError`` naming ``field``."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    code = str(code or "").strip()
    try:
        return AdminDivision.objects.get(code=code.ljust(6, "0") if len(code) in (2, 4) else code)
    except AdminDivision.DoesNotExist:
        raise ValidationError({field: _("Unknown division code {code}.").format(code=code or "—")}) from None
