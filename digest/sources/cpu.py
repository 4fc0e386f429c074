"""CPU-bound work (parsing, extraction) off the event loop, one piece at a time per loop.

Threads share the GIL, so several extractions at once are no faster than one, and each
extra thread makes the event loop wait longer for its turn: one at a time keeps the loop
responsive (the bot's heartbeats and commands) at no cost in throughput.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

CPU_SLOTS = 1
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def run_cpu(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)`` in a worker thread, at most CPU_SLOTS at once per loop."""
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(CPU_SLOTS)
    async with _slots[loop]:
        return await asyncio.to_thread(func, *args, **kwargs)
