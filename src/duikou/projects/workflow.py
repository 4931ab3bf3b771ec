"""The project lifecycle as a state machine with approvals (domain guide §5).

The states are :class:`~duikou.projects.choices.ProjectStatus`; :data:`TRANSITIONS` says which step
leads from where to where. :func:`project_transition` is the only way a project's status changes
(``project_update`` refuses ``status``): it locks the project row, checks the order of the steps,
the role of the actor under the programme's policy, the amount thresholds of the rules and every
registered guard, then writes one :class:`~duikou.projects.models.ApprovalRecord` and the new
status, both audited, in one transaction.

Who may take a step is data: a :class:`~duikou.projects.models.TransitionPolicy` row of the
programme, or else :data:`DEFAULT_POLICY`. A user acts on a project in the roles of their
memberships on the pairing's two sides: a membership of the pairing's supporter (or of an
organisation above or below it in the organisation tree) acts on the supporter side, one of its
recipient on the recipient side. Superusers and the system actor may take every step.

A rejection (``decision="reject"``, for the steps that are decisions: township review, library
approval, annual plan, acceptance, closing) is recorded and leaves the status unchanged: the
project waits for a new decision, or is changed or cancelled.

Other apps add conditions with :func:`register_guard` (in their ``AppConfig.ready()``): a guard
``fn(*, project, transition, actor, on) -> list[str]`` returns the reasons that block the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duikou.audit.models import ObjectChange
from duikou.audit.services import record, snapshot
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import SystemActor, can
from duikou.rules.selectors import rule_value

from .choices import ACTIVE_STATUSES, Decision, PolicySide, ProjectStatus, TransitionKey
from .models import ApprovalRecord, Project, TransitionPolicy

__all__ = [
    "CHANGEABLE_FIELDS",
    "DEFAULT_POLICY",
    "RETURN",
    "TRANSITIONS",
    "ActingRole",
    "Lookups",
    "Policy",
    "Transition",
    "TransitionDenied",
    "acting_roles",
    "available_transitions",
    "completeness_before_library",
    "guard_messages",
    "may_take_steps",
    "pending_change",
    "policy_for",
    "project_transition",
    "register_guard",
    "required_policies",
    "unregister_guard",
]

# ``Transition.target`` of the steps that lead back to the status the project had before a change
# request or a suspension (kept in ``Project.return_status``).
RETURN = "return"

S = ProjectStatus


@dataclass(frozen=True, eq=False)
class Transition:
    """One step: from any of ``sources`` to ``target``.

    ``disclosure_kind``: the 公示/公告 the step goes with (``duikou.disclosure`` guards it).
    ``decides``: a decision that may be rejected (the rejection is recorded; the status stays).
    ``waits``: a project in a source status waits for this step (the to-do list shows it).

    A transition compares equal to its key, so guards may test ``transition == "approve_library"``.
    """

    key: str
    sources: tuple[str, ...]
    target: str
    label: str
    disclosure_kind: str | None = None
    decides: bool = False
    waits: bool = True

    def __eq__(self, other):
        if isinstance(other, Transition):
            return self.key == other.key
        if isinstance(other, str):
            return self.key == other
        return NotImplemented

    def __hash__(self):
        return hash(self.key)

    def __str__(self):
        return self.key

    def target_for(self, project) -> str:
        return project.return_status if self.target == RETURN else self.target


def _t(key: TransitionKey, sources, target, **kwargs) -> Transition:
    return Transition(key.value, tuple(str(s) for s in sources), str(target), key.label, **kwargs)


K = TransitionKey
_NOT_ENDED = tuple(s for s in S.values if s not in (S.CLOSED, S.CANCELLED))

TRANSITIONS: dict[str, Transition] = {t.key: t for t in (
    _t(K.PROPOSE, [S.DRAFT], S.PROPOSED),
    _t(K.TOWNSHIP_REVIEW, [S.PROPOSED], S.TOWNSHIP_REVIEWED, decides=True),
    _t(K.APPROVE_LIBRARY, [S.TOWNSHIP_REVIEWED], S.IN_LIBRARY, disclosure_kind="library", decides=True),
    _t(K.PLAN, [S.IN_LIBRARY], S.PLANNED, disclosure_kind="annual_plan", decides=True),
    _t(K.AGREE, [S.PLANNED], S.AGREED),
    _t(K.PROCURE, [S.AGREED], S.PREPARING),
    _t(K.START, [S.PREPARING], S.IN_PROGRESS, disclosure_kind="pre_implementation"),
    _t(K.COMPLETE, [S.IN_PROGRESS], S.COMPLETED),
    _t(K.ACCEPT, [S.COMPLETED], S.ACCEPTED, decides=True),
    _t(K.HAND_OVER, [S.ACCEPTED], S.HANDED_OVER),
    _t(K.EVALUATE, [S.HANDED_OVER], S.EVALUATED),
    _t(K.AUDIT, [S.EVALUATED], S.AUDITED),
    _t(K.CLOSE, [S.AUDITED], S.CLOSED, disclosure_kind="completion", decides=True),
    _t(K.REQUEST_CHANGE, ACTIVE_STATUSES, S.CHANGE_PENDING, waits=False),
    _t(K.APPROVE_CHANGE, [S.CHANGE_PENDING], RETURN),
    _t(K.REJECT_CHANGE, [S.CHANGE_PENDING], RETURN),
    _t(K.SUSPEND, ACTIVE_STATUSES, S.SUSPENDED, waits=False),
    _t(K.RESUME, [S.SUSPENDED], RETURN, waits=False),
    _t(K.CANCEL, _NOT_ENDED, S.CANCELLED, waits=False),
)}

# The project fields a change request (变更) may ask to change.
CHANGEABLE_FIELDS = ("name", "budget", "end_year", "description")


# policy ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Who may take a step: roles (codes) on a side of the pairing. ``origin``: ``default``, the
    programme's row, or the rule that set it."""

    side: str
    role_codes: tuple[str, ...]
    origin: str = "default"

    def admits(self, role: ActingRole) -> bool:
        if role.role not in self.role_codes:
            return False
        return self.side == PolicySide.ANY or role.side in (self.side, PolicySide.ANY)


