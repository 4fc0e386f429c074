"""The bot's database thread: the event loop never runs SQL itself, nor waits on SQLite's locks."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from bot.database import BotDatabase, with_own_connection
from bot.state import meta as bot_meta
from bot.state import open_db as open_bot_db


async def test_calls_run_in_the_database_thread_and_return_their_result(db_path):
    database = BotDatabase(db_path)
    try:
        await database.run(bot_meta.set_meta, "greeting", "hello")
        assert await database.run(bot_meta.get_meta, "greeting") == "hello"
        where = await database.run(lambda _db: threading.current_thread().name)
        assert where.startswith("parley-db")
    finally:
        database.close()
        database.close()  # closing twice is harmless


async def test_the_connection_refuses_use_from_the_event_loop(db_path):
    database = BotDatabase(db_path)
    try:
        with pytest.raises(sqlite3.ProgrammingError):
            bot_meta.get_meta(database._db, "anything")
    finally:
        database.close()


async def test_the_loop_keeps_turning_while_a_write_waits_for_another_writer(db_path):
    database = BotDatabase(db_path)
    other = open_bot_db(db_path)
    entered = threading.Event()

    def write(db) -> None:
        entered.set()
        bot_meta.set_meta(db, "cursor", "42")

    try:
        # However slow the machine, the write keeps waiting for as long as the lock is held.
        await database.run(lambda db: db.execute("PRAGMA busy_timeout = 600000"))
        other.execute("BEGIN IMMEDIATE")  # another process's long write holds the lock
        stuck = asyncio.ensure_future(database.run(write))
        # The loop goes on serving other work (this wait, these turns) while the write is stuck.
        assert await asyncio.to_thread(entered.wait, 60)
        for _ in range(20):
            await asyncio.sleep(0)
        assert not stuck.done()
        other.execute("COMMIT")
        await asyncio.wait_for(stuck, 60)
        assert bot_meta.get_meta(other, "cursor") == "42"
    finally:
        other.close()
        database.close()


async def test_with_own_connection_runs_a_coroutine_function_beside_the_bot(db_path):
    open_bot_db(db_path).close()

    async def set_and_read(db, key: str) -> str | None:
        await asyncio.sleep(0)
        bot_meta.set_meta(db, key, "set elsewhere")
        return bot_meta.get_meta(db, key)

    assert await with_own_connection(db_path, set_and_read, "flag") == "set elsewhere"


async def test_cancelling_the_caller_cancels_the_coroutine_in_its_thread(db_path):
    open_bot_db(db_path).close()
    started, ended, release = threading.Event(), threading.Event(), threading.Event()
    how: list[str] = []

    async def slow_write(db) -> None:
        started.set()
        try:
            while not release.is_set():  # only a cancellation ends this wait early
                await asyncio.sleep(0.01)
            bot_meta.set_meta(db, "late", "written")
            how.append("finished")
        except asyncio.CancelledError:
            how.append("cancelled")
            raise
        finally:
            ended.set()

    call = asyncio.ensure_future(with_own_connection(db_path, slow_write))
    try:
        assert await asyncio.to_thread(started.wait, 60)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert await asyncio.to_thread(ended.wait, 60)  # the coroutine in the thread ended…
        assert how == ["cancelled"]  # …because it was cancelled, before writing
    finally:
        release.set()  # a failing run must not leave the thread polling forever
    db = open_bot_db(db_path)
    assert bot_meta.get_meta(db, "late") is None
    db.close()
