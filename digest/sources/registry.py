"""Which sources exist: added by admins or listed in the config, removed, paused, resumed."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpcore
import sqlite_utils

from digest.config import SourceSettings
from digest.errors import ConfigError, NotFound
from digest.sources.cpu import run_cpu
from digest.sources.discovery import announced_feeds, is_article_page
from digest.sources.errors import BlockedAddress, FetchTimedOut, InvalidSourceURL
from digest.sources.feeds import parse_feed
from digest.sources.health import resumed
from digest.sources.http import (
    FEED_TYPES,
    Fetched,
    Fetcher,
    network_failure,
    policy_from_settings,
)
from digest.sources.poll import Round, SourceOutcome, read_feed
from digest.sources.reading import ANY_TYPES, detect_kind
from digest.sources.safety import vetted_addresses
from digest.sources.urls import DEFAULT_PORTS, canonical_url
from digest.store import sources as source_store
from digest.store.sources import ADMIN, CONFIG, FEED, PAGE, Source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddedSource:
    """A source an admin added, with its first poll when adding fetched a feed."""

    source: Source
    first_poll: SourceOutcome | None = None
    found_on: str | None = None  # the page that announced the feed, when one did


async def _check_address(url: str, settings: SourceSettings) -> None:
    """BlockedAddress or a network failure, each naming ``url``, unless it may be fetched."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    try:
        async with asyncio.timeout(settings.timeout_seconds):
            await vetted_addresses(parts.hostname or "", port, policy_from_settings(settings))
    except BlockedAddress as error:
        raise BlockedAddress(f"{url}: {error}") from None
    except TimeoutError:
        raise FetchTimedOut(f"{url}: timed out resolving {parts.hostname}") from None
    except (httpcore.NetworkError, OSError) as error:
        raise network_failure(url, error) from None


def _known(db: sqlite_utils.Database, url: str, now: datetime) -> Source | None:
    """The source already at ``url`` (a paused one resumed), or None."""
    existing = source_store.get_source(db, url)
    if existing is not None and existing.paused:
        return source_store.save_source(db, resumed(existing, now))
    return existing


async def _fetch_feed_or_page(fetcher: Fetcher, url: str) -> tuple[str, Fetched, str | None]:
    """Fetch ``url``; a page that is no article but announces a feed leads to that feed.

    Returns the URL to register (where a 301/308 led), the response, and the page the feed
    was found on (None when ``url`` itself was registered).
    """
    fetched = await fetcher.fetch(url, accept=ANY_TYPES)
    if detect_kind(fetched) == PAGE and not is_article_page(fetched.body):
        for feed_url in announced_feeds(fetched.body, fetched.url)[:1]:
            found = await fetcher.fetch(canonical_url(feed_url), accept=FEED_TYPES)
            return canonical_url(found.moved_to or feed_url), found, url
    return canonical_url(fetched.moved_to or url), fetched, None


async def register_source(
    db: sqlite_utils.Database,
    url: str,
    now: datetime,
    kind: str | None = None,
    settings: SourceSettings | None = None,
) -> AddedSource:
    """Register a feed or page an admin gave; a paused one is resumed. See ``add_source``."""
    settings = settings or SourceSettings()
    url = canonical_url(url)
    if (existing := _known(db, url, now)) is not None:
        return AddedSource(existing)
    if kind is not None:
        if kind not in (FEED, PAGE):
            raise InvalidSourceURL(f"kind must be {FEED!r} or {PAGE!r}, not {kind!r}")
        await _check_address(url, settings)
        log.info("source added: %s (%s)", url, kind)
        return AddedSource(
            source_store.save_source(db, Source(url, kind, ADMIN, now, next_poll=now))
        )
    async with Fetcher.from_settings(settings) as fetcher:
        round_ = Round.start(settings)
        budget = round_.feed_budget(settings)
        url, fetched, found_on = await _fetch_feed_or_page(fetcher, url)
        if (existing := _known(db, url, now)) is not None:
            return AddedSource(existing, found_on=found_on)
        kind = detect_kind(fetched)
        if kind == PAGE:
            log.info("source added: %s (page)", url)
            return AddedSource(
                source_store.save_source(db, Source(url, PAGE, ADMIN, now, next_poll=now))
            )
        # UnreadableFeed now, before anything is stored, rather than at the first poll
        feed = await run_cpu(parse_feed, fetched.body, url, fetched.content_type)
        source = source_store.save_source(db, Source(url, FEED, ADMIN, now, next_poll=now))
        log.info("source added: %s (feed%s)", url, f", found on {found_on}" if found_on else "")
        # The fetch is the first poll: its items (the backlog) and its ETag are kept.
        budget.spend_bytes(len(fetched.body))
        outcome = await read_feed(db, fetcher, source, fetched, settings, now, budget, feed=feed)
    return AddedSource(source_store.get_source(db, url) or source, outcome, found_on)


