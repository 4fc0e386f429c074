"""Write transactions that wait for the write lock instead of failing at once."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlite_utils

__all__ = ["writing"]


@contextlib.contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction that takes SQLite's write lock up front (``BEGIN IMMEDIATE``).

    sqlite-utils' ``atomic()`` begins a deferred transaction: its first read makes it a reader,
    and a reader that then writes while another connection (a worker process) holds the write
    lock fails with "database is locked" at once, because SQLite calls the busy handler only
    for a transaction that has not started yet. Taking the lock first waits, up to the busy
    timeout, instead. Nested use becomes a savepoint of the outer transaction.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:  # an error may already have rolled it back
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
