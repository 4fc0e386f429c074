"""What polite crawlers do: robots.txt and its crawl delay, permanent redirects, feed discovery.

A real local HTTP server; crawl delays are recorded on a clock of the test's own, never
waited for.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from digest.config import SourceSettings
from digest.sources import Fetcher, add_source, poll_due_sources, sync_config_sources
from digest.sources.discovery import announced_feeds, is_article_page
from digest.sources.errors import RobotsDisallowed
from digest.sources.http import FetchLimits
from digest.sources.robots import MAX_CRAWL_DELAY
from digest.sources.safety import AddressPolicy
from digest.store import articles as article_store
from digest.store import sources as source_store
from parley.commands.sources import sources
from tests.test_sources_poll import article_html, rss, serve_feed, serve_pages

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
LIMITS = FetchLimits(timeout=2.0, deadline=5.0, max_bytes=200_000)


@pytest.fixture
def settings(httpserver) -> SourceSettings:
    return SourceSettings(
        allowed_hosts=(f"localhost:{httpserver.port}",), timeout_seconds=2.0, fetch_seconds=5.0
    )


def requested(server, path: str) -> int:
    return [r.path for r, _ in server.log].count(path)


def robots(server, text: str, status: int = 200) -> None:
    """A robots.txt for this test (a one-shot handler is matched before the default 404)."""
    server.expect_oneshot_request("/robots.txt").respond_with_data(
        text, status=status, content_type="text/plain"
    )


async def test_pages_robots_txt_disallows_are_not_fetched(db, httpserver, settings):
    robots(httpserver, "User-agent: *\nDisallow: /story/\n")
    serve_pages(httpserver, range(1, 4))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2, 3]))
    await add_source(db, httpserver.url_for("/feed.xml"), NOW, "feed", settings)
    report = await poll_due_sources(db, replace(settings, backlog=3), NOW)
    articles = article_store.articles_by_ids(db, report.new_article_ids)
    assert sorted(a.body for a in articles) == [
        f"Feed summary of story {n}: matter {n} was discussed at length." for n in (1, 2, 3)
    ]  # the feed's summaries, in place of pages Parley may not fetch
    assert [r.path for r, _ in httpserver.log if r.path.startswith("/story/")] == []
    assert requested(httpserver, "/robots.txt") == 1  # read once for the round


async def test_a_group_naming_parley_wins_over_the_wildcard(httpserver):
    robots(httpserver, "User-agent: *\nDisallow: /\n\nUser-agent: Parley\nDisallow: /private\n")
    httpserver.expect_request("/open").respond_with_data("<p>ok</p>", content_type="text/html")
    policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{httpserver.port}"}))
    async with Fetcher(policy, LIMITS) as fetcher:
        assert (await fetcher.fetch(httpserver.url_for("/open"))).body == b"<p>ok</p>"
        with pytest.raises(RobotsDisallowed, match="does not allow Parley"):
            await fetcher.fetch(httpserver.url_for("/private/x"))


async def test_a_robots_txt_that_cannot_be_read_refuses_everything(db, httpserver, settings):
    robots(httpserver, "down", status=503)
    serve_feed(httpserver, "/feed.xml", rss(httpserver, []))
    url = httpserver.url_for("/feed.xml")
    await add_source(db, url, NOW, "feed", settings)
    [outcome] = (await poll_due_sources(db, settings, NOW)).outcomes
    assert outcome.status == "failed"
    assert outcome.error == f"{url}: not fetched, its robots.txt answered HTTP 503"
    assert requested(httpserver, "/feed.xml") == 0


@pytest.mark.parametrize(("delay", "expected"), [("5", 5.0), ("100000", MAX_CRAWL_DELAY)])
async def test_crawl_delay_spaces_requests_to_one_origin(httpserver, delay, expected):
    robots(httpserver, f"User-agent: *\nCrawl-delay: {delay}\n")
    httpserver.expect_request("/p").respond_with_data("<p>x</p>", content_type="text/html")
    clock, waits = [100.0], []

    async def sleep(seconds: float) -> None:  # the test's clock moves; nobody waits
        waits.append(seconds)
        clock[0] += seconds

    policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{httpserver.port}"}))
    async with Fetcher(policy, LIMITS, sleep=sleep, clock=lambda: clock[0]) as fetcher:
        url = httpserver.url_for("/p")
        await asyncio.gather(*(fetcher.fetch(f"{url}?n={n}") for n in range(3)))
    assert waits == [expected, expected]  # the first goes at once, each next one a delay later
    assert requested(httpserver, "/robots.txt") == 1


async def test_a_permanent_redirect_moves_an_admin_source(db, httpserver, settings):
    old, new = httpserver.url_for("/old.xml"), httpserver.url_for("/new.xml")
    serve_feed(httpserver, "/old.xml", rss(httpserver, [1]))
    await add_source(db, old, NOW, "feed", settings)
    await poll_due_sources(db, settings, NOW)  # primed: story 1 seen under the old URL
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/old.xml").respond_with_data("", 301, headers={"Location": new})
    serve_feed(httpserver, "/new.xml", rss(httpserver, [1, 2]))
    serve_pages(httpserver, range(1, 3))

    later = NOW + timedelta(minutes=settings.poll_minutes)
    [outcome] = (await poll_due_sources(db, settings, later)).outcomes
    assert (outcome.status, outcome.url, outcome.moved_to) == ("ok", new, new)
    assert f"moved permanently to {new}" in outcome.notice
    assert outcome.new_items == 1  # what was seen under the old URL stayed seen
    assert source_store.get_source(db, old) is None
    assert source_store.get_source(db, new).last_success == later
    await poll_due_sources(db, settings, later + timedelta(minutes=settings.poll_minutes))
    assert requested(httpserver, "/old.xml") == 1 and requested(httpserver, "/new.xml") == 2


async def test_a_temporary_redirect_moves_nothing(db, httpserver, settings):
    old, new = httpserver.url_for("/old.xml"), httpserver.url_for("/new.xml")
    httpserver.expect_request("/old.xml").respond_with_data("", 302, headers={"Location": new})
    serve_feed(httpserver, "/new.xml", rss(httpserver, []))
    await add_source(db, old, NOW, "feed", settings)
    [outcome] = (await poll_due_sources(db, settings, NOW)).outcomes
    assert (outcome.url, outcome.moved_to) == (old, None)
    assert source_store.get_source(db, old) is not None


async def test_a_config_source_that_moved_is_reported_not_renamed(db, httpserver, settings):
    old, new = httpserver.url_for("/old.xml"), httpserver.url_for("/new.xml")
    httpserver.expect_request("/old.xml").respond_with_data("", 308, headers={"Location": new})
    serve_feed(httpserver, "/new.xml", rss(httpserver, []))
    settings = replace(settings, feeds=(old,))
    sync_config_sources(db, settings, NOW)
    [outcome] = (await poll_due_sources(db, settings, NOW)).outcomes
    assert outcome.url == old and outcome.moved_to is None
    assert f"moved permanently to {new}; update [sources] in the config" in outcome.warning


HOME = """<!doctype html><html><head><title>Example News</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="All stories" href="/feeds/all.xml">
<link rel="alternate" type="application/atom+xml" href="https://other.example/atom">
</head><body><h1>Example News</h1><p>Today's stories.</p></body></html>"""


