"""Keeping invalid requests far below Discord's limit.

Discord bans a bot for a while when it makes 10,000 invalid requests (answers 401, 403 or
429) in 10 minutes. Each refused DM or post counts. ``InvalidRequestGuard`` counts the ones
the bot sees; past its budget (a small fraction of Discord's limit) the bot's own deliveries
are held back until the window clears, while answers to users go on.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from collections.abc import Callable, Iterator

WINDOW = 600.0  # seconds, as Discord counts
INVALID = (401, 403, 429)


class RequestsHeld(Exception):
    """Deliveries are held: too many invalid requests in the last ten minutes."""


class InvalidRequestGuard:
    """A sliding ten-minute count of invalid answers, with a budget."""

    def __init__(self, budget: int = 1000, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget, self.clock = budget, clock
        self._seen: collections.deque[float] = collections.deque()
        self._in_flight = 0  # requests sent whose answer has not come: each may be invalid

    def _trim(self) -> None:
        cutoff = self.clock() - WINDOW
        while self._seen and self._seen[0] <= cutoff:
            self._seen.popleft()

    def note(self, status: int) -> None:
        """Count an answer if it is one Discord counts as invalid."""
        if status in INVALID:
            self._seen.append(self.clock())

    @property
    def count(self) -> int:
        """Invalid answers in the last ten minutes."""
        self._trim()
        return len(self._seen)

    def check(self) -> None:
        """Raise RequestsHeld when the budget is spent (counting requests still in flight)."""
        if self.count + self._in_flight >= self.budget:
            raise RequestsHeld(f"{self.count} invalid requests in 10 minutes; deliveries held back")

    @contextlib.contextmanager
    def sending(self) -> Iterator[None]:
        """Around one delivery request: refused (RequestsHeld) when the budget is spent."""
        self.check()
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1


class GlobalPacer:
    """At most ``rate`` of the bot's own requests per second, across all routes.

    discord.py paces each route bucket but not Discord's global limit (50 per second): a burst
    of alerts to many users drew global 429s, each an invalid request.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.clock = rate, clock
        self._sent: collections.deque[float] = collections.deque()

    async def wait(self) -> None:
        """Return when one more request fits in the last second."""
        while True:
            now = self.clock()
            while self._sent and self._sent[0] <= now - 1.0:
                self._sent.popleft()
            if len(self._sent) < self.rate:
                self._sent.append(now)
                return
            await asyncio.sleep(self._sent[0] + 1.0 - now)
