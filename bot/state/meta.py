"""Small key/value state of the bot (cursors, the guilds whose commands were synced)."""

from __future__ import annotations

import sqlite_utils

from digest.store.transactions import writing


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    """A stored value, or None."""
    rows = list(db["bot_meta"].rows_where("key = ?", [key]))
    return rows[0]["value"] if rows else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Store a value under ``key``."""
    with writing(db):
        db["bot_meta"].upsert({"key": key, "value": value}, pk="key")
