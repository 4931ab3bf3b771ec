"""A progress bar on a terminal: ``[#####.....]  5,000/10,000 rows`` redrawn in place on stderr."""

from __future__ import annotations

import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """Call with (done, total); draws at most ten times a second and once at the end.
    ``stream``: a text stream, or a management command's ``self.stderr``."""

    def __init__(self, stream, width: int = 30, every: float = 0.1):
        self.stream, self.width, self.every = getattr(stream, "_out", stream), width, every
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self.every:
            return
        self._last = now
        filled = self.width * done // total if total else self.width
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