async def add_source(
    db: sqlite_utils.Database,
    url: str,
    now: datetime,
    kind: str | None = None,
    settings: SourceSettings | None = None,
) -> Source:
    """Register a feed or page an admin gave; a paused one is resumed.

    The URL is checked (http(s), canonical form) and so is the address it resolves to. With
    no ``kind``, the URL is fetched once: a feed is registered and that fetch is its first
    poll (backlog and ETag kept); a page that is no article but announces a feed
    (``<link rel="alternate">``) registers that feed; a permanent redirect registers where
    it leads. Raises a SourceError whose one-line message names the URL and can be shown to
    the admin as it is (network failures included).
    """
    return (await register_source(db, url, now, kind, settings)).source


def remove_source(db: sqlite_utils.Database, url: str) -> None:
    """Forget a source and the items it has seen (its stored articles stay)."""
    for candidate in dict.fromkeys([url.strip(), _canonical_or_same(url)]):
        if source_store.delete_source(db, candidate):
            log.info("source removed: %s", candidate)
            return
    raise NotFound(f"no source {url!r}; `parley sources` lists them")


def _canonical_or_same(url: str) -> str:
    try:
        return canonical_url(url)
    except InvalidSourceURL:
        return url.strip()


def list_sources(db: sqlite_utils.Database) -> list[Source]:
    """Every source with its health: feeds first, then pages, each by URL."""
    return source_store.all_sources(db)


def resume_source(db: sqlite_utils.Database, url: str, now: datetime) -> Source:
    """Put a paused (or failing) source back in the round, due now."""
    source = source_store.get_source(db, _canonical_or_same(url))
    if source is None:
        raise NotFound(f"no source {url!r}; `parley sources` lists them")
    return source_store.save_source(db, resumed(source, now))


def sync_config_sources(
    db: sqlite_utils.Database, settings: SourceSettings, now: datetime
) -> list[Source]:
    """Register the config's feeds and pages (due now); drop config sources no longer listed.

    Sources an admin added are left alone. Returns the sources newly registered.
    """
    wanted: dict[str, str] = {}
    for kind, urls in ((FEED, settings.feeds), (PAGE, settings.pages)):
        for url in urls:
            try:
                wanted[canonical_url(url)] = kind
            except InvalidSourceURL as error:
                raise ConfigError(f"[sources] {kind}s: {error}") from None
    added = []
    for url, kind in wanted.items():
        if source_store.get_source(db, url) is None:
            added.append(
                source_store.save_source(db, Source(url, kind, CONFIG, now, next_poll=now))
            )
    for source in source_store.all_sources(db):
        if source.origin == CONFIG and source.url not in wanted:
            source_store.delete_source(db, source.url)
            log.info("source no longer in the config, removed: %s", source.url)
    return added


def paused_sources_to_announce(db: sqlite_utils.Database) -> list[Source]:
    """Paused sources the admins have not been told about yet (tell them, then mark)."""
    return source_store.paused_unannounced(db)


def mark_pause_announced(db: sqlite_utils.Database, url: str) -> None:
    """Record that the admins were told ``url`` is paused, so they are told only once."""
    source_store.set_pause_announced(db, url)
