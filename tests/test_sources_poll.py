"""Polling rounds, source health and the source registry, against a real local HTTP server."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from digest import store
from digest.config import SourceSettings
from digest.errors import ConfigError, NotFound
from digest.sources import (
    add_source,
    ingest_url,
    list_sources,
    mark_pause_announced,
    paused_sources_to_announce,
    poll_due_sources,
    remove_source,
    sync_config_sources,
)
from digest.sources.errors import BlockedAddress, InvalidSourceURL, UnreadableFeed
from digest.sources.health import backoff_delay
from digest.sources.http import Fetcher
from digest.store import articles as article_store
from digest.store import sources as source_store

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
BILLION_LAUGHS = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]>
<rss version="2.0"><channel><title>T</title><item><title>&lol9;</title></item></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>T</title><item><title>&x;</title></item></channel></rss>"""
SUBJECTS = ["The finance minister", "A delegation from Norway", "The city council",
            "Local farmers", "The central bank", "Two rival unions"]  # fmt: skip


@pytest.fixture
def settings(httpserver) -> SourceSettings:
    return SourceSettings(
        allowed_hosts=(f"localhost:{httpserver.port}",),
        timeout_seconds=30.0,  # generous: no test here is about a timeout, and a loaded
        fetch_seconds=60.0,  # machine must not turn a local fetch into one
        max_bytes=200_000,
        pause_after_failures=3,
    )


def article_html(n: int, title: str) -> str:
    paras = "".join(
        f"<p>{SUBJECTS[(n + i) % 6]} said on Tuesday that talks on matter {n} made progress "
        f"(part {i}), with officials expecting a decision on the {n}-point plan this month.</p>"
        for i in range(6)
    )
    return f"""<!doctype html><html><head><title>{title} | Example News</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-05-0{1 + n % 5}T09:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{paras}</article>
<footer>© 2024 Example News. All rights reserved.</footer></body></html>"""


def rss(server: HTTPServer, numbers: list[int], link_suffix: str = "") -> str:
    items = "".join(
        f"""<item><title>Story {n}</title><guid>story-{n}</guid>
        <link>{server.url_for(f"/story/{n}")}{link_suffix}</link>
        <description>Feed summary of story {n}: matter {n} was discussed at length.</description>
        <pubDate>{format_datetime(NOW - timedelta(hours=n))}</pubDate></item>"""
        for n in numbers
    )
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example Feed</title>
    <link>{server.url_for("/")}</link>{items}</channel></rss>"""


def atom(server: HTTPServer, numbers: list[int]) -> str:
    entries = "".join(
        f"""<entry><title>Atom story {n}</title><id>urn:story:{n}</id>
        <link href="{server.url_for(f"/story/{n}")}"/>
        <updated>{(NOW - timedelta(hours=n)).isoformat()}</updated>
        <summary>Atom summary of story {n}.</summary></entry>"""
        for n in numbers
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Atom Feed</title><id>urn:feed</id><updated>{NOW.isoformat()}</updated>{entries}</feed>"""


def serve_pages(server: HTTPServer, numbers: range) -> None:
    for n in numbers:
        server.expect_request(f"/story/{n}").respond_with_data(
            article_html(n, f"Talks on matter {n} progress"), content_type="text/html"
        )


def serve_feed(server: HTTPServer, path: str, body: str, kind: str = "rss") -> None:
    server.expect_request(path).respond_with_data(body, content_type=f"application/{kind}+xml")


def reset(server: HTTPServer) -> None:
    """Forget the server's handlers and log, keeping the default robots.txt (none: 404)."""
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("", status=404)


async def register(db, url: str, settings: SourceSettings, kind: str | None = "feed"):
    return await add_source(db, url, NOW, kind=kind, settings=settings)


async def test_first_poll_marks_backlog_seen_then_takes_only_new_items(db, httpserver, settings):
    serve_pages(httpserver, range(1, 6))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2, 3]))
    await register(db, httpserver.url_for("/feed.xml"), settings)

    first = await poll_due_sources(db, settings, NOW)
    assert first.new_article_ids == []
    assert first.outcomes[0].new_items == 3  # seen, not taken
    assert article_store.count_articles(db) == 0

    reset(httpserver)
    serve_pages(httpserver, range(1, 6))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [4, 5, 1, 2, 3], "?utm_source=rss"))
    assert (await poll_due_sources(db, settings, NOW + timedelta(minutes=10))).outcomes == []

    later = NOW + timedelta(minutes=settings.poll_minutes)
    second = await poll_due_sources(db, settings, later)
    articles = article_store.articles_by_ids(db, second.new_article_ids)
    assert sorted(a.title for a in articles) == ["Talks on matter 4 progress",
                                                 "Talks on matter 5 progress"]  # fmt: skip
    story = articles[0]
    assert story.location.startswith(f"http://localhost:{httpserver.port}/story/")
    assert "utm_source" not in story.location
    assert story.site == "Example News"
    assert "talks on matter" in story.body
    assert "All rights reserved" not in story.body
    assert story.ingested_at == later
    assert story.published is not None and story.published.tzinfo is not None
    fetched = [r.path for r, _ in httpserver.log if r.path.startswith("/story/")]
    assert sorted(fetched) == ["/story/4", "/story/5"]  # seen items cost no fetch


