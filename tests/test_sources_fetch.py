"""The bounded HTTP client and the address checks, against a real local HTTP server."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import threading
import time
from dataclasses import replace

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from digest.sources.errors import (
    BlockedAddress,
    FetchFailed,
    FetchTimedOut,
    InvalidSourceURL,
    TooLarge,
    TooManyRedirects,
    WrongContentType,
)
from digest.sources.http import FEED_TYPES, PAGE_TYPES, USER_AGENT, Fetcher, FetchLimits
from digest.sources.safety import AddressPolicy, blocked_reason
from digest.sources.urls import canonical_url, check_url

# Generous times: a loaded machine must never turn a local fetch into a timeout. The one test of
# the deadline sets its own (short deadline, long read timeout).
LIMITS = FetchLimits(timeout=30.0, deadline=60.0, max_bytes=100_000, max_redirects=3, per_host=2)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


def local_policy(server: HTTPServer) -> AddressPolicy:
    """Only the test server's exact host:port is exempt from the address check."""
    return AddressPolicy(allowed_hosts=frozenset({f"localhost:{server.port}"}))


@pytest.fixture
async def fetcher(httpserver):
    async with Fetcher(local_policy(httpserver), LIMITS) as client:
        yield client


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM:443/a?b=2&a=1#top", "https://example.com/a?a=1&b=2"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://e.com/s?utm_source=rss&utm_medium=feed&id=7&fbclid=x", "https://e.com/s?id=7"),
        ("  https://e.com/p?gclid=1  ", "https://e.com/p"),
        ("http://[2001:db8::1]:80/p", "http://[2001:db8::1]/p"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/feed", "file:///etc/passwd", "https:///nohost", "example.com/feed",
     "http://user:pw@example.com/", "http://example.com:99999/", "gopher://x"],
)  # fmt: skip
def test_check_url_refuses_what_cannot_be_fetched(url):
    with pytest.raises(InvalidSourceURL):
        check_url(url)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1",
     "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1", "::"],
)  # fmt: skip
def test_internal_addresses_are_blocked(address):
    assert blocked_reason(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert blocked_reason(address) is None


def test_metadata_address_is_named():
    assert blocked_reason("169.254.169.254") == "a cloud metadata address"


async def test_fetch_sends_user_agent_and_returns_body(httpserver, fetcher):
    httpserver.expect_request("/feed", headers={"User-Agent": USER_AGENT}).respond_with_data(
        RSS, content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )
    fetched = await fetcher.fetch(httpserver.url_for("/feed"), accept=FEED_TYPES)
    assert (fetched.status, fetched.body, fetched.etag) == (200, RSS, '"v1"')


async def test_loopback_is_refused_without_permission(httpserver):
    httpserver.expect_request("/feed").respond_with_data(RSS, content_type="text/xml")
    async with Fetcher(AddressPolicy(), LIMITS) as strict:
        with pytest.raises(BlockedAddress, match="loopback"):
            await strict.fetch(httpserver.url_for("/feed"))
    assert httpserver.log == []  # refused before connecting: the server saw nothing


@pytest.mark.parametrize(
    "url",
    ["http://2130706433/", "http://0x7f.1/", "http://127.1/", "http://[::ffff:7f00:1]/",
     "http://[::1]/", "http://a..b/", "http://xn--/", "http://%31%32%37.0.0.1/"],
)  # fmt: skip
async def test_disguised_internal_and_malformed_addresses_end_in_a_source_error(url):
    async with Fetcher(AddressPolicy(), LIMITS) as strict:
        with pytest.raises((BlockedAddress, InvalidSourceURL, FetchFailed)) as caught:
            await strict.fetch(url)
    if "127" in url or "7f" in url or "::1" in url or "2130706433" in url:
        assert caught.type is BlockedAddress


async def test_allow_private_networks_lets_loopback_through(httpserver):
    httpserver.expect_request("/feed").respond_with_data(RSS, content_type="text/xml")
    async with Fetcher(AddressPolicy(allow_private=True), LIMITS) as open_client:
        assert (await open_client.fetch(httpserver.url_for("/feed"))).body == RSS


async def test_redirect_to_a_private_address_is_refused(httpserver, fetcher):
    # The first hop (localhost:port) is allowed; the redirect target 127.0.0.1 is not.
    private = f"http://127.0.0.1:{httpserver.port}/secret"
    httpserver.expect_request("/go").respond_with_data("", 302, headers={"Location": private})
    httpserver.expect_request("/secret").respond_with_data("internal", content_type="text/html")
    with pytest.raises(BlockedAddress, match="127.0.0.1"):
        await fetcher.fetch(httpserver.url_for("/go"))
    assert [r.path for r, _ in httpserver.log if r.path != "/robots.txt"] == ["/go"]


async def test_redirect_to_the_metadata_service_is_refused(httpserver, fetcher):
    metadata = "http://169.254.169.254/latest/meta-data/"
    httpserver.expect_request("/go").respond_with_data("", 301, headers={"Location": metadata})
    with pytest.raises(BlockedAddress, match="metadata"):
        await fetcher.fetch(httpserver.url_for("/go"))


async def test_redirect_to_another_scheme_is_refused(httpserver, fetcher):
    location = {"Location": "file:///etc/passwd"}
    httpserver.expect_request("/go").respond_with_data("", 302, headers=location)
    with pytest.raises(InvalidSourceURL):
        await fetcher.fetch(httpserver.url_for("/go"))


async def test_redirects_are_followed_up_to_the_limit(httpserver, fetcher):
    for hop in range(3):
        httpserver.expect_request(f"/r{hop}").respond_with_data(
            "", 302, headers={"Location": f"/r{hop + 1}"}
        )
    httpserver.expect_request("/r3").respond_with_data(
        "<html>done</html>", content_type="text/html"
    )
    fetched = await fetcher.fetch(httpserver.url_for("/r0"), accept=PAGE_TYPES)
    assert fetched.url.endswith("/r3")
    assert fetched.body == b"<html>done</html>"


async def test_endless_redirects_stop(httpserver, fetcher):
    httpserver.expect_request("/loop").respond_with_data("", 302, headers={"Location": "/loop"})
    with pytest.raises(TooManyRedirects):
        await fetcher.fetch(httpserver.url_for("/loop"))
    assert [r.path for r, _ in httpserver.log].count("/loop") == LIMITS.max_redirects + 1


async def test_gzip_body_is_decoded(httpserver, fetcher):
    httpserver.expect_request("/feed").respond_with_data(
        gzip.compress(RSS), content_type="text/xml", headers={"Content-Encoding": "gzip"}
    )
    assert (await fetcher.fetch(httpserver.url_for("/feed"))).body == RSS


async def test_gzip_bomb_stops_at_the_decoded_cap(httpserver, fetcher):
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # ~50 KB on the wire
    assert len(bomb) < LIMITS.max_bytes
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/xml", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(TooLarge):
        await fetcher.fetch(httpserver.url_for("/bomb"))


async def test_enormous_page_without_length_stops_at_the_cap(httpserver, fetcher):
    def endless():
        for _ in range(10_000):
            yield b"<p>" + b"x" * 10_000 + b"</p>"

    httpserver.expect_request("/huge").respond_with_response(
        Response(endless(), content_type="text/html")
    )
    with pytest.raises(TooLarge):
        await fetcher.fetch(httpserver.url_for("/huge"), accept=PAGE_TYPES)


async def test_declared_length_over_the_cap_is_refused_before_reading(httpserver, fetcher):
    body = b"<html>" + b"x" * (LIMITS.max_bytes + 1) + b"</html>"
    httpserver.expect_request("/big").respond_with_data(body, content_type="text/html")
    with pytest.raises(TooLarge, match="declares"):
        await fetcher.fetch(httpserver.url_for("/big"))


async def test_slow_drip_hits_the_deadline(httpserver):
    def drip():
        for _ in range(1200):  # each byte well within the read timeout, the whole 2 minutes
            time.sleep(0.1)
            yield b"<"

    httpserver.expect_request("/slow").respond_with_response(
        Response(drip(), content_type="text/html")
    )
    # The read timeout (60 s) never fires between drops however loaded the machine; without
    # the whole-fetch deadline the drip would complete.
    limits = replace(LIMITS, timeout=60.0, deadline=1.5)
    async with Fetcher(local_policy(httpserver), limits) as fetcher:
        with pytest.raises(FetchTimedOut, match="within 1.5 s"):
            await fetcher.fetch(httpserver.url_for("/slow"))


async def test_wrong_content_type_is_refused(httpserver, fetcher):
    httpserver.expect_request("/feed").respond_with_data(b"\x89PNG", content_type="image/png")
    with pytest.raises(WrongContentType, match="image/png"):
        await fetcher.fetch(httpserver.url_for("/feed"), accept=FEED_TYPES)


async def test_http_error_is_reported(httpserver, fetcher):
    httpserver.expect_request("/gone").respond_with_data("no", 404)
    with pytest.raises(FetchFailed, match="404"):
        await fetcher.fetch(httpserver.url_for("/gone"))


async def test_connection_refused_is_reported():
    policy = AddressPolicy(allow_private=True)
    async with Fetcher(policy, LIMITS) as client:
        with pytest.raises(FetchFailed):
            await client.fetch("http://127.0.0.1:9/nothing-listens-here")


async def test_conditional_get_returns_not_modified(httpserver, fetcher):
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", 304, headers={"ETag": '"v1"'}
    )
    fetched = await fetcher.fetch(httpserver.url_for("/feed"), etag='"v1"')
    assert fetched.not_modified
    assert fetched.body == b""


