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
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's long write holds the lock
        write = asyncio.ensure_future(database.run(bot_meta.set_meta, "cursor", "42"))
        await asyncio.sleep(0.2)  # the loop turns on while the write is stuck behind the lock
        assert not write.done()
        other.execute("COMMIT")
        await asyncio.wait_for(write, 10)
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
    started = threading.Event()

    async def slow_write(db) -> None:
        started.set()
        await asyncio.sleep(0.5)
        bot_meta.set_meta(db, "late", "written")

    call = asyncio.ensure_future(with_own_connection(db_path, slow_write))
    assert await asyncio.to_thread(started.wait, 5)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    await asyncio.sleep(0.8)  # past the moment it would have written
    db = open_bot_db(db_path)
    assert bot_meta.get_meta(db, "late") is None
    db.close()
