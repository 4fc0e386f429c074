"""The one HTTP client for feeds and pages: bounded in time, size and redirects, and polite.

Every fetch has connect/read timeouts and a whole-fetch deadline (a slow-drip server cannot
hold it open), a cap on the *decoded* body (a gzip bomb stops at the cap, not in memory),
a content-type check, redirects followed by hand up to a limit, a per-host concurrency
limit, conditional GET, robots.txt with its crawl delay, and an honest User-Agent.
Addresses are checked at connect time by ``GuardedBackend``, so every redirect hop is
checked too. Every failure is a SourceError whose message is one line naming the URL.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin

import httpcore
import httpx

from digest.config import SourceSettings
from digest.sources.budget import loop_time
from digest.sources.errors import (
    BlockedAddress,
    FetchFailed,
    FetchTimedOut,
    InvalidSourceURL,
    RobotsDisallowed,
    ServerBusy,
    SourceError,
    TooLarge,
    TooManyRedirects,
    WrongContentType,
)
from digest.sources.robots import RobotsRules, origin, robots_url, rules_from_answer
from digest.sources.safety import AddressPolicy, GuardedBackend
from digest.sources.urls import check_url, host_key

USER_AGENT = "Parley/0.1 (news digest bot; +https://github.com/parley-news/parley)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
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
        allowed_hosts=frozenset(h.strip().lower() for h in settings.allowed_hosts),
    )


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def network_failure(url: str, error: BaseException) -> SourceError:
    """A network failure (DNS, connect, TLS, reset, timeout) as one line naming ``url``."""
    causes, cause = [], error
    while cause is not None and len(causes) < 8:  # httpx wraps httpcore wraps the OS error
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    detail = _one_line(error) or type(error).__name__
    if any(isinstance(c, socket.gaierror) for c in causes) or "resolve" in detail:
        host = httpx.URL(url).host
        return FetchFailed(f"{url}: cannot resolve {host} ({detail.split(': ', 1)[-1]})")
    if any(isinstance(c, ssl.SSLError | ssl.CertificateError) for c in causes):
        return FetchFailed(f"{url}: TLS failed ({detail})")
    if isinstance(error, httpx.ConnectTimeout):
        return FetchTimedOut(f"{url}: timed out connecting")
    if isinstance(error, httpx.TimeoutException):
        return FetchTimedOut(f"{url}: timed out ({type(error).__name__})")
    if isinstance(error, httpx.ConnectError):
        return FetchFailed(f"{url}: cannot connect ({detail})")
    if isinstance(error, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        return FetchFailed(f"{url}: the connection broke ({detail})")
    return FetchFailed(f"{url}: {detail}")


@dataclass(frozen=True)
class Fetched:
    """A finished fetch: the final URL, and either a body (200) or nothing new (304)."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # where 301/308 redirects from the start led, if any

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
    # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate: decided on the
    # first bytes (a zlib header is CM=8 and a multiple of 31), see _deflate_decoder.
    identity = encoding in ("identity", "")
    decoder = None if identity or encoding == "deflate" else zlib.decompressobj(32 + zlib.MAX_WBITS)
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            if not chunk:
                continue
            if decoder is None and not identity:
                decoder = _deflate_decoder(chunk)
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


