"""The bot's database, used only from a thread of its own so the event loop never waits on it.

SQLite calls block: a write waits in SQLite's busy handler (sleeping up to 100 ms a try) while a
worker process commits a batch of alerts, and a large lookup takes milliseconds. On the event
loop either one stalls every Discord answer and heartbeat, so every call the bot makes to the
Parley database goes through ``BotDatabase.run``. The connection is opened in that one thread
and keeps sqlite3's same-thread check: a stray synchronous call from the loop fails loudly
instead of stalling it. (APScheduler's job store, a small file of its own, is still written by
the scheduler on the loop.)
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import sqlite_utils

from bot.state import open_db as open_bot_db
from digest import store

P = ParamSpec("P")
T = TypeVar("T")


class BotDatabase:
    """One SQLite connection living in one thread; ``await run(func, ...)`` calls into it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="parley-db")
        self._db = self._thread.submit(_open_for_bot, path).result()
        self._closed = False

    async def run(
        self,
        func: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``func(db, *args, **kwargs)`` in the database thread, awaited from the loop."""
        call = functools.partial(func, self._db, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    def close(self) -> None:
        """Finish queued calls, then close the connection (in its thread) and the thread."""
        if self._closed:
            return
        self._closed = True
        self._thread.submit(self._db.close).result()
        self._thread.shutdown()


async def with_own_connection(
    path: Path,
    func: Callable[Concatenate[sqlite_utils.Database, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run a coroutine function that mixes network waits and SQL in a thread with its own loop.

    Polling sources fetches for seconds and writes between fetches; in the bot's database
    thread it would hold up every other call, on the bot's loop its SQL would stall it.
    Cancelling the caller (the bot shutting down) cancels the coroutine in its thread too.
    """
    cancelled = threading.Event()
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[T]]] = []

    async def run(db: sqlite_utils.Database) -> T:
        task = asyncio.ensure_future(func(db, *args, **kwargs))
        running.append((asyncio.get_running_loop(), task))
        if cancelled.is_set():  # cancelled before the task existed
            task.cancel()
        return await task

    def in_thread() -> T:
        db = open_bot_db(path)
        try:
            return asyncio.run(run(db))
        finally:
            db.close()

    work = asyncio.ensure_future(asyncio.to_thread(in_thread))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        work.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved
        cancelled.set()
        for loop, task in running:
            with contextlib.suppress(RuntimeError):  # its loop already finished
                loop.call_soon_threadsafe(task.cancel)
        raise


def _open_for_bot(path: Path) -> sqlite_utils.Database:
    db = open_bot_db(path)
    store.tune_for_long_running_writer(db)
    return db
