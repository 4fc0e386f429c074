"""Storage: the only place SQL lives. SQLite through sqlite-utils.

Each component (articles, meetings, sources, bot state) keeps its tables in a module of its
own with an ordered list of migration steps; ``open_db`` applies the missing steps of every
component and records each component's schema version in ``schema_versions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import sqlite_utils

from digest.store import articles, bot_state, meetings, sources
from digest.store.transactions import writing

Migration = Callable[[sqlite_utils.Database], None]

# Order matters: later components may reference earlier ones' tables.
COMPONENTS: dict[str, Sequence[Migration]] = {
    "articles": articles.MIGRATIONS,
    "meetings": meetings.MIGRATIONS,
    "sources": sources.MIGRATIONS,
    "bot": bot_state.MIGRATIONS,
}


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    if str(path) != ":memory:":
        db.enable_wal()
        # Reads through a memory map, not a read() per page: lookups probe pages all over a
        # 100+ MB file, and the default 2 MB page cache keeps few of them.
        db.execute("PRAGMA mmap_size = 268435456")
    migrate(db)
    return db


def tune_for_long_running_writer(db: sqlite_utils.Database) -> None:
    """Settings for the bot's own connection, which commits often for as long as it runs."""
    # WAL + NORMAL: a commit survives a crash of this process (what the outbox relies on)
    # without an fsync each time; only an OS crash or power cut could lose the last ones.
    db.execute("PRAGMA synchronous = NORMAL")
    # Checkpoints (copying the WAL into the database) are left to `checkpoint`, run by a
    # worker, not to whichever of the bot's commits happens to cross the threshold.
    db.execute("PRAGMA wal_autocheckpoint = 0")


def checkpoint(db: sqlite_utils.Database) -> None:
    """Copy what the write-ahead log holds into the database file, without waiting on readers."""
    db.execute("PRAGMA wal_checkpoint(PASSIVE)")


def schema_version(db: sqlite_utils.Database, component: str) -> int:
    """The number of migration steps applied for ``component`` (0 when none)."""
    if "schema_versions" not in db.table_names():
        return 0
    rows = list(db["schema_versions"].rows_where("component = ?", [component]))
    return rows[0]["version"] if rows else 0


def migrate(db: sqlite_utils.Database) -> None:
    """Apply every component's missing migration steps, each in its own transaction."""
    db["schema_versions"].create(
        {"component": str, "version": int}, pk="component", if_not_exists=True
    )
    for component, steps in COMPONENTS.items():
        current = schema_version(db, component)
        for number, step in enumerate(steps[current:], start=current + 1):
            with writing(db):
                step(db)
                db["schema_versions"].upsert(
                    {"component": component, "version": number}, pk="component"
                )
