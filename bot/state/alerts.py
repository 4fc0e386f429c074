"""Alert deliveries: recorded before anything is sent, then marked posted with the message id.

One row per (guild, target, article), so an article is never told twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.state.records import POSTED, RECORDED, AlertDelivery, PendingAlerts
from digest.store.transactions import writing
from digest.timeutil import to_iso


def _alert(row: dict[str, Any]) -> AlertDelivery:
    return AlertDelivery(
        guild_id=row["guild_id"],
        kind=row["kind"],
        target_id=row["target_id"],
        article_id=row["article_id"],
        topic=row["topic"],
        state=row["state"],
        id=row["id"],
        via=row["via"],
    )


def record_alerts(
    db: sqlite_utils.Database,
    deliveries: Iterable[AlertDelivery],
    now: datetime,
    pause: float = 0.0,
) -> int:
    """Record deliveries before sending; one per (guild, target, article), so never twice.

    Returns how many were new. Written in short transactions with ``pause`` seconds between
    them, so another connection (the bot's own) never waits long for the write lock:
    SQLite's busy handler retries on its own schedule, and a writer that commits and starts
    again at once would keep winning the lock.
    """
    rows = [
        (d.guild_id, d.kind, d.target_id, d.article_id, d.topic, RECORDED, to_iso(now))
        for d in deliveries
    ]
    before = db.conn.total_changes
    for start in range(0, len(rows), 1000):
        # One short transaction per batch, then a pause in which a connection waiting in its
        # busy handler (the bot's, recording a digest) can take the lock.
        with writing(db):
            db.conn.executemany(
                "insert or ignore into alert_deliveries"
                " (guild_id, kind, target_id, article_id, topic, state, recorded_at)"
                " values (?, ?, ?, ?, ?, ?, ?)",
                rows[start : start + 1000],
            )
        if pause:
            time.sleep(pause)
    return db.conn.total_changes - before


def pending_alerts(db: sqlite_utils.Database, targets: int | None = None) -> list[AlertDelivery]:
    """Alerts recorded but not yet delivered, grouped by target, oldest first within each.

    With ``targets``, only those of the first ``targets`` users or roles (all of each one's).
    """
    if targets is None:
        rows = db["alert_deliveries"].rows_where(
            "state = ?", [RECORDED], order_by="guild_id, kind, target_id, id"
        )
        return [_alert(row) for row in rows]
    rows = db.query(
        "select * from alert_deliveries where state = ? and (guild_id, kind, target_id) in"
        " (select distinct guild_id, kind, target_id from alert_deliveries where state = ?"
        "  order by guild_id, kind, target_id limit ?)"
        " order by guild_id, kind, target_id, id",
        [RECORDED, RECORDED, targets],
    )
    return [_alert(row) for row in rows]


def pending_alert_groups(
    db: sqlite_utils.Database,
    targets: int,
    shown: int = 10,
    after: tuple[int, str, int] | None = None,
) -> list[PendingAlerts]:
    """Up to ``targets`` users or roles with undelivered alerts, with counts and first rows.

    Each group holds its first ``shown`` deliveries; only those rows are read, however many
    are pending. ``after`` (guild, kind, target) starts past that group, so a run can go on
    beyond groups that failed (they stay recorded for the next run).
    """
    start = after or (-1, "", -1)
    groups = db.execute(
        "select guild_id, kind, target_id, count(*), max(id) from alert_deliveries"
        " where state = ? and (guild_id, kind, target_id) > (?, ?, ?)"
        " group by guild_id, kind, target_id"
        " order by guild_id, kind, target_id limit ?",
        [RECORDED, *start, targets],
    ).fetchall()
    if not groups:
        return []
    found = []
    for guild_id, kind, target_id, count, last_id in groups:
        rows = db["alert_deliveries"].rows_where(
            "state = ? and guild_id = ? and kind = ? and target_id = ?",
            [RECORDED, guild_id, kind, target_id],
            order_by="id",
            limit=shown,
        )
        first = tuple(_alert(row) for row in rows)
        found.append(PendingAlerts(guild_id, kind, target_id, count, last_id, first))
    return found


def mark_target_alerts_posted(
    db: sqlite_utils.Database,
    groups: Sequence[tuple[PendingAlerts, str, int | None]],
    now: datetime,
) -> None:
    """Each group's deliveries (up to its last id) were told: (group, via, message id).

    One short transaction per group: a group can hold hundreds of rows, and one transaction
    for all of them would keep the bot's own connection waiting for the write lock.
    """
    for group, via, message_id in groups:
        with writing(db):
            db.execute(
                "update alert_deliveries set state = ?, via = ?, message_id = ?, posted_at = ?"
                " where guild_id = ? and kind = ? and target_id = ? and state = ? and id <= ?",
                [
                    POSTED, via, message_id, to_iso(now),
                    group.guild_id, group.kind, group.target_id, RECORDED, group.last_id,
                ],
            )  # fmt: skip


def mark_alerts_posted(
    db: sqlite_utils.Database,
    ids: Sequence[int],
    *,
    via: str,
    message_id: int | None,
    now: datetime,
) -> None:
    """These deliveries reached their target (``via`` 'dm' or 'channel')."""
    with writing(db):
        db.conn.executemany(
            "update alert_deliveries set state = ?, via = ?, message_id = ?, posted_at = ?"
            " where id = ?",
            [(POSTED, via, message_id, to_iso(now), i) for i in ids],
        )


def delivered_alerts(db: sqlite_utils.Database, guild_id: int) -> list[AlertDelivery]:
    """Alerts delivered in a guild, in recording order."""
    rows = db["alert_deliveries"].rows_where(
        "guild_id = ? and state = ?", [guild_id, POSTED], order_by="id"
    )
    return [_alert(row) for row in rows]