async def test_items_are_remembered_while_listed_and_forgotten_a_month_after(
    db, httpserver, settings
):
    url = httpserver.url_for("/feed.xml")
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2]))
    await register(db, url, settings)
    await poll_due_sources(db, settings, NOW)
    reset(httpserver)
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [2]))  # item 1 left the feed
    for day in (20, 40):
        await poll_due_sources(db, settings, NOW + timedelta(days=day))
    keys = [httpserver.url_for("/story-1"), httpserver.url_for("/story-2")]  # GUIDs, resolved
    assert source_store.seen_item_keys(db, url, keys) == {keys[1]}


async def test_backlog_setting_takes_the_newest_items_of_an_atom_feed(db, httpserver, settings):
    serve_pages(httpserver, range(1, 6))
    serve_feed(httpserver, "/atom.xml", atom(httpserver, [5, 3, 1, 2, 4]), kind="atom")
    await register(db, httpserver.url_for("/atom.xml"), settings)
    settings = replace(settings, backlog=2)

    report = await poll_due_sources(db, settings, NOW)
    titles = {a.title for a in article_store.articles_by_ids(db, report.new_article_ids)}
    assert titles == {"Talks on matter 1 progress", "Talks on matter 2 progress"}  # newest


async def test_unchanged_feed_costs_a_304(db, httpserver, settings):
    body = rss(httpserver, [1, 2])
    httpserver.expect_request("/feed.xml", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", 304
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        body, content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )
    url = httpserver.url_for("/feed.xml")
    await register(db, url, settings)
    await poll_due_sources(db, settings, NOW)
    assert source_store.get_source(db, url).etag == '"v1"'

    later = NOW + timedelta(hours=1)
    report = await poll_due_sources(db, settings, later)
    assert [o.status for o in report.outcomes] == ["not_modified"]
    source = source_store.get_source(db, url)
    assert source.last_success == later
    assert source.next_poll == later + timedelta(minutes=settings.poll_minutes)
    assert httpserver.log[-1][1].status_code == 304


async def test_the_same_story_in_two_feeds_is_stored_once(db, httpserver, settings):
    serve_pages(httpserver, range(1, 4))
    serve_feed(httpserver, "/a.xml", rss(httpserver, []))
    serve_feed(httpserver, "/b.xml", rss(httpserver, []))
    await register(db, httpserver.url_for("/a.xml"), settings)
    await register(db, httpserver.url_for("/b.xml"), settings)
    await poll_due_sources(db, settings, NOW)  # both primed, empty backlog

    reset(httpserver)
    serve_pages(httpserver, range(1, 4))
    serve_feed(httpserver, "/a.xml", rss(httpserver, [1, 2]))
    serve_feed(httpserver, "/b.xml", rss(httpserver, [2, 3], "?utm_campaign=b#comments"))
    report = await poll_due_sources(db, settings, NOW + timedelta(hours=1))
    assert len(report.new_article_ids) == 3
    assert sum(o.duplicates for o in report.outcomes) == 1
    assert article_store.count_articles(db) == 3


