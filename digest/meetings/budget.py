"""A per-article CPU budget for meeting extraction, with an injectable clock.

Extraction checks the budget as it goes through the article; when it runs out, the rest of
the text is left unread and everything found so far is kept (merged, completed, returned).
The clock is this thread's CPU time, so other work on a shared machine does not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# CPU seconds one article may take. A 3,000-paragraph (650 KB) article needs about 5 s.
DEFAULT_SECONDS = 8.0


@dataclass
class Budget:
    """Seconds of ``clock`` one extraction may use, counted from the first ``start()``.

    Phases take a share: finding names may use the first part of the budget, reading
    sentences the next, attaching topics the rest, so a long article still yields the
    meetings of the text read so far.
    """

    seconds: float = DEFAULT_SECONDS
    clock: Callable[[], float] = time.thread_time
    _started: float | None = field(default=None, init=False, repr=False)
    spent_at: int | None = field(default=None, init=False)  # text offset where it ran out

    def start(self) -> None:
        """Start counting (later calls are ignored: one budget covers every phase)."""
        if self._started is None:
            self._started = self.clock()

    def exhausted(self, position: int, share: float = 1.0) -> bool:
        """True once ``share`` of the budget is spent; the first such offset is remembered."""
        if self._started is None or self.clock() < self._started + self.seconds * share:
            return False
        if self.spent_at is None or position < self.spent_at:
            self.spent_at = position
        return True
