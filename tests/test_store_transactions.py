"""Write transactions wait for another connection's write lock instead of failing at once."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bot.state import meta as bot_meta
from bot.state import open_db as open_bot_db
from digest.store.transactions import writing


def _hold_write_lock(path, seconds: float) -> threading.Event:
    """Another connection takes the write lock, keeps it ``seconds``, then commits a value."""
    taken = threading.Event()

    def hold() -> None:
        other = open_bot_db(path)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        threading.Event().wait(seconds)
        bot_meta.set_meta(other, "from", "other")  # a savepoint inside the held transaction
        other.execute("COMMIT")
        other.close()

    threading.Thread(target=hold, daemon=True).start()
    taken.wait(5)
    return taken


def test_a_read_then_write_transaction_waits_for_the_lock(db_path):
    db = open_bot_db(db_path)
    _hold_write_lock(db_path, 0.3)
    with writing(db):
        bot_meta.get_meta(db, "cursor")  # a read first, as sqlite-utils' upsert does
        bot_meta.set_meta(db, "cursor", "7")
    assert bot_meta.get_meta(db, "cursor") == "7"
    assert bot_meta.get_meta(db, "from") == "other"


def test_why_not_atomic_a_deferred_reader_fails_at_once(db_path):
    db = open_bot_db(db_path)
    _hold_write_lock(db_path, 0.3)
    with pytest.raises(sqlite3.OperationalError, match="locked"), db.atomic():
        bot_meta.get_meta(db, "cursor")
        db.execute("insert into bot_meta (key, value) values ('cursor', '7')")


def test_an_error_rolls_the_whole_transaction_back(db_path):
    db = open_bot_db(db_path)
    with pytest.raises(RuntimeError), writing(db):
        bot_meta.set_meta(db, "cursor", "7")
        raise RuntimeError("half way")
    assert bot_meta.get_meta(db, "cursor") is None
    assert not db.conn.in_transaction