async def test_fetches_to_one_host_are_limited(httpserver, fetcher):
    entered, most, active = [0], [0], [0]
    lock = threading.Lock()
    release = threading.Event()

    def held(request):
        with lock:
            entered[0] += 1
            active[0] += 1
            most[0] = max(most[0], active[0])
        release.wait(60)  # held until the test has looked, however slow the machine
        with lock:
            active[0] -= 1
        return Response("<html>ok</html>", content_type="text/html")

    httpserver.expect_request("/page").respond_with_handler(held)
    url = httpserver.url_for("/page")
    fetches = asyncio.gather(*(fetcher.fetch(f"{url}?n={n}") for n in range(5)))
    try:
        await wait_for(lambda: entered[0] >= LIMITS.per_host)
        # A grace period for a third fetch to slip in: it can only expose a broken limit, never
        # fail a working one.
        await asyncio.sleep(0.3)
        assert entered[0] == LIMITS.per_host
    finally:
        release.set()
    results = await asyncio.wait_for(fetches, 120)
    assert len(results) == 5 and entered[0] == 5
    assert most[0] == LIMITS.per_host


async def wait_for(condition, ceiling: float = 60.0) -> None:
    """Poll ``condition`` until true; fail (not hang) after ``ceiling`` seconds."""

    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), ceiling)


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", folder / "key.pem", "-out", folder / "cert.pem", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem", folder / "key.pem"


async def test_https_verifies_the_name_while_connecting_to_the_vetted_address(tls_files):
    cert, key = tls_files
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server = HTTPServer(host="localhost", port=0, ssl_context=server_context)
    server.start()
    try:
        server.expect_request("/robots.txt").respond_with_data("", status=404)
        server.expect_request("/feed").respond_with_data(RSS, content_type="text/xml")
        trusted = ssl.create_default_context(cafile=str(cert))
        policy = AddressPolicy(
            allowed_hosts=frozenset({f"localhost:{server.port}", f"127.0.0.1:{server.port}"})
        )
        async with Fetcher(policy, LIMITS, ssl_context=trusted) as client:
            fetched = await client.fetch(f"https://localhost:{server.port}/feed")
            assert fetched.body == RSS
            with pytest.raises(FetchFailed, match="certificate|hostname|match"):
                await client.fetch(f"https://127.0.0.1:{server.port}/feed")  # not the cert's name
    finally:
        server.clear()
        server.stop()
