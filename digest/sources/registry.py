"""Which sources exist: added by admins or listed in the config, removed, paused, resumed."""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

import sqlite_utils

from digest.config import SourceSettings
from digest.errors import ConfigError, NotFound
from digest.sources.cpu import run_cpu
from digest.sources.errors import InvalidSourceURL
from digest.sources.feeds import parse_feed
from digest.sources.health import resumed
from digest.sources.http import Fetcher, policy_from_settings
from digest.sources.reading import ANY_TYPES, detect_kind
from digest.sources.safety import vetted_addresses
from digest.sources.urls import DEFAULT_PORTS, canonical_url
from digest.store import sources as source_store
from digest.store.sources import ADMIN, CONFIG, FEED, PAGE, Source

log = logging.getLogger(__name__)


async def add_source(
    db: sqlite_utils.Database,
    url: str,
    now: datetime,
    kind: str | None = None,
    settings: SourceSettings | None = None,
) -> Source:
    """Register a feed or page an admin gave, due for polling now; a paused one is resumed.

    The URL is checked (http(s), canonical form) and so is the address it resolves to. With
    no ``kind``, the URL is fetched once to tell a feed from a page (and to check it can be
    read). Raises a SourceError whose message can be shown to the admin.
    """
    settings = settings or SourceSettings()
    url = canonical_url(url)
    existing = source_store.get_source(db, url)
    if existing is not None:
        return source_store.save_source(db, resumed(existing, now)) if existing.paused else existing
    if kind is None:
        async with Fetcher.from_settings(settings) as fetcher:
            fetched = await fetcher.fetch(url, accept=ANY_TYPES)
        kind = detect_kind(fetched)
        if kind == FEED:
            # UnreadableFeed now rather than at the first poll
            await run_cpu(parse_feed, fetched.body, url, fetched.content_type)
    elif kind not in (FEED, PAGE):
        raise InvalidSourceURL(f"kind must be {FEED!r} or {PAGE!r}, not {kind!r}")
    else:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS[parts.scheme]
        await vetted_addresses(parts.hostname or "", port, policy_from_settings(settings))
    source = Source(url=url, kind=kind, origin=ADMIN, added_at=now, next_poll=now)
    log.info("source added: %s (%s)", url, kind)
    return source_store.save_source(db, source)


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
