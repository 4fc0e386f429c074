"""Storage: the only place SQL lives. SQLite through sqlite-utils.

Each news component (articles, meetings, sources) keeps its tables in a module of its own
with a named set of schema steps (``digest.store.schema``); ``open_db`` checks that the file
is a Parley database (or a new one) before writing anything, then applies the missing steps
of every component. Other components sharing the file (the bot's delivery state) apply their
own sets with the same mechanism after opening.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from digest.errors import StoreError
from digest.store import articles, meetings, schema, sources
from digest.store.transactions import writing

# Order matters: later components may reference earlier ones' tables.
MIGRATION_SETS: list[schema.Migrations] = [
    articles.MIGRATIONS,
    meetings.MIGRATIONS,
    sources.MIGRATIONS,
]

_SQLITE_HEADER = b"SQLite format 3\x00"
# How long a command waits for another process's lock before it gives up.
_BUSY_SECONDS = 30
_WAL_RETRY_SECONDS = 0.02
# Before named steps, each component's step count was kept here; a file at the last counts
# has exactly the schema of the creation steps, which are then recorded as applied.
_POSITIONAL_TABLE = "schema_versions"
_POSITIONAL_FINAL = {"articles": 1, "meetings": 5, "sources": 1}
_POSITIONAL_SQUASHED = {"articles": 1, "meetings": 1, "sources": 1}


def check_path(path: Path) -> None:
    """Refuse, before anything is created or written, a path that cannot hold Parley's database.

    An empty path, a directory, a file that is not SQLite, a parent that is a file: each is a
    StoreError whose message names the path and what to do.
    """
    if not str(path).strip() or str(path) == ".":
        raise StoreError("the database path is empty: set [database] path or PARLEY_DB")
    if path.is_dir():
        raise StoreError(f"the database path {path} is a directory: name a file inside it")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise StoreError(f"the database path {path} is inside {parent}, a file")
            break
    if path.exists():
        if not path.is_file():
            raise StoreError(f"the database path {path} is not a regular file")
        try:
            with path.open("rb") as file:
                header = file.read(len(_SQLITE_HEADER))
        except OSError as error:
            raise StoreError(f"the database {path} cannot be read: {error.strerror}") from None
        if header and header != _SQLITE_HEADER:
            raise StoreError(f"{path} is not a SQLite database: set PARLEY_DB to another file")


def _connect(path: Path) -> tuple[sqlite_utils.Database, bool]:
    """The database at ``path`` and whether it is open read-only (a file we may not write)."""
    if path.exists():
        writable = os.access(path, os.W_OK)
    else:  # a new file: its folders are made, so the nearest one that exists must be writable
        existing = next(parent for parent in path.absolute().parents if parent.exists())
        writable = os.access(existing, os.W_OK)
    if writable:
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite_utils.Database(path), False
    if not path.exists():
        raise StoreError(f"the database {path} does not exist and its folder is read-only")
    # A WAL file can be read without writing only when its -shm index exists or can be made
    # beside it; otherwise it is read as immutable (nothing else can be writing it anyway).
    for mode in ("mode=ro", "immutable=1"):
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.OperationalError:
            conn.close()
            continue
        return sqlite_utils.Database(conn), True
    raise StoreError(f"the database {path} is read-only and cannot be opened for reading")


def _foreign_tables(db: sqlite_utils.Database) -> list[str]:
    """Tables that no Parley step creates: the file belongs to another application."""
    names = [n for n in db.table_names() if not n.startswith("sqlite_")]
    if not names or "_sqlite_migrations" in names or _POSITIONAL_TABLE in names:
        return []
    return names


def _adopt_positional_record(db: sqlite_utils.Database, path: Path) -> None:
    """Record a file made before named steps as having the news creation steps applied.

    Rows of components this store does not own stay in the old table for their owner.
    """
    if _POSITIONAL_TABLE not in db.table_names() or "_sqlite_migrations" in db.table_names():
        return
    versions = dict(db.execute(f"select component, version from {_POSITIONAL_TABLE}").fetchall())
    if {name: versions.get(name) for name in _POSITIONAL_FINAL} != _POSITIONAL_FINAL:
        raise StoreError(
            f"{path} was made by an older Parley whose schema cannot be upgraded; "
            "move it away and ingest again"
        )
    with writing(db):
        for migrations in MIGRATION_SETS:
            count = _POSITIONAL_SQUASHED[migrations.name]
            prefix = schema.Migrations(migrations.name)
            for step in migrations.pending(db)[:count]:  # nothing is recorded yet: all
                prefix(name=step.name)(lambda _db: None)
            prefix.apply(db)
        marks = ",".join("?" * len(_POSITIONAL_FINAL))
        db.execute(
            f"delete from {_POSITIONAL_TABLE} where component in ({marks})", list(_POSITIONAL_FINAL)
        )
        if not db.execute(f"select count(*) from {_POSITIONAL_TABLE}").fetchone()[0]:
            db.execute(f"drop table {_POSITIONAL_TABLE}")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    A path that is not Parley's database raises StoreError before anything is written. A file
    this process may not write opens read-only (commands that only read still work) unless its
    schema needs steps it cannot apply.
    """
    path = Path(path)
    if str(path) == ":memory:":
        db = sqlite_utils.Database(path)
        _configure(db, memory=True)
        migrate(db)
        return db
    check_path(path)
    db, read_only = _connect(path)
    try:
        _configure(db, memory=False)
        foreign = _foreign_tables(db)
        if foreign:
            raise StoreError(
                f"{path} is another application's SQLite database (tables: "
                f"{', '.join(foreign[:5])}); set PARLEY_DB to a file of Parley's own"
            )
        if read_only:
            pending = schema.pending_names(db, MIGRATION_SETS)
            names = db.table_names()
            if pending or (_POSITIONAL_TABLE in names and "_sqlite_migrations" not in names):
                raise StoreError(f"{path} is read-only and its schema needs upgrading first")
        else:
            _use_wal(db)
            _adopt_positional_record(db, path)
            migrate(db)
    except sqlite3.DatabaseError as error:
        db.close()
        raise StoreError(f"{path} cannot be used as the database: {error}") from None
    except BaseException:
        db.close()
        raise
    return db


