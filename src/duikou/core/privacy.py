"""The privacy check: personal data that a public notice (公示/公告) must never show.

County rules for published project and fund notices forbid 身份证号, 手机号, 银行账号 and 健康状况
(domain guide §5). :func:`find_personal_data` looks for them in one text; :func:`check_publishable`
walks every string of a document's content (nested dicts and lists, as frozen in a disclosure's
snapshot) and says where each one is.

What is found, and why (``docs/user/disclosure.md`` has the same list for users):

``id_number``
    An 18-digit resident identity number (GB 11643-1999) whose birth date is a real date and whose
    check digit is right (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mod 11 → ``10X98765432``),
    or a 15-digit number of the old format (6-digit area, ``YYMMDD`` birth date, 3 digits). Masked
    numbers (``422823********1234``) are the accepted way to publish and are not found.
``mobile``
    A mainland mobile number ``1[3-9]`` + 9 digits, also written ``138 1234 5678``, ``138-1234-5678``,
    ``+86 138…`` or ``86138…``. A mobile belongs to a person, wherever it appears.
``landline``
    A fixed line with its area code (``0718-4321234``, ``(027)87654321``), **only in fields about
    people** (beneficiary lists): there it is a household's number. Elsewhere a landline is an
    office's number (监督电话, the implementer's contact), which notices are required to publish,
    and is not found. Short service numbers (the 12317 supervision hotline, 12345) are never found.
``bank_account``
    16–19 digits (contiguous or in groups of four) that pass the Luhn check (bank cards), or a run
    of 8–30 digits right after a word that names an account: 存折, 账号, 帐号, 卡号, 账户, 帐户, 开户行,
    银行卡 (passbook and account numbers do not always carry a Luhn digit).
``health``
    Words that describe a person's health (:data:`HEALTH_TERMS`: 病, 患, 诊断, 艾滋, 精神, 残疾 …),
    **only in fields about people**. Project names such as 巴东县血液透析中心改造工程 or a 精神卫生
    中心 are about buildings, not people, and are not checked. A term directly followed by a count
    of :data:`AGGREGATE_MIN` or more people (``透析患者300人``) states a group's size, not anyone's
    health, and is not found; a smaller count would point at individuals and is found.

Digits followed by a decimal part or by 元, 万 or 亿 are an amount and never found as a phone or
card number (``13000000000元``).

Limits: the check reads digits and words, not meaning. It does not find names, addresses,
numbers written in Chinese numerals or with unusual separators, ID numbers with a wrong check
digit, bank numbers outside the patterns above, or health data phrased without the listed words.
It may refuse a long number that merely looks like a bank card (passes Luhn). It is a safety net
under the rule "collect no personal data in these fields", not a replacement for reading the
notice before it goes up.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

__all__ = [
    "AGGREGATE_MIN",
    "HEALTH_TERMS",
    "KIND_LABELS",
    "Finding",
    "PlacedFinding",
    "check_publishable",
    "find_personal_data",
    "is_valid_id_number",
    "luhn_ok",
    "mask",
    "privacy_messages",
]

KIND_LABELS = {
    "id_number": _("an ID card number"),
    "mobile": _("a mobile phone number"),
    "landline": _("a private landline number"),
    "bank_account": _("a bank card or account number"),
    "health": _("health information"),
}

# Words that describe someone's health. 病 covers 疾病, 大病, 重病, 慢性病, 病史 …; 患 covers 患者,
# 患有, 罹患; 精神 covers 精神病, 精神障碍, 精神残疾; 残疾 covers 残疾人, 残疾证, 残疾等级.
HEALTH_TERMS = (
    "病", "患", "诊断", "确诊", "艾滋", "HIV", "精神", "残疾", "残障", "伤残", "智障", "智力障碍", "癌", "肿瘤",
    "瘫痪", "偏瘫", "透析", "尿毒症", "白血病", "传染", "结核", "肝炎", "失能", "失智", "痴呆",
)
AGGREGATE_MIN = 10  # a health term followed by at least this many people is a group's size

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# a number followed by more digits, a decimal part or a unit of money is an amount, not a number to dial
_NOT_AN_AMOUNT = r"(?![0-9A-Za-z]|\.\d|\s*[元万亿])"
_ID18 = re.compile(r"(?<![0-9A-Za-z.])(\d{17}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z.])(\d{15})(?![0-9A-Za-z]|\.\d)")
_MOBILE = re.compile(r"(?<![0-9A-Za-z.+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})" + _NOT_AN_AMOUNT)
_LANDLINE = re.compile(r"(?<![0-9A-Za-z.])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[\s-])\s?\d{7,8}(?![0-9A-Za-z]|\.\d)")
_CARD = re.compile(r"(?<![0-9A-Za-z.])(\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?)" + _NOT_AN_AMOUNT)
_ACCOUNT_CONTEXT = re.compile(
    r"(?:存折|账号|帐号|卡号|账户|帐户|开户行|银行卡)[^0-9\n]{0,12}?(\d(?:[\s-]?\d){7,29})(?![0-9A-Za-z]|\.\d)"
)
_HEALTH = re.compile("|".join(re.escape(t) for t in sorted(HEALTH_TERMS, key=len, reverse=True)), re.IGNORECASE)
_COUNT_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}?\s*(?:约|共|达|计)?\s*(\d+)\s*(?:余|多)?\s*(?:名|人|户|人次)")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: its kind (a key of :data:`KIND_LABELS`) and the
    excerpt, masked so that a message about it does not publish it again."""

    kind: str
    excerpt: str
    start: int = 0
    end: int = 0

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class PlacedFinding:
    """A finding with the place in the document where it is (``项目「…」 › 建设内容``)."""

    field: str
    finding: Finding


