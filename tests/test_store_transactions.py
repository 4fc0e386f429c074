"""Write transactions wait for another connection's write lock instead of failing at once."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bot.state import meta as bot_meta
from bot.state import open_db as open_bot_db
from digest.store.transactions import writing


def _hold_write_lock(path, release: threading.Event) -> None:
    """Another connection takes the write lock, holds it until ``release``, then commits a value.

    Returns once the lock is held, however slow the machine.
    """
    taken = threading.Event()

    def hold() -> None:
        other = open_bot_db(path)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        release.wait(60)
        bot_meta.set_meta(other, "from", "other")  # a savepoint inside the held transaction
        other.execute("COMMIT")
        other.close()

    threading.Thread(target=hold, daemon=True).start()
    assert taken.wait(60)


def test_a_read_then_write_transaction_waits_for_the_lock(db_path):
    db = open_bot_db(db_path)
    release = threading.Event()
    _hold_write_lock(db_path, release)
    db.execute("PRAGMA busy_timeout = 60000")  # a starved holder must not outlast the wait
    # Released a moment after the write starts waiting (if this thread is slow to start the
    # write, the lock is simply free already: the test then passes without showing the wait).
    threading.Timer(0.3, release.set).start()
    with writing(db):
        bot_meta.get_meta(db, "cursor")  # a read first, as sqlite-utils' upsert does
        bot_meta.set_meta(db, "cursor", "7")
    assert bot_meta.get_meta(db, "cursor") == "7"
    assert bot_meta.get_meta(db, "from") == "other"


def test_why_not_atomic_a_deferred_reader_fails_at_once(db_path):
    db = open_bot_db(db_path)
    release = threading.Event()
    _hold_write_lock(db_path, release)  # held until the failure is seen, however long it takes
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"), db.atomic():
            bot_meta.get_meta(db, "cursor")
            db.execute("insert into bot_meta (key, value) values ('cursor', '7')")
    finally:
        release.set()


def test_an_error_rolls_the_whole_transaction_back(db_path):
    db = open_bot_db(db_path)
    with pytest.raises(RuntimeError), writing(db):
        bot_meta.set_meta(db, "cursor", "7")
        raise RuntimeError("half way")
    assert bot_meta.get_meta(db, "cursor") is None
    assert not db.conn.in_transaction
