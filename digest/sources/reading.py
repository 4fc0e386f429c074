"""From fetched feeds and pages to stored articles, through ``digest.pipeline``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import sqlite_utils

from digest.articles import content_hash
from digest.clean import clean_article
from digest.config import SourceSettings
from digest.models import Article
from digest.pipeline import known_article, prepare_article, store_prepared
from digest.sources.budget import Budget, BudgetLimits
from digest.sources.cpu import run_cpu
from digest.sources.errors import InvalidSourceURL, NoArticleText, SourceError
from digest.sources.feeds import Feed, FeedItem, looks_like_feed, parse_feed
from digest.sources.http import FEED_TYPES, PAGE_TYPES, Fetched, Fetcher, mime_type
from digest.sources.pages import Page, extract_page
from digest.sources.urls import canonical_url
from digest.store import articles as article_store
from digest.store.sources import FEED, PAGE

log = logging.getLogger(__name__)

ANY_TYPES = FEED_TYPES | PAGE_TYPES
XML_TYPES = FEED_TYPES - {"text/plain"}


@dataclass(frozen=True)
class ItemsIngested:
    """What reading some feed items or a page did: new article ids, known ones, skipped.

    ``deferred`` holds the keys of items a budget cut off (``cut`` says which budget): they
    are left for the next round.
    """

    new_article_ids: tuple[int, ...] = ()
    duplicates: int = 0
    skipped: int = 0
    deferred: tuple[str, ...] = ()
    cut: str | None = None
    warning: str | None = None  # a malformed feed whose items could still be read

    def __add__(self, other: ItemsIngested) -> ItemsIngested:
        return ItemsIngested(
            self.new_article_ids + other.new_article_ids,
            self.duplicates + other.duplicates,
            self.skipped + other.skipped,
            self.deferred + other.deferred,
            self.cut or other.cut,
            self.warning or other.warning,
        )


def detect_kind(fetched: Fetched) -> str:
    """FEED when the response is an XML document, PAGE when it is HTML."""
    mime = mime_type(fetched.content_type)
    if mime in XML_TYPES or (mime not in PAGE_TYPES and looks_like_feed(fetched.body)):
        return FEED
    return PAGE


def _published(page: Page | None, item: FeedItem | None) -> datetime | None:
    """The page's date, or the feed's timestamp when that is on the same day or the page has none.

    Pages often give only a date, feeds a time of day too.
    """
    page_date = page.published if page else None
    item_date = item.published if item else None
    if page_date is None or (item_date and item_date.date() == page_date.date()):
        return item_date or page_date
    return page_date


def _clean_body(text: str) -> str:
    """The extracted text through the same cleaner as text files (drops leftover furniture).

    trafilatura's text is kept as it is when the cleaner would drop most of it.
    """
    body = clean_article(text).body
    return body if len(body) >= len(text) // 2 else text


def extract_clean(html: bytes, url: str) -> Page | None:
    """The page's article text, cleaned, with its metadata (CPU-bound: call in a thread)."""
    page = extract_page(html, url)
    return page and replace(page, text=_clean_body(page.text))


def build_article(
    location: str,
    page: Page | None,
    item: FeedItem | None,
    site: str | None,
    now: datetime,
) -> Article | None:
    """An Article from a page's text, else the feed item's summary; None when neither has text."""
    if page is not None:
        body = page.text
        title = page.title or (item.title if item else None)
        site = page.site or site
    elif item is not None:
        body, title = item.summary.strip(), item.title
    else:
        return None
    if not body:
        return None
    return Article(
        location=location,
        body=body,
        content_hash=content_hash(body),
        title=title,
        published=_published(page, item),
        site=site,
        ingested_at=now,
    )


async def _store(db: sqlite_utils.Database, article: Article | None) -> ItemsIngested:
    if article is None:
        return ItemsIngested(skipped=1)
    # Meeting extraction is CPU work: off the loop, and only for articles not already stored.
    result = known_article(db, article) or store_prepared(
        db, await run_cpu(prepare_article, article)
    )
    if result.is_new:
        return ItemsIngested(new_article_ids=(result.article.id,))
    return ItemsIngested(duplicates=1)


async def ingest_page_body(
    db: sqlite_utils.Database, fetched: Fetched, now: datetime
) -> ItemsIngested:
    """Store an already fetched page; NoArticleText when it holds no article."""
    page = await run_cpu(extract_clean, fetched.body, fetched.url)
    if page is None:
        raise NoArticleText(f"{fetched.url}: no article text found on the page")
    return await _store(db, build_article(canonical_url(fetched.url), page, None, None, now))