def mask(text: str) -> str:
    """Keep the first three and last two digits of a number (``138******78``); other text as is."""
    digits = [i for i, c in enumerate(text) if c.isdigit() or c in "Xx"]
    if len(digits) < 7:
        return text
    hidden = set(digits[3:-2])
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


def _birth_date(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1880, 1, 1) <= born <= dt.date.today()


def is_valid_id_number(number: str) -> bool:
    """A real-looking resident ID: 18 characters with a real birth date and the right check
    digit, or 15 digits of the old format with a real birth date (19YYMMDD)."""
    number = number.upper()
    if len(number) == 18 and number[:17].isdigit():
        if number[0] not in "12345678":
            return False
        if not _birth_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            return False
        total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
        return _CHECK[total % 11] == number[17]
    if len(number) == 15 and number.isdigit():
        return number[0] in "12345678" and _birth_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


def _is_aggregate(text: str, end: int) -> bool:
    """Is the health term ending at ``end`` followed by a count of at least AGGREGATE_MIN people?"""
    match = _COUNT_AFTER.match(text, end)
    return bool(match) and int(match.group(1)) >= AGGREGATE_MIN


def find_personal_data(text: str, *, people: bool = False) -> list[Finding]:
    """The personal data in ``text``, in order of position.

    ``people``: the text is about people (a beneficiary list): private landlines and health terms
    count there too (see the module's docstring)."""
    if not text:
        return []
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind, start, end):
        if _overlaps(start, end, taken):
            return
        taken.append((start, end))
        found.append(Finding(kind=kind, excerpt=mask(text[start:end]), start=start, end=end))

    for m in _ID18.finditer(text):
        if is_valid_id_number(m.group(1)):
            add("id_number", *m.span(1))
    for m in _ID15.finditer(text):
        if is_valid_id_number(m.group(1)):
            add("id_number", *m.span(1))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            add("bank_account", *m.span(1))
    for m in _ACCOUNT_CONTEXT.finditer(text):
        add("bank_account", *m.span(1))
    for m in _MOBILE.finditer(text):
        add("mobile", *m.span())
    if people:
        for m in _LANDLINE.finditer(text):
            add("landline", *m.span())
        spans: list[list[int]] = []
        for m in _HEALTH.finditer(text):
            if _is_aggregate(text, m.end()):
                continue
            if spans and m.start() - spans[-1][1] <= 2:  # 重病患者, 患尿毒症: one finding
                spans[-1][1] = m.end()
            else:
                spans.append([m.start(), m.end()])
        for start, end in spans:
            add("health", start, end)
    return sorted(found, key=lambda f: f.start)


def _walk(node, place: tuple[str, ...], people: bool) -> Iterator[tuple[str, str, bool]]:
    """(place, text, about people) for every string in a JSON-like value.

    A dict's ``label`` names the place of what it holds, its ``labels`` (``{key: label}``) the
    place of single keys; a dict with ``"people": true`` marks all it holds as being about people."""
    if isinstance(node, str):
        yield " › ".join(place), node, people
    elif isinstance(node, dict):
        label = node.get("label")
        inner = (*place, label) if isinstance(label, str) and label else place
        inner_people = people or node.get("people") is True
        names = node.get("labels") if isinstance(node.get("labels"), dict) else {}
        for key, value in node.items():
            if key == "label":
                yield from _walk(value, place, people)
            elif key in names and isinstance(names[key], str):
                yield from _walk(value, (*inner, names[key]), inner_people)
            else:
                yield from _walk(value, inner, inner_people)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item, place, people)


def check_publishable(content) -> list[PlacedFinding]:
    """Every piece of personal data in ``content`` (a document's content: strings in nested dicts
    and lists, e.g. a disclosure's snapshot), with its place. Empty: the content may be published."""
    return [
        PlacedFinding(field=place or str(_("document")), finding=finding)
        for place, text, people in _walk(content, (), False)
        for finding in find_personal_data(text, people=people)
    ]


def privacy_messages(findings: list[PlacedFinding]) -> list[str]:
    """One message per finding: where, what kind, and the masked excerpt."""
    return [
        str(_("{field} contains {kind} ({excerpt}): personal data is never published.")).format(
            field=f.field, kind=f.finding.label, excerpt=f.finding.excerpt
        )
        for f in findings
    ]
