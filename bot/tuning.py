"""Timings and sizes of the running bot, in one frozen record passed to ``ParleyBot``."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.outbox import RetryPolicy


@dataclass(frozen=True)
class Tuning:
    """Timings of the running bot; the defaults suit production, tests shrink them."""

    guild_ready_timeout: float = 2.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    alert_seconds: float = 60.0
    ingest_seconds: float | None = None  # None: the config's sources.poll_minutes
    misfire_grace_seconds: int = 12 * 3600
    alert_concurrency: int = 20
    alert_page: int = 50  # subscribers whose pending alerts are read at a time
    cpu_workers: int = 2  # worker processes (digests and alerts side by side); 0: threads
    jobstore_url: str | None = None  # None: a "-jobs.db" file beside the Parley database
    global_rate: float = 25.0  # own requests a second (Discord: 50; arrivals bunch, bench)
    invalid_budget: int = 1000  # invalid answers in 10 min that hold deliveries (Discord: 10,000)
    reconcile_seconds: float = 60.0  # how often the jobs process reads settings others wrote
