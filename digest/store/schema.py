"""Named schema steps per component, applied once each and recorded by name.

Each component (articles, meetings, sources; any other that keeps tables in the same file
applies its own set the same way) owns one ``sqlite_utils.Migrations`` set: a creation step,
then later steps, each with a name. The record (sqlite-utils' ``_sqlite_migrations`` table)
holds the names applied, so reordering or inserting a step never re-runs or skips another
silently, as a position counter would. ``apply`` runs every pending step of every set under
SQLite's write lock, so two processes opening a new file at once never both create the same
tables, and it writes nothing when nothing is pending (a read-only database opens for reading).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlite_utils

from digest.store.transactions import writing

__all__ = ["Migrations", "apply", "applied_names", "pending_names"]

Migrations = sqlite_utils.Migrations


def pending_names(db: sqlite_utils.Database, sets: Iterable[Migrations]) -> list[str]:
    """``set/step`` for every step not yet applied (reads only)."""
    return [f"{m.name}/{step.name}" for m in sets for step in m.pending(db)]


def applied_names(db: sqlite_utils.Database, migrations: Migrations) -> list[str]:
    """The names of the steps of ``migrations`` recorded in ``db``, in the order applied."""
    return [step.name for step in migrations.applied(db)]


def apply(db: sqlite_utils.Database, sets: Sequence[Migrations]) -> list[str]:
    """Apply every pending step of ``sets`` (in order) in one write transaction.

    Returns what was applied. A step that fails rolls everything back: the file keeps the
    schema it had. Nothing is written when nothing is pending.
    """
    if not pending_names(db, sets):
        return []
    with writing(db):
        # Inside the lock: another process may have applied them since the check above.
        done = pending_names(db, sets)
        for migrations in sets:
            migrations.apply(db)
    return done
