"""The zh_Hans catalogue is complete, current and compiled.

msgids are English (English needs no catalogue); ``src/duikou/locale/zh_Hans/LC_MESSAGES/django.po``
and its ``.mo`` are committed. Adding a translatable string without translating it fails here::

    make messages          # makemessages -l zh_Hans + compilemessages, then translate the new msgstr ""
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "duikou"
MESSAGES = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"
PO, MO = MESSAGES / "django.po", MESSAGES / "django.mo"
# The same scan as `make messages` (tests and test helpers hold no user-facing strings).
MAKEMESSAGES_ARGS = ["makemessages", "-l", "zh_Hans", "--ignore", "tests", "--ignore", "testing"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


# a tiny .po reader ---------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """The active entries of a .po file (obsolete ``#~`` entries are skipped), header first."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def close():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            close()
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                close()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                close()
            value = ast.literal_eval(text)
            if keyword == "msgstr":
                entry.msgstr[int(index or 0)] = value
                target = ("msgstr", int(index or 0))
            else:
                setattr(entry, keyword, value)
                target = (keyword, None)
                entry.line = entry.line or number
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
        else:
            raise ValueError(f"{path.name}:{number}: cannot read {raw!r}")
    close()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid != ""]


# (a) complete --------------------------------------------------------------------------------


def test_catalogue_has_a_clean_header():
    header = read_po(PO)[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: zh_Hans\\n" in header.msgstr[0].replace("\n", "\\n")
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = messages(read_po(PO))
    assert len(entries) > 300
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(s.strip() for s in e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], "translate these in django.po"
    assert fuzzy == [], "check these translations and remove the fuzzy flag"


def test_translations_keep_placeholders_and_read_as_chinese():
    """``_("Batch {n}").format(n=…)`` breaks if a translation renames or drops ``{n}``."""
    for e in messages(read_po(PO)):
        for text in e.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(e.msgid)), e.msgid
            assert text == text.strip() or e.msgid != e.msgid.strip(), f"stray spaces: {e.msgid!r}"
    words = [e for e in messages(read_po(PO)) if re.search(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", e.msgid))]
    english = [e.msgid for e in words if not re.search(r"[\u4e00-\u9fff]", e.msgstr[0])]
    assert english == [], "these msgstr contain no Chinese"


# (b) current: makemessages finds nothing new --------------------------------------------------


def test_makemessages_finds_no_untranslated_msgid(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is needed to check the catalogue")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "duikou"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "data", "static"))
    (copy / "locale").mkdir()
    # No settings: makemessages then writes only into the copy's own locale folder.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "django", *MAKEMESSAGES_ARGS], cwd=copy, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = {e.key for e in messages(read_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    committed = {e.key for e in messages(read_po(PO))}
    missing = sorted(extracted - committed)
    assert missing == [], "new msgids: run `make messages` and translate them"


# (c) compiled ---------------------------------------------------------------------------------


def _mo_catalog(path: Path) -> dict:
    with open(path, "rb") as f:
        catalog = dict(gettext.GNUTranslations(f)._catalog)
    catalog.pop("", None)  # the header
    return catalog


def _po_catalog(entries: list[Entry]) -> dict:
    catalog = {}
    for e in messages(entries):
        if e.msgid_plural is None:
            catalog[e.key] = e.msgstr[0]
        else:
            catalog.update({(e.key, i): text for i, text in e.msgstr.items()})
    return catalog


def test_mo_matches_po():
    assert MO.exists(), "run `make messages` (compilemessages) and commit django.mo"
    assert _mo_catalog(MO) == _po_catalog(read_po(PO)), "django.mo is stale: run compilemessages"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_msgfmt_accepts_the_catalogue_and_compiles_the_same(tmp_path):
    out = tmp_path / "django.mo"
    result = subprocess.run(["msgfmt", "--check", "-o", str(out), str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert _mo_catalog(out) == _mo_catalog(MO)


# (d) used ------------------------------------------------------------------------------------


def test_chinese_by_default_and_english_on_request():
    from duikou.people.models import SecondmentBatch
    from duikou.projects.choices import ProjectStatus
    from duikou.projects.models import Project

    with translation.override("zh-hans"):
        assert str(Project._meta.verbose_name) == "项目"
        assert str(Project._meta.get_field("budget").verbose_name) == "预算（元）"
        assert str(ProjectStatus.IN_LIBRARY.label) == "已审定入库"
        assert str(SecondmentBatch(number=4)) == "第4批"
    with translation.override("en"):
        assert str(Project._meta.verbose_name) == "project"
        assert str(SecondmentBatch(number=4)) == "Batch 4"


def test_default_language_is_simplified_chinese(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert any(Path(p) == PACKAGE / "locale" for p in settings.LOCALE_PATHS)
