"""Scheduling with APScheduler 3: a cron job per guild in its own zone, plus ingest and alert jobs.

Jobs live in a persistent SQLAlchemy job store (SQLite), so a restart keeps them. A job is stored
by reference to a module-level function here plus plain arguments; the function finds the running
bot through ``attach`` and calls one method on it, nothing more. ``coalesce`` and a generous
``misfire_grace_time`` make a bot that was down at 08:00 post the missed digest once when it comes
back (APScheduler's default grace of one second would silently skip it).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, event

from bot.state.records import GuildSettings

log = logging.getLogger(__name__)

INGEST_JOB = "ingest"
ALERT_JOB = "alerts"
RECONCILE_JOB = "reconcile"


class JobRunner(Protocol):
    """What the jobs call: the running bot."""

    async def post_scheduled_digest(self, guild_id: int) -> None:
        """Build, record and post a guild's digest for the current period."""

    async def run_ingest(self) -> None:
        """Poll sources and ingest new articles."""

    async def run_alerts(self) -> None:
        """Tell subscribers about newly ingested articles."""

    async def reconcile_schedules(self) -> None:
        """Follow settings other processes wrote."""


_runner: JobRunner | None = None


def attach(runner: JobRunner | None) -> None:
    """Make ``runner`` the target of stored jobs (one scheduler process owns the job store)."""
    global _runner
    _runner = runner


def _current() -> JobRunner:
    if _runner is None:
        raise RuntimeError("a Parley job fired with no bot attached")
    return _runner


LOCKED_RETRIES = 5  # a digest waiting on a busy database is retried, never dropped


async def digest_job(guild_id: int) -> None:
    """Stored job: one guild's daily digest.

    Posting is idempotent per period (the outbox), so a run that met a locked database (a
    worker's bulk write outlasting the busy timeout) is simply run again a little later.
    """
    log.info("job: digest for guild %s", guild_id)
    for attempt in range(1, LOCKED_RETRIES + 1):
        try:
            await _current().post_scheduled_digest(guild_id)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == LOCKED_RETRIES:
                raise
            log.warning("digest for guild %s: database busy, retry %d", guild_id, attempt)
            await asyncio.sleep(attempt)


async def ingest_job() -> None:
    """Stored job: poll sources."""
    log.info("job: ingest")
    await _current().run_ingest()


async def alert_job() -> None:
    """Stored job: topic alerts."""
    log.debug("job: alerts")
    await _current().run_alerts()


async def reconcile_job() -> None:
    """Stored job: pick up digest settings written by other processes (shards)."""
    await _current().reconcile_schedules()


class LoopExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor, safe to hand jobs to from the job-store thread."""

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        # Tasks may only be created on the loop's own thread.
        self._eventloop.call_soon_threadsafe(super()._do_submit_job, job, run_times)


class OffLoopScheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose job-store work runs in a thread of its own.

    On each wakeup APScheduler reads the due jobs and writes every fired job's next run time:
    SQLite reads, writes and commits (plus unpickling the jobs). On the event loop that took
    70-200 ms a wakeup on a busy machine (bench/bot_load.py --trace-stalls), and with 200
    guilds' digests fired one second apart it stalled the loop every second of the minute.
    Here the loop only starts the jobs (``LoopExecutor``) and keeps the timer.
    """

    _busy = False
    _again = False
    _store_thread: ThreadPoolExecutor | None = None

    def wakeup(self) -> None:
        """Process due jobs in the job-store thread (callable from any thread)."""
        if self._eventloop is not None:
            self._eventloop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        self._stop_timer()
        if self._busy:  # a wakeup during processing: process again right after
            self._again = True
            return
        if self.state == STATE_STOPPED or self._eventloop is None:
            return
        if self._store_thread is None:
            self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="parley-jobs")
        self._busy, self._again = True, False
        done = self._store_thread.submit(self._process_jobs)
        done.add_done_callback(
            lambda finished: (
                self._eventloop is not None
                and self._eventloop.call_soon_threadsafe(self._processed, finished)
            )
        )

    def _processed(self, finished: Future) -> None:
        self._busy = False
        if self.state == STATE_STOPPED or self._eventloop is None:
            return
        try:
            wait_seconds = finished.result()
        except Exception:  # keep scheduling: look again shortly
            log.exception("processing scheduled jobs failed")
            wait_seconds = float(self.jobstore_retry_interval)
        if self._again:
            self._wake()
        else:
            self._start_timer(wait_seconds)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the scheduler, then its job-store thread (both on the loop, in that order)."""
        loop = self._eventloop
        super().shutdown(wait)
        if loop is not None:
            loop.call_soon_threadsafe(self._stop_store_thread)

    def _stop_store_thread(self) -> None:
        if self._store_thread is not None:
            self._store_thread.shutdown(wait=False)
            self._store_thread = None

    def _create_default_executor(self) -> LoopExecutor:
        return LoopExecutor()


def _jobstore(url: str) -> SQLAlchemyJobStore:
    engine = create_engine(url)
    if url.startswith("sqlite"):
        # The scheduler writes each job's next run time on the event loop; without an fsync per
        # write (WAL + NORMAL), 200 jobs due at once cost milliseconds instead of a second.
        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA busy_timeout = 5000")
            cursor.close()

    return SQLAlchemyJobStore(engine=engine)


def build_scheduler(jobstore_url: str, misfire_grace_seconds: int) -> AsyncIOScheduler:
    """A scheduler on a persistent job store, its store work off the loop; start it in the loop."""
    return OffLoopScheduler(
        jobstores={"default": _jobstore(jobstore_url)},
        job_defaults={
            "coalesce": True,
            "misfire_grace_time": misfire_grace_seconds,
            "max_instances": 1,
        },
        timezone=UTC,
    )


def digest_job_id(guild_id: int) -> str:
    """The stable id of a guild's digest job."""
    return f"digest:{guild_id}"


