"""``parley sources`` and ``parley poll`` against a real local HTTP server and database file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from rich.console import Console

from digest import store
from digest.store import articles as article_store
from parley.commands.sources import poll, run_ingest_urls, sources
from parley.context import CliState

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><title>One</title><guid>1</guid><description>First item text.</description></item>
<item><title>Two</title><guid>2</guid><description>Second item text.</description></item>
</channel></rss>"""


@pytest.fixture
def env(tmp_path, httpserver: HTTPServer) -> dict[str, str]:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED, content_type="text/xml")
    config = tmp_path / "parley.toml"
    config.write_text(
        f'[sources]\nfeeds = ["{httpserver.url_for("/feed.xml")}"]\nbacklog = 1\n'
        f'allowed_hosts = ["localhost:{httpserver.port}"]\n'
    )
    return {"PARLEY_CONFIG": str(config), "PARLEY_DB": str(tmp_path / "parley.db")}


def test_poll_then_sources_show_health(env, httpserver):
    runner = CliRunner()
    first = runner.invoke(poll, [], env=env)
    assert first.exit_code == 0, first.output
    assert "1 sources polled: 1 new articles, 0 failed" in first.output
    again = runner.invoke(poll, [], env=env)
    assert "No source is due; the next is due at" in again.output

    listed = runner.invoke(sources, ["--format", "json"], env=env)
    [row] = json.loads(listed.output)
    assert (row["url"], row["status"], row["title"]) == (
        httpserver.url_for("/feed.xml"),
        "ok",
        "Local",
    )
    table = runner.invoke(sources, [], env=env, terminal_width=200)
    assert "ok" in table.output and "feed" in table.output


def test_sources_add_and_remove(env, httpserver):
    runner = CliRunner()
    page = httpserver.url_for("/page")
    added = runner.invoke(sources, ["add", page, "--kind", "page"], env=env)
    assert added.exit_code == 0, added.output
    assert f"page {page}: new" in added.output
    removed = runner.invoke(sources, ["remove", page], env=env)
    assert removed.exit_code == 0
    urls = [
        row["url"]
        for row in json.loads(runner.invoke(sources, ["--format", "json"], env=env).output)
    ]
    assert page not in urls


def test_sources_add_refuses_a_private_address(env):
    result = CliRunner().invoke(
        sources, ["add", "http://127.0.0.1:1/feed", "--kind", "feed"], env=env
    )
    assert result.exit_code != 0
    assert "loopback" in str(result.exception)


def test_ingest_urls_counts_new_items(env, monkeypatch, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    state = CliState()
    url = state.config.sources.feeds[0]
    run_ingest_urls(state, [url, "http://localhost:1/nothing"], Console(width=200))
    out = capsys.readouterr().out
    assert "2 new, 0 duplicate, 0 skipped from 1 of 2 URLs" in out
    assert "failed:" in out
    db = store.open_db(env["PARLEY_DB"])
    assert article_store.count_articles(db) == 2
