"""Docs that tests enforce (after simonw/datasette ``tests/test_docs.py``).

A setting, a management command, a command option or a model that the docs do not mention fails
here. Generated blocks (between ``<!-- name -->`` and ``<!-- /name -->``) are rewritten instead of
failing when the suite runs with ``DUIKOU_REWRITE_DOCS=1``::

    DUIKOU_REWRITE_DOCS=1 .venv/bin/pytest tests/test_docs.py
"""

import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import load_command_class
from django.core.management.base import BaseCommand

from duikou.config.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "duikou"
REWRITE = os.environ.get("DUIKOU_REWRITE_DOCS") == "1"


def duikou_commands() -> list[tuple[str, str]]:
    """(app module, command name) for every management command in ``src/duikou/*/management/commands``."""
    return sorted(
        (f"duikou.{path.parents[2].name}", path.stem)
        for path in PACKAGE.glob("*/management/commands/*.py")
        if not path.name.startswith("_")
    )


def sections(text: str) -> dict[str, str]:
    """Level-2 headings → the text under them."""
    parts = re.split(r"^## +(.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def check_block(path: Path, name: str, expected: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    assert start in text and end in text, f"{path.relative_to(ROOT)} lacks the {start} … {end} block"
    before, rest = text.split(start, 1)
    current, after = rest.split(end, 1)
    if current.strip() == expected.strip():
        return
    if REWRITE:
        path.write_text(f"{before}{start}\n{expected.strip()}\n{end}{after}", encoding="utf-8")
        return
    pytest.fail(f"{path.relative_to(ROOT)}: the {name} block is out of date; run DUIKOU_REWRITE_DOCS=1 pytest {__file__}")


# Settings ------------------------------------------------------------------------------------------


def settings_table() -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|")

    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = "(unset)" if s.default is None else f"`{s.default}`"
        rows.append(f"| `{s.name}` | {default} | {cell(s.help)} |")
    return "\n".join(rows)


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_settings_reference_names_every_setting(name):
    assert f"`{name}`" in (DOCS / "reference" / "settings.md").read_text(encoding="utf-8")


def test_settings_reference_table_is_current():
    check_block(DOCS / "reference" / "settings.md", "settings-table", settings_table())


# Commands ------------------------------------------------------------------------------------------


def test_there_are_commands_to_document():
    assert duikou_commands(), "no management command found under src/duikou/*/management/commands"


def command_words(name: str) -> str:
    """How a command is typed: ``load_demo`` → ``duikou load-demo``; the formats of ``duikou export`` and
    ``duikou import`` (``export_excel``) → ``duikou export excel``."""
    verb, _, fmt = name.partition("_")
    if verb in ("export", "import") and fmt:
        return f"duikou {verb} {fmt.replace('_', '-')}"
    return f"duikou {name.replace('_', '-')}"


@pytest.mark.parametrize(("app", "name"), duikou_commands())
def test_cli_reference_documents_every_command(app, name):
    headings = sections((DOCS / "reference" / "cli.md").read_text(encoding="utf-8"))
    wanted = command_words(name)
    assert any(wanted in h for h in headings), f"docs/reference/cli.md needs a section '## `{wanted}`'"


def _own_options(app: str, name: str) -> list[str]:
    """The options and arguments a command adds to Django's common ones."""
    common = {s for a in BaseCommand().create_parser("duikou", "x")._actions for s in a.option_strings}
    parser = load_command_class(app, name).create_parser("duikou", name)
    found = []
    for action in parser._actions:
        if not action.option_strings:
            found.append(action.metavar or action.dest)
        else:
            longest = max(action.option_strings, key=len)
            if not set(action.option_strings) & common:
                found.append(longest)
    return found


@pytest.mark.parametrize(("app", "name"), duikou_commands())
def test_cli_reference_documents_every_option(app, name):
    headings = sections((DOCS / "reference" / "cli.md").read_text(encoding="utf-8"))
    wanted = command_words(name)
    body = next((text for h, text in headings.items() if wanted in h), "")
    missing = [opt for opt in _own_options(app, name) if f"`{opt}" not in body]
    assert not missing, f"docs/reference/cli.md, section {wanted}: document {', '.join(missing)}"


# README --------------------------------------------------------------------------------------------


def test_readme_gives_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme


def test_readme_is_chinese_then_english():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 0 < readme.index("## 中文") < readme.index("## English")


def test_readme_keeps_the_stats_output_block():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("<!-- stats-output -->") == 1
    assert readme.count("<!-- /stats-output -->") == 1


# Models and decisions ------------------------------------------------------------------------------


def duikou_models() -> list[tuple[str, str]]:
    return sorted(
        (config.label, model.__name__)
        for config in apps.get_app_configs()
        if config.name.startswith("duikou.")
        for model in config.get_models()
    )


@pytest.mark.parametrize(("label", "model"), duikou_models())
def test_models_overview_describes_every_model(label, model):
    headings = sections((DOCS / "models" / "overview.md").read_text(encoding="utf-8"))
    body = next((text for h, text in headings.items() if f"`{label}`" in h), None)
    assert body is not None, f"docs/models/overview.md needs a section for the app `{label}`"
    assert f"`{model}`" in body, f"docs/models/overview.md, section `{label}`: describe `{model}`"


@pytest.mark.parametrize("path", sorted((DOCS / "decisions").glob("[0-9]*.md")), ids=lambda p: p.stem)
def test_decision_records_have_context_decision_consequences(path):
    text = path.read_text(encoding="utf-8")
    for heading in ("## Context", "## Decision", "## Consequences"):
        assert heading in text, f"{path.name} lacks {heading}"


# Links ---------------------------------------------------------------------------------------------

PAGES = [ROOT / "README.md", ROOT / "AGENTS.md", *sorted(DOCS.rglob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        if not (page.parent / target.split("#", 1)[0]).exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: broken links {broken}"


# The web application -------------------------------------------------------------------------------


def registers_table() -> str:
    from django.utils import translation

    from duikou.ui.registers import GROUPS, all_registers

    groups = dict(GROUPS)
    rows = ["| Page | Register | Menu | Filters (query parameters) | Writes |", "| --- | --- | --- | --- | --- |"]
    with translation.override("en"):
        for reg in all_registers():
            filters = sorted(reg.filterset.base_filters) if reg.filterset else []
            params = ", ".join(f"`{p}`" for p in (["q"] if reg.search else []) + filters + ["sort", "page"])
            writes = "create, edit" if reg.create and reg.update else ("create" if reg.create else "—")
            rows.append(f"| `/{reg.slug}/` | {reg.title} | {groups.get(reg.group, reg.group)} | {params} | {writes} |")
    return "\n".join(rows)


def test_web_guide_lists_every_register():
    check_block(DOCS / "user" / "web.md", "registers", registers_table())
