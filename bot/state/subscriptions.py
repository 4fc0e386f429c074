"""Topic subscriptions: which user or role follows which topic in a guild."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from bot.state.records import Subscription
from digest.store.transactions import writing
from digest.timeutil import to_iso


def add_subscription(db: sqlite_utils.Database, subscription: Subscription, now: datetime) -> bool:
    """Follow a topic; False when this subscription already existed."""
    with writing(db):
        cursor = db.execute(
            "insert or ignore into subscriptions (guild_id, kind, target_id, topic, created_at)"
            " values (?, ?, ?, ?, ?)",
            [
                subscription.guild_id,
                subscription.kind,
                subscription.target_id,
                subscription.topic,
                to_iso(now),
            ],
        )
    return cursor.rowcount > 0


def remove_subscription(db: sqlite_utils.Database, subscription: Subscription) -> bool:
    """Stop following a topic; False when there was no such subscription."""
    with writing(db):
        cursor = db.execute(
            "delete from subscriptions where guild_id = ? and kind = ? and target_id = ?"
            " and topic = ?",
            [subscription.guild_id, subscription.kind, subscription.target_id, subscription.topic],
        )
    return cursor.rowcount > 0


def subscriptions_of(
    db: sqlite_utils.Database, guild_id: int, kind: str, target_id: int
) -> list[Subscription]:
    """What one user or role follows in a guild, by topic."""
    rows = db["subscriptions"].rows_where(
        "guild_id = ? and kind = ? and target_id = ?",
        [guild_id, kind, target_id],
        order_by="topic",
    )
    return [_subscription(row) for row in rows]


def guild_subscriptions(db: sqlite_utils.Database, guild_id: int) -> list[Subscription]:
    """Every subscription in a guild."""
    rows = db["subscriptions"].rows_where("guild_id = ?", [guild_id], order_by="topic, id")
    return [_subscription(row) for row in rows]


def all_subscriptions(db: sqlite_utils.Database) -> list[Subscription]:
    """Every subscription in every guild."""
    return [_subscription(row) for row in db["subscriptions"].rows_where(order_by="id")]


def _subscription(row: dict[str, Any]) -> Subscription:
    return Subscription(row["guild_id"], row["kind"], row["target_id"], row["topic"])
