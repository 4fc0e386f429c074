"""One polling round: every due source fetched, its new items stored, its health updated.

A bad source never stops the others: each source's errors end in its own outcome and
health record. Network I/O is async; parsing and extraction run in threads; the database is
touched only from the calling thread (sqlite3 connections are not shared across threads).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from digest.config import SourceSettings
from digest.sources.cpu import run_cpu
from digest.sources.errors import SourceError
from digest.sources.feeds import parse_feed
from digest.sources.health import after_failure, after_success
from digest.sources.http import FEED_TYPES, PAGE_TYPES, Fetcher
from digest.sources.reading import ItemsIngested, ingest_feed_items, ingest_page_body
from digest.store import sources as source_store
from digest.store.sources import FEED, Source

log = logging.getLogger(__name__)

OK, NOT_MODIFIED, FAILED, PAUSED = "ok", "not_modified", "failed", "paused"
PARALLEL_SOURCES = 8  # sources polled at once; the fetcher also limits each host
ITEM_MEMORY = timedelta(days=30)  # how long an item that left its feed is still remembered
MAX_ITEMS_PER_POLL = 100  # newest items taken from one feed in one round; the rest are skipped


@dataclass(frozen=True)
class SourceOutcome:
    """What polling one source did."""

    url: str
    status: str
    new_article_ids: tuple[int, ...] = ()
    new_items: int = 0  # items not seen before (taken or, on a first poll, marked as backlog)
    duplicates: int = 0
    skipped: int = 0
    error: str | None = None  # why the source failed
    warning: str | None = None  # a malformed feed whose items could still be read


@dataclass
class PollReport:
    """The outcomes of one polling round, one per source polled."""

    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def new_article_ids(self) -> list[int]:
        """Ids of the articles stored for the first time in this round."""
        return [i for outcome in self.outcomes for i in outcome.new_article_ids]

    @property
    def failed(self) -> list[SourceOutcome]:
        """Outcomes of sources that failed (paused ones included)."""
        return [o for o in self.outcomes if o.status in (FAILED, PAUSED)]


async def _poll_feed(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    settings: SourceSettings,
    now: datetime,
) -> SourceOutcome:
    fetched = await fetcher.fetch(
        source.url, accept=FEED_TYPES, etag=source.etag, last_modified=source.last_modified
    )
    if fetched.not_modified:
        source_store.update_polled(
            db, after_success(source, now, settings, etag=fetched.etag,
                              last_modified=fetched.last_modified),
        )  # fmt: skip
        return SourceOutcome(source.url, NOT_MODIFIED)
    feed = await run_cpu(parse_feed, fetched.body, source.url, fetched.content_type)
    seen = source_store.seen_item_keys(db, source.url, (item.key for item in feed.items))
    fresh = [item for item in feed.items if item.key not in seen]
    # A first poll takes only the newest `backlog` items and marks the rest as seen.
    taken = fresh[:MAX_ITEMS_PER_POLL] if source.primed else fresh[: settings.backlog]
    result = await ingest_feed_items(db, fetcher, feed, taken, source.url, now)
    if source_store.get_source(db, source.url) is None:  # removed while its pages were fetched
        return _outcome(source.url, result, new_items=len(fresh), warning=feed.warning)
    # Every item in the feed is marked (seen again now); items gone from it for long are
    # forgotten, so the memory stays the size of the feeds, not of their history.
    source_store.mark_items_seen(db, source.url, (item.key for item in feed.items), now)
    source_store.forget_items_unseen_since(db, source.url, now - ITEM_MEMORY)
    updated = after_success(
        source, now, settings,
        etag=fetched.etag, last_modified=fetched.last_modified, title=feed.title,
    )  # fmt: skip
    source_store.update_polled(db, updated)
    return _outcome(source.url, result, new_items=len(fresh), warning=feed.warning)


async def _poll_page(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    settings: SourceSettings,
    now: datetime,
) -> SourceOutcome:
    fetched = await fetcher.fetch(source.url, accept=PAGE_TYPES)
    result = await ingest_page_body(db, fetched, now)
    source_store.update_polled(db, after_success(source, now, settings))
    return _outcome(source.url, result, new_items=1)


def _outcome(
    url: str, result: ItemsIngested, new_items: int, warning: str | None = None
) -> SourceOutcome:
    return SourceOutcome(
        url, OK, result.new_article_ids, new_items, result.duplicates, result.skipped,
        warning=warning,
    )  # fmt: skip


async def poll_source(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    settings: SourceSettings,
    now: datetime,
    rng: random.Random,
) -> SourceOutcome:
    """Poll one source and record its health; never raises for a bad source."""
    poll = _poll_feed if source.kind == FEED else _poll_page
    retry_after = None
    try:
        return await poll(db, fetcher, source, settings, now)
    except SourceError as error:
        message = str(error)
        retry_after = getattr(error, "retry_after", None)
        log.warning("source %s failed: %s", source.url, message)
    except Exception as error:  # noqa: BLE001 - an unforeseen input must not stop the round
        message = f"unexpected {type(error).__name__}: {error}"
        log.exception("source %s failed unexpectedly", source.url)
    updated = after_failure(source, now, settings, message, rng.random(), retry_after)
    source_store.update_polled(db, updated)
    if updated.paused:
        log.warning("source %s paused after %d failures", source.url, updated.consecutive_failures)
    return SourceOutcome(source.url, PAUSED if updated.paused else FAILED, error=message)


async def poll_due_sources(
    db: sqlite_utils.Database,
    settings: SourceSettings,
    now: datetime,
    fetcher: Fetcher | None = None,
    rng: random.Random | None = None,
) -> PollReport:
    """Poll every source whose next poll time has come; never raises for a bad source.

    ``fetcher`` lets a caller share one HTTP client across rounds (one is made and closed
    otherwise); ``rng`` makes the backoff jitter reproducible in tests.
    """
    due = source_store.due_sources(db, now)
    if not due:
        return PollReport()
    rng = rng or random.Random()
    own = fetcher is None
    fetcher = fetcher or Fetcher.from_settings(settings)
    slots = asyncio.Semaphore(PARALLEL_SOURCES)

    async def one(source: Source) -> SourceOutcome:
        async with slots:
            return await poll_source(db, fetcher, source, settings, now, rng)

    try:
        outcomes = await asyncio.gather(*(one(source) for source in due))
    finally:
        if own:
            await fetcher.aclose()
    report = PollReport(list(outcomes))
    log.info(
        "polled %d sources: %d new articles, %d failed",
        len(due), len(report.new_article_ids), len(report.failed),
    )  # fmt: skip
    return report
