"""Apps import only from apps to their left (style guide §2; projects before funds).

Every import of a duikou module is read with ``ast``: ``import duikou.x``, ``from duikou.x import``
and relative imports, at module level and inside functions alike. ``config`` and ``cli`` wire
everything and are exempt; ``testing`` is test support that no product module may import.
Tests folders are left out.
"""

import ast
from pathlib import Path

import pytest

import duikou

ORDER = [
    "core", "audit", "ui", "organisations", "accounts", "rules", "plans", "events", "projects", "disclosure",
    "funds", "performance", "people", "consumption", "investment", "reports",
    "figures", "documents", "api", "iati", "imports", "generate",
    "demo",
]
EXEMPT = {"config", "cli", "testing", "conftest"}
SRC = Path(duikou.__file__).parent



def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def duikou_imports(source: str, module: str, is_package: bool = False):
    """(line, imported module, at module level) for every duikou import in ``source``."""
    tree = ast.parse(source)
    top_level = {id(node) for node in tree.body}
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from duikou import funds`` imports the app funds
            names = [f"{target}.{a.name}" for a in node.names] if target == "duikou" else [target]
        else:
            continue
        for name in names:
            if name == "duikou" or name.startswith("duikou."):
                yield node.lineno, name, id(node) in top_level


def app_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def product_modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).parts
        if "tests" in rel or rel[0].endswith(".py") and rel[0][:-3] in EXEMPT or rel[0] in EXEMPT:
            continue
        yield path, rel[0]


def violations(path: Path, app: str):
    rank = ORDER.index(app)
    found = []
    source = path.read_text(encoding="utf-8")
    for line, name, _top in duikou_imports(source, module_name(path), path.name == "__init__.py"):
        target = app_of(name)
        if target is None or target == app:
            continue
        if target in EXEMPT or target not in ORDER:
            found.append(f"{path.relative_to(SRC)}:{line} imports {name} (not an app it may use)")
        elif ORDER.index(target) > rank:
            found.append(f"{path.relative_to(SRC)}:{line} imports {name} ({target} is right of {app})")
    return found


def test_every_app_has_a_place_in_the_order():
    apps = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - EXEMPT == set(ORDER)


def test_installed_apps_follow_the_order():
    from django.conf import settings

    installed = [a.split(".")[1] for a in settings.INSTALLED_APPS
                 if a.startswith("duikou.") and a.split(".")[1] not in EXEMPT]
    assert installed == ORDER


@pytest.mark.parametrize("app", ORDER)
def test_app_imports_only_to_its_left(app):
    found = [v for path, owner in product_modules() if owner == app for v in violations(path, app)]
    assert not found, "\n".join(found)


def test_core_imports_no_duikou_app():
    found = set()
    for path in (SRC / "core").rglob("*.py"):
        if "tests" in path.relative_to(SRC).parts:
            continue
        found |= {(str(path.relative_to(SRC)), name) for _, name, _ in
                  duikou_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
                  if app_of(name) not in (None, "core")}
    assert not found, found


def test_audit_does_not_import_accounts():
    """audit sits left of accounts: it knows the user model only as ``settings.AUTH_USER_MODEL``."""
    found = [
        (path.name, line, top) for path in (SRC / "audit").rglob("*.py") if "tests" not in path.parts
        for line, name, top in duikou_imports(path.read_text(encoding="utf-8"), module_name(path))
        if app_of(name) == "accounts"
    ]
    assert not found


# the checker itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from duikou.funds.models import FundTransaction", "duikou.projects.models", ["duikou.funds.models"]),
        ("import duikou.funds.models as m", "duikou.projects.services", ["duikou.funds.models"]),
        ("from ..funds import models", "duikou.projects.services", ["duikou.funds"]),
        ("from ...funds.models import X", "duikou.projects.management.commands", ["duikou.funds.models"]),
        ("from .models import X", "duikou.projects.services", ["duikou.projects.models"]),
        ("from . import services", "duikou.projects.views", ["duikou.projects"]),
        ("from duikou import funds", "duikou.projects.views", ["duikou.funds"]),
        ("def f():\n    from duikou.funds.models import X", "duikou.projects.models", ["duikou.funds.models"]),
        ("import os\nfrom django.db import models", "duikou.projects.models", []),
    ],
)
def test_checker_reads_every_form_of_import(source, module, expected):
    assert [name for _, name, _ in duikou_imports(source, module)] == expected


def test_checker_reports_an_import_to_the_right(tmp_path, monkeypatch):
    app = tmp_path / "duikou" / "projects"
    app.mkdir(parents=True)
    bad = app / "models.py"
    bad.write_text("def f():\n    from ..funds.models import FundTransaction\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path / "duikou")
    [message] = violations(bad, "projects")
    assert "funds is right of projects" in message and "models.py:2" in message
