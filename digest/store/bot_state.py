"""The bot's state: guild settings, topic subscriptions, the digest outbox and alert deliveries.

Delivery state lives here rather than in memory so a crash between "recorded" and "posted" is
recoverable: a digest or alert is recorded before anything is sent, each message id is stored as
soon as Discord accepts it, and only then is the record marked posted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

# The subscription and delivery records live in digest.models: matching alerts needs them
# without storage.
from digest.models import POSTED, RECORDED, AlertDelivery, Subscription
from digest.store.transactions import writing
from digest.timeutil import from_iso, to_iso


def _create_tables(db: sqlite_utils.Database) -> None:
    db["guild_settings"].create(
        {
            "guild_id": int,
            "channel_id": int,
            "time": str,
            "timezone": str,
            "paused": int,
            "last_digest_at": str,
            "updated_at": str,
        },
        pk="guild_id",
        not_null={"channel_id", "time", "timezone"},
        defaults={"paused": 0},
    )
    db["subscriptions"].create(
        {
            "id": int,
            "guild_id": int,
            "kind": str,
            "target_id": int,
            "topic": str,
            "created_at": str,
        },
        pk="id",
        not_null={"guild_id", "kind", "target_id", "topic"},
    )
    db["subscriptions"].create_index(["guild_id", "kind", "target_id", "topic"], unique=True)
    db["subscriptions"].create_index(["topic"])
    db["digest_outbox"].create(
        {
            "id": int,
            "guild_id": int,
            "channel_id": int,
            "period": str,
            "state": str,
            "messages": str,  # JSON list of message payloads, rendered once at record time
            "message_ids": str,  # JSON list, one id per message Discord accepted, in order
            "attempts": int,
            "last_error": str,
            "since": str,
            "recorded_at": str,
            "posted_at": str,
        },
        pk="id",
        not_null={"guild_id", "channel_id", "period", "state", "messages"},
        defaults={"attempts": 0, "message_ids": "[]"},
    )
    db["digest_outbox"].create_index(["guild_id", "period"], unique=True)
    db["digest_outbox"].create_index(["state"])
    db["alert_deliveries"].create(
        {
            "id": int,
            "guild_id": int,
            "kind": str,
            "target_id": int,
            "article_id": int,
            "topic": str,
            "state": str,
            "via": str,
            "message_id": int,
            "recorded_at": str,
            "posted_at": str,
        },
        pk="id",
        not_null={"guild_id", "kind", "target_id", "article_id", "topic", "state"},
    )
    db["alert_deliveries"].create_index(
        ["guild_id", "kind", "target_id", "article_id"], unique=True
    )
    db["alert_deliveries"].create_index(["state"])
    db["bot_meta"].create({"key": str, "value": str}, pk="key")


def _index_pending_alerts(db: sqlite_utils.Database) -> None:
    # Covers "pending alerts per target": grouping and counting read the index alone. It
    # starts with state, so the plain state index only made each update move two entries.
    db["alert_deliveries"].create_index(
        ["state", "guild_id", "kind", "target_id", "id"], index_name="alert_deliveries_pending"
    )
    db.execute("drop index if exists idx_alert_deliveries_state")


def _add_delivery_state(db: sqlite_utils.Database) -> None:
    # A digest's coverage moves on only once it is posted (covers_until, applied then); a
    # problem a guild must fix (no permission to post) is kept to be shown and told once;
    # users whose DMs are closed are remembered, so each alert does not cost a refused DM;
    # /meetings queries are kept so their paging buttons work after a restart.
    db["digest_outbox"].add_column("covers_until", str)
    db["guild_problems"].create(
        {"guild_id": int, "problem": str, "noted_at": str, "told_at": str}, pk="guild_id"
    )
    db["closed_dms"].create({"user_id": int, "closed_at": str}, pk="user_id")
    db["meeting_queries"].create({"id": int, "filters": str, "created_at": str}, pk="id")


MIGRATIONS = [_create_tables, _index_pending_alerts, _add_delivery_state]
SUPERSEDED = "superseded"  # a digest never posted, whose articles the next one covers


# ----- guild settings -----------------------------------------------------------------------
@dataclass(frozen=True)
class GuildSettings:
    """Where and when a guild gets its daily digest."""

    guild_id: int
    channel_id: int
    time: str
    timezone: str
    paused: bool = False
    last_digest_at: datetime | None = None


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


# ----- subscriptions ------------------------------------------------------------------------
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


# ----- digest outbox ------------------------------------------------------------------------
@dataclass(frozen=True)
class OutboxEntry:
    """One guild's digest for one period: the messages to post and how far posting got."""

    id: int
    guild_id: int
    channel_id: int
    period: str
    state: str
    messages: tuple[dict[str, Any], ...]
    message_ids: tuple[int, ...]
    attempts: int = 0
    last_error: str | None = None
    since: datetime | None = None
    recorded_at: datetime | None = None
    posted_at: datetime | None = None
    covers_until: datetime | None = None

    @property
    def next_part(self) -> int:
        """Index of the first message not yet accepted by Discord."""
        return len(self.message_ids)


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


# ----- alert deliveries ---------------------------------------------------------------------
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


@dataclass(frozen=True)
class PendingAlerts:
    """What one user or role is still to be told: a count and the first few deliveries."""

    guild_id: int
    kind: str
    target_id: int
    count: int
    last_id: int  # everything up to this delivery id is covered by one message
    first: tuple[AlertDelivery, ...]


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


@dataclass(frozen=True)
class Headline:
    """What an alert shows of an article: no body."""

    id: int
    title: str | None
    location: str
    site: str | None


def headlines(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, Headline]:
    """Title, location and site of these articles, by id (bodies are not read)."""
    wanted = sorted(set(ids))
    found: dict[int, Headline] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"select id, title, location, site from articles where id in ({marks})", chunk
        ).fetchall()
        found.update({row[0]: Headline(*row) for row in rows})
    return found


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


# ----- small key/value state (cursors) ------------------------------------------------------
def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    """A stored value, or None."""
    rows = list(db["bot_meta"].rows_where("key = ?", [key]))
    return rows[0]["value"] if rows else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Store a value under ``key``."""
    with writing(db):
        db["bot_meta"].upsert({"key": key, "value": value}, pk="key")


def article_ids_after(db: sqlite_utils.Database, after_id: int, limit: int = 5000) -> list[int]:
    """Ids of articles stored after ``after_id``, ascending (the alert job's cursor)."""
    rows = db.execute(
        "select id from articles where id > ? order by id limit ?", [after_id, limit]
    ).fetchall()
    return [row[0] for row in rows]


def max_article_id(db: sqlite_utils.Database) -> int:
    """The highest article id stored (0 when none)."""
    return db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