RECIPIENT, SUPPORTER, ANY = PolicySide.RECIPIENT.value, PolicySide.SUPPORTER.value, PolicySide.ANY.value
_RECIPIENT_OFFICE = ("recipient_office",)
_SUPPORTER_OFFICES = ("supporter_office", "district_office")
# "accept" has no entry: its default role is the rule ``acceptance.owner`` (the recipient's office).
DEFAULT_POLICY: dict[str, tuple[str, tuple[str, ...]]] = {
    K.PROPOSE: (RECIPIENT, _RECIPIENT_OFFICE),
    K.TOWNSHIP_REVIEW: (RECIPIENT, _RECIPIENT_OFFICE),
    K.APPROVE_LIBRARY: (SUPPORTER, _SUPPORTER_OFFICES),
    K.PLAN: (SUPPORTER, _SUPPORTER_OFFICES),
    K.AGREE: (RECIPIENT, _RECIPIENT_OFFICE),
    K.PROCURE: (RECIPIENT, _RECIPIENT_OFFICE),
    K.START: (RECIPIENT, _RECIPIENT_OFFICE),
    K.COMPLETE: (RECIPIENT, _RECIPIENT_OFFICE),
    K.HAND_OVER: (RECIPIENT, _RECIPIENT_OFFICE),
    K.EVALUATE: (RECIPIENT, _RECIPIENT_OFFICE),
    K.AUDIT: (RECIPIENT, _RECIPIENT_OFFICE),
    K.CLOSE: (SUPPORTER, _SUPPORTER_OFFICES),
    K.REQUEST_CHANGE: (ANY, _RECIPIENT_OFFICE + _SUPPORTER_OFFICES),
    K.APPROVE_CHANGE: (SUPPORTER, _SUPPORTER_OFFICES),
    K.REJECT_CHANGE: (SUPPORTER, _SUPPORTER_OFFICES),
    K.SUSPEND: (SUPPORTER, _SUPPORTER_OFFICES),
    K.RESUME: (SUPPORTER, _SUPPORTER_OFFICES),
    K.CANCEL: (SUPPORTER, _SUPPORTER_OFFICES),
}
DEFAULT_POLICY = {str(k): v for k, v in DEFAULT_POLICY.items()}

