"""The one HTTP client for feeds and pages: bounded in time, size and redirects, and polite.

Every fetch has connect/read timeouts and a whole-fetch deadline (a slow-drip server cannot
hold it open), a cap on the *decoded* body (a gzip bomb stops at the cap, not in memory),
a content-type check, redirects followed by hand up to a limit, a per-host concurrency
limit, conditional GET, and an honest User-Agent. Addresses are checked at connect time by
``GuardedBackend``, so every redirect hop is checked too.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import zlib
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin

import httpcore
import httpx

from digest.config import SourceSettings
from digest.sources.errors import (
    FetchFailed,
    FetchTimedOut,
    InvalidSourceURL,
    ServerBusy,
    SourceError,
    TooLarge,
    TooManyRedirects,
    WrongContentType,
)
from digest.sources.safety import AddressPolicy, GuardedBackend
from digest.sources.urls import check_url, host_key

USER_AGENT = "Parley/0.1 (news digest bot; +https://github.com/parley-news/parley)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
FEED_TYPES = frozenset(
    {
        "application/rss+xml", "application/atom+xml", "application/rdf+xml",
        "application/x-rss+xml", "application/xml", "text/xml", "text/plain",
    }
)  # fmt: skip
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much one fetch may take."""

    timeout: float = 10.0  # seconds, per connect / read / write
    deadline: float = 30.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 5_000_000  # decoded body
    max_redirects: int = 5
    per_host: int = 2  # concurrent fetches per host:port

    @classmethod
    def from_settings(cls, settings: SourceSettings) -> FetchLimits:
        """The limits configured under ``[sources]``."""
        return cls(
            timeout=settings.timeout_seconds,
            deadline=settings.fetch_seconds,
            max_bytes=settings.max_bytes,
            max_redirects=settings.max_redirects,
            per_host=settings.per_host,
        )


def policy_from_settings(settings: SourceSettings) -> AddressPolicy:
    """The address policy configured under ``[sources]``."""
    return AddressPolicy(
        allow_private=settings.allow_private_networks,
        allowed_hosts=frozenset(h.lower() for h in settings.allowed_hosts),
    )


@dataclass(frozen=True)
class Fetched:
    """A finished fetch: the final URL, and either a body (200) or nothing new (304)."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True when the server said the resource has not changed since the validators."""
        return self.status == 304


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~0.1 s: once per process, not once per polling round.
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool that connects only to vetted addresses."""

    def __init__(
        self,
        policy: AddressPolicy,
        max_connections: int = 20,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        ssl_context = ssl_context or _ssl_context()
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx has no argument for a network backend, so replace the pool it built with an
        # identical one on ours (httpx's transport only calls _pool's request and close methods).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy),
        )


def mime_type(content_type: str) -> str:
    """``text/html`` from ``text/html; charset=utf-8``."""
    return content_type.split(";", 1)[0].strip().lower()


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, or TooLarge as soon as it passes ``max_bytes`` (compressed or not)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise FetchFailed(f"{response.url}: unsupported content encoding {encoding!r}")
    # 32 + MAX_WBITS accepts both gzip and zlib headers; max_length bounds each step's output.
    decoder = None if encoding in ("identity", "") else zlib.decompressobj(32 + zlib.MAX_WBITS)
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            if decoder is None:
                body += chunk
            else:
                data = chunk
                while data and len(body) <= max_bytes:
                    body += decoder.decompress(data, max_bytes - len(body) + 1)
                    data = decoder.unconsumed_tail
            if len(body) > max_bytes:
                raise TooLarge(f"{response.url}: body larger than {max_bytes:,} bytes")
        if decoder is not None:
            body += decoder.flush()  # all input is consumed: at most a tiny remainder
            if len(body) > max_bytes:
                raise TooLarge(f"{response.url}: body larger than {max_bytes:,} bytes")
    except zlib.error as error:
        raise FetchFailed(f"{response.url}: body cannot be decompressed ({error})") from None
    return bytes(body)


MAX_RETRY_AFTER = 7 * 24 * 3600.0  # a server cannot park a source for longer than a week


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """The wait a Retry-After header asks for (seconds or an HTTP date), capped; None if absent."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:  # an HTTP date, measured from the response's own Date (the server's clock)
        until = parsedate_to_datetime(value)
        sent = parsedate_to_datetime(headers.get_list("date")[0])
        wait = until.replace(tzinfo=until.tzinfo or UTC) - sent.replace(tzinfo=sent.tzinfo or UTC)
    except (TypeError, ValueError, IndexError):
        return None
    return min(max(wait.total_seconds(), 0.0), MAX_RETRY_AFTER)


