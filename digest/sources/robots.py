"""robots.txt (RFC 9309) with the standard library's parser: what may be fetched, and how often.

Rules come from ``urllib.robotparser``; this module adds what it leaves to the caller: what
an unreadable robots.txt means (RFC 9309 2.3.1: a 4xx allows everything, a 5xx or an
unreachable server allows nothing) and the spacing a ``Crawl-delay`` asks for, capped.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from digest.sources.urls import DEFAULT_PORTS

AGENT = "Parley"  # the product token of our User-Agent, as robots.txt groups name it
MAX_ROBOTS_BYTES = 512_000  # RFC 9309 asks crawlers to read at least 500 KiB
# A crawl delay past this is treated as this: the feed's budget cuts the round short anyway.
MAX_CRAWL_DELAY = 60.0


def origin(url: str) -> str:
    """``scheme://host:port``, the unit a robots.txt governs."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{parts.port or DEFAULT_PORTS.get(scheme, 80)}"


def robots_url(url: str) -> str:
    """Where the robots.txt governing ``url`` lives."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


@dataclass(frozen=True)
class RobotsRules:
    """One origin's robots.txt as read: a parser, or everything allowed / refused with a reason."""

    parser: RobotFileParser | None = None
    refused: str | None = None  # why nothing may be fetched (the server could not say)

    def allows(self, url: str) -> bool:
        """True when ``url`` may be fetched."""
        if self.refused is not None:
            return False
        return self.parser is None or self.parser.can_fetch(AGENT, url)

    @property
    def crawl_delay(self) -> float:
        """Seconds to leave between requests to the origin (0 when none is asked), capped."""
        if self.parser is None:
            return 0.0
        try:
            delay = float(self.parser.crawl_delay(AGENT) or 0)
        except (TypeError, ValueError):
            return 0.0
        return min(max(delay, 0.0), MAX_CRAWL_DELAY)


def rules_from_answer(status: int, body: bytes) -> RobotsRules:
    """What a robots.txt answer means: 200 parsed, 4xx allows all, anything else refuses all."""
    if status == 200:
        parser = RobotFileParser()
        parser.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines())
        return RobotsRules(parser)
    if 400 <= status < 500 and status != 429:
        return RobotsRules()
    return RobotsRules(refused=f"its robots.txt answered HTTP {status}")
