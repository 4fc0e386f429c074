"""What one feed, and one polling round, may spend: items, decoded bytes and seconds.

Every entry point (``parley ingest URL``, ``sources add``, ``parley poll``, the bot's job)
reads feeds under a feed budget charged to a round budget, so a feed of 100,000 items or of
slow-drip pages holds nothing for long. What a budget cuts off is not marked seen: the next
round (or the next run) picks it up, and the caller is told why it stopped.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from digest.config import SourceSettings


@dataclass(frozen=True)
class BudgetLimits:
    """How many items, decoded bytes and seconds may be spent."""

    items: int
    bytes: int
    seconds: float

    @classmethod
    def feed(cls, settings: SourceSettings) -> BudgetLimits:
        """One feed's allowance per round, as configured under ``[sources]``."""
        return cls(settings.feed_items, settings.feed_bytes, settings.feed_seconds)

    @classmethod
    def round(cls, settings: SourceSettings) -> BudgetLimits:
        """One polling round's allowance (every feed together), as configured."""
        return cls(settings.round_items, settings.round_bytes, settings.round_seconds)


def loop_time() -> float:
    """The event loop's clock (``asyncio.timeout_at`` uses it), or the same monotonic clock."""
    try:
        return asyncio.get_running_loop().time()
    except RuntimeError:  # outside a loop (a synchronous caller): the same monotonic clock
        return time.monotonic()


class Budget:
    """A running allowance, from now; spending from a feed's budget spends its round's too."""

    def __init__(self, limits: BudgetLimits, name: str, parent: Budget | None = None) -> None:
        """``name`` says whose budget it is in messages ("the feed's", "the round's")."""
        self.limits = limits
        self.name = name
        self.parent = parent
        self.items = 0
        self.bytes = 0
        self.deadline = loop_time() + limits.seconds

    def child(self, limits: BudgetLimits, name: str) -> Budget:
        """A budget for one feed of this round, starting now."""
        return Budget(limits, name, parent=self)

    @property
    def when(self) -> float:
        """The earliest deadline of this budget and its parents (loop time)."""
        return min(self.deadline, self.parent.when) if self.parent else self.deadline

    def exhausted(self, items: bool = True) -> str | None:
        """Why nothing more may start (which budget ran out), or None while some is left.

        ``items=False`` asks only about bytes and time (for work whose item is already taken).
        """
        if items and self.items >= self.limits.items:
            return f"{self.name} {self.limits.items:,}-item budget"
        if self.bytes >= self.limits.bytes:
            return f"{self.name} {self.limits.bytes:,}-byte budget"
        if loop_time() >= self.deadline:
            return f"{self.name} {self.limits.seconds:g}-second budget"
        return self.parent.exhausted(items) if self.parent else None

    def time_reason(self) -> str:
        """Which deadline comes first, said for people."""
        if self.parent and self.parent.when < self.deadline:
            return self.parent.time_reason()
        return f"{self.name} {self.limits.seconds:g}-second budget"

    def take_item(self) -> str | None:
        """Spend one item; the reason instead when no budget is left (nothing is spent)."""
        reason = self.exhausted()
        if reason is None:
            budget: Budget | None = self
            while budget is not None:
                budget.items += 1
                budget = budget.parent
        return reason

    def spend_bytes(self, count: int) -> None:
        """Record ``count`` decoded bytes read (a fetch in flight may overshoot by one body)."""
        budget: Budget | None = self
        while budget is not None:
            budget.bytes += count
            budget = budget.parent
