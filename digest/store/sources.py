"""Sources (feeds and pages) with health and conditional-GET validators; feed items seen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

import sqlite_utils

from digest.store.schema import Migrations
from digest.store.transactions import writing
from digest.timeutil import from_iso, to_iso

FEED, PAGE = "feed", "page"
CONFIG, ADMIN = "config", "admin"  # who registered a source: the config file or an admin


MIGRATIONS = Migrations("sources")


@MIGRATIONS(name="create")
def _create_sources(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {
            "url": str,
            "kind": str,
            "origin": str,
            "added_at": str,
            "title": str,
            "primed": int,
            "last_success": str,
            "last_error": str,
            "last_error_at": str,
            "consecutive_failures": int,
            "next_poll": str,
            "paused": int,
            "pause_announced": int,
            "etag": str,
            "last_modified": str,
        },
        pk="url",
        not_null={"kind", "origin", "added_at"},
        defaults={"primed": 0, "consecutive_failures": 0, "paused": 0, "pause_announced": 0},
    )
    db["sources"].create_index(["next_poll"])
    db["source_items"].create(
        {"source_url": str, "item_key": str, "seen_at": str},
        pk=("source_url", "item_key"),
        foreign_keys=[("source_url", "sources", "url")],
    )


@dataclass(frozen=True)
class Source:
    """A feed or page Parley polls, with its health.

    ``next_poll`` None means nothing is scheduled: a page that was read, or a paused source.
    ``primed`` says a feed's first poll has happened (its backlog was dealt with).
    """

    url: str
    kind: str
    origin: str
    added_at: datetime
    title: str | None = None
    primed: bool = False
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    next_poll: datetime | None = None
    paused: bool = False
    pause_announced: bool = False
    etag: str | None = None
    last_modified: str | None = None

    @property
    def status(self) -> str:
        """One word for people: paused, failing, new, ok or done (a page already read)."""
        if self.paused:
            return "paused"
        if self.consecutive_failures:
            return "failing"
        if self.last_success is None:
            return "new"
        return "ok" if self.next_poll else "done"


_TIMES = {"added_at", "last_success", "last_error_at", "next_poll"}
_FLAGS = {"primed", "paused", "pause_announced"}


def _row(source: Source) -> dict[str, Any]:
    row = {f.name: getattr(source, f.name) for f in fields(Source)}
    for name in _TIMES:
        row[name] = to_iso(row[name])
    for name in _FLAGS:
        row[name] = int(row[name])
    return row


def _source(row: dict[str, Any]) -> Source:
    values = dict(row)
    for name in _TIMES:
        values[name] = from_iso(values[name])
    for name in _FLAGS:
        values[name] = bool(values[name])
    values["consecutive_failures"] = values["consecutive_failures"] or 0
    return Source(**values)


def save_source(db: sqlite_utils.Database, source: Source) -> Source:
    """Insert or replace ``source`` (its seen items are kept)."""
    with writing(db):
        db["sources"].upsert(_row(source), pk="url")
    return source


# What a polling round may change; the rest (kind, origin, added_at) belongs to the registry.
_POLLED = ("title", "primed", "last_success", "last_error", "last_error_at",
           "consecutive_failures", "next_poll", "paused", "pause_announced", "etag",
           "last_modified")  # fmt: skip


def update_polled(db: sqlite_utils.Database, source: Source) -> bool:
    """Write a poll's results for ``source``; False (nothing written) when it is gone.

    An update, not an upsert: a round never brings back a source an admin removed meanwhile.
    """
    row = _row(source)
    assignments = ", ".join(f"{name} = ?" for name in _POLLED)
    with writing(db):
        cursor = db.execute(
            f"update sources set {assignments} where url = ?",
            [*(row[name] for name in _POLLED), source.url],
        )
    return cursor.rowcount > 0


def move_source(db: sqlite_utils.Database, old_url: str, new_url: str) -> bool:
    """Give a source a new URL (it moved permanently), keeping its health and seen items.

    False, and nothing changed, when the source is gone or ``new_url`` is already a source.
    """
    with writing(db):
        source = get_source(db, old_url)
        if source is None or get_source(db, new_url) is not None:
            return False
        db["sources"].insert(_row(replace(source, url=new_url)))  # children need it first
        db.execute(
            "update source_items set source_url = ? where source_url = ?", [new_url, old_url]
        )
        db.execute("delete from sources where url = ?", [old_url])
    return True


def get_source(db: sqlite_utils.Database, url: str) -> Source | None:
    """The source with this URL, or None."""
    for row in db["sources"].rows_where("url = ?", [url]):
        return _source(row)
    return None


def all_sources(db: sqlite_utils.Database) -> list[Source]:
    """Every source, feeds first, then by URL."""
    return [_source(row) for row in db["sources"].rows_where(order_by="kind, url")]


def due_sources(db: sqlite_utils.Database, now: datetime) -> list[Source]:
    """Sources not paused whose next poll time is ``now`` or earlier, longest waiting first."""
    rows = db["sources"].rows_where(
        "paused = 0 and next_poll is not null and next_poll <= ?",
        [to_iso(now)],
        order_by="next_poll, url",
    )
    return [_source(row) for row in rows]


def delete_source(db: sqlite_utils.Database, url: str) -> bool:
    """Forget a source and its seen items; False when it was not there."""
    with writing(db):
        db.execute("delete from source_items where source_url = ?", [url])
        cursor = db.execute("delete from sources where url = ?", [url])
    return cursor.rowcount > 0


def seen_item_keys(db: sqlite_utils.Database, url: str, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` this source has already seen."""
    wanted = list(dict.fromkeys(keys))
    seen: set[str] = set()
    for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        batch = wanted[start : start + 500]
        marks = ",".join("?" * len(batch))
        rows = db.execute(
            f"select item_key from source_items where source_url = ? and item_key in ({marks})",
            [url, *batch],
        ).fetchall()
        seen.update(row[0] for row in rows)
    return seen


def mark_items_seen(
    db: sqlite_utils.Database, url: str, keys: Iterable[str], now: datetime
) -> None:
    """Remember ``keys`` as seen in this source's feed at ``now`` (the last time, not the first)."""
    rows = [{"source_url": url, "item_key": key, "seen_at": to_iso(now)} for key in keys]
    with writing(db):
        db["source_items"].upsert_all(rows, pk=("source_url", "item_key"))


def forget_items_unseen_since(db: sqlite_utils.Database, url: str, cutoff: datetime) -> int:
    """Forget items last in this source's feed before ``cutoff``; how many were forgotten."""
    with writing(db):
        cursor = db.execute(
            "delete from source_items where source_url = ? and seen_at < ?", [url, to_iso(cutoff)]
        )
    return cursor.rowcount


def paused_unannounced(db: sqlite_utils.Database) -> list[Source]:
    """Paused sources the admins have not been told about yet."""
    rows = db["sources"].rows_where("paused = 1 and pause_announced = 0", order_by="url")
    return [_source(row) for row in rows]


def set_pause_announced(db: sqlite_utils.Database, url: str) -> None:
    """Record that the admins were told this source is paused."""
    with writing(db):
        db.execute("update sources set pause_announced = 1 where url = ?", [url])
