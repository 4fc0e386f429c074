"""Pure parsing: article pages (trafilatura) and feeds (feedparser), no network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.sources.errors import NoArticleText, UnreadableFeed
from digest.sources.feeds import looks_like_feed, parse_feed
from digest.sources.pages import MAX_ELEMENTS, extract_page

PARAGRAPHS = "".join(
    f"<p>The trade ministers of Chile and Peru met in Lima on Thursday, round {i} of talks "
    "on copper exports, and agreed to meet again before the end of the year.</p>"
    for i in range(5)
)
PAGE = f"""<html><head><title>Ministers meet in Lima | Andes Wire</title>
<meta property="og:title" content="Ministers meet in Lima">
<meta property="og:site_name" content="Andes Wire">
<meta property="article:published_time" content="2024-03-07T10:00:00Z"></head>
<body><nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav>
<article><h1>Ministers meet in Lima</h1>{PARAGRAPHS}</article>
<aside>Most read: <a href="/a">Other news</a></aside><footer>© Andes Wire</footer></body></html>"""


def test_extract_page_keeps_the_story_and_its_metadata():
    page = extract_page(PAGE.encode(), "https://andes.example/lima")
    assert page.title == "Ministers meet in Lima"
    assert page.site == "Andes Wire"
    assert page.published == datetime(2024, 3, 7, tzinfo=UTC)
    assert page.text.startswith("The trade ministers of Chile and Peru met in Lima")
    assert page.text.count("\n\n") == 4  # one paragraph each
    assert "Most read" not in page.text and "Sport" not in page.text


@pytest.mark.parametrize(
    "html", [b"", b"<html><body><nav>Home</nav></body></html>", b"\x00\x01\x02 binary", b"<<<>>>"]
)
def test_extract_page_without_article_text_gives_none(html):
    assert extract_page(html, "https://x.example/") is None


def test_an_enormous_tree_is_refused_before_extraction():
    html = b"<html><body>" + b"<i></i>" * (MAX_ELEMENTS + 10) + b"</body></html>"
    with pytest.raises(NoArticleText, match="HTML elements"):
        extract_page(html, "https://x.example/")


RSS_091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<item><title>A</title><link>https://o.example/a</link>
<description>Alpha &amp; more</description></item>
</channel></rss>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>RDF feed</title></channel>
<item rdf:about="https://r.example/1"><title>One</title><link>https://r.example/1</link>
<description>&lt;p&gt;Rich &lt;b&gt;summary&lt;/b&gt;&lt;/p&gt;</description></item></rdf:RDF>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom</title><id>urn:f</id><updated>2024-01-02T00:00:00Z</updated>
<entry><title>Old</title><id>urn:1</id><updated>2024-01-01T08:00:00Z</updated>
<link href="https://a.example/1"/><summary>short</summary>
<content type="html">&lt;p&gt;The full text of the entry, longer than its summary.&lt;/p&gt;
</content></entry>
<entry><title>New</title><id>urn:2</id><updated>2024-01-02T08:00:00+02:00</updated>
<link href="https://a.example/2"/></entry></feed>"""


def test_rss_091_and_rdf_items_with_text_summaries():
    [old] = parse_feed(RSS_091, "https://o.example/rss").items
    assert (old.key, old.link, old.summary) == ("https://o.example/a", old.link, "Alpha & more")
    rdf = parse_feed(RDF, "https://r.example/rdf")
    assert rdf.title == "RDF feed"
    assert rdf.items[0].summary == "Rich summary"


def test_atom_items_newest_first_with_full_content_and_utc_times():
    feed = parse_feed(ATOM, "https://a.example/atom")
    assert [i.key for i in feed.items] == ["urn:2", "urn:1"]
    assert feed.items[0].published == datetime(2024, 1, 2, 6, 0, tzinfo=UTC)
    assert feed.items[1].summary == "The full text of the entry, longer than its summary."


def test_items_without_guid_or_link_get_a_stable_hash_key():
    body = (
        b'<rss version="2.0"><channel><title>T</title><item><title>X</title></item></channel></rss>'
    )
    first = parse_feed(body, "https://t.example/").items[0].key
    assert (
        first.startswith("sha256:") and first == parse_feed(body, "https://t.example/").items[0].key
    )


def test_an_html_page_is_not_a_feed():
    assert looks_like_feed(RDF) and looks_like_feed(b"\xef\xbb\xbf  <rss>")
    assert not looks_like_feed(PAGE.encode())
    with pytest.raises(UnreadableFeed, match="not an RSS or Atom feed"):
        parse_feed(PAGE.encode(), "https://andes.example/lima")
