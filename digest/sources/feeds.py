"""RSS and Atom feeds (feedparser): bytes in, items out; never a fetch of its own."""

from __future__ import annotations

import calendar
import codecs
import hashlib
import itertools
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from feedparser.encodings import convert_to_utf8
from lxml.etree import ParserError

from digest.sources.errors import UnreadableFeed

log = logging.getLogger(__name__)

FEED_STARTS = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")
MAX_KEY_CHARS = 500
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Item and entry start tags (any namespace prefix), counted before parsing.
ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
# Real feeds list tens of items, archives a few thousand; feedparser spends ~2 KB of memory per
# item, so 100,000 tiny items (3 MB of bare GUIDs) would cost hundreds of MB to parse.
MAX_FEED_ITEMS = 5_000
# UTF-32 first: its little-endian mark begins with UTF-16's.
UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
# Problems that do not make a feed less readable: a charset or content type that was wrong.
BENIGN_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its stable key (GUID, else link, else a hash), link and text."""

    key: str
    link: str | None
    title: str | None
    summary: str
    published: datetime | None


@dataclass(frozen=True)
class Feed:
    """A parsed feed; ``items`` newest first. ``warning`` notes a recoverable malformation."""

    title: str | None
    items: tuple[FeedItem, ...]
    warning: str | None = None


def looks_like_feed(body: bytes) -> bool:
    """True when the start of ``body`` is an XML document rather than an HTML page."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(FEED_STARTS)


def html_to_text(fragment: str) -> str:
    """The readable text of a feed's HTML summary."""
    if not fragment.strip():
        return ""
    try:
        return " ".join(lxml.html.fromstring(fragment).text_content().split())
    except (ParserError, ValueError):
        return " ".join(fragment.split())


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)


def _item(entry: Any) -> FeedItem:
    link = entry.get("link") or None
    title = " ".join((entry.get("title") or "").split()) or None
    summary = html_to_text(entry.get("summary") or "")
    for content in entry.get("content") or ():  # Atom <content> is often the full text
        text = html_to_text(content.get("value") or "")
        if len(text) > len(summary):
            summary = text
    key = entry.get("id") or link or f"{title}\n{summary}"
    if len(key) > MAX_KEY_CHARS or key == f"{title}\n{summary}":  # keep stored keys short
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return FeedItem(key, link, title, summary, _when(entry))


def decoded_feed(body: bytes, url: str, content_type: str) -> bytes:
    """``body`` as UTF-8, decoded as the parser would, and checked before the parser runs.

    The checks run on the decoded text, so a UTF-16 or UTF-32 document cannot hide what it
    declares: entity declarations are refused (feeds never need their own; declared ones are
    how "billion laughs", quadratic blow-ups and external-entity attacks start, and defusedxml
    refuses them too), and so is a document of more items than MAX_FEED_ITEMS. The body is
    already capped in bytes by the fetch, so the decoded text is bounded too (at most 2x).
    """
    mime = (content_type or "application/xml").split(";", 1)[0].strip()
    headers = {"content-type": content_type or "application/xml"}
    for bom, codec in UNICODE_BOMS:  # a byte-order mark decides the encoding (XML 1.0, F.1)
        if body.startswith(bom):
            try:
                body = body.decode(codec).encode("utf-8")
                headers = {"content-type": f"{mime}; charset=utf-8"}
            except UnicodeDecodeError:
                pass
            break
    utf8 = convert_to_utf8(headers, body, {})  # feedparser's own detection: HTTP, XML, BOM
    # NULs out: UTF-16/32 spellings of the markup that no decoder recognised still show.
    for text in (utf8, body.replace(b"\0", b"")):
        if ENTITY_DECLARATION.search(text):
            raise UnreadableFeed(f"{url}: the document declares XML entities; refused as unsafe")
        items = sum(1 for _ in itertools.islice(ITEM_START.finditer(text), MAX_FEED_ITEMS + 1))
        if items > MAX_FEED_ITEMS:
            raise UnreadableFeed(f"{url}: more than {MAX_FEED_ITEMS:,} items; refused as unsafe")
    return utf8


def parse_feed(body: bytes, url: str, content_type: str = "application/xml") -> Feed:
    """Parse an RSS 0.9x/1.0/2.0 or Atom document; UnreadableFeed when it is none of them.

    A malformed feed that still yields items is kept, with the problem in ``warning``.
    """
    utf8 = decoded_feed(body, url, content_type)
    # The text is UTF-8 now (its XML declaration says so): the HTTP charset no longer applies.
    mime = (content_type or "application/xml").split(";", 1)[0].strip()
    headers = {"content-location": url, "content-type": f"{mime}; charset=utf-8"}
    parsed = feedparser.parse(utf8, response_headers=headers)
    error = parsed.get("bozo_exception")
    benign = isinstance(error, BENIGN_PROBLEMS)
    problem = f"{type(error).__name__}: {error}" if parsed.bozo and not benign else None
    if not parsed.version and not parsed.entries:
        raise UnreadableFeed(
            f"{url}: not an RSS or Atom feed" + (f" ({problem})" if problem else "")
        )
    if problem and not parsed.entries:
        raise UnreadableFeed(f"{url}: malformed feed with no readable items ({problem})")
    if problem:  # the caller reports ``warning``; logged for the record only
        log.info("%s: malformed feed, %d items still read (%s)", url, len(parsed.entries), problem)
    items = [_item(entry) for entry in parsed.entries]
    # Newest first when dates say so; undated items keep document order (usually newest first).
    if all(item.published for item in items):
        items.sort(key=lambda item: item.published, reverse=True)
    title = " ".join((parsed.feed.get("title") or "").split()) or None
    return Feed(title, tuple(items), problem)
