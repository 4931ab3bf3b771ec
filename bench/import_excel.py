"""Rows per second of the Excel import on a generated projects workbook.

    DUIKOU_DATA_DIR=… python bench/import_excel.py [--rows 10000] [--keep] [--out bench/results-import.json]

bench/results-import.json was measured on SQLite, bench/results-import-pg.json on PostgreSQL
(DATABASE_URL), both on the shared 2-core development machine.

Needs a database with the demo loaded (``duikou migrate && duikou load-demo`` in that data
directory, or DATABASE_URL). Writes ``--rows`` projects of the demo's pairing 北京市 → 巴东县 (codes
``BENCH-00001`` …) into an .xlsx file, then times three runs of ``import_workbook`` as the system
actor: a dry run (every row checked and created, then rolled back), the import (every row
created) and a re-import of the same file (every row unchanged). Without ``--keep`` the created projects are rolled back at the end (the first run
is timed inside a transaction that is undone). Prints and writes rows/s of each run.
"""

import argparse
import io
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def workbook(rows: int, pairing: str = "北京市 → 巴东县") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("项目")
    ws.append(["代码", "名称", "结对关系", "重点任务", "行业领域", "起始年度", "截止年度", "预算（元）", "实施地点（乡镇、村）"])
    tasks = ["ecology", "industry", "public_services", "urban_rural", "opening_up"]
    for i in range(rows):
        ws.append([f"BENCH-{i:05d}", f"测试项目{i}", pairing, tasks[i % 5], "other", 2023 + i % 3,
                   2025, 100000 + i * 10.5, f"测试村{i % 50}"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="Keep the created projects.")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-import.json"))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duikou.config.settings")
    os.environ.setdefault("DUIKOU_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction

    settings.DEBUG = False  # no query log while timing (as bench/run.py): on SQLite it re-quotes every parameter

    from duikou.core.permissions import SystemActor
    from duikou.imports.services import import_workbook

    data = workbook(args.rows)
    actor = SystemActor("system (bench/import_excel.py)")
    runs = {}

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            for name, kwargs in (("dry run (new rows, rolled back)", {"dry_run": True}), ("create", {}),
                                 ("re-import (unchanged)", {})):
                result = import_workbook(data, actor=actor, **kwargs)
                if result.errors:
                    print(result.errors[:5], file=sys.stderr)
                    return 1
                runs[name] = {"rows": result.rows, "seconds": round(result.seconds, 2),
                              "rows_per_s": round(result.rows / result.seconds),
                              "created": result.total("created"), "unchanged": result.total("unchanged")}
                print(f"{name}: {result.rows} rows in {result.seconds:.1f} s = {result.rows / result.seconds:,.0f} rows/s")
            if not args.keep:
                raise Undo
    except Undo:
        pass
    report = {"database": connection.vendor, "python": platform.python_version(), "machine": platform.machine(),
              "file_bytes": len(data), "runs": runs}
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