async def test_a_page_that_cannot_be_fetched_falls_back_to_the_feed_summary(
    db, httpserver, settings
):
    httpserver.expect_request("/story/7").respond_with_data("gone", 404)
    url = httpserver.url_for("/feed.xml")
    await register(db, url, settings)
    settings = replace(settings, backlog=1)
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [7]))
    report = await poll_due_sources(db, settings, NOW)
    [article] = article_store.articles_by_ids(db, report.new_article_ids)
    assert article.body == "Feed summary of story 7: matter 7 was discussed at length."
    assert article.title == "Story 7"
    assert article.site == "Example Feed"
    assert article.published == NOW - timedelta(hours=7)


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        ("<rss><channel><title>T</title><<&&>>", "application/rss+xml", "malformed"),
        ("<html><body>Just a web page</body></html>", "application/xml", "feed"),
        ("not a feed at all", "image/png", "content type"),
        (BILLION_LAUGHS, "application/rss+xml", "entities"),
        (EXTERNAL_ENTITY, "application/rss+xml", "entities"),
    ],
)
async def test_a_bad_feed_is_reported_and_never_stops_the_others(
    db, httpserver, settings, body, content_type, error
):
    serve_pages(httpserver, range(1, 3))
    httpserver.expect_request("/bad.xml").respond_with_data(body, content_type=content_type)
    serve_feed(httpserver, "/good.xml", rss(httpserver, [1, 2]))
    await register(db, httpserver.url_for("/bad.xml"), settings)
    await register(db, httpserver.url_for("/good.xml"), settings)
    settings = replace(settings, backlog=5)

    report = await poll_due_sources(db, settings, NOW, rng=random.Random(1))
    by_url = {o.url.rsplit("/", 1)[1]: o for o in report.outcomes}
    assert by_url["good.xml"].status == "ok" and len(by_url["good.xml"].new_article_ids) == 2
    assert by_url["bad.xml"].status == "failed"
    assert error in by_url["bad.xml"].error
    bad = source_store.get_source(db, httpserver.url_for("/bad.xml"))
    assert bad.consecutive_failures == 1 and bad.status == "failing"
    assert bad.last_error == by_url["bad.xml"].error
    assert NOW + timedelta(minutes=15) <= bad.next_poll <= NOW + timedelta(minutes=30)


async def test_a_failing_source_backs_off_then_is_paused_and_announced_once(
    db, httpserver, settings
):
    httpserver.expect_request("/down.xml").respond_with_data("oops", 503)
    url = httpserver.url_for("/down.xml")
    await register(db, url, settings)
    now, rng = NOW, random.Random(7)
    for attempt in range(1, settings.pause_after_failures + 1):
        report = await poll_due_sources(db, settings, now, rng=rng)
        assert [o.status for o in report.outcomes] == (
            ["paused"] if attempt == settings.pause_after_failures else ["failed"]
        )
        source = source_store.get_source(db, url)
        assert source.consecutive_failures == attempt
        if not source.paused:
            assert source.next_poll - now >= backoff_delay(attempt, settings, 0.0)
            now = source.next_poll
    assert source.paused and source.next_poll is None
    assert (await poll_due_sources(db, settings, now + timedelta(days=30))).outcomes == []
    assert [s.url for s in paused_sources_to_announce(db)] == [url]
    mark_pause_announced(db, url)
    assert paused_sources_to_announce(db) == []
    resumed = await register(db, url, settings)  # adding it again resumes it
    assert not resumed.paused and resumed.consecutive_failures == 0


async def test_a_malformed_feed_with_readable_items_is_read_with_a_warning(
    db, httpserver, settings
):
    truncated = rss(httpserver, [1]).replace("</channel></rss>", "<item><title>cut off")
    serve_pages(httpserver, range(1, 2))
    serve_feed(httpserver, "/cut.xml", truncated)
    await register(db, httpserver.url_for("/cut.xml"), settings)
    settings = replace(settings, backlog=5)
    [outcome] = (await poll_due_sources(db, settings, NOW)).outcomes
    assert outcome.status == "ok" and len(outcome.new_article_ids) == 1
    assert "SAXParseException" in outcome.warning


async def test_a_source_removed_during_its_round_stays_removed(db, db_path, httpserver, settings):
    url = httpserver.url_for("/feed.xml")

    def remove_then_serve(request):
        other = store.open_db(db_path)  # an admin's command, on its own connection
        remove_source(other, url)
        other.close()
        return Response(article_html(1, "Talks on matter 1 progress"), content_type="text/html")

    httpserver.expect_request("/story/1").respond_with_handler(remove_then_serve)
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1]))
    await register(db, url, settings)
    report = await poll_due_sources(db, replace(settings, backlog=1), NOW)
    assert len(report.new_article_ids) == 1
    assert list_sources(db) == []


@pytest.mark.parametrize(
    ("status", "headers", "wait"),
    [
        (429, {"Retry-After": "7200"}, timedelta(hours=2)),
        # an HTTP date, measured from the Date the test server stamps: made when the request
        # arrives (below), so however long the test took to get there it asks for 3 h 1 min
        (503, {"Retry-After": "in 3h1m"}, timedelta(hours=3)),
        (429, {"Retry-After": "9999999999"}, timedelta(days=7)),
        (503, {}, timedelta(minutes=15)),  # no header: the usual backoff
    ],
)  # fmt: skip
async def test_a_busy_server_is_left_alone_as_long_as_it_asks(
    db, httpserver, settings, status, headers, wait
):
    def busy(request):
        asked = dict(headers)
        if asked.get("Retry-After") == "in 3h1m":
            later = datetime.now(UTC) + timedelta(hours=3, minutes=1)
            asked["Retry-After"] = format_datetime(later, usegmt=True)
        return Response("busy", status, headers=asked)

    httpserver.expect_request("/feed.xml").respond_with_handler(busy)
    url = httpserver.url_for("/feed.xml")
    await register(db, url, settings)
    [outcome] = (await poll_due_sources(db, settings, NOW, rng=random.Random(3))).outcomes
    assert str(status) in outcome.error
    assert source_store.get_source(db, url).next_poll >= NOW + wait


