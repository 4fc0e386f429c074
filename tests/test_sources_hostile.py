"""Hostile and broken servers on loopback, and what the user sees: one line naming the URL.

Every server here is local and bounded; no test waits on the clock except for a server that
never answers, which only Parley's own timeout can end.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug import Response

from digest import store
from digest.config import SourceSettings
from digest.sources import Fetcher, add_source, ingest_url, poll_due_sources
from digest.sources.errors import BlockedAddress, FetchFailed, FetchTimedOut, UnreadableFeed
from digest.sources.feeds import MAX_FEED_ITEMS, parse_feed
from digest.sources.http import FetchLimits
from digest.sources.safety import AddressPolicy, allowed_host_entry
from digest.store import articles as article_store
from digest.store import sources as source_store
from parley import cli
from tests.test_sources_poll import rss, serve_feed, serve_pages

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
LIMITS = FetchLimits(timeout=1.0, deadline=1.5, max_bytes=200_000, max_redirects=3)
LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
UTF16_LAUGHS = f"""<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]><rss version="2.0"><channel><title>T</title>
<item><title>&lol9;</title><guid>x</guid></item></channel></rss>"""
QUADRATIC = """<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE rss [<!ENTITY a "{}">]>
<rss version="2.0"><channel><title>T</title><item><title>{}</title></item></channel></rss>"""


@pytest.fixture
def settings(httpserver) -> SourceSettings:
    return SourceSettings(
        allowed_hosts=(f"localhost:{httpserver.port}",),
        timeout_seconds=1.0,
        fetch_seconds=2.0,
        max_bytes=200_000,
        pause_after_failures=3,
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
async def test_entity_declarations_are_refused_whatever_the_encoding(
    db, httpserver, settings, encoding
):
    body = UTF16_LAUGHS.encode(encoding)
    httpserver.expect_request("/laughs.xml").respond_with_data(
        body, content_type="application/rss+xml"
    )
    async with Fetcher.from_settings(settings) as fetcher:
        with pytest.raises(UnreadableFeed, match="declares XML entities"):
            await ingest_url(db, fetcher, httpserver.url_for("/laughs.xml"), NOW)
    assert article_store.count_articles(db) == 0


def test_a_utf16_quadratic_blowup_is_refused_before_parsing():
    body = QUADRATIC.format("x" * 20_000, "&a;" * 20_000).encode("utf-16")
    with pytest.raises(UnreadableFeed, match="entities"):
        parse_feed(body, "http://feeds.example/q.xml", "text/xml")


@pytest.mark.parametrize(
    "content_type", ["application/rss+xml; charset=utf-16", "application/xml", "text/xml"]
)
def test_a_utf16_feed_without_entities_is_read(content_type):
    body = rss_text().encode("utf-16")  # with its byte-order mark, which decides
    feed = parse_feed(body, "http://feeds.example/ok.xml", content_type)
    assert [item.title for item in feed.items] == ["Grüße aus Zürich"]


def rss_text() -> str:
    return """<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel>
    <title>T</title><item><title>Grüße aus Zürich</title><guid>g1</guid></item></channel></rss>"""


def test_a_feed_of_too_many_items_is_refused_before_parsing():
    items = "<item><guid>n</guid></item>" * (MAX_FEED_ITEMS + 1)
    body = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    with pytest.raises(UnreadableFeed, match=f"more than {MAX_FEED_ITEMS:,} items"):
        parse_feed(body.encode("utf-16"), "http://feeds.example/many.xml")


@pytest.mark.parametrize("wbits", [-zlib.MAX_WBITS, zlib.MAX_WBITS], ids=["raw", "zlib"])
async def test_deflate_is_read_with_or_without_the_zlib_header(httpserver, wbits):
    html = b"<html><body>" + b"<p>deflated text</p>" * 200 + b"</body></html>"
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    packed = packer.compress(html) + packer.flush()
    httpserver.expect_request("/page").respond_with_data(
        packed, content_type="text/html", headers={"Content-Encoding": "deflate"}
    )
    policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{httpserver.port}"}))
    async with Fetcher(policy, LIMITS) as fetcher:
        assert (await fetcher.fetch(httpserver.url_for("/page"))).body == html


# ----- network failures: one line naming the URL --------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[tuple[int, list[str]]]:
    """A loopback TCP server whose behaviour a test picks: 'reset' or 'silent' (never answers)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    mode, held = ["reset"], []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            if mode[0] == "reset":  # linger 0: close sends a TCP reset
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.recv(1024)
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], mode
    stop.set()
    listener.close()
    for conn in held:
        conn.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_one_line(error: Exception, url: str) -> None:
    text = str(error)
    assert text.startswith(url) and "\n" not in text and "Traceback" not in text


