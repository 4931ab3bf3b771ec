"""The benchmark suite (bench/run.py) runs end to end on a tiny generated dataset, so that it cannot rot.

It runs in a child process on its own SQLite database (a temporary data directory), as ``make bench``
does; the timings are not checked here (speed is measured by ``make bench``, not in tests), the
shape of the results and the agreement of the application with the SQL floor are.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "figures (cumulative)", "figures (14th plan)", "national overview (all years)", "national overview (2024)",
    "page dashboard (biggest pairing)", "page dashboard (smallest pairing)", "page register projects",
    "page register fund transactions", "Excel import (dry run)", "IATI import", "IATI import (new activities)",
    "figures (cumulative, first call)",
}


def test_bench_runs_on_a_tiny_dataset(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"DUIKOU_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "duikou.config.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])}
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--scale", "tiny", "--repeat", "2", "--import-rows", "5",
         "--import-repeat", "1", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["database"] == "sqlite"
    assert "scale tiny" in results["dataset"]["source"]
    assert results["dataset"]["generated_now"] is True
    cases = results["cases"]
    assert CASES <= set(cases)
    assert any(name.startswith("figures (") and name not in CASES for name in cases)  # the one-year period
    assert cases["figures (cumulative, first call)"]["statement_cache"] == "cleared before each run"
    for name, row in cases.items():
        for key in ("median_ms", "min_ms", "max_ms", "spread_ms", "floor_ms", "ratio", "target", "met"):
            assert key in row, (name, key)
        assert row["min_ms"] <= row["median_ms"] <= row["max_ms"], name
    for name, row in cases.items():
        if name.startswith(("figures", "national overview")):
            assert row["floor_ms"] > 0 and row["ratio"] > 0, name
            assert row["same_as_floor"] is True, row["differences"]
    assert cases["national overview (all years)"]["pairings"] == 6
    for name in ("page dashboard (biggest pairing)", "page dashboard (smallest pairing)"):
        assert cases[name]["queries"] > 0 and cases[name]["queries_same_for_both_pairings"] is True
    assert cases["Excel import (dry run)"]["rows"] == 5 and cases["Excel import (dry run)"]["per_s"] > 0
    iati = cases["IATI import"]
    assert iati["activities"] > 0 and iati["peak_mb"] > 0 and iati["per_s"] > 0
    assert iati["outcome"]["skipped"] == 0
    assert iati["outcome"]["unchanged"] == iati["activities"]  # re-read: the activities are in the database
    new = cases["IATI import (new activities)"]
    assert new["outcome"]["created"] == new["activities"] == iati["activities"]  # deleted first: all created