# Above ``approval.high_amount_threshold`` only this role approves a project into the library.
HIGH_AMOUNT_ROLE = "supporter_office"


class Lookups:
    """What the checks read (policies, rules, memberships, the organisation tree), read once per
    call: one step, one project page or one to-do list. Never kept longer, so a changed rule or
    policy applies to the next call."""

    def __init__(self):
        self.policies: dict = {}
        self.rules: dict = {}
        self.ancestors: dict = {}
        self.roles: dict = {}
        self.memberships: dict = {}

    def rule(self, key: str, pairing, year: int):
        if (key, pairing.pk, year) not in self.rules:
            self.rules[key, pairing.pk, year] = rule_value(key, pairing=pairing, year=year)
        return self.rules[key, pairing.pk, year]


def policy_for(programme, transition: str, *, pairing=None, year: int | None = None,
               lookups: Lookups | None = None) -> Policy:
    """The policy of ``transition`` in ``programme``: the programme's row, else the default
    (for ``accept``: the role the rule ``acceptance.owner`` names, on either side)."""
    key = str(transition)
    lookups = lookups or Lookups()
    if programme.pk not in lookups.policies:
        lookups.policies[programme.pk] = {
            p.transition: p for p in TransitionPolicy.objects.filter(programme_id=programme.pk)}
    row = lookups.policies[programme.pk].get(key)
    if row is not None:
        return Policy(row.side, tuple(row.role_codes), origin="programme")
    if key == K.ACCEPT:
        owner = (lookups.rule("acceptance.owner", pairing, year) if pairing is not None
                 else rule_value("acceptance.owner", programme=programme, year=year))
        return Policy(ANY, (str(owner),), origin="acceptance.owner")
    side, codes = DEFAULT_POLICY[key]
    return Policy(side, codes)


# the actor's roles on a project ---------------------------------------------------------------


@dataclass(frozen=True)
class ActingRole:
    """A role the actor holds for a project: through a membership of ``organisation`` on ``side``."""

    side: str
    role: str
    role_name: str
    organisation: object = None
    distance: int = 0  # 0: the pairing's own supporter or recipient; more: above or below it


def _ancestors(lookups: Lookups, org_id: int) -> list[int]:
    """``org_id`` and the organisations above it, nearest first."""
    from duikou.organisations.models import Organisation

    cache = lookups.ancestors
    if org_id not in cache:
        chain, current = [], org_id
        while current is not None and current not in chain:
            chain.append(current)
            current = Organisation._base_manager.filter(pk=current).values_list("parent_id", flat=True).first()
        cache[org_id] = chain
    return cache[org_id]


def _relation(lookups: Lookups, member_org_id: int, party_id: int) -> int | None:
    """How far the member's organisation is from a party of the pairing in the organisation tree
    (0: the party itself), or ``None`` when neither lies above the other."""
    above = _ancestors(lookups, party_id)
    if member_org_id in above:
        return above.index(member_org_id)
    below = _ancestors(lookups, member_org_id)
    if party_id in below:
        return below.index(party_id)
    return None


