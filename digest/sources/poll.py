"""One polling round: every due source fetched, its new items stored, its health updated.

A bad source never stops the others: each source's errors end in its own outcome and
health record. Network I/O is async; parsing and extraction run in threads; the database is
touched only from the calling thread (sqlite3 connections are not shared across threads).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import sqlite_utils

from digest.config import SourceSettings
from digest.sources.budget import Budget, BudgetLimits
from digest.sources.cpu import run_cpu
from digest.sources.errors import InvalidSourceURL, ServerBusy, SourceError
from digest.sources.feeds import Feed, parse_feed
from digest.sources.health import after_failure, after_success
from digest.sources.http import FEED_TYPES, PAGE_TYPES, Fetched, Fetcher
from digest.sources.reading import Claims, ItemsIngested, ingest_feed_items, ingest_page_body
from digest.sources.urls import canonical_url
from digest.store import sources as source_store
from digest.store.sources import ADMIN, FEED, Source

log = logging.getLogger(__name__)

OK, NOT_MODIFIED, FAILED, PAUSED = "ok", "not_modified", "failed", "paused"
DEFERRED = "deferred"  # the round's budget ran out before this source's turn: due next round
PARALLEL_SOURCES = 8  # sources polled at once; the fetcher also limits each host
ITEM_MEMORY = timedelta(days=30)  # how long an item that left its feed is still remembered


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
    deferred: int = 0  # new items a budget left for the next round
    cut: str | None = None  # which budget ran out
    moved_to: str | None = None  # the new URL a permanent redirect gave the source

    @property
    def notice(self) -> str | None:
        """What a person should hear about a source that did not fail: a cut, a move."""
        notes = []
        if self.status == DEFERRED:
            notes.append(f"not polled, {self.cut} ran out; it is polled next round")
        elif self.deferred:
            notes.append(f"{self.deferred} new items left for the next round ({self.cut})")
        if self.moved_to:
            notes.append(f"moved permanently to {self.moved_to}")
        if self.warning:
            notes.append(self.warning)
        return f"{self.url}: " + "; ".join(notes) if notes else None


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


@dataclass
class Round:
    """What the sources of one round share: the round's budget, and the pages being read."""

    budget: Budget
    claims: Claims = field(default_factory=dict)

    @classmethod
    def start(cls, settings: SourceSettings) -> Round:
        """A round starting now, with the configured round budget."""
        return cls(Budget(BudgetLimits.round(settings), "the round's"))

    def feed_budget(self, settings: SourceSettings) -> Budget:
        """One feed's budget, starting now, charged to this round's."""
        return self.budget.child(BudgetLimits.feed(settings), "the feed's")


def _moved(
    db: sqlite_utils.Database, source: Source, fetched: Fetched
) -> tuple[Source, str | None]:
    """Follow a 301/308: an admin's source takes the new URL; a config source is only warned."""
    try:
        target = canonical_url(fetched.moved_to) if fetched.moved_to else None
    except InvalidSourceURL:
        target = None
    if target is None or target == source.url:
        return source, None
    if source.origin != ADMIN:
        return source, f"moved permanently to {target}; update [sources] in the config"
    if not source_store.move_source(db, source.url, target):
        return source, f"moved permanently to {target}, already a source"
    log.info("source %s moved permanently to %s", source.url, target)
    return replace(source, url=target), None


async def read_feed(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    fetched: Fetched,
    settings: SourceSettings,
    now: datetime,
    budget: Budget,
    claims: Claims | None = None,
    feed: Feed | None = None,
) -> SourceOutcome:
    """Store the new items of a fetched feed within ``budget`` and record the source's health.

    A first poll takes only the newest ``backlog`` items and marks the rest as seen. Items
    the budget cut off are not marked seen: the next round takes them. ``feed`` is the
    response already parsed, when the caller has it.
    """
    if feed is None:
        feed = await run_cpu(parse_feed, fetched.body, source.url, fetched.content_type)
    seen = source_store.seen_item_keys(db, source.url, (item.key for item in feed.items))
    fresh = [item for item in feed.items if item.key not in seen]
    taken = fresh if source.primed else fresh[: settings.backlog]
    result = await ingest_feed_items(db, fetcher, feed, taken, source.url, now, budget, claims)
    result = replace(result, warning=feed.warning)
    if source_store.get_source(db, source.url) is None:  # removed while its pages were fetched
        return _outcome(source.url, result, new_items=len(fresh))
    # Every item in the feed is marked (seen again now) but those left for the next round;
    # items gone from it for long are forgotten, so the memory stays the size of the feeds.
    deferred = set(result.deferred)
    keys = (item.key for item in feed.items if item.key not in deferred)
    source_store.mark_items_seen(db, source.url, keys, now)
    source_store.forget_items_unseen_since(db, source.url, now - ITEM_MEMORY)
    updated = after_success(
        source, now, settings,
        etag=fetched.etag, last_modified=fetched.last_modified, title=feed.title,
    )  # fmt: skip
    source_store.update_polled(db, updated)
    return _outcome(source.url, result, new_items=len(fresh))