async def test_dns_failure_is_one_line_naming_the_url():
    url = "http://no-such-host.invalid/feed"
    async with Fetcher(AddressPolicy(), LIMITS) as fetcher:
        with pytest.raises(FetchFailed, match="cannot resolve no-such-host.invalid") as caught:
            await fetcher.fetch(url)
    assert_one_line(caught.value, url)


async def test_refused_connection_is_one_line_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}/feed"
    async with Fetcher(AddressPolicy(allow_private=True), LIMITS) as fetcher:
        with pytest.raises(FetchFailed, match="cannot connect") as caught:
            await fetcher.fetch(url)
    assert_one_line(caught.value, url)


async def test_reset_connection_is_one_line_naming_the_url(raw_server):
    port, _ = raw_server
    url = f"http://127.0.0.1:{port}/feed"
    async with Fetcher(AddressPolicy(allow_private=True), LIMITS, robots=False) as fetcher:
        with pytest.raises(FetchFailed) as caught:
            await fetcher.fetch(url)
    assert_one_line(caught.value, url)


async def test_a_server_that_never_answers_times_out_in_one_line(raw_server):
    port, mode = raw_server
    mode[0] = "silent"
    url = f"http://127.0.0.1:{port}/feed"
    async with Fetcher(AddressPolicy(allow_private=True), LIMITS) as fetcher:
        with pytest.raises(FetchTimedOut) as caught:
            await fetcher.fetch(url)
    assert_one_line(caught.value, url)


async def test_tls_failure_is_one_line_naming_the_url(httpserver):
    url = f"https://localhost:{httpserver.port}/feed"  # the server speaks plain HTTP
    policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{httpserver.port}"}))
    async with Fetcher(policy, LIMITS) as fetcher:
        with pytest.raises(FetchFailed, match="TLS failed") as caught:
            await fetcher.fetch(url)
    assert_one_line(caught.value, url)


def run_parley(args: list[str], tmp_path, config: str = "") -> subprocess.CompletedProcess:
    """The real command line in its own process (its own logging set-up, as a user has)."""
    (tmp_path / "parley.toml").write_text(config)
    env = {"PARLEY_CONFIG": str(tmp_path / "parley.toml"), "PARLEY_DB": str(tmp_path / "p.db")}
    return subprocess.run(
        [sys.executable, "-c", "from parley.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120, env={**env, "PATH": ""},
    )  # fmt: skip


def test_sources_add_of_an_unknown_host_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    url = "http://no-such-host.invalid/feed"
    monkeypatch.setenv("PARLEY_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "p.db"))
    for args in (["sources", "add", "--kind", "feed", url], ["sources", "add", url]):
        monkeypatch.setattr(sys, "argv", ["parley", *args])
        with pytest.raises(SystemExit) as done:
            cli.main()
        err = capsys.readouterr().err
        assert done.value.code == 1
        assert err.startswith(f"Error: {url}: cannot resolve no-such-host.invalid")
        assert err.count("\n") == 1


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "gopher://example.com/1", "ftp://example.com/f", "data:,hi"]
)
def test_ingest_refuses_other_schemes_before_reading_anything(tmp_path, monkeypatch, capsys, url):
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nThe council met on Monday to agree the budget for next year.")
    monkeypatch.setenv("PARLEY_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "p.db"))
    monkeypatch.setattr(sys, "argv", ["parley", "ingest", str(article), url])
    with pytest.raises(SystemExit) as done:
        cli.main()
    err = capsys.readouterr().err
    assert done.value.code == 1
    assert err.count("\n") == 1 and "not an http:// or https:// URL" in err and url in err
    if (tmp_path / "p.db").exists():  # refused before the file was read: nothing stored
        assert article_store.count_articles(store.open_db(tmp_path / "p.db")) == 0


def test_poll_prints_each_failure_once(tmp_path, httpserver):
    httpserver.expect_request("/gone.xml").respond_with_data("no", 404)
    url = httpserver.url_for("/gone.xml")
    config = f'[sources]\nfeeds = ["{url}"]\nallowed_hosts = ["localhost:{httpserver.port}"]\n'
    done = run_parley(["poll"], tmp_path, config)
    assert done.returncode == 0, done.stderr
    both = done.stdout + done.stderr
    assert both.count("HTTP 404") == 1, both


# ----- allowed_hosts as users write them ------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "host", "port", "allowed"),
    [
        ("[::1]:8001", "::1", 8001, True),
        ("[::1]:8001", "::1", 8002, False),
        ("::1:8001", "::1", 8001, True),  # the literal form older configs used still works
        ("http://[::1]:8001/", "::1", 8001, True),
        ("LocalHost:8001", "localhost", 8001, True),
        ("feeds.local", "feeds.local", 80, True),
        ("feeds.local", "feeds.local", 443, True),
        ("feeds.local", "feeds.local", 8080, False),
        ("::1", "::1", 443, True),
        ("192.168.1.5:8080", "192.168.1.5", 8080, True),
        ("192.168.1.5:8080", "192.168.1.50", 8080, False),
    ],
)
def test_allowed_hosts_accept_the_forms_a_user_writes(entry, host, port, allowed):
    policy = AddressPolicy(allowed_hosts=frozenset({entry}))
    assert policy.permits_host(host, port) is allowed


