"""Feed discovery: the feeds a web page announces with ``<link rel="alternate">``.

The convention (RSS Autodiscovery, and the Atom equivalent) puts
``<link rel="alternate" type="application/rss+xml" href="...">`` in a site's pages. An
article page usually carries its site's feed too, so a page that says it is an article
(``og:type`` "article") is kept as a page; a home or section page leads to its feed.
"""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
from lxml.etree import LxmlError, ParserError

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def _tree(html: bytes) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html)
    except (ParserError, LxmlError, ValueError):
        return None


def announced_feeds(html: bytes, page_url: str) -> list[str]:
    """Absolute URLs of the feeds ``html`` links as alternates, in document order, once each."""
    tree = _tree(html)
    if tree is None:
        return []
    base = (tree.xpath("//base/@href") or [page_url])[0]
    found: list[str] = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" in rel and kind in FEED_LINK_TYPES:
            url = urljoin(urljoin(page_url, base), link.get("href").strip())
            if url not in found:
                found.append(url)
    return found


def is_article_page(html: bytes) -> bool:
    """True when the page says it is one article (Open Graph ``og:type`` "article")."""
    tree = _tree(html)
    if tree is None:
        return False
    kinds = tree.xpath("//meta[@property='og:type']/@content")
    return any(kind.strip().lower() == "article" for kind in kinds)
