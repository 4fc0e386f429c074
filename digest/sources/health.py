"""Source health as pure functions: what a success or a failure at ``now`` does to a source."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from digest.config import SourceSettings
from digest.store.sources import FEED, Source


def backoff_delay(failures: int, settings: SourceSettings, jitter: float) -> timedelta:
    """How long to wait after ``failures`` consecutive failures.

    The poll interval doubles per failure up to the cap, then ``jitter`` in [0, 1) scales it
    to between 50% and 100%, so sources that failed together (one outage) do not all retry
    in the same second.
    """
    exponent = min(max(failures - 1, 0), 30)  # 2**30 minutes is past any sane cap already
    minutes = min(settings.poll_minutes * 2**exponent, settings.max_backoff_minutes)
    return timedelta(minutes=minutes * (0.5 + jitter / 2))


def after_success(
    source: Source,
    now: datetime,
    settings: SourceSettings,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    title: str | None = None,
) -> Source:
    """A feed is next polled an interval from now; a page, once read, is done."""
    next_poll = now + timedelta(minutes=settings.poll_minutes) if source.kind == FEED else None
    return replace(
        source,
        primed=True,
        last_success=now,
        consecutive_failures=0,
        next_poll=next_poll,
        etag=etag or source.etag,
        last_modified=last_modified or source.last_modified,
        title=title or source.title,
    )


def after_failure(
    source: Source,
    now: datetime,
    settings: SourceSettings,
    error: str,
    jitter: float,
    retry_after: float | None = None,
    counts: bool = True,
) -> Source:
    """Back off, at least as long as a server's Retry-After asks; pause after failing often.

    ``pause_after_failures`` failures in a row pause the source (the admins are to be told).
    ``counts=False`` (a 429: the server is up and asks for fewer requests) waits as asked, at
    least an interval, without moving the source closer to a pause.
    """
    failures = source.consecutive_failures + (1 if counts else 0)
    paused = counts and failures >= settings.pause_after_failures
    wait = (
        backoff_delay(failures, settings, jitter)
        if counts
        else timedelta(minutes=settings.poll_minutes)
    )
    delay = max(wait, timedelta(seconds=retry_after or 0))
    return replace(
        source,
        last_error=error,
        last_error_at=now,
        consecutive_failures=failures,
        paused=paused,
        pause_announced=source.pause_announced if paused else False,
        next_poll=None if paused else now + delay,
    )


def resumed(source: Source, now: datetime) -> Source:
    """A paused source back in the round, due now, with a clean failure count."""
    return replace(
        source, paused=False, pause_announced=False, consecutive_failures=0, next_poll=now
    )
