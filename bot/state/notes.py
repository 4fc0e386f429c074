"""What the bot remembers besides deliveries: guild problems, closed DMs, /meetings queries.

Tables are created by ``bot.state.schema`` (one schema component for the bot).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from digest.store.transactions import writing
from digest.timeutil import to_iso


# ----- problems a guild's admins must fix (told once) -----------------------------------------
def note_problem(db: sqlite_utils.Database, guild_id: int, problem: str, now: datetime) -> bool:
    """Keep a guild's problem; True when nobody was told of a problem yet (tell them now)."""
    with writing(db):
        rows = list(db["guild_problems"].rows_where("guild_id = ?", [guild_id]))
        told = bool(rows and rows[0]["told_at"])
        db["guild_problems"].upsert(
            {
                "guild_id": guild_id,
                "problem": problem[:500],
                "noted_at": to_iso(now),
                "told_at": rows[0]["told_at"] if rows else None,
            },
            pk="guild_id",
        )
    return not told


def mark_problem_told(db: sqlite_utils.Database, guild_id: int, now: datetime) -> None:
    """Someone who can fix the guild's problem was told."""
    with writing(db):
        db.execute(
            "update guild_problems set told_at = ? where guild_id = ?", [to_iso(now), guild_id]
        )


def digest_problem(db: sqlite_utils.Database, guild_id: int) -> str | None:
    """The problem keeping a guild's digest from being posted, if any."""
    rows = list(db["guild_problems"].rows_where("guild_id = ?", [guild_id]))
    return rows[0]["problem"] if rows else None


# ----- users who closed their DMs -------------------------------------------------------------
def note_dm_closed(db: sqlite_utils.Database, user_id: int, now: datetime) -> None:
    """Discord refused a DM to this user (50007): alert them in the channel until they return."""
    with writing(db):
        db["closed_dms"].upsert({"user_id": user_id, "closed_at": to_iso(now)}, pk="user_id")


def dm_closed(db: sqlite_utils.Database, user_id: int) -> bool:
    """True when DMs to this user were refused and they have not used Parley since."""
    return bool(list(db["closed_dms"].rows_where("user_id = ?", [user_id])))


def forget_dm_closed(db: sqlite_utils.Database, user_id: int) -> bool:
    """The user used Parley again: try DMs again. True when they were marked closed."""
    with writing(db):
        cursor = db.execute("delete from closed_dms where user_id = ?", [user_id])
    return cursor.rowcount > 0


def closed_dm_users(db: sqlite_utils.Database) -> set[int]:
    """Every user whose DMs are known to be closed."""
    return {row[0] for row in db.execute("select user_id from closed_dms").fetchall()}


# ----- /meetings queries (for paging buttons) -------------------------------------------------
QUERY_DAYS = 30  # paging buttons older than this say the list is no longer kept


def save_meeting_query(db: sqlite_utils.Database, filters: dict[str, Any], now: datetime) -> int:
    """Keep a /meetings query's filters; returns its id (forgets those over a month old)."""
    with writing(db):
        cursor = db.execute(
            "insert into meeting_queries (filters, created_at) values (?, ?)",
            [json.dumps(filters, sort_keys=True), to_iso(now)],
        )
        db.execute(
            "delete from meeting_queries where created_at < ?",
            [to_iso(now - timedelta(days=QUERY_DAYS))],
        )
    return int(cursor.lastrowid)


def get_meeting_query(db: sqlite_utils.Database, query_id: int) -> dict[str, Any] | None:
    """A kept query's filters, or None when it is gone."""
    rows = list(db["meeting_queries"].rows_where("id = ?", [query_id]))
    return json.loads(rows[0]["filters"]) if rows else None