def test_allowed_host_entries_parse_to_host_and_port():
    assert allowed_host_entry("[::1]:8001") == ("::1", 8001)
    assert allowed_host_entry("example.com") == ("example.com", None)


async def test_an_ipv6_loopback_server_is_reached_through_its_bracketed_entry():
    from pytest_httpserver import HTTPServer

    try:
        server = HTTPServer(host="::1", port=0)
        server.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        server.expect_request("/robots.txt").respond_with_data("", status=404)
        server.expect_request("/feed").respond_with_data("<rss/>", content_type="text/xml")
        policy = AddressPolicy(allowed_hosts=frozenset({f"[::1]:{server.port}"}))
        async with Fetcher(policy, LIMITS) as fetcher:
            fetched = await fetcher.fetch(f"http://[::1]:{server.port}/feed")
        assert fetched.body == b"<rss/>"
    finally:
        server.clear()
        server.stop()


async def test_a_refused_redirect_names_the_url_and_both_settings(httpserver):
    target = f"http://127.0.0.1:{httpserver.port}/secret"
    httpserver.expect_request("/go").respond_with_data("", 302, headers={"Location": target})
    url = httpserver.url_for("/go")
    policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{httpserver.port}"}))
    async with Fetcher(policy, LIMITS) as fetcher:
        with pytest.raises(BlockedAddress) as caught:
            await fetcher.fetch(url)
    text = str(caught.value)
    assert text.startswith(f"{url} (redirected to {target}): 127.0.0.1 resolves to 127.0.0.1")
    assert f'allowed_hosts lists "127.0.0.1:{httpserver.port}"' in text
    assert "allow_private_networks" in text


# ----- smaller items ---------------------------------------------------------------------------


async def test_a_429_backs_off_as_asked_without_moving_toward_a_pause(db, httpserver, settings):
    httpserver.expect_request("/busy.xml").respond_with_data(
        "slow down", 429, headers={"Retry-After": "7200"}
    )
    url = httpserver.url_for("/busy.xml")
    await add_source(db, url, NOW, "feed", settings)
    now = NOW
    for _ in range(settings.pause_after_failures + 1):
        [outcome] = (await poll_due_sources(db, settings, now)).outcomes
        assert outcome.status == "failed" and "429" in outcome.error
        source = source_store.get_source(db, url)
        assert (source.consecutive_failures, source.paused) == (0, False)
        assert source.next_poll >= now + timedelta(seconds=7200)
        now = source.next_poll


async def test_one_page_under_several_spellings_is_fetched_once(db, httpserver, settings):
    serve_pages(httpserver, range(1, 2))
    port = httpserver.port
    links = [f"http://localhost:{port}/story/1?utm_source={n}" for n in range(3)]
    links += [f"HTTP://LOCALHOST:{port}/story/1#comments", f"http://localhost:{port}/story/1"]
    items = "".join(
        f"<item><title>S{n}</title><guid>g{n}</guid><link>{link}</link></item>"
        for n, link in enumerate(links)
    )
    feed = f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    serve_feed(httpserver, "/a.xml", feed)
    serve_feed(httpserver, "/b.xml", rss(httpserver, [1], "?utm_medium=b"))
    for path in ("/a.xml", "/b.xml"):
        await add_source(db, httpserver.url_for(path), NOW, "feed", settings)
    report = await poll_due_sources(db, replace(settings, backlog=10), NOW)
    assert len(report.new_article_ids) == 1
    assert sum(o.duplicates for o in report.outcomes) == 5
    assert [r.path for r, _ in httpserver.log].count("/story/1") == 1


async def test_sources_add_keeps_the_etag_of_its_fetch(db, httpserver, settings):
    url = httpserver.url_for("/feed.xml")
    body = rss(httpserver, [])
    httpserver.expect_request("/feed.xml", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", 304, headers={"ETag": '"v1"'}
    )
    serve_feed_with_etag = httpserver.expect_request("/feed.xml")
    serve_feed_with_etag.respond_with_response(
        Response(body, content_type="application/rss+xml", headers={"ETag": '"v1"'})
    )
    source = await add_source(db, url, NOW, settings=settings)
    assert (source.etag, source.primed) == ('"v1"', True)
    later = NOW + timedelta(minutes=settings.poll_minutes)
    [outcome] = (await poll_due_sources(db, settings, later)).outcomes
    assert outcome.status == "not_modified"
    statuses = [res.status_code for req, res in httpserver.log if req.path == "/feed.xml"]
    assert statuses == [200, 304]
