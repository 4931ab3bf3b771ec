"""Server time of the dashboard, overview and register pages on the demo data.

    python bench/pages.py [--repeat N] [--out bench/results-pages.json]

Loads the Beijing → Badong demo into a fresh SQLite database under a temporary data directory
(or uses DATABASE_URL's PostgreSQL database, which it migrates and loads), signs in as the demo
``admin`` with Django's test client, and requests each page N times after one warm-up request.
"Server time" is the time Django takes to answer the request in-process (middleware, view,
queries, template): no network, no browser. Prints median, 90th percentile and queries per page
and writes them as JSON.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-pages.json"))
    args = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL"):
        os.environ["DUIKOU_DATA_DIR"] = tempfile.mkdtemp(prefix="duikou-bench-")
    os.environ.setdefault("DUIKOU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duikou.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from duikou.core.permissions import SYSTEM
    from duikou.demo.loader import DEMO_PASSWORD
    from duikou.organisations.selectors import pairing_find
    from duikou.ui.registers import all_registers

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    pairing = pairing_find(actor=SYSTEM, supporter="北京市", recipient="巴东县")

    client = Client()
    assert client.login(username="admin", password=DEMO_PASSWORD)
    dashboard = reverse("dashboard", args=[pairing.pk])
    pages = {
        "dashboard (累计)": dashboard + "?period=all",
        "dashboard (十四五)": dashboard + "?period=14th",
        "dashboard (2024)": dashboard + "?period=2024",
        "national overview": reverse("overview"),
    }
    for reg in all_registers():
        pages[f"register {reg.slug}"] = reg.list_url()

    results = []
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            print(f"{name}: HTTP {response.status_code}", file=sys.stderr)
            return 1
        times = []
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        row = {
            "page": name, "url": url, "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(times[int(len(times) * 0.9) - 1], 1), "max_ms": round(times[-1], 1),
            "queries": len(ctx),
        }
        results.append(row)
        print(f"{name:<36} median {row['median_ms']:>7.1f} ms   p90 {row['p90_ms']:>7.1f} ms   "
              f"queries {row['queries']:>3}")

    out = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "database": connection.vendor,
        "repeat": args.repeat,
        "dataset": "demo (Beijing → Badong)",
        "pages": results,
    }
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    worst = max(r["median_ms"] for r in results)
    print(f"slowest median: {worst:.1f} ms (target < 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
