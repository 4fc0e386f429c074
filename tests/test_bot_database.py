"""The bot's database thread: the event loop never runs SQL itself, nor waits on SQLite's locks."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest

from bot.database import BotDatabase, with_own_connection
from digest import store
from digest.store import bot_state


async def test_calls_run_in_the_database_thread_and_return_their_result(db_path):
    database = BotDatabase(db_path)
    try:
        await database.run(bot_state.set_meta, "greeting", "hello")
        assert await database.run(bot_state.get_meta, "greeting") == "hello"
        where = await database.run(lambda _db: threading.current_thread().name)
        assert where.startswith("parley-db")
    finally:
        database.close()
        database.close()  # closing twice is harmless


async def test_the_connection_refuses_use_from_the_event_loop(db_path):
    database = BotDatabase(db_path)
    try:
        with pytest.raises(sqlite3.ProgrammingError):
            bot_state.get_meta(database._db, "anything")
    finally:
        database.close()


async def test_the_loop_keeps_turning_while_a_write_waits_for_another_writer(db_path):
    database = BotDatabase(db_path)
    other = store.open_db(db_path)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's long write holds the lock
        write = asyncio.ensure_future(database.run(bot_state.set_meta, "cursor", "42"))
        turns = 0
        for _ in range(20):  # 20 loop turns while the write is stuck behind the lock
            await asyncio.sleep(0.01)
            turns += 1
        assert turns == 20 and not write.done()
        other.execute("COMMIT")
        await asyncio.wait_for(write, 10)
        assert bot_state.get_meta(other, "cursor") == "42"
    finally:
        other.close()
        database.close()


async def test_with_own_connection_runs_a_coroutine_function_beside_the_bot(db_path):
    store.open_db(db_path).close()

    async def set_and_read(db, key: str) -> str | None:
        await asyncio.sleep(0)
        bot_state.set_meta(db, key, "set elsewhere")
        return bot_state.get_meta(db, key)

    assert await with_own_connection(db_path, set_and_read, "flag") == "set elsewhere"
