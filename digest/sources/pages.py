"""Article pages (trafilatura): HTML in, main text and metadata out. CPU-bound: run in a thread."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura
from trafilatura.utils import load_html

from digest.sources.errors import NoArticleText

log = logging.getLogger(__name__)

# News pages hold 1-20 thousand elements; a tree far past that is hostile or not an article,
# and trafilatura would spend tens of seconds on it (120,000 paragraphs: 24 s).
MAX_ELEMENTS = 60_000
MIN_TEXT_CHARS = 200  # less than this is a teaser or a paywall notice, not the article


@dataclass(frozen=True)
class Page:
    """What an article page says: its main text and whatever metadata it declares."""

    text: str
    title: str | None = None
    published: datetime | None = None
    site: str | None = None


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def extract_page(html: bytes, url: str) -> Page | None:
    """The main text and metadata of an article page; None when it holds no article text.

    A page too large to extract in reasonable time raises NoArticleText saying so.
    """
    try:
        tree = load_html(html)
        if tree is None:
            return None
        elements = sum(1 for _ in tree.iter())
        if elements > MAX_ELEMENTS:  # extraction time grows with the tree: refuse, cheaply
            raise NoArticleText(f"{url}: {elements:,} HTML elements, over {MAX_ELEMENTS:,}")
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except NoArticleText:
        raise
    except Exception:  # noqa: BLE001 - a hostile page must not stop the round; logged
        log.warning("%s: text extraction failed", url, exc_info=True)
        return None
    if document is None or not document.text or len(document.text) < MIN_TEXT_CHARS:
        return None
    title = " ".join((document.title or "").split()) or None
    lines = document.text.strip().split("\n")
    if title and lines and lines[0].strip() == title:  # the headline repeated as the first line
        lines = lines[1:]
    text = "\n\n".join(line.strip() for line in lines if line.strip())
    return Page(text, title, _date(document.date), document.sitename or None)
