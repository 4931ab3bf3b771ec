"""One portable interface for loading many rows fast: PostgreSQL ``COPY … FROM STDIN`` (psycopg 3
``cursor.copy()``), elsewhere ``executemany`` of one ``INSERT`` in batches.

Rows are plain tuples in the order of the columns given, with values the database driver takes as
they are: ``str`` for decimals and dates (``"1234.50"``, ``"2024-03-31"``), ``int``, ``bool``,
``None``, and the adapted ``created``/``last_updated`` time. Nothing here validates a row: the
caller (``duikou.generate.generator``) builds only rows that keep the models' rules. This bypasses
the per-row services on purpose (see ``docs/performance.md``, "The dataset").
"""

import time
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection

__all__ = ["BulkWriter", "Progress"]


class Progress:
    """Rows done / total and rate per table, redrawn on one line of ``stream`` (stderr)."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self._last = 0.0

    def start(self, table: str, total: int) -> None:
        self.table, self.total, self.t0, self.done = table, total, time.perf_counter(), 0
        self._draw(force=True)

    def advance(self, n: int) -> None:
        self.done += n
        self._draw()

    def finish(self) -> float:
        elapsed = time.perf_counter() - self.t0
        self._draw(force=True)
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
        return elapsed

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self.t0, 1e-9)
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        self.stream.write(f"\r{self.table:<32} [{bar:<30}] {self.done:>10,}/{self.total:,} "
                          f"{self.done / elapsed:>10,.0f} rows/s")
        self.stream.flush()


class BulkWriter:
    """Write tuples into a model's table on the default connection, inside the caller's transaction."""

    BATCH = 5000

    def __init__(self, progress: Progress | None = None):
        self.progress = progress or Progress(None, False)
        self.uses_copy = connection.vendor == "postgresql"

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
            return (cursor.fetchone()[0] or 0) + 1

    def write(self, model, columns: list[str], rows: Iterable[tuple], total: int) -> int:
        """Insert ``rows`` (``total`` of them, for the progress bar) into ``model``'s table; returns the count."""
        qn = connection.ops.quote_name
        table, cols = qn(model._meta.db_table), ", ".join(qn(c) for c in columns)
        self.progress.start(model._meta.db_table, total)
        done = 0
        with connection.cursor() as cursor:
            if self.uses_copy:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        done += 1
                        if not done % self.BATCH:
                            self.progress.advance(self.BATCH)
            else:
                sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == self.BATCH:
                        cursor.executemany(sql, batch)
                        done += len(batch)
                        self.progress.advance(len(batch))
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    done += len(batch)
        self.progress.done = done
        self.progress.finish()
        return done

    def reset_sequences(self, models: list) -> None:
        """After rows with explicit ids: move PostgreSQL's id sequences past them (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