def acting_roles(actor, project, lookups: Lookups | None = None) -> list[ActingRole]:
    """The roles ``actor`` holds for ``project``'s pairing, nearest organisation first."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    if isinstance(actor, SystemActor):
        return [ActingRole(ANY, "system", gettext("system"))]
    if getattr(actor, "is_superuser", False):
        return [ActingRole(ANY, "superuser", gettext("superuser"))]
    lookups = lookups or Lookups()
    cache = lookups.roles
    pairing = project.pairing
    if pairing.pk in cache:
        return cache[pairing.pk]
    from duikou.accounts.models import Membership

    memberships = lookups.memberships
    if "rows" not in memberships:
        memberships["rows"] = list(Membership.objects.filter(user_id=actor.pk).select_related("role", "organisation"))
    roles = []
    for m in memberships["rows"]:
        if m.role.all_organisations:
            roles.append(ActingRole(ANY, m.role.code, m.role.name, m.organisation, 99))
            continue
        for side, party in ((SUPPORTER, pairing.supporter_id), (RECIPIENT, pairing.recipient_id)):
            distance = _relation(lookups, m.organisation_id, party)
            if distance is not None:
                roles.append(ActingRole(side, m.role.code, m.role.name, m.organisation, distance))
    roles.sort(key=lambda r: r.distance)
    cache[pairing.pk] = roles
    return roles


def pending_change(project) -> ApprovalRecord | None:
    """The change request a project in CHANGE_PENDING waits on (its latest one)."""
    return project.approvals.filter(transition=K.REQUEST_CHANGE, decision=Decision.APPROVE).order_by("-id").first()


def _budget_delta(project, changes: dict | None) -> Decimal:
    requested = (changes or {}).get("budget")
    if requested in (None, ""):
        return Decimal(0)
    return abs(Decimal(str(requested)) - project.budget)


def required_policies(project, transition: Transition, *, on: dt.date, changes: dict | None = None,
                      lookups: Lookups | None = None) -> tuple[list[Policy], str]:
    """The policies of which the actor must satisfy one, and why (a sentence for the refusal).

    Two rules narrow or widen the programme's policy:

    - 审定 (``approve_library``) of a project whose budget exceeds ``approval.high_amount_threshold``
      needs the supporter's office (``supporter_office``); a district office is not enough.
    - A change whose budget delta is at most ``approval.change_threshold`` (when that is above 0)
      may also be decided by those who may request changes; otherwise it needs the policy of
      ``approve_change`` (the supporter's side). With the default 0, every change does.
    """
    lookups = lookups or Lookups()
    pairing, year = project.pairing, on.year
    policy = policy_for(pairing.programme, transition.key, pairing=pairing, year=year, lookups=lookups)
    if transition == K.APPROVE_LIBRARY:
        threshold = lookups.rule("approval.high_amount_threshold", pairing, year)
        if project.budget > threshold:
            why = _("The budget ({budget} yuan) exceeds {threshold} yuan (approval.high_amount_threshold): "
                    "the supporter's office must approve, a district office is not enough.").format(
                budget=f"{project.budget:,.2f}", threshold=f"{Decimal(threshold):,.2f}")
            return [Policy(SUPPORTER, (HIGH_AMOUNT_ROLE,), origin="approval.high_amount_threshold")], str(why)
    if transition in (K.APPROVE_CHANGE, K.REJECT_CHANGE):
        threshold = Decimal(lookups.rule("approval.change_threshold", pairing, year))
        request = pending_change(project)
        asked = dict(request.field_changes if request else {})
        if transition == K.APPROVE_CHANGE:
            asked.update(changes or {})
        delta = _budget_delta(project, asked)
        if threshold > 0 and delta <= threshold:
            requester = policy_for(pairing.programme, K.REQUEST_CHANGE, pairing=pairing, year=year, lookups=lookups)
            return [policy, requester], ""
        why = _("A change of {delta} yuan needs the supporter's approval (approval.change_threshold: {threshold} yuan).")
        return [policy], str(why.format(delta=f"{delta:,.2f}", threshold=f"{threshold:,.2f}"))
    return [policy], ""


class TransitionDenied(PermissionDenied):
    """The actor's roles do not allow the step (a :class:`duikou.core.errors.PermissionDenied`)."""

    def __init__(self, message, *, obj):
        self.action = "change"
        self.obj = obj
        DjangoPermissionDenied.__init__(self, message)


def _describe(policies: list[Policy]) -> str:
    from duikou.accounts.models import Role

    names = dict(Role.objects.filter(code__in={c for p in policies for c in p.role_codes}).values_list("code", "name"))
    sides = dict(PolicySide.choices)
    parts = []
    for p in policies:
        roles = gettext(" or ").join(str(names.get(c, c)) for c in p.role_codes)
        parts.append(gettext("{roles} ({side})").format(roles=roles, side=sides[p.side]))
    return gettext("; ").join(parts)


def _acting_role(actor, project, transition: Transition, *, on, changes=None,
                 lookups: Lookups) -> tuple[ActingRole | None, list[Policy], str, list[ActingRole]]:
    """(the role the actor takes the step in or ``None``, the policies, why, the actor's roles)."""
    policies, why = required_policies(project, transition, on=on, changes=changes, lookups=lookups)
    roles = acting_roles(actor, project, lookups)
    if roles and roles[0].role in ("system", "superuser"):
        return roles[0], policies, why, roles
    for policy in policies:
        for role in roles:
            if policy.admits(role):
                return role, policies, why, roles
    return None, policies, why, roles


def _authorise(actor, project, transition: Transition, *, on, changes=None,
               lookups: Lookups | None = None) -> ActingRole:
    """The role the actor takes the step in, or :class:`TransitionDenied` saying who may."""
    role, policies, why, roles = _acting_role(actor, project, transition, on=on, changes=changes,
                                              lookups=lookups or Lookups())
    if role is not None:
        return role
    yours = gettext(", ").join(
        f"{r.role_name} ({r.organisation})" for r in roles) or gettext("none")
    message = gettext("You may not take the step “{step}” on this project: it needs {who}. "
                      "Your roles for this project: {yours}.").format(
        step=transition.label, who=_describe(policies), yours=yours)
    raise TransitionDenied(f"{message} {why}".strip(), obj=project)


# guards -----------------------------------------------------------------------------------------

Guard = Callable[..., list]
_GUARDS: list[Guard] = []


def register_guard(fn: Guard) -> Guard:
    """Add a guard ``fn(*, project, transition, actor, on) -> list[str]`` run before every step
    that is approved (not for rejections). Registering the same function twice adds it once;
    usable as a decorator."""
    if fn not in _GUARDS:
        _GUARDS.append(fn)
    return fn


def unregister_guard(fn: Guard) -> None:
    """Remove a guard (tests)."""
    if fn in _GUARDS:
        _GUARDS.remove(fn)


def guard_messages(*, project, transition: Transition, actor, on: dt.date) -> list[str]:
    """The messages of every guard that blocks ``transition`` now."""
    messages = []
    for guard in list(_GUARDS):
        messages += [str(m) for m in (guard(project=project, transition=transition, actor=actor, on=on) or [])]
    return messages


def completeness_before_library(*, project, transition, actor, on) -> list[str]:
    """Rule ``completeness.before_library`` (domain guide §6), the project's part: before 审定入库 the
    project names its implementing unit, has at least one output and states its farmer-linkage
    mechanism (联农带农). The performance indicators are checked by ``duikou.performance``."""
    if transition != K.APPROVE_LIBRARY or not rule_value("completeness.before_library", pairing=project.pairing,
                                                         year=on.year):
        return []
    missing = []
    if not project.implementing_unit_id:
        missing.append(_("Name the implementing unit (实施单位) before the project enters the library."))
    if not project.outputs.exists():
        missing.append(_("Add at least one output (e.g. 教学楼 1 栋) before the project enters the library."))
    if not project.farmer_linkage.strip():
        missing.append(_("Describe the farmer-linkage mechanism (联农带农) before the project enters the library "
                         "(write 不涉及 where none applies)."))
    return [str(m) for m in missing]


register_guard(completeness_before_library)


# the service ----------------------------------------------------------------------------------


def _status_label(value: str) -> str:
    return str(dict(S.choices).get(value, value))


def _check_order(project, transition: Transition) -> None:
    if project.status in transition.sources:
        if transition.target == RETURN and not project.return_status:
            raise ValidationError({"transition": _(
                "“{step}” needs the status to return to, and none is recorded for this project.").format(
                step=transition.label)})
        return
    raise ValidationError({"transition": _(
        "“{step}” is not possible while the project is “{status}”; it applies to projects that are: {sources}."
    ).format(step=transition.label, status=_status_label(project.status),
             sources=gettext(", ").join(_status_label(s) for s in transition.sources))})


def _clean_changes(project, changes: dict | None) -> dict:
    """The requested changes, checked against the project's rules, as JSON-safe values."""
    changes = {k: v for k, v in (changes or {}).items() if v not in (None, "")}
    unknown = sorted(set(changes) - set(CHANGEABLE_FIELDS))
    if unknown:
        raise ValidationError({"changes": _("These fields cannot be changed by a change request: {fields}").format(
            fields=", ".join(unknown))})
    trial = Project(**{f.attname: getattr(project, f.attname) for f in Project._meta.concrete_fields})
    for name, value in changes.items():
        setattr(trial, name, value)
    trial.full_clean(validate_unique=False)
    out = {}
    for name in changes:
        value = getattr(trial, name)
        if isinstance(value, Decimal):  # stored form: "3500000.00", as in the audit log
            places = Project._meta.get_field(name).decimal_places
            value = format(value.quantize(Decimal(1).scaleb(-places)), "f")
        out[name] = value
    return out


def project_transition(*, actor, project, transition: str, decision: str = Decision.APPROVE, opinion: str = "",
                       doc_no: str = "", on: dt.date | None = None, changes: dict | None = None,
                       expected_status: str | None = None) -> ApprovalRecord:
    """Take one step of the project's lifecycle and record the decision.

    ``decision`` is ``"approve"`` or, for the steps that are decisions, ``"reject"`` (recorded;
    the status stays). ``on`` is the date of the decision (default today). ``changes``: for
    ``request_change`` the fields asked for (:data:`CHANGEABLE_FIELDS`: budget, content …), for
    ``approve_change`` amendments to them; an approved change is applied to the project.
    ``expected_status``: the status the caller saw (default: ``project.status``); if the project
    has moved on meanwhile, the step is refused.

    Raises ``ValidationError({"transition": …})`` for an unknown step, an illegal order, a status
    that changed meanwhile or a guard that blocks; ``{"decision": …}``, ``{"decided_on": …}`` or a
    project field for bad input; :class:`TransitionDenied` (a ``PermissionDenied``) when the
    actor's roles do not allow the step. Nothing is saved then.
    """
    t = TRANSITIONS.get(str(transition))
    if t is None:
        raise ValidationError({"transition": _("Unknown step: {key}").format(key=transition)})
    if decision not in Decision.values:
        raise ValidationError({"decision": _("The decision is “approve” or “reject”.")})
    if decision == Decision.REJECT and not t.decides:
        raise ValidationError({"decision": _("“{step}” is not a decision that can be rejected.").format(step=t.label)})
    if t == K.REJECT_CHANGE:
        decision = Decision.REJECT
    on = on or timezone.localdate()
    if not can(actor, "view", project):
        raise PermissionDenied(action="view", obj=project)
    expected = expected_status if expected_status is not None else project.status
    with transaction.atomic():
        locked = Project.objects.select_for_update(of=("self",)).select_related("pairing__programme").get(pk=project.pk)
        if locked.status != expected:
            raise ValidationError({"transition": _(
                "The project's status changed meanwhile: it is now “{status}”. Reload the page and decide again."
            ).format(status=_status_label(locked.status))})
        _check_order(locked, t)
        role = _authorise(actor, locked, t, on=on, changes=changes)
        last = locked.approvals.order_by("-decided_on").values_list("decided_on", flat=True).first()
        if last and on < last:
            raise ValidationError({"decided_on": _(
                "The date must not be before the project's previous step ({date}).").format(date=last)})
        # A rejection leaves the status, except the rejection of a change, which returns.
        approved = decision == Decision.APPROVE or t == K.REJECT_CHANGE
        if approved:
            blocking = guard_messages(project=locked, transition=t, actor=actor, on=on)
            if blocking:
                raise ValidationError({"transition": blocking})
        applied = {}
        if t == K.REQUEST_CHANGE:
            applied = _clean_changes(locked, changes)
            if not applied and not opinion.strip():
                raise ValidationError({"opinion": _("Say what should change: a new budget or content, or the "
                                                    "reasons in the opinion.")})
        elif t == K.APPROVE_CHANGE:
            request = pending_change(locked)
            applied = _clean_changes(locked, {**(request.field_changes if request else {}), **(changes or {})})
        elif changes:
            raise ValidationError({"changes": _("Only a change request carries changes.")})

        from_status = locked.status
        to_status = t.target_for(locked) if approved else from_status
        user = actor if getattr(actor, "pk", None) and not isinstance(actor, SystemActor) else None
        name = getattr(actor, "username", "") or str(actor)
        approval = ApprovalRecord(
            project=locked, transition=t.key, from_status=from_status, to_status=to_status, decision=decision,
            actor=user, actor_name=name[:150], actor_org=role.organisation, role=role.role, role_name=str(role.role_name)[:100], decided_on=on,
            opinion=opinion, doc_no=doc_no, changes=[[name, value] for name, value in applied.items()],
        )
        approval.full_clean()
        approval.save()
        record(approval, action=ObjectChange.Action.CREATE, actor=actor, message=str(t.label))
        if to_status != from_status or (approved and t == K.APPROVE_CHANGE):
            before = snapshot(locked)
            if approved and t == K.APPROVE_CHANGE:
                for field, value in applied.items():
                    setattr(locked, field, value)
            locked.return_status = from_status if t.key in (K.REQUEST_CHANGE, K.SUSPEND) else ""
            locked.status = to_status
            locked.full_clean()
            locked.save()
            record(locked, action=ObjectChange.Action.UPDATE, before=before, actor=actor, message=str(t.label))
    project.refresh_from_db()
    return approval


# what the actor may do ------------------------------------------------------------------------


def available_transitions(actor, project, *, on: dt.date | None = None, waiting_only: bool = False,
                          lookups: Lookups | None = None) -> list[Transition]:
    """The steps the actor may take on the project now (order and role; guards not run)."""
    on = on or timezone.localdate()
    lookups = lookups or Lookups()
    if not can(actor, "view", project):
        return []
    out = []
    for t in TRANSITIONS.values():
        if project.status not in t.sources or (waiting_only and not t.waits):
            continue
        if t.target == RETURN and not project.return_status:
            continue
        if _acting_role(actor, project, t, on=on, lookups=lookups)[0] is not None:
            out.append(t)
    return out


def may_take_steps(user) -> bool:
    """Does the user hold a role that some policy names (the to-do list's menu link)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    from duikou.accounts.models import Membership

    codes = set(Membership.objects.filter(user_id=user.pk).values_list("role__code", flat=True))
    if not codes:
        return False
    named = {c for _side, roles in DEFAULT_POLICY.values() for c in roles} | {str(rule_value("acceptance.owner"))}
    for row in TransitionPolicy.objects.values_list("role_codes", flat=True):
        named |= set(row or [])
    return bool(codes & named)
