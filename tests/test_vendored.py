"""Vendored JavaScript (htmx, ECharts) is the pinned release named in its SOURCE.md, with its licence."""

import hashlib
import re
from pathlib import Path

import pytest

VENDOR = Path(__file__).resolve().parent.parent / "src" / "duikou" / "ui" / "static" / "ui" / "vendor"
LIBRARIES = {
    # folder: (file, how the minified file states its version)
    "htmx": ("htmx.min.js", r'version:"{v}"'),
    "echarts": ("echarts.min.js", r'version="{v}"'),
}


def source_table(folder: str) -> dict[str, str]:
    """The ``| Key | `value` |`` rows of ``<folder>/SOURCE.md``: key → the first back-quoted value."""
    rows = {}
    for line in (VENDOR / folder / "SOURCE.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| *([^|`]+?) *\| *[^`|]*`([^`]+)`", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


@pytest.mark.parametrize("folder", sorted(LIBRARIES))
def test_source_names_package_version_tarball_and_sha256(folder):
    table = source_table(folder)
    for key in ("Package", "Version", "Tarball", "Tarball sha256", "File", "File sha256", "Licence"):
        assert key in table, f"{folder}/SOURCE.md lacks the row {key!r}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", table["Version"]), "pin an exact release"
    assert table["Version"] in table["Tarball"]
    assert re.fullmatch(r"[0-9a-f]{64}", table["Tarball sha256"])


@pytest.mark.parametrize("folder", sorted(LIBRARIES))
def test_vendored_file_matches_its_sha256(folder):
    filename, _ = LIBRARIES[folder]
    table = source_table(folder)
    assert table["File"] == filename
    digest = hashlib.sha256((VENDOR / folder / filename).read_bytes()).hexdigest()
    assert digest == table["File sha256"], f"{folder}/{filename} differs from the release named in SOURCE.md"


@pytest.mark.parametrize("folder", sorted(LIBRARIES))
def test_vendored_file_states_the_version_in_source(folder):
    filename, pattern = LIBRARIES[folder]
    version = source_table(folder)["Version"]
    text = (VENDOR / folder / filename).read_text(encoding="utf-8")
    assert re.search(pattern.format(v=re.escape(version)), text), f"{filename} does not say it is {version}"


@pytest.mark.parametrize("folder", sorted(LIBRARIES))
def test_licence_is_kept(folder):
    licence = VENDOR / folder / "LICENSE"
    assert licence.is_file() and licence.stat().st_size > 100


def test_echarts_keeps_notice_and_bundled_licences():
    for name in ("NOTICE", "LICENSE-d3", "LICENSE-zrender"):
        assert (VENDOR / "echarts" / name).is_file(), name
    assert "Apache ECharts" in (VENDOR / "echarts" / "NOTICE").read_text(encoding="utf-8")
