"""A fluent builder for the world a test needs, with named handles.

::

    world = (
        Scenario()
        .pairing("beijing_badong", "北京市", "巴东县")
        .pairing("fangshan_badong", "房山区", "巴东县", parent="beijing_badong")
        .pairing("shanghai_yiling", "上海市", "夷陵区")
        .user("supporter", "北京市", "supporter_office")
        .rows(PAIRED_ENTITIES)
        .build()
    )
    world.pairings["fangshan_badong"], world.users["supporter"], world.row(Project, "beijing_badong")

Organisations take their real division (the divisions are loaded for every test database);
a district that supports inside a parent pairing becomes a child of the parent's supporter
(房山区 under 北京市). :meth:`Scenario.standard` is the world of the contract tests.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from duikou.organisations.choices import DivisionLevel, OrganisationKind, PairingLevel, ProgrammeKind
from duikou.organisations.models import AdminDivision, Organisation

from . import factories as f

__all__ = ["STANDARD_USERS", "Scenario", "World"]

# key: (organisation, role) of the users of the standard world; "admin" is a superuser.
STANDARD_USERS = {
    "supporter": ("北京市", "supporter_office"),
    "district": ("房山区", "district_office"),
    "recipient": ("巴东县", "recipient_office"),
    "member_unit": ("北京市教育委员会", "member_unit"),
    "read_only": ("北京市", "read_only"),
    "national": ("水利部", "national_supervisor"),
    "foreign": ("上海市", "supporter_office"),
}

_KIND_BY_LEVEL = {
    DivisionLevel.PROVINCE: OrganisationKind.SUPPORTER_PROVINCE,
    DivisionLevel.PREFECTURE: OrganisationKind.SUPPORTER_CITY,
    DivisionLevel.COUNTY: OrganisationKind.DISTRICT,
}


class Fresh(dict):
    """A dict of saved rows that hands out each row as the database has it now.

    A world built once for a module outlives the tests' rollbacks; reading rows again keeps a
    change one test made in memory from leaking into the next.
    """

    def __getitem__(self, key):
        obj = super().__getitem__(key)
        return type(obj)._base_manager.get(pk=obj.pk)


@dataclass
class World:
    """What :meth:`Scenario.build` made, by name (``orgs``, ``pairings``, ``users`` are :class:`Fresh`)."""

    programme: object
    orgs: Fresh = field(default_factory=Fresh)
    pairings: Fresh = field(default_factory=Fresh)
    users: Fresh = field(default_factory=Fresh)
    rows_by_key: Fresh = field(default_factory=Fresh)

    def row(self, model, pairing: str):
        """The row of ``model`` made in the named pairing (for ``Pairing``: the pairing itself)."""
        if not isinstance(model, type):  # an entity (duikou.testing.entities) rather than a model class
            model = model.model
        if model.__name__ == "Pairing":
            return self.pairings[pairing]
        return self.rows_by_key[model, pairing]

    def user(self, key: str):
        """A user by key, read again (so with no cached scopes); ``"anonymous"``: an ``AnonymousUser``."""
        return AnonymousUser() if key == "anonymous" else self.users[key]


class Scenario:
    def __init__(self, programme: str = "全国对口支援三峡库区"):
        self._programme = programme
        self._orgs: dict[str, dict] = {}
        self._pairings: list[tuple] = []
        self._users: list[tuple] = []
        self._rows: list[tuple] = []

    @classmethod
    def standard(cls) -> "Scenario":
        """北京市 → 巴东县 (from 1992) with 房山区 → 巴东县 inside it (from 2021), the unrelated
        上海市 → 夷陵区, and one user per role (see :data:`STANDARD_USERS`) plus a superuser."""
        sc = (
            cls()
            .pairing("beijing_badong", "北京市", "巴东县", valid_from=dt.date(1992, 1, 1))
            .pairing("fangshan_badong", "房山区", "巴东县", parent="beijing_badong", valid_from=dt.date(2021, 1, 1))
            .pairing("shanghai_yiling", "上海市", "夷陵区", valid_from=dt.date(1992, 1, 1))
            .organisation("北京市教育委员会", kind=OrganisationKind.MEMBER_UNIT, parent="北京市", division=None)
            .organisation("水利部", kind=OrganisationKind.MINISTRY, division=None)
        )
        for key, (org, role) in STANDARD_USERS.items():
            sc.user(key, org, role)
        return sc.user("admin", superuser=True)

    # declarations ---------------------------------------------------------------------------

    def organisation(self, name: str, *, kind=None, parent: str | None = None, division="auto") -> "Scenario":
        """Declare an organisation; ``division`` is a code, ``None``, or found by name."""
        spec = self._orgs.setdefault(name, {"kind": None, "parent": None, "division": "auto"})
        spec["kind"] = kind or spec["kind"]
        spec["parent"] = parent or spec["parent"]
        spec["division"] = division if division != "auto" else spec["division"]
        return self

    def pairing(self, key: str, supporter: str, recipient: str, *, parent: str | None = None,
                valid_from: dt.date = dt.date(2021, 1, 1), valid_to: dt.date | None = None) -> "Scenario":
        self.organisation(supporter)
        self.organisation(recipient, kind=OrganisationKind.RECIPIENT_COUNTY)
        if parent is not None:
            parent_supporter = next(p[1] for p in self._pairings if p[0] == parent)
            self.organisation(supporter, kind=OrganisationKind.DISTRICT, parent=parent_supporter)
        self._pairings.append((key, supporter, recipient, parent, valid_from, valid_to))
        return self

    def user(self, key: str, organisation: str | None = None, role: str | None = None, *,
             superuser: bool = False) -> "Scenario":
        if organisation is not None:
            self.organisation(organisation)
        self._users.append((key, organisation, role, superuser))
        return self

    def rows(self, entities, pairings: list[str] | None = None) -> "Scenario":
        """One row of each entity in each named pairing (all pairings if none named)."""
        self._rows.append((list(entities), pairings))
        return self

    # building -------------------------------------------------------------------------------

    def build(self) -> World:
        world = World(
            programme=f.ProgrammeFactory(
                code="three-gorges-test", name=self._programme, kind=ProgrammeKind.THREE_GORGES,
                started_on=dt.date(1992, 1, 1),
            )
        )
        for name in self._orgs:
            self._make_org(world, name)
        for key, supporter, recipient, parent, valid_from, valid_to in self._pairings:
            recipient_org = world.orgs[recipient]
            world.pairings[key] = f.PairingFactory(
                programme=world.programme,
                supporter=world.orgs[supporter],
                recipient=recipient_org,
                recipient_division=recipient_org.division,
                parent=world.pairings[parent] if parent else None,
                level=PairingLevel.DISTRICT_COUNTY if parent else PairingLevel.PROVINCE_COUNTY,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        for key, org, role, superuser in self._users:
            user = f.UserFactory(username=key, is_superuser=superuser, is_staff=superuser)
            if org is not None:
                f.MembershipFactory(user=user, organisation=world.orgs[org], role=f.RoleFactory(code=role))
            world.users[key] = user
        for entities, pairings in self._rows:
            for key in pairings or list(world.pairings):
                for entity in entities:
                    if entity.pairing_path == "":
                        continue  # the pairings are the rows
                    world.rows_by_key[entity.model, key] = entity.make(world.pairings[key])
        return world

    def _make_org(self, world: World, name: str):
        if name in world.orgs:
            return dict.__getitem__(world.orgs, name)
        spec = self._orgs[name]
        division = spec["division"]
        if division == "auto":
            division = AdminDivision.objects.filter(name=name, is_statistical_only=False).order_by("code").first()
        elif division is not None:
            division = AdminDivision.objects.get(code=division)
        kind = spec["kind"] or (_KIND_BY_LEVEL[division.level] if division else OrganisationKind.OTHER)
        parent = self._make_org(world, spec["parent"]) if spec["parent"] else None
        org = Organisation.objects.create(name=name, kind=kind, division=division, parent=parent)
        world.orgs[name] = org
        return org