def spread_second(guild_id: int) -> int:
    """A fixed second of the minute for this guild's digest.

    Guilds that chose the same HH:MM then fire over that minute rather than in one scheduler
    wakeup: APScheduler handles all due jobs in one loop callback, and 200 at once stalled the
    event loop for about 200 ms. Never before HH:MM, so the digest's period is unchanged.
    """
    return guild_id % 60


def digest_trigger(settings: GuildSettings) -> CronTrigger:
    """Every day at the guild's HH:MM (plus its spread second) in the guild's own time zone."""
    hour, minute = (int(part) for part in settings.time.split(":"))
    return CronTrigger(
        hour=hour,
        minute=minute,
        second=spread_second(settings.guild_id),
        timezone=ZoneInfo(settings.timezone),
    )


def schedule_digest(scheduler: AsyncIOScheduler, settings: GuildSettings) -> Any:
    """Add or replace a guild's digest job; paused guilds keep their job, paused."""
    job = scheduler.add_job(
        digest_job,
        digest_trigger(settings),
        args=[settings.guild_id],
        id=digest_job_id(settings.guild_id),
        name=job_name(settings),
        replace_existing=True,
    )
    if settings.paused:
        job = scheduler.pause_job(job.id)
    return job


def job_name(settings: GuildSettings) -> str:
    """A digest job's name, which also records the settings it was made from."""
    state = " paused" if settings.paused else ""
    return f"digest for guild {settings.guild_id} at {settings.time} {settings.timezone}{state}"


def next_fire_time(settings: GuildSettings, now: datetime) -> datetime | None:
    """When a guild's digest is next due after ``now``, from its settings alone."""
    return digest_trigger(settings).get_next_fire_time(None, now)


def schedule_interval(scheduler: AsyncIOScheduler, job_id: str, func: Any, seconds: float) -> Any:
    """Add or replace a repeating job."""
    return scheduler.add_job(
        func,
        IntervalTrigger(seconds=seconds, timezone=UTC),
        id=job_id,
        name=job_id,
        replace_existing=True,
    )


def next_digest_at(scheduler: AsyncIOScheduler, guild_id: int) -> datetime | None:
    """When a guild's next digest is due (None when paused or not scheduled)."""
    job = scheduler.get_job(digest_job_id(guild_id))
    return job.next_run_time if job is not None else None


def scheduled_moment(settings: GuildSettings, now: datetime) -> datetime:
    """The latest scheduled digest time at or before ``now`` (aware, in the guild's zone)."""
    zone = ZoneInfo(settings.timezone)
    hour, minute = (int(part) for part in settings.time.split(":"))
    day = date.fromisoformat(digest_period(settings, now))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def digest_period(settings: GuildSettings, now: datetime) -> str:
    """The period a digest fired at ``now`` belongs to.

    That is the local date of the latest scheduled time at or before ``now``. A digest run late
    (after downtime) keeps its own period, so the outbox can tell a repeat from a new day.
    """
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in settings.time.split(":"))
    day: date = local.date()
    if (local.hour, local.minute) < (hour, minute):
        day -= timedelta(days=1)
    return day.isoformat()
