"""Safe XML for IATI: the schema shipped in the package, a parser that reads nothing outside the
file, and a streaming reader of ``iati-activity`` elements.

Hostile input (issue 5 §6) is refused before any byte of it is parsed: :func:`check_prolog` reads
the file's prolog (everything before the root element) and refuses a document type declaration
(``<!DOCTYPE``), which is where external entities (XXE), entity expansion ("billion laughs") and DTD
URLs live. The parser is hardened all the same (``resolve_entities=False``, ``no_network=True``,
``load_dtd=False``, ``huge_tree=False``): an entity reference without a declaration is a syntax
error, nothing is fetched, nothing is expanded.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

__all__ = [
    "PARSER_OPTIONS",
    "SCHEMA_DIR",
    "HostileXML",
    "SchemaError",
    "activity_errors",
    "activity_schema",
    "check_prolog",
    "iter_activities",
    "safe_parser",
    "validate_document",
]

SCHEMA_DIR = Path(__file__).parent / "schema" / "2.03"

PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
                  "dtd_validation": False}

# How much of the start of a file may be prolog (XML declaration, comments, processing instructions).
PROLOG_LIMIT = 64 * 1024


class HostileXML(ValueError):
    """The file declares a DTD or entities, or is not well-formed XML: refused as a whole."""


@dataclass(frozen=True)
class SchemaError:
    line: int
    message: str

    def __str__(self):
        return _("line {line}: {message}").format(line=self.line, message=self.message)


def safe_parser(**extra) -> etree.XMLParser:
    return etree.XMLParser(remove_blank_text=False, **PARSER_OPTIONS, **extra)


@functools.cache
def activity_schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema, compiled from the copies in ``schema/2.03`` (no network)."""
    doc = etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd"), safe_parser())
    return etree.XMLSchema(doc)


_REFUSED = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else
                           ("utf-16-le" if head[:1] == b"<" else "utf-16-be"), errors="replace")
    return head.decode("utf-8", errors="replace")


def check_prolog(path) -> None:
    """Refuse a file whose prolog declares a document type or entities (XXE, billion laughs, DTD
    URLs), before anything is parsed: the prolog (XML declaration, comments, processing
    instructions) is skipped item by item up to the root element. Raises :class:`HostileXML`."""
    with open(path, "rb") as fh:
        text = _decode(fh.read(PROLOG_LIMIT)).lstrip("\ufeff")
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
        else:
            break
        if end < 0:
            break
        pos = end + 2
    if _REFUSED.match(text, pos) or _REFUSED.search(text[:pos]):
        raise HostileXML(REFUSED_DTD())


def REFUSED_DTD():  # noqa: N802 - a message, translated when raised
    return _("The file declares a document type (DOCTYPE) or entities: IATI files need neither, and external "
             "entities, entity expansion and DTD references are refused.")


def iter_activities(source, path=None) -> Iterator[tuple[etree._Element, etree._Element]]:
    """(root, activity) for each ``iati-activity`` of the file, streaming: each element is cleared
    after the caller has used it and its finished siblings are dropped, so memory stays flat
    whatever the file size. ``source`` is a path or a binary file (then ``path`` names it for
    the prolog check). Raises :class:`HostileXML` for a DTD or a syntax error.

    The parser reports only the ``iati-activities`` and ``iati-activity`` elements (``tag=``): the
    other elements of the file are built by lxml without a Python step each."""
    check_prolog(path or source)
    context = etree.iterparse(source if hasattr(source, "read") else str(source), events=("start", "end"),
                              tag=("iati-activities", "iati-activity"), **PARSER_OPTIONS)
    root = None
    try:
        for event, elem in context:
            if event == "start":
                if root is None:
                    root = elem.getroottree().getroot()  # the document's root, whatever its tag
                    _refuse_dtd(root)
                continue
            if elem.getparent() is root and elem.tag == "iati-activity":
                yield root, elem
                elem.clear(keep_tail=False)
                while elem.getprevious() is not None:
                    del root[0]
        if root is None and context.root is not None:  # neither element in the file: a wrong root
            root = context.root
            _refuse_dtd(root)
    except etree.XMLSyntaxError as exc:
        raise HostileXML(_("The file is not well-formed XML: {error}").format(error=exc)) from None
    finally:
        del context
    if root is None or root.tag != "iati-activities":
        raise HostileXML(_("The root element is not iati-activities."))


def _refuse_dtd(root) -> None:
    # a DTD the prolog check missed (an unusual encoding): parsed, nothing resolved or fetched
    # (PARSER_OPTIONS), and refused here before any content is used
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url:
        raise HostileXML(REFUSED_DTD())


def activity_errors(root, activity, limit: int = 20) -> list[SchemaError]:
    """Schema errors of one activity, as if validated inside a copy of its root element (the
    root's attributes kept), so a file is checked one activity at a time. Line numbers are the
    file's.

    Without the copy: the activity is validated in place (lxml validates an element as the root of
    a temporary document sharing its children), and the root's own errors (its attributes), found
    once per root, come first, as they would in the copy."""
    schema = activity_schema()
    errors = _root_errors(root)
    if root.tag != "iati-activities":  # no declaration for the root: its content is not checked either
        return errors[:limit]
    if not schema.validate(activity):
        errors = errors + [SchemaError(e.line, e.message) for e in schema.error_log]
    return errors[:limit]


# the errors of the root element itself (its attributes): the last root's, by its tag, attributes and namespaces
_ROOT_ERRORS: dict = {}


def _root_errors(root) -> list[SchemaError]:
    key = (root.tag, tuple(root.attrib.items()), tuple(sorted((root.nsmap or {}).items(), key=str)))
    found = _ROOT_ERRORS.get(key)
    if found is None:
        wrapper = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
        schema = activity_schema()
        schema.validate(wrapper)
        # the empty copy also misses its iati-activity (there is one where the activity is checked)
        found = [SchemaError(e.line, e.message) for e in schema.error_log
                 if not (e.type_name == "SCHEMAV_ELEMENT_CONTENT" and "Missing child element" in e.message
                         and e.path == "/" + root.tag)]
        _ROOT_ERRORS.clear()
        _ROOT_ERRORS[key] = found
    return found


def validate_document(tree) -> list[SchemaError]:
    schema = activity_schema()
    if schema.validate(tree):
        return []
    return [SchemaError(e.line, e.message) for e in schema.error_log]
