"""Time and limits in the local Discord: its clock, rate-limit buckets, the invalid-request count.

Two clocks, on purpose. Deadlines Discord applies to what the bot did (an interaction's 3 s and
15 min, the nonce window, the 10-minute invalid-request window) read ``Emulator.clock``, which a
test replaces with a ``ManualClock`` and moves instead of waiting. Rate-limit buckets read the
real monotonic clock, because discord.py waits out ``Retry-After`` in real time.

Discord's rules (discord-api-docs, topics/rate-limits.mdx): per-route buckets keyed by route and
top-level resource (channel, guild, webhook), announced in ``X-RateLimit-*`` headers; a global
limit of 50 requests a second that interaction endpoints are exempt from; a 429 carries
``Retry-After`` (whole seconds) that agrees with the body's ``retry_after``; 401, 403 and 429
(except ``X-RateLimit-Scope: shared``) are invalid requests, and 10,000 in 10 minutes bans the
client for a while (Cloudflare answers 429 with a non-JSON body).
"""

from __future__ import annotations

import math
import re
import time
from collections import deque
from dataclasses import dataclass, field

INVALID_WINDOW = 600.0
INVALID_LIMIT = 10_000
BAN_SECONDS = 3600.0


class ManualClock:
    """A monotonic clock that moves only when told: ``advance(seconds)``."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward (never back)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.now += seconds


@dataclass(frozen=True)
class BucketRule:
    """``limit`` requests per ``per`` seconds."""

    limit: int
    per: float


# Discord's observed buckets for the routes the bot uses most (headers of real answers):
# 5 messages per 5 s per channel; 5 edits of an interaction's webhook per 2 s.
ROUTE_RULES: dict[tuple[str, str], BucketRule] = {
    ("POST", "/channels/{id}/messages"): BucketRule(5, 5.0),
    ("PATCH", "/webhooks/{id}/{token}/messages/{id}"): BucketRule(5, 2.0),
    ("POST", "/webhooks/{id}/{token}"): BucketRule(5, 2.0),
}
DEFAULT_RULE = BucketRule(50, 1.0)
SNOWFLAKE = re.compile(r"/\d{6,}")
TOKEN = re.compile(r"(/(?:webhooks|interactions)/\{id\})/[^/]+")


def route_of(method: str, path: str) -> tuple[str, str]:
    """The route template of a request: ids and tokens replaced."""
    template = TOKEN.sub(r"\1/{token}", SNOWFLAKE.sub("/{id}", path))
    return method, template


@dataclass
class _Bucket:
    rule: BucketRule
    used: int = 0
    reset_at: float = 0.0


@dataclass
class RateLimits:
    """Per-route buckets and the global limit, on the real monotonic clock."""

    global_per_second: int = 50
    global_window: float = 1.0  # seconds the global count covers (tests widen it)
    rules: dict[tuple[str, str], BucketRule] = field(default_factory=lambda: dict(ROUTE_RULES))
    _buckets: dict[tuple[str, str, str], _Bucket] = field(default_factory=dict)
    _global: deque[float] = field(default_factory=deque)

    def take(self, method: str, path: str) -> tuple[dict[str, str], dict | None]:
        """Spend one request: (headers for the answer, the 429 body if refused, else None)."""
        now = time.monotonic()
        route = route_of(method, path)
        exempt = route[1].startswith(("/interactions/", "/webhooks/"))
        if not exempt:
            while self._global and self._global[0] <= now - self.global_window:
                self._global.popleft()
            if len(self._global) >= self.global_per_second:
                wait = self._global[0] + self.global_window - now
                return _global_headers(wait), _body(wait, is_global=True)
        rule = self.rules.get(route, DEFAULT_RULE)
        parts = path.split("/")
        top = "/".join(parts[2:4] if parts[1] == "webhooks" else parts[2:3])
        key = (*route, top)
        bucket = self._buckets.setdefault(key, _Bucket(rule))
        if now >= bucket.reset_at:
            bucket.used, bucket.reset_at = 0, now + rule.per
        wait = bucket.reset_at - now
        name = f"{route[0]}:{route[1]}".encode().hex()[:32]
        if bucket.used >= rule.limit:
            headers = _route_headers(rule, 0, wait, name)
            headers.update({"Retry-After": str(math.ceil(wait)), "X-RateLimit-Scope": "user"})
            return headers, _body(wait, is_global=False)
        bucket.used += 1
        if not exempt:
            self._global.append(now)
        return _route_headers(rule, rule.limit - bucket.used, wait, name), None


def _route_headers(rule: BucketRule, remaining: int, wait: float, name: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(rule.limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + wait:.3f}",
        "X-RateLimit-Reset-After": f"{wait:.3f}",
        "X-RateLimit-Bucket": name,
    }


def _global_headers(wait: float) -> dict[str, str]:
    return {
        "Retry-After": str(math.ceil(wait)),
        "X-RateLimit-Global": "true",
        "X-RateLimit-Scope": "global",
    }


def _body(wait: float, *, is_global: bool) -> dict:
    return {
        "message": "You are being rate limited.",
        "retry_after": round(wait, 3),
        "global": is_global,
    }


@dataclass
class InvalidRequests:
    """401, 403 and counted 429 answers, by deadline-clock time; a ban past Discord's limit."""

    times: deque[float] = field(default_factory=deque)
    total: int = 0
    banned_until: float = -math.inf
    by_status: dict[int, int] = field(default_factory=dict)

    def record(self, status: int, now: float, *, shared: bool = False) -> None:
        """Count an answer if Discord counts it."""
        if status not in (401, 403, 429) or (status == 429 and shared):
            return
        self.total += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.times.append(now)
        if self.in_window(now) >= INVALID_LIMIT:
            self.banned_until = now + BAN_SECONDS

    def in_window(self, now: float) -> int:
        """Invalid requests in the last 10 minutes."""
        while self.times and self.times[0] <= now - INVALID_WINDOW:
            self.times.popleft()
        return len(self.times)

    def banned(self, now: float) -> bool:
        """True while the client is shut out."""
        return now < self.banned_until