# Links being read in this round (canonical URL -> True once read, False if deferred): a page
# linked under several spellings, or from several feeds, is fetched once.
Claims = dict[str, "asyncio.Future[bool]"]


def _canonical_link(item: FeedItem) -> str | None:
    try:
        return canonical_url(item.link) if item.link else None
    except InvalidSourceURL:
        return None


async def _read_item(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    item: FeedItem,
    link: str | None,
    site: str | None,
    feed_url: str,
    now: datetime,
    budget: Budget,
) -> ItemsIngested:
    page = None
    location = link or f"{feed_url}#item={item.key}"
    if link:
        try:
            fetched = await fetcher.fetch(link, accept=PAGE_TYPES)
            budget.spend_bytes(len(fetched.body))
            page = await run_cpu(extract_clean, fetched.body, fetched.url)
            if page is None:
                raise NoArticleText(f"{link}: no article text found on the page")
            location = canonical_url(fetched.url)
        except SourceError as error:
            page = None
            log.info("%s: using the feed's summary (%s)", link, error)
    return await _store(db, build_article(location, page, item, site, now))


async def _ingest_item(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    item: FeedItem,
    link: str | None,
    feed: Feed,
    feed_url: str,
    now: datetime,
    budget: Budget,
    claim: asyncio.Future[bool],
) -> ItemsIngested:
    """Read one item within the budget's time; what the budget cuts off is deferred, not lost."""
    deferred, read = ItemsIngested(deferred=(item.key,)), False
    try:
        reason = budget.exhausted(items=False)
        if reason:
            return replace(deferred, cut=reason)
        async with asyncio.timeout_at(budget.when):
            result = await _read_item(db, fetcher, item, link, feed.title, feed_url, now, budget)
        read = True
        return result
    except TimeoutError:
        return replace(deferred, cut=budget.time_reason())
    finally:
        claim.set_result(read)


async def _same_page(claim: asyncio.Future[bool], key: str) -> ItemsIngested:
    """An item whose page another item of the round is reading: a duplicate once it is read."""
    read = await asyncio.shield(claim)
    if read:
        return ItemsIngested(duplicates=1)
    return ItemsIngested(deferred=(key,), cut="a budget, for an item linking the same page")


async def ingest_feed_items(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    feed: Feed,
    items: Sequence[FeedItem],
    feed_url: str,
    now: datetime,
    budget: Budget,
    claims: Claims | None = None,
) -> ItemsIngested:
    """Fetch each item's page (the feed's summary when that fails) and store it, within budget.

    Items are taken in the feed's order while the budget lasts; the rest come back in
    ``deferred`` (with the reason in ``cut``) for the next round. A page already stored, or
    being read for another item, is not fetched again. Pages are fetched concurrently (the
    fetcher limits each host); storing happens on this thread, one article at a time.
    """
    claims = {} if claims is None else claims
    loop = asyncio.get_running_loop()
    total, work = ItemsIngested(), []
    for item in items:
        link = _canonical_link(item)
        if link and link in claims:
            work.append(_same_page(claims[link], item.key))
        elif link and article_store.find_existing(db, link, "") is not None:
            total += ItemsIngested(duplicates=1)  # another feed brought it already: no fetch
        elif reason := budget.take_item():
            total += ItemsIngested(deferred=(item.key,), cut=reason)
        else:
            claim: asyncio.Future[bool] = loop.create_future()
            if link:
                claims[link] = claim
            work.append(_ingest_item(db, fetcher, item, link, feed, feed_url, now, budget, claim))
    results = await asyncio.gather(*work)
    return sum(results, total)


async def ingest_url(
    db: sqlite_utils.Database,
    fetcher: Fetcher,
    url: str,
    now: datetime,
    budget: Budget | None = None,
) -> ItemsIngested:
    """Fetch ``url`` once and store what it holds: a feed's items (within ``budget``) or the page.

    Items the budget cuts off come back in ``deferred``; running again reads them (the items
    already stored cost no fetch).
    """
    url = canonical_url(url)
    budget = budget or Budget(BudgetLimits.feed(SourceSettings()), "the feed's")
    fetched = await fetcher.fetch(url, accept=ANY_TYPES)
    budget.spend_bytes(len(fetched.body))
    if detect_kind(fetched) == PAGE:
        return await ingest_page_body(db, fetched, now)
    feed = await run_cpu(parse_feed, fetched.body, url, fetched.content_type)
    result = await ingest_feed_items(db, fetcher, feed, feed.items, url, now, budget)
    return replace(result, warning=feed.warning)