def _configure(db: sqlite_utils.Database, *, memory: bool) -> None:
    db.execute("PRAGMA foreign_keys = ON")
    # Writers hold the lock briefly, but on a loaded host a process holding it can wait seconds
    # for a core (four concurrent ingests on a fresh file once outlasted 5 s under load): wait
    # for it rather than fail the command.
    db.execute(f"PRAGMA busy_timeout = {_BUSY_SECONDS * 1000}")
    if memory:
        return
    # Reading the header page here turns "file is not a database" into an error before
    # anything is written.
    db.execute("select count(*) from sqlite_master").fetchone()
    # Reads through a memory map, not a read() per page: lookups probe pages all over a
    # 100+ MB file, and the default 2 MB page cache keeps few of them.
    db.execute("PRAGMA mmap_size = 268435456")


def _use_wal(db: sqlite_utils.Database) -> None:
    """Switch the file to write-ahead logging, waiting for a process doing the same.

    SQLite does not call the busy handler for a journal-mode change: two processes opening a
    new file at once made one fail with "database is locked" (1 in 100 tries of four). Until
    another process has switched it, or the busy timeout is up, try again.
    """
    deadline = time.monotonic() + _BUSY_SECONDS
    while db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            db.enable_wal()
            return  # whatever mode SQLite settled on (a file system may refuse WAL)
        except sqlite3.OperationalError as error:
            text = str(error).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
            time.sleep(_WAL_RETRY_SECONDS)


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


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every component's pending schema steps (all or none); returns their names."""
    return schema.apply(db, MIGRATION_SETS)


def explain_sqlite_error(error: sqlite3.Error) -> str | None:
    """A one-line reason for a storage failure a user can act on, or None when unexpected."""
    text = str(error).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk holding the database is full"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only: this command needs to write to it"
    if "locked" in text or "busy" in text:
        return "the database stayed locked by another Parley process; try again"
    if "not a database" in text or "malformed" in text:
        return "the database file is damaged or not a SQLite database"
    if "unable to open" in text:
        return "the database file cannot be opened"
    return None