def test_announced_feeds_are_found_in_document_order():
    found = announced_feeds(HOME.encode(), "http://news.example/section/")
    assert found == ["http://news.example/feeds/all.xml", "https://other.example/atom"]
    assert not is_article_page(HOME.encode())


def test_sources_add_of_a_home_page_registers_its_feed(tmp_path, httpserver):
    httpserver.expect_request("/").respond_with_data(HOME, content_type="text/html")
    serve_feed(httpserver, "/feeds/all.xml", rss(httpserver, [1]))
    config = tmp_path / "parley.toml"
    config.write_text(f'[sources]\nallowed_hosts = ["localhost:{httpserver.port}"]\n')
    env = {"PARLEY_CONFIG": str(config), "PARLEY_DB": str(tmp_path / "parley.db")}
    home, feed = httpserver.url_for("/"), httpserver.url_for("/feeds/all.xml")
    result = CliRunner().invoke(sources, ["add", home], env=env)
    assert result.exit_code == 0, result.output
    assert f"{home} is a web page; it announces the feed {feed}" in result.output
    assert f"feed {feed}: 1 items, 0 stored now (backlog 0)" in result.output
    listed = CliRunner().invoke(sources, ["--format", "json"], env=env)
    assert '"kind": "feed"' in listed.output and feed in listed.output


async def test_an_article_page_stays_a_page_despite_its_sites_feed(db, httpserver, settings):
    page = article_html(1, "Talks progress").replace(
        "<head>",
        '<head><meta property="og:type" content="article">'
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">',
    )
    httpserver.expect_request("/story/1").respond_with_data(page, content_type="text/html")
    source = await add_source(db, httpserver.url_for("/story/1"), NOW, settings=settings)
    assert (source.kind, source.url) == ("page", httpserver.url_for("/story/1"))
    assert requested(httpserver, "/feed.xml") == 0


async def test_a_robots_txt_that_redirects_on_its_own_origin_is_followed(httpserver):
    moved = httpserver.url_for("/robots-v2.txt")
    httpserver.expect_oneshot_request("/robots.txt").respond_with_data(
        "", 301, headers={"Location": moved}
    )
    httpserver.expect_request("/robots-v2.txt").respond_with_data(
        "User-agent: *\nDisallow: /private\n", content_type="text/plain"
    )
    policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{httpserver.port}"}))
    async with Fetcher(policy, LIMITS) as fetcher:
        with pytest.raises(RobotsDisallowed):
            await fetcher.fetch(httpserver.url_for("/private/page"))
    assert requested(httpserver, "/robots-v2.txt") == 1