def _deflate_decoder(first: bytes) -> zlib._Decompress:
    zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)


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
    """One async HTTP client with Parley's limits; use ``async with Fetcher(...)``.

    It obeys robots.txt (read once per origin for the fetcher's life, one polling round)
    and leaves the ``Crawl-delay`` it asks between requests to one origin.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        limits: FetchLimits,
        ssl_context: ssl.SSLContext | None = None,
        *,
        robots: bool = True,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = loop_time,
    ) -> None:
        """Limits and address policy, and what tests replace.

        ``ssl_context`` replaces the system's trusted certificates; ``sleep`` waits out crawl
        delays and ``clock`` tells the time (tests record the waits on a clock of their own);
        ``robots=False`` skips robots.txt.
        """
        self.policy = policy
        self.limits = limits
        self.robots = robots
        self._sleep = sleep
        self._clock = clock
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._rules: dict[str, RobotsRules | SourceError] = {}
        self._rules_locks: dict[str, asyncio.Lock] = {}
        self._next_request: dict[str, float] = {}
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
        """GET ``url`` within the limits; SourceError (one line naming the URL) on any failure.

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
            await self._wait_crawl_delay(url)
            return await self._bounded(url, lambda: self._follow(url, accept, headers))

    async def _bounded(self, url: str, work: Callable[[], Awaitable[Fetched]]) -> Fetched:
        """``work`` under the whole-fetch deadline, every failure a SourceError naming ``url``."""
        try:
            async with asyncio.timeout(self.limits.deadline):
                return await work()
        except SourceError:
            raise
        except TimeoutError:
            raise FetchTimedOut(
                f"{url}: no complete answer within {self.limits.deadline:g} s"
            ) from None
        except (httpx.InvalidURL, ValueError) as error:  # IDNA errors are ValueErrors
            raise InvalidSourceURL(f"{url}: not a valid address ({_one_line(error)})") from None
        except (httpx.HTTPError, httpcore.NetworkError, OSError) as error:
            raise network_failure(url, error) from None

    async def _rules_for(self, url: str) -> RobotsRules:
        """The robots.txt rules of ``url``'s origin, read once (a failure is remembered too)."""
        key = origin(url)
        lock = self._rules_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._rules:
                where = robots_url(url)
                try:
                    answer = await self._bounded(
                        where, lambda: self._follow(where, None, {}, robots=False)
                    )
                    self._rules[key] = rules_from_answer(answer.status, answer.body)
                except FetchFailed as error:
                    # An HTTP answer says what is allowed (4xx all, 5xx nothing); no answer is
                    # remembered as the failure it was, to be reported for every URL it covers.
                    answer_status = error.status
                    self._rules[key] = (
                        error if answer_status is None else rules_from_answer(answer_status, b"")
                    )
                except TooLarge:
                    self._rules[key] = RobotsRules()  # over 5 MB is not a robots.txt
                except SourceError as error:
                    self._rules[key] = error
        found = self._rules[key]
        if isinstance(found, SourceError):
            raise type(found)(f"{url}: {str(found).split(': ', 1)[-1]}")
        return found

    async def _check_robots(self, url: str) -> None:
        if not self.robots:
            return
        rules = await self._rules_for(url)
        if rules.refused:
            raise RobotsDisallowed(f"{url}: not fetched, {rules.refused}")
        if not rules.allows(url):
            raise RobotsDisallowed(f"{url}: {robots_url(url)} does not allow Parley to fetch it")

    async def _wait_crawl_delay(self, url: str) -> None:
        """Leave the origin's Crawl-delay between the starts of two requests to it."""
        if not self.robots:
            return
        try:
            delay = (await self._rules_for(url)).crawl_delay
        except SourceError:
            return  # reported by the fetch itself
        if delay <= 0:
            return
        key, now = origin(url), self._clock()
        start = max(now, self._next_request.get(key, now))
        self._next_request[key] = start + delay  # claimed before waiting: requests queue up
        if start > now:
            await self._sleep(start - now)

    async def _follow(
        self,
        url: str,
        accept: Collection[str] | None,
        headers: dict[str, str],
        robots: bool = True,
    ) -> Fetched:
        """GET with redirects followed by hand, each hop checked (robots.txt unless fetching it)."""
        current, moved_to, permanent = url, None, True
        for _hop in range(self.limits.max_redirects + 1):
            check_url(current)
            try:
                if robots:
                    await self._check_robots(current)
                response = await self._client.send(
                    self._client.build_request("GET", current, headers=headers), stream=True
                )
            except BlockedAddress as error:
                via = "" if current == url else f" (redirected to {current})"
                detail = str(error).removeprefix(f"{current}: ")
                raise BlockedAddress(f"{url}{via}: {detail}") from None
            try:
                if response.status_code in REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchFailed(f"{current}: redirect without a Location header")
                    current = urljoin(current, location)
                    # Only an unbroken chain of permanent redirects moves the resource.
                    permanent = permanent and response.status_code in PERMANENT_REDIRECTS
                    moved_to = current if permanent else moved_to
                    continue
                fetched = await self._finish(current, response, accept)
                return replace(fetched, moved_to=moved_to)
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
        code = response.status_code
        status = f"HTTP {code} {response.reason_phrase}"
        if code in (429, 503):
            raise ServerBusy(f"{url}: {status}", retry_after_seconds(response.headers), code)
        if code != 200:
            raise FetchFailed(f"{url}: {status}", code)
        content_type = response.headers.get("content-type", "")
        if accept is not None and content_type and mime_type(content_type) not in accept:
            raise WrongContentType(f"{url}: content type {mime_type(content_type)!r} is not wanted")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise TooLarge(f"{url}: declares {int(declared):,} bytes, over the cap")
        body = await read_capped(response, self.limits.max_bytes)
        return Fetched(url, 200, body, content_type, etag, last_modified)