class Fetcher:
    """One async HTTP client with Parley's limits; use ``async with Fetcher(...)``."""

    def __init__(
        self,
        policy: AddressPolicy,
        limits: FetchLimits,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """``ssl_context`` replaces the system's trusted certificates (for tests)."""
        self.policy = policy
        self.limits = limits
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(policy, ssl_context=ssl_context),
            timeout=httpx.Timeout(limits.timeout),
            follow_redirects=False,
            trust_env=False,  # an environment proxy would bypass the address check
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )

    @classmethod
    def from_settings(cls, settings: SourceSettings) -> Fetcher:
        """A fetcher with the limits and address policy of ``[sources]``."""
        return cls(policy_from_settings(settings), FetchLimits.from_settings(settings))

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._client.aclose()

    @asynccontextmanager
    async def _host_slot(self, url: str) -> AsyncIterator[None]:
        key = host_key(url)
        if key not in self._hosts:
            self._hosts[key] = asyncio.Semaphore(self.limits.per_host)
        async with self._hosts[key]:
            yield

    async def fetch(
        self,
        url: str,
        accept: Collection[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url`` within the limits; SourceError (with a readable message) on any failure.

        ``accept`` lists the content types wanted (None: any); a response without a
        content type passes, to be sniffed by the caller. ``etag`` / ``last_modified`` make
        the request conditional, and an unchanged resource comes back as a 304 ``Fetched``.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._host_slot(url):
            try:
                async with asyncio.timeout(self.limits.deadline):
                    return await self._follow(url, accept, headers)
            except SourceError:
                raise
            except TimeoutError:
                raise FetchTimedOut(
                    f"{url}: no complete answer within {self.limits.deadline:g} s"
                ) from None
            except (httpx.InvalidURL, ValueError) as error:  # IDNA errors are ValueErrors
                raise InvalidSourceURL(f"{url}: not a valid address ({error})") from None
            except httpx.TimeoutException as error:
                raise FetchTimedOut(f"{url}: timed out ({type(error).__name__})") from None
            except httpx.HTTPError as error:
                raise FetchFailed(f"{url}: {error or type(error).__name__}") from None

    async def _follow(
        self, url: str, accept: Collection[str] | None, headers: dict[str, str]
    ) -> Fetched:
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            check_url(current)
            response = await self._client.send(
                self._client.build_request("GET", current, headers=headers), stream=True
            )
            try:
                if response.status_code in REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchFailed(f"{current}: redirect without a Location header")
                    current = urljoin(current, location)
                    continue
                return await self._finish(current, response, accept)
            finally:
                await response.aclose()
        raise TooManyRedirects(f"{url}: more than {self.limits.max_redirects} redirects")

    async def _finish(
        self, url: str, response: httpx.Response, accept: Collection[str] | None
    ) -> Fetched:
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if response.status_code == 304:
            return Fetched(url, 304, etag=etag, last_modified=last_modified)
        status = f"HTTP {response.status_code} {response.reason_phrase}"
        if response.status_code in (429, 503):
            raise ServerBusy(f"{url}: {status}", retry_after_seconds(response.headers))
        if response.status_code != 200:
            raise FetchFailed(f"{url}: {status}")
        content_type = response.headers.get("content-type", "")
        if accept is not None and content_type and mime_type(content_type) not in accept:
            raise WrongContentType(f"{url}: content type {mime_type(content_type)!r} is not wanted")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise TooLarge(f"{url}: declares {int(declared):,} bytes, over the cap")
        body = await read_capped(response, self.limits.max_bytes)
        return Fetched(url, 200, body, content_type, etag, last_modified)
