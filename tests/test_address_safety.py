"""The address check against what resolvers and configs really hand it: several DNS answers,
ports, IPv4 addresses dressed as IPv6. Fetches go through the real client to real local servers.

No offline resolver knows a name with mixed answers, so ``dns`` answers for names under
``.test`` (reserved by RFC 6761) at the one place every lookup ends, ``socket.getaddrinfo``;
any other name goes to the system resolver as usual.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest
from pytest_httpserver import HTTPServer

from digest.config import SourceSettings
from digest.sources.errors import BlockedAddress
from digest.sources.http import Fetcher, FetchLimits
from digest.sources.safety import AddressPolicy, blocked_reason

LIMITS = FetchLimits(timeout=30.0, deadline=60.0, max_bytes=100_000, max_redirects=3)
PAGE = "<html><body>internal</body></html>"
# Global addresses. Public answers come as IPv6 (no route from a test machine, so a broken
# check fails fast on them and goes on to the internal answer instead of out to the internet).
PUBLIC_V6 = "2606:4700:4700::1111"
OTHER_PUBLIC_V6 = "2001:4860:4860::8888"


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Name -> the addresses the resolver answers, in order (fill it in the test)."""
    answers: dict[str, list[str]] = {}
    system = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in answers:
            return system(host, port, family, type, proto, flags)
        port = int(port or 0)
        infos = []
        for address in answers[name]:
            if ipaddress.ip_address(address).version == 6:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return infos

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def internal(httpserver) -> HTTPServer:
    """A server on the loopback interface, standing for a service on the private network."""
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    return httpserver


async def test_the_resolver_stand_in_is_the_one_the_fetcher_asks(dns, internal):
    dns["intranet.test"] = ["127.0.0.1"]
    async with Fetcher(AddressPolicy(allow_private=True), LIMITS) as fetcher:
        fetched = await fetcher.fetch(f"http://intranet.test:{internal.port}/")
    assert fetched.body.decode() == PAGE  # so the refusals below are the check's, not DNS's


@pytest.mark.parametrize(
    "answers",
    [
        [PUBLIC_V6, "127.0.0.1"],
        [PUBLIC_V6, OTHER_PUBLIC_V6, "127.0.0.1"],
        [PUBLIC_V6, "::ffff:127.0.0.1"],
        ["127.0.0.1", PUBLIC_V6],
    ],
    ids=[
        "public-then-loopback",
        "two-public-then-loopback",
        "public-then-mapped-loopback",
        "loopback-then-public",
    ],
)
async def test_one_internal_answer_among_public_ones_blocks_the_host(dns, internal, answers):
    dns["mixed.test"] = answers
    async with Fetcher(AddressPolicy(), LIMITS) as fetcher:
        with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1.*loopback"):
            await fetcher.fetch(f"http://mixed.test:{internal.port}/")
    assert internal.log == []  # refused before any connection: the internal server saw nothing


async def test_a_redirect_to_a_name_with_an_internal_answer_is_refused(dns, internal):
    entry = HTTPServer(host="localhost", port=0)
    entry.start()
    try:
        dns["mixed.test"] = [PUBLIC_V6, "127.0.0.1"]
        target = f"http://mixed.test:{internal.port}/"
        entry.expect_request("/robots.txt").respond_with_data("", 404)  # no rules: may fetch
        entry.expect_request("/go").respond_with_data("", 302, headers={"Location": target})
        policy = AddressPolicy(allowed_hosts=frozenset({f"localhost:{entry.port}"}))
        async with Fetcher(policy, LIMITS) as fetcher:
            with pytest.raises(BlockedAddress, match="loopback"):
                await fetcher.fetch(entry.url_for("/go"))
        assert [request.path for request, _ in entry.log][-1] == "/go"  # after its robots.txt
        assert internal.log == []
    finally:
        entry.clear()
        entry.stop()


def test_allowed_hosts_entries_hold_their_port():
    policy = AddressPolicy(allowed_hosts=frozenset({"localhost:8080"}))
    assert policy.permits_host("localhost", 8080)
    assert policy.permits_host("LOCALHOST", 8080)
    assert not policy.permits_host("localhost", 8081)
    assert not policy.permits_host("localhost", 80)


def test_a_host_allowed_without_a_port_opens_only_the_web_ports():
    policy = AddressPolicy(allowed_hosts=frozenset({"Feeds.Local"}))
    assert policy.permits_host("feeds.local", 80) and policy.permits_host("feeds.local", 443)
    assert not policy.permits_host("feeds.local", 8080)
    assert not policy.permits_host("feeds.local", 22)


async def test_an_allowed_host_opens_only_its_own_port(internal):
    other = HTTPServer(host="localhost", port=0)
    other.start()
    try:
        other.expect_request("/").respond_with_data("other service", content_type="text/html")
        settings = SourceSettings(allowed_hosts=(f"localhost:{internal.port}",))
        async with Fetcher.from_settings(settings) as fetcher:
            assert (await fetcher.fetch(internal.url_for("/"))).body.decode() == PAGE
            with pytest.raises(BlockedAddress, match="loopback"):
                await fetcher.fetch(other.url_for("/"))
            # nor through a redirect from the allowed port
            internal.expect_request("/go").respond_with_data(
                "", 302, headers={"Location": other.url_for("/")}
            )
            with pytest.raises(BlockedAddress, match="loopback"):
                await fetcher.fetch(internal.url_for("/go"))
        assert other.log == []
    finally:
        other.clear()
        other.stop()


@pytest.mark.parametrize(
    "ipv4",
    ["127.0.0.1", "10.1.2.3", "192.168.0.7", "169.254.169.254", "169.254.1.1", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "93.184.216.34", "8.8.8.8"],
)  # fmt: skip
def test_an_ipv4_mapped_address_is_judged_as_the_ipv4_address_it_carries(ipv4):
    mapped = f"::ffff:{ipv4}"
    assert blocked_reason(mapped) == blocked_reason(ipv4)
    assert blocked_reason(ipaddress.IPv6Address(mapped)) == blocked_reason(ipv4)


async def test_a_name_answering_a_mapped_metadata_address_is_refused_as_such(dns):
    dns["cloud.test"] = ["::ffff:169.254.169.254"]
    async with Fetcher(AddressPolicy(), LIMITS) as fetcher:
        with pytest.raises(BlockedAddress, match="metadata"):
            await fetcher.fetch("http://cloud.test/latest/meta-data/")