async def _poll_feed(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    settings: SourceSettings,
    now: datetime,
    round_: Round,
) -> SourceOutcome:
    budget = round_.feed_budget(settings)
    fetched = await fetcher.fetch(
        source.url, accept=FEED_TYPES, etag=source.etag, last_modified=source.last_modified
    )
    budget.spend_bytes(len(fetched.body))
    source, note = _moved(db, source, fetched)
    moved_to = source.url if fetched.moved_to and note is None else None
    if fetched.not_modified:
        source_store.update_polled(
            db, after_success(source, now, settings, etag=fetched.etag,
                              last_modified=fetched.last_modified),
        )  # fmt: skip
        return SourceOutcome(source.url, NOT_MODIFIED, warning=note, moved_to=moved_to)
    outcome = await read_feed(db, fetcher, source, fetched, settings, now, budget, round_.claims)
    warning = "; ".join(w for w in (outcome.warning, note) if w) or None
    return replace(outcome, warning=warning, moved_to=moved_to)


async def _poll_page(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    settings: SourceSettings,
    now: datetime,
    round_: Round,
) -> SourceOutcome:
    round_.budget.take_item()
    fetched = await fetcher.fetch(source.url, accept=PAGE_TYPES)
    round_.budget.spend_bytes(len(fetched.body))
    result = await ingest_page_body(db, fetched, now)
    source_store.update_polled(db, after_success(source, now, settings))
    return _outcome(source.url, result, new_items=1)


def _outcome(url: str, result: ItemsIngested, new_items: int) -> SourceOutcome:
    return SourceOutcome(
        url, OK, result.new_article_ids, new_items, result.duplicates, result.skipped,
        warning=result.warning, deferred=len(result.deferred), cut=result.cut,
    )  # fmt: skip


async def poll_source(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    source: Source,
    settings: SourceSettings,
    now: datetime,
    rng: random.Random,
    round_: Round | None = None,
) -> SourceOutcome:
    """Poll one source within the round's budget and record its health; never raises for it.

    Failures are logged at INFO only: the outcome carries them to whoever reports the round.
    """
    round_ = round_ or Round.start(settings)
    poll = _poll_feed if source.kind == FEED else _poll_page
    retry_after, counts = None, True
    try:
        return await poll(db, fetcher, source, settings, now, round_)
    except SourceError as error:
        message = str(error)
        retry_after = getattr(error, "retry_after", None)
        counts = not (isinstance(error, ServerBusy) and error.rate_limited)
        log.info("source %s failed: %s", source.url, message)
    except Exception as error:  # noqa: BLE001 - an unforeseen input must not stop the round
        message = f"unexpected {type(error).__name__}: {error}"
        log.exception("source %s failed unexpectedly", source.url)
    updated = after_failure(source, now, settings, message, rng.random(), retry_after, counts)
    source_store.update_polled(db, updated)
    if updated.paused:  # the outcome says so, and the bot announces it: logged for the record
        log.info("source %s paused after %d failures", source.url, updated.consecutive_failures)
    return SourceOutcome(source.url, PAUSED if updated.paused else FAILED, error=message)


async def poll_due_sources(
    db: sqlite_utils.Database,
    settings: SourceSettings,
    now: datetime,
    fetcher: Fetcher | None = None,
    rng: random.Random | None = None,
) -> PollReport:
    """Poll every due source within one round's budget; never raises for a bad source.

    Sources the round's budget does not reach stay due (status DEFERRED), first in line next
    round.

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
    round_ = Round.start(settings)

    async def one(source: Source) -> SourceOutcome:
        async with slots:
            reason = round_.budget.exhausted()
            if reason:  # left due: the next round starts with it
                return SourceOutcome(source.url, DEFERRED, cut=reason)
            return await poll_source(db, fetcher, source, settings, now, rng, round_)

    try:
        outcomes = await asyncio.gather(*(one(source) for source in due))
    finally:
        if own:
            await fetcher.aclose()
    report = PollReport(list(outcomes))
    for outcome in report.outcomes:
        if outcome.status == DEFERRED or outcome.deferred:
            log.info("%s", outcome.notice)  # the bot's job has no one to print to
    log.info(
        "polled %d sources: %d new articles, %d failed",
        len(due), len(report.new_article_ids), len(report.failed),
    )  # fmt: skip
    return report
