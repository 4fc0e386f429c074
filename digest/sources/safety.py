"""Which network addresses a user-supplied URL may reach.

Feeds and pages come from admins and from the feeds themselves, so a URL must not become a
way to reach the machine Parley runs on or its private network (server-side request
forgery). The check runs on the *resolved* address at the moment of connecting (see
``GuardedBackend``), so it covers every redirect hop and a DNS answer that changes between
a check and the connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore

from digest.sources.errors import BlockedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance-metadata endpoints; most are link-local or private anyway, named for the message.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)


DEFAULT_PORTS = (80, 443)


def allowed_host_entry(entry: str) -> tuple[str, int | None]:
    """``(host, port)`` from an ``allowed_hosts`` entry written as a user would write it.

    ``"localhost:8001"``, ``"[::1]:8001"`` and ``"http://[::1]:8001/"`` name one port; a host
    alone (``"feeds.local"``, ``"::1"``) gives None, meaning its default ports (80 and 443).
    The old spelling ``"::1:8001"`` is an IPv6 address itself, so it reads as a host alone
    (``permits_host`` still matches it literally).
    """
    text = entry.strip().lower()
    if "://" in text:
        text = urlsplit(text).netloc
    text = text.rstrip("/")
    try:
        ipaddress.ip_address(text)
        return text, None  # a bare address, IPv6 ones included
    except ValueError:
        pass
    try:
        parts = urlsplit(f"//{text}")
        return (parts.hostname or text), parts.port
    except ValueError:
        return text, None


@dataclass(frozen=True)
class AddressPolicy:
    """What may be reached besides public internet addresses.

    ``allowed_hosts`` holds entries as users write them (see ``allowed_host_entry``) that skip
    the check: a narrower opening than ``allow_private`` for one local feed, or a test server.
    """

    allow_private: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    def permits_host(self, host: str, port: int) -> bool:
        """True when connections to ``host:port`` need no address check."""
        if self.allow_private:
            return True
        host = host.lower().strip("[]")
        for entry in self.allowed_hosts:
            if entry.lower() == f"{host}:{port}":  # the literal form older configs used
                return True
            allowed, allowed_port = allowed_host_entry(entry)
            if allowed == host and (
                port == allowed_port or (allowed_port is None and port in DEFAULT_PORTS)
            ):
                return True
        return False


def blocked_reason(address: str | IPAddress) -> str | None:
    """Why ``address`` must not be reached, or None when it is a public internet address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    checks = [
        (ip in METADATA_ADDRESSES, "a cloud metadata address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private network address"),
        (not ip.is_global, "not a public internet address"),
    ]
    return next((reason for hit, reason in checks if hit), None)


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def vetted_addresses(host: str, port: int, policy: AddressPolicy) -> list[str]:
    """The addresses to connect to for ``host:port``; BlockedAddress if any is off limits.

    Refusing when *any* answer is internal (not just skipping it) keeps a host that mixes
    public and private answers from being reached at all.
    """
    addresses = await resolve(host, port)
    if policy.permits_host(host, port):
        return addresses
    for address in addresses:
        reason = blocked_reason(address)
        if reason:
            shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            raise BlockedAddress(
                f"{host} resolves to {address}, {reason}; Parley does not fetch from internal "
                f'networks unless [sources] allowed_hosts lists "{shown}" or '
                "[sources] allow_private_networks = true"
            )
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to vetted addresses."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve, check, then connect to the vetted address itself (no second lookup)."""
        async with asyncio.timeout(timeout):
            addresses = await vetted_addresses(host, port, self.policy)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as failed:
                error = failed
        raise error or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are local by definition: never."""
        raise BlockedAddress(f"unix socket {path} is not a web address")

    async def sleep(self, seconds: float) -> None:
        """Delegate to anyio."""
        await self._inner.sleep(seconds)
