"""What a national PostgreSQL deployment would gain from a summary table or partitioning by year.

    DATABASE_URL=postgres://… python bench/scale_pg.py [--repeat 5] [--out bench/results-scale-pg.json]

Needs a PostgreSQL database with a generated dataset (``make bench DATABASE_URL=…`` leaves one).
Measures, on copies in temporary tables (dropped at the end, nothing of duikou's changes):

- the size of the database and of its biggest tables;
- a summary table of grant allocations per (pairing, year): what building it costs (a full refresh),
  and the national overview's funds read from it instead of the 3 million transactions;
- the fund transactions partitioned by budget year (one partition per year): the funds of every
  pairing for one year (the overview of one year) and of one pairing for all years (its figures),
  on the plain table and on the partitioned copy.

Every variant's numbers are compared with the plain query's (they must be equal).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FUNDS_BY_PAIRING = """
SELECT pairing_id, SUM(amount) FROM {table}
WHERE stream = 'grant' AND kind = 'allocation' AND year BETWEEN %s AND %s GROUP BY pairing_id ORDER BY pairing_id
"""
FUNDS_OF_PAIRING = """
SELECT SUM(amount) FROM {table} WHERE pairing_id = %s AND stream = 'grant' AND kind = 'allocation'
  AND year BETWEEN %s AND %s
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-scale-pg.json"))
    args = parser.parse_args(argv)
    os.environ.setdefault("DUIKOU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duikou.config.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("PostgreSQL only: set DATABASE_URL.", file=sys.stderr)
        return 2
    cur = connection.cursor()

    def timed(sql, params=()):
        cur.execute(sql, params)
        rows = cur.fetchall()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            cur.execute(sql, params)
            rows = cur.fetchall()
            times.append((time.perf_counter() - start) * 1000)
        return {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                "max_ms": round(max(times), 1)}, rows

    def once(sql, params=()):
        start = time.perf_counter()
        cur.execute(sql, params)
        return round((time.perf_counter() - start) * 1000, 1)

    out = {}
    cur.execute("SELECT pg_database_size(current_database())")
    out["database_mb"] = round(cur.fetchone()[0] / 2**20)
    cur.execute("""SELECT relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), reltuples::bigint
                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 6""")
    out["tables"] = [{"table": t, "total_mb": round(a / 2**20), "heap_mb": round(h / 2**20), "rows": r}
                     for t, a, h, r in cur.fetchall()]
    cur.execute("SELECT MIN(year), MAX(year) FROM funds_fundtransaction")
    y0, y1 = cur.fetchone()
    cur.execute("""SELECT pairing_id FROM funds_fundtransaction GROUP BY pairing_id ORDER BY COUNT(*) DESC, pairing_id
                   LIMIT 1""")
    pairing = cur.fetchone()[0]

    # A summary table: grant allocations per (pairing, year).
    plain_all, rows_all = timed(FUNDS_BY_PAIRING.format(table="funds_fundtransaction"), (y0, y1))
    refresh = once("""CREATE TEMP TABLE bench_summary AS
        SELECT pairing_id, year, SUM(amount) AS amount FROM funds_fundtransaction
        WHERE stream = 'grant' AND kind = 'allocation' GROUP BY pairing_id, year""")
    once("CREATE INDEX ON bench_summary (year, pairing_id)")
    once("ANALYZE bench_summary")
    cur.execute("SELECT COUNT(*) FROM bench_summary")
    summary_rows = cur.fetchone()[0]
    from_summary, rows_summary = timed("""SELECT pairing_id, SUM(amount) FROM bench_summary
        WHERE year BETWEEN %s AND %s GROUP BY pairing_id ORDER BY pairing_id""", (y0, y1))
    out["summary_table"] = {
        "rows": summary_rows, "full_refresh_ms": refresh, "overview_funds_plain": plain_all,
        "overview_funds_from_summary": from_summary, "same": rows_all == rows_summary,
    }

    # Partitioned by budget year.
    once("""CREATE TEMP TABLE bench_parts (pairing_id bigint, kind varchar(20), stream varchar(10), year integer,
            amount numeric(18, 2)) PARTITION BY RANGE (year)""")
    for year in range(y0, y1 + 1):
        once(f"CREATE TEMP TABLE bench_parts_{year} PARTITION OF bench_parts FOR VALUES FROM ({year}) TO ({year + 1})")
    load = once("""INSERT INTO bench_parts SELECT pairing_id, kind, stream, year, amount FROM funds_fundtransaction""")
    index = once("CREATE INDEX ON bench_parts (pairing_id, kind, stream, year)")
    once("ANALYZE bench_parts")
    year = min(2024, y1)
    plain_year, rows_plain_year = timed(FUNDS_BY_PAIRING.format(table="funds_fundtransaction"), (year, year))
    parts_year, rows_parts_year = timed(FUNDS_BY_PAIRING.format(table="bench_parts"), (year, year))
    parts_all, rows_parts_all = timed(FUNDS_BY_PAIRING.format(table="bench_parts"), (y0, y1))
    plain_one, rows_plain_one = timed(FUNDS_OF_PAIRING.format(table="funds_fundtransaction"), (pairing, y0, y1))
    parts_one, rows_parts_one = timed(FUNDS_OF_PAIRING.format(table="bench_parts"), (pairing, y0, y1))
    out["partitioned_by_year"] = {
        "partitions": y1 - y0 + 1, "load_ms": load, "index_ms": index,
        f"every_pairing_{year}_plain": plain_year, f"every_pairing_{year}_partitioned": parts_year,
        "every_pairing_all_years_plain": plain_all, "every_pairing_all_years_partitioned": parts_all,
        "one_pairing_all_years_plain": plain_one, "one_pairing_all_years_partitioned": parts_one,
        "same": rows_plain_year == rows_parts_year and rows_all == rows_parts_all and rows_plain_one == rows_parts_one,
    }
    once("DROP TABLE bench_parts")
    once("DROP TABLE bench_summary")
    text = json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0 if out["summary_table"]["same"] and out["partitioned_by_year"]["same"] else 1


if __name__ == "__main__":
    sys.exit(main())
