"""Guild settings: where and when each guild gets its daily digest, and whether it is paused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from bot.state.records import GuildSettings
from digest.store.transactions import writing
from digest.timeutil import from_iso, to_iso


def _guild(row: dict[str, Any]) -> GuildSettings:
    return GuildSettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        time=row["time"],
        timezone=row["timezone"],
        paused=bool(row["paused"]),
        last_digest_at=from_iso(row["last_digest_at"]),
    )


def save_guild_settings(db: sqlite_utils.Database, settings: GuildSettings, now: datetime) -> None:
    """Create or replace a guild's digest settings."""
    with writing(db):
        db["guild_settings"].upsert(
            {
                "guild_id": settings.guild_id,
                "channel_id": settings.channel_id,
                "time": settings.time,
                "timezone": settings.timezone,
                "paused": int(settings.paused),
                "last_digest_at": to_iso(settings.last_digest_at),
                "updated_at": to_iso(now),
            },
            pk="guild_id",
        )


def get_guild_settings(db: sqlite_utils.Database, guild_id: int) -> GuildSettings | None:
    """A guild's settings, or None when it was never set up."""
    rows = list(db["guild_settings"].rows_where("guild_id = ?", [guild_id]))
    return _guild(rows[0]) if rows else None


def all_guild_settings(db: sqlite_utils.Database) -> list[GuildSettings]:
    """Every configured guild, by id."""
    return [_guild(row) for row in db["guild_settings"].rows_where(order_by="guild_id")]


def set_paused(db: sqlite_utils.Database, guild_id: int, paused: bool) -> bool:
    """Pause or resume a guild's digest; False when the guild was never set up."""
    with writing(db):
        cursor = db.execute(
            "update guild_settings set paused = ? where guild_id = ?", [int(paused), guild_id]
        )
    return cursor.rowcount > 0


def set_last_digest_at(db: sqlite_utils.Database, guild_id: int, when: datetime) -> None:
    """Remember the end of the period the guild's last digest covered."""
    with writing(db):
        db.execute(
            "update guild_settings set last_digest_at = ? where guild_id = ?",
            [to_iso(when), guild_id],
        )