@pytest.mark.parametrize(
    ("failures", "jitter", "minutes"),
    [(1, 0.0, 15), (1, 0.999999, 30), (2, 0.0, 30), (3, 0.0, 60), (20, 0.0, 720), (99, 0.0, 720)],
)
def test_backoff_doubles_with_jitter_up_to_the_cap(failures, jitter, minutes):
    settings = SourceSettings(poll_minutes=30, max_backoff_minutes=1440)
    assert round(backoff_delay(failures, settings, jitter).total_seconds() / 60) == minutes


async def test_a_page_source_is_read_once(db, httpserver, settings):
    serve_pages(httpserver, range(9, 10))
    url = httpserver.url_for("/story/9")
    source = await register(db, url, settings, kind=None)
    assert source.kind == "page"
    report = await poll_due_sources(db, settings, NOW)
    assert len(report.new_article_ids) == 1
    assert source_store.get_source(db, url).status == "done"
    assert (await poll_due_sources(db, settings, NOW + timedelta(days=1))).outcomes == []


async def test_add_source_detects_a_feed_and_checks_it(db, httpserver, settings):
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1]))
    httpserver.expect_request("/broken.xml").respond_with_data(
        "<rss><chan", content_type="text/xml"
    )
    source = await register(db, httpserver.url_for("/feed.xml"), settings, kind=None)
    # The fetch that told a feed was its first poll: primed, next due an interval later.
    later = NOW + timedelta(minutes=settings.poll_minutes)
    assert (source.kind, source.origin, source.primed, source.next_poll) == (
        "feed", "admin", True, later,
    )  # fmt: skip
    with pytest.raises(UnreadableFeed):
        await register(db, httpserver.url_for("/broken.xml"), settings, kind=None)
    assert [s.url for s in list_sources(db)] == [httpserver.url_for("/feed.xml")]


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "not a url", "http://localhost:1/x"])
async def test_add_source_refuses_bad_and_private_urls(db, url):
    with pytest.raises((InvalidSourceURL, BlockedAddress)):
        await add_source(db, url, NOW, kind="feed", settings=SourceSettings())
    assert list_sources(db) == []


async def test_remove_source(db, httpserver, settings):
    url = httpserver.url_for("/feed.xml")
    await register(db, url, settings)
    remove_source(db, url.replace("localhost", "LOCALHOST") + "#top")  # canonical form found
    assert list_sources(db) == []
    with pytest.raises(NotFound):
        remove_source(db, url)


def test_sync_config_sources_adds_and_drops_only_config_sources(db):
    admin = source_store.Source("https://admin.example/feed", "feed", "admin", NOW, next_poll=NOW)
    source_store.save_source(db, admin)
    settings = SourceSettings(feeds=("https://a.example/rss",), pages=("https://b.example/p",))
    added = sync_config_sources(db, settings, NOW)
    assert {(s.url, s.kind) for s in added} == {
        ("https://a.example/rss", "feed"),
        ("https://b.example/p", "page"),
    }
    assert sync_config_sources(db, settings, NOW) == []
    sync_config_sources(db, SourceSettings(feeds=("https://a.example/rss",)), NOW)
    assert [s.url for s in list_sources(db)] == ["https://a.example/rss", admin.url]
    with pytest.raises(ConfigError):
        sync_config_sources(db, SourceSettings(feeds=("ftp://x/feed",)), NOW)


async def test_ingest_url_reads_every_item_of_a_feed_and_a_single_page(db, httpserver, settings):
    serve_pages(httpserver, range(1, 4))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2]))
    async with Fetcher.from_settings(settings) as fetcher:
        feed = await ingest_url(db, fetcher, httpserver.url_for("/feed.xml"), NOW)
        page = await ingest_url(db, fetcher, httpserver.url_for("/story/3"), NOW)
        again = await ingest_url(db, fetcher, httpserver.url_for("/feed.xml"), NOW)
    assert (len(feed.new_article_ids), len(page.new_article_ids)) == (2, 1)
    assert (again.new_article_ids, again.duplicates) == ((), 2)
