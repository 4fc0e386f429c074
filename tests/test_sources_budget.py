"""Budgets per feed and per round, whatever the entry point; what is cut off comes next round.

A real local HTTP server and real SQLite files. Nothing here waits on the clock: the seconds
budget is tested at 0 s (spent before anything starts) and against pages held open until
the test releases them, so only the budget can end them.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from rich.console import Console
from werkzeug import Response

from digest.config import SourceSettings
from digest.sources import Fetcher, Round, add_source, ingest_url, poll_due_sources
from digest.sources.budget import Budget, BudgetLimits
from digest.store import articles as article_store
from digest.store import sources as source_store
from parley.commands.sources import run_ingest_urls, sources
from parley.context import CliState
from tests.test_sources_poll import article_html, rss, serve_feed, serve_pages

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings(httpserver) -> SourceSettings:
    return SourceSettings(
        allowed_hosts=(f"localhost:{httpserver.port}",),
        timeout_seconds=5.0,
        fetch_seconds=60.0,
        max_bytes=200_000,
    )


def story_requests(server: HTTPServer) -> list[str]:
    return [r.path for r, _ in server.log if r.path.startswith("/story/")]


def bare_guid_feed(count: int) -> str:
    """Items with only a bare GUID, which feedparser reads as a relative link: one fetch each."""
    items = "".join(f"<item><title>T{n}</title><guid>story/{n}</guid></item>" for n in range(count))
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>G</title>'
    return f"{head}{items}</channel></rss>"


async def test_ingest_url_stops_at_the_item_budget_and_the_next_run_goes_on(
    db, httpserver, settings
):
    serve_feed(httpserver, "/guids.xml", bare_guid_feed(300))
    serve_pages(httpserver, range(300))
    url = httpserver.url_for("/guids.xml")
    budget = BudgetLimits(items=5, bytes=10**9, seconds=600)
    async with Fetcher.from_settings(settings) as fetcher:
        first = await ingest_url(db, fetcher, url, NOW, Budget(budget, "the feed's"))
        assert len(first.new_article_ids) == 5
        assert len(first.deferred) == 295 and first.cut == "the feed's 5-item budget"
        assert len(story_requests(httpserver)) == 5  # not one fetch per item of the feed
        second = await ingest_url(db, fetcher, url, NOW, Budget(budget, "the feed's"))
    assert len(second.new_article_ids) == 5 and second.duplicates == 5
    assert len(story_requests(httpserver)) == 10  # stored items cost no fetch
    assert article_store.count_articles(db) == 10


async def test_the_round_budget_is_shared_by_every_feed_of_the_round(db, httpserver, settings):
    serve_pages(httpserver, range(1, 7))
    serve_feed(httpserver, "/a.xml", rss(httpserver, [1, 2, 3]))
    serve_feed(httpserver, "/b.xml", rss(httpserver, [4, 5, 6]))
    settings = replace(settings, round_items=4)
    round_ = Round.start(settings)
    async with Fetcher.from_settings(settings) as fetcher:
        a = await ingest_url(
            db, fetcher, httpserver.url_for("/a.xml"), NOW, round_.feed_budget(settings)
        )
        b = await ingest_url(
            db, fetcher, httpserver.url_for("/b.xml"), NOW, round_.feed_budget(settings)
        )
    assert (len(a.new_article_ids), len(b.new_article_ids)) == (3, 1)
    assert len(b.deferred) == 2 and b.cut == "the round's 4-item budget"


async def test_a_poll_cut_short_leaves_the_rest_for_the_next_round(db, httpserver, settings):
    serve_pages(httpserver, range(1, 8))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, []))
    url = httpserver.url_for("/feed.xml")
    await add_source(db, url, NOW, "feed", settings)
    await poll_due_sources(db, settings, NOW)  # primed on an empty feed
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    serve_pages(httpserver, range(1, 8))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, list(range(1, 8))))

    small = replace(settings, feed_items=3)
    later = NOW + timedelta(minutes=settings.poll_minutes)
    [first] = (await poll_due_sources(db, small, later)).outcomes
    assert (first.status, len(first.new_article_ids), first.deferred) == ("ok", 3, 4)
    assert first.notice == f"{url}: 4 new items left for the next round (the feed's 3-item budget)"
    stored = {a.title for a in article_store.articles_by_ids(db, first.new_article_ids)}
    assert stored == {f"Talks on matter {n} progress" for n in (1, 2, 3)}  # newest first

    [second] = (await poll_due_sources(db, small, later + timedelta(hours=1))).outcomes
    [third] = (await poll_due_sources(db, small, later + timedelta(hours=2))).outcomes
    assert (len(second.new_article_ids), second.deferred) == (3, 1)
    assert (len(third.new_article_ids), third.deferred) == (1, 0)
    assert article_store.count_articles(db) == 7
    assert sorted(story_requests(httpserver)) == sorted(f"/story/{n}" for n in range(1, 8))


async def test_a_spent_seconds_budget_defers_every_item_and_fetches_none(db, httpserver, settings):
    serve_pages(httpserver, range(1, 4))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2, 3]))
    url = httpserver.url_for("/feed.xml")
    spent = BudgetLimits(items=100, bytes=10**9, seconds=0)
    async with Fetcher.from_settings(settings) as fetcher:
        cut = await ingest_url(db, fetcher, url, NOW, Budget(spent, "the feed's"))
        assert (cut.new_article_ids, len(cut.deferred)) == ((), 3)
        assert cut.cut == "the feed's 0-second budget"
        assert story_requests(httpserver) == []
        whole = await ingest_url(db, fetcher, url, NOW)
    assert len(whole.new_article_ids) == 3


async def test_a_spent_round_leaves_sources_due_without_a_failure(db, httpserver, settings):
    serve_feed(httpserver, "/feed.xml", rss(httpserver, []))
    url = httpserver.url_for("/feed.xml")
    await add_source(db, url, NOW, "feed", settings)
    spent = replace(settings, round_seconds=0)
    [outcome] = (await poll_due_sources(db, spent, NOW)).outcomes
    assert outcome.status == "deferred" and "round's 0-second budget" in outcome.notice
    source = source_store.get_source(db, url)
    assert (source.consecutive_failures, source.next_poll, source.primed) == (0, NOW, False)
    assert [r.path for r, _ in httpserver.log if r.path != "/robots.txt"] == []


async def test_pages_held_open_are_cut_by_the_feed_seconds_then_read_next_round(
    db, httpserver, settings
):
    release = threading.Event()

    def held(request):
        release.wait(60)  # only the budget ends the wait; the test releases it at the end
        number = int(request.path.rsplit("/", 1)[1])
        return Response(article_html(number, f"Held {number}"), content_type="text/html")

    for n in range(1, 4):
        httpserver.expect_request(f"/story/{n}").respond_with_handler(held)
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2, 3]))
    url = httpserver.url_for("/feed.xml")
    quick = replace(settings, feed_seconds=0.5)
    try:
        async with Fetcher.from_settings(quick) as fetcher:
            cut = await ingest_url(db, fetcher, url, NOW, Round.start(quick).feed_budget(quick))
    finally:
        release.set()
    assert cut.new_article_ids == () and len(cut.deferred) == 3
    assert cut.cut == "the feed's 0.5-second budget"
    assert article_store.count_articles(db) == 0  # no summary stored in the page's place
    async with Fetcher.from_settings(settings) as fetcher:
        again = await ingest_url(db, fetcher, url, NOW)
    titles = {a.title for a in article_store.articles_by_ids(db, again.new_article_ids)}
    assert titles == {"Held 1", "Held 2", "Held 3"}


def test_ingest_command_tells_what_the_budget_left(tmp_path, httpserver, monkeypatch, capsys):
    serve_feed(httpserver, "/guids.xml", bare_guid_feed(40))
    serve_pages(httpserver, range(40))
    config = tmp_path / "parley.toml"
    config.write_text(
        f'[sources]\nallowed_hosts = ["localhost:{httpserver.port}"]\nfeed_items = 4\n'
    )
    monkeypatch.setenv("PARLEY_CONFIG", str(config))
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "parley.db"))
    url = httpserver.url_for("/guids.xml")
    run_ingest_urls(CliState(), [url], Console(width=300))
    out = capsys.readouterr().out
    assert "4 new, 0 duplicate, 0 skipped from 1 of 1 URLs" in out
    assert f"{url}: 36 items left unread (the feed's 4-item budget)" in out
    assert len(story_requests(httpserver)) == 4


def test_sources_add_reads_the_backlog_within_the_feed_budget(tmp_path, httpserver):
    serve_pages(httpserver, range(1, 6))
    serve_feed(httpserver, "/feed.xml", rss(httpserver, [1, 2, 3, 4, 5]))
    config = tmp_path / "parley.toml"
    config.write_text(
        f'[sources]\nallowed_hosts = ["localhost:{httpserver.port}"]\nbacklog = 5\nfeed_items = 2\n'
    )
    env = {"PARLEY_CONFIG": str(config), "PARLEY_DB": str(tmp_path / "parley.db")}
    url = httpserver.url_for("/feed.xml")
    result = CliRunner().invoke(sources, ["add", url], env=env)
    assert result.exit_code == 0, result.output
    assert f"feed {url}: 5 items, 2 stored now" in result.output
    assert "3 new items left for the next round (the feed's 2-item budget)" in result.output
    assert len(story_requests(httpserver)) == 2
