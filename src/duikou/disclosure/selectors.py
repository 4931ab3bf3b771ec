"""Reads for this app, always through restrict()."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from duikou.core.errors import ApplicationError
from duikou.core.privacy import PlacedFinding, check_publishable, privacy_messages
from duikou.core.selectors import crud_selectors, restricted_get
from duikou.rules.selectors import rule_value

from .choices import DisclosureStatus, ObjectionDecision
from .content import build_content
from .guards import proceed_from
from .models import Disclosure, Objection

__all__ = [
    "DisclosureDocument",
    "PrivacyRefused",
    "Readiness",
    "disclosure_content",
    "disclosure_document",
    "disclosure_get",
    "disclosure_list",
    "disclosure_readiness",
    "objection_get",
    "objection_list",
]

disclosure_list, disclosure_get = crud_selectors(Disclosure)
objection_list, objection_get = crud_selectors(Objection)


class PrivacyRefused(ApplicationError):
    """The notice holds personal data: it is neither published nor shown nor exported."""

    def __init__(self, findings: list[PlacedFinding]):
        self.findings = findings
        self.messages = privacy_messages(findings)
        super().__init__(" ".join(self.messages), extra={"findings": self.messages})


def disclosure_content(*, actor, disclosure: Disclosure) -> dict:
    """What the notice shows: the frozen snapshot once published, else the content built from the
    records now (a draft's preview)."""
    if disclosure.is_draft:
        return build_content(disclosure, actor=actor)
    return disclosure.content_snapshot


@dataclass(frozen=True)
class DisclosureDocument:
    disclosure: Disclosure
    content: dict


def disclosure_document(*, actor, pk) -> DisclosureDocument:
    """The notice with its content, for its printable page and its .docx. ``Http404`` if the
    actor may not see it; :class:`PrivacyRefused` if the content holds personal data (the check
    runs on every export, drafts and published notices alike)."""
    disclosure = restricted_get(Disclosure, actor=actor, pk=pk)
    content = disclosure_content(actor=actor, disclosure=disclosure)
    findings = check_publishable(content)
    if findings:
        raise PrivacyRefused(findings)
    return DisclosureDocument(disclosure, content)


@dataclass(frozen=True)
class Readiness:
    """When a published notice lets the lifecycle proceed: ``proceed_from`` (period rule) and the
    objections that hold it up (upheld or not yet decided)."""

    min_days: int
    proceed_from: dt.date | None
    blocking_objections: tuple
    open: bool


def disclosure_readiness(disclosure: Disclosure, *, on: dt.date | None = None) -> Readiness | None:
    """``None`` for a draft or a withdrawn notice (they open nothing)."""
    if disclosure.status != DisclosureStatus.PUBLISHED:
        return None
    on = on or timezone.localdate()
    min_days = int(rule_value("disclosure.min_days", pairing=disclosure.pairing, year=on.year))
    ready = proceed_from(disclosure, min_days)
    blocking = tuple(o for o in disclosure.objections.all()
                     if o.decision in (ObjectionDecision.UPHELD, ObjectionDecision.PENDING))
    return Readiness(min_days, ready, blocking, bool(ready and on >= ready and not blocking))
