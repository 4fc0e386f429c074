"""The digest outbox: each guild's digest per period, recorded before anything is sent.

A crash between "recorded" and "posted" is recoverable: each message id is stored as soon as
Discord accepts it, and only then is the entry marked posted; a restart posts the rest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.state.guilds import get_guild_settings, set_last_digest_at
from bot.state.records import POSTED, RECORDED, SUPERSEDED, OutboxEntry
from digest.store.transactions import writing
from digest.timeutil import from_iso, to_iso


def _outbox(row: dict[str, Any]) -> OutboxEntry:
    return OutboxEntry(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        period=row["period"],
        state=row["state"],
        messages=tuple(json.loads(row["messages"])),
        message_ids=tuple(json.loads(row["message_ids"] or "[]")),
        attempts=row["attempts"] or 0,
        last_error=row["last_error"],
        since=from_iso(row["since"]),
        recorded_at=from_iso(row["recorded_at"]),
        posted_at=from_iso(row["posted_at"]),
        covers_until=from_iso(row.get("covers_until")),
    )


def record_digest(
    db: sqlite_utils.Database,
    *,
    guild_id: int,
    channel_id: int,
    period: str,
    messages: Sequence[dict[str, Any]],
    since: datetime | None,
    now: datetime,
    covers_until: datetime | None = None,
) -> tuple[OutboxEntry, bool]:
    """Record a guild's digest for ``period`` before sending it.

    Returns the entry and whether it is new; when one was already recorded for this period
    (a second firing, a restart), that one is returned untouched, so a period posts once.
    ``covers_until`` becomes the guild's ``last_digest_at`` only when the digest is posted
    (``mark_digest_posted``): a digest that never gets out leaves its articles to the next.
    An earlier digest of the guild still waiting with nothing posted is superseded by this
    one, which covers its articles (its ``since`` is the same coverage mark).
    """
    with writing(db):
        cursor = db.execute(
            "insert or ignore into digest_outbox"
            " (guild_id, channel_id, period, state, messages, message_ids, attempts, since,"
            " recorded_at, covers_until) values (?, ?, ?, ?, ?, '[]', 0, ?, ?, ?)",
            [
                guild_id,
                channel_id,
                period,
                RECORDED,
                json.dumps(list(messages)),
                to_iso(since),
                to_iso(now),
                to_iso(covers_until),
            ],
        )
        if cursor.rowcount > 0:
            db.execute(
                "update digest_outbox set state = ? where guild_id = ? and state = ?"
                " and period != ? and message_ids = '[]'",
                [SUPERSEDED, guild_id, RECORDED, period],
            )
    entry = get_outbox(db, guild_id, period)
    assert entry is not None
    return entry, cursor.rowcount > 0


def started_coverage(db: sqlite_utils.Database, guild_id: int) -> datetime | None:
    """Where a guild's partly posted digests end (they are finished, not superseded)."""
    row = db.execute(
        "select max(covers_until) from digest_outbox where guild_id = ? and state = ?"
        " and message_ids != '[]'",
        [guild_id, RECORDED],
    ).fetchone()
    return from_iso(row[0]) if row and row[0] else None


def get_outbox(db: sqlite_utils.Database, guild_id: int, period: str) -> OutboxEntry | None:
    """The outbox entry of a guild's period, if recorded."""
    rows = list(db["digest_outbox"].rows_where("guild_id = ? and period = ?", [guild_id, period]))
    return _outbox(rows[0]) if rows else None


def get_outbox_by_id(db: sqlite_utils.Database, entry_id: int) -> OutboxEntry:
    """An outbox entry by id."""
    return _outbox(db["digest_outbox"].get(entry_id))


def pending_digests(db: sqlite_utils.Database) -> list[OutboxEntry]:
    """Digests recorded but not yet fully posted, oldest first."""
    rows = db["digest_outbox"].rows_where("state = ?", [RECORDED], order_by="id")
    return [_outbox(row) for row in rows]


def latest_digest(db: sqlite_utils.Database, guild_id: int) -> OutboxEntry | None:
    """The most recently recorded digest of a guild."""
    rows = list(
        db["digest_outbox"].rows_where("guild_id = ?", [guild_id], order_by="id desc", limit=1)
    )
    return _outbox(rows[0]) if rows else None


def count_digests(db: sqlite_utils.Database, state: str) -> int:
    """How many digests are in ``state`` (RECORDED or POSTED)."""
    return db.execute("select count(*) from digest_outbox where state = ?", [state]).fetchone()[0]


def mark_part_posted(db: sqlite_utils.Database, entry_id: int, message_id: int) -> None:
    """Store the id of the next message Discord accepted (parts are posted in order)."""
    with writing(db):
        db.execute(
            "update digest_outbox set message_ids = json_insert(message_ids, '$[#]', ?)"
            " where id = ?",
            [message_id, entry_id],
        )


def mark_digest_posted(db: sqlite_utils.Database, entry_id: int, now: datetime) -> None:
    """Every message of the digest was accepted: the guild's coverage moves to its end."""
    with writing(db):
        db["digest_outbox"].update(
            entry_id, {"state": POSTED, "posted_at": to_iso(now), "last_error": None}
        )
        row = db["digest_outbox"].get(entry_id)
        covers = from_iso(row.get("covers_until"))
        if covers is not None:
            current = get_guild_settings(db, row["guild_id"])
            if current is not None and (
                current.last_digest_at is None or current.last_digest_at < covers
            ):
                set_last_digest_at(db, row["guild_id"], covers)
        db.execute("delete from guild_problems where guild_id = ?", [row["guild_id"]])


def digest_state(db: sqlite_utils.Database, entry_id: int) -> str:
    """An outbox entry's state now (another run may have superseded it)."""
    return db["digest_outbox"].get(entry_id)["state"]


def note_digest_failure(db: sqlite_utils.Database, entry_id: int, error: str) -> int:
    """Count a failed attempt and keep its reason; returns the attempts so far."""
    with writing(db):
        db.execute(
            "update digest_outbox set attempts = attempts + 1, last_error = ? where id = ?",
            [error[:500], entry_id],
        )
    return get_outbox_by_id(db, entry_id).attempts
