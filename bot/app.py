"""The Discord bot: built from a Config, owning the database, the scheduler and the outboxes.

``ParleyBot`` is where the clock is read (``self.now()``); everything it calls in ``digest/``
takes ``now`` as an argument. CPU work (building digests, matching alert topics) runs in worker
processes (``bot.work``), so the event loop keeps answering Discord.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import discord
from discord.ext import commands

from bot import scheduler as jobs
from bot import work
from bot.database import BotDatabase, with_own_connection
from bot.errors import ParleyTree
from bot.outbox import AlertOutbox, DigestOutbox, RetryPolicy, Told
from bot.render import alert_payload, clip, digest_payloads
from bot.token import Token
from bot.topics import load_vocabulary
from digest import store
from digest.alerts import Vocabulary
from digest.config import Config
from digest.meetings.topics import extend_vocabulary
from digest.models import Digest
from digest.pipeline import ingest_files
from digest.sources import registry as sources
from digest.sources.poll import poll_due_sources
from digest.store import bot_state
from digest.store.bot_state import Headline, PendingAlerts
from digest.timeutil import utc_now

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSIONS = ("bot.cogs.admin", "bot.cogs.digest", "bot.cogs.alerts", "bot.cogs.meetings")
ALERTS_CURSOR = "alerts.last_article_id"


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


class ParleyBot(commands.Bot):
    """Parley on Discord: slash commands, scheduled digests and topic alerts."""

    def __init__(
        self,
        config: Config,
        *,
        tuning: Tuning | None = None,
        clock: Callable[[], datetime] = utc_now,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.config = config
        self.tuning = tuning or Tuning()
        self.clock = clock
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=ParleyTree,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=self.tuning.guild_ready_timeout,
        )
        self.db = BotDatabase(config.database_path)
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary(config)
        self.digests = DigestOutbox(self, self.db, self.tuning.retry, self.now)
        self.alerts = AlertOutbox(self, self.db, self.tuning.retry, self.now)
        # The job store has a file of its own: the scheduler writes it on the event loop, and
        # must not queue behind the worker process writing alerts into the main database.
        jobs_file = config.database_path.with_name(config.database_path.stem + "-jobs.db")
        self.scheduler = jobs.build_scheduler(
            self.tuning.jobstore_url or f"sqlite:///{jobs_file}",
            self.tuning.misfire_grace_seconds,
        )
        self._digest_cache: dict[tuple, asyncio.Future[Digest]] = {}
        self._cpu: ProcessPoolExecutor | None = None
        if self.tuning.cpu_workers:
            self._cpu = ProcessPoolExecutor(
                self.tuning.cpu_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=work.lower_priority,
            )
        self._alerts_lock = asyncio.Lock()
        self._renders: dict[tuple, list[dict]] = {}
        self._background: set[asyncio.Task] = set()
        self._startup_frozen = False

    def now(self) -> datetime:
        """The current time: the one place the bot reads the clock."""
        return self.clock()

    # ----- lifecycle ---------------------------------------------------------------------
    async def setup_hook(self) -> None:
        """Load cogs, sync commands, start the scheduler, resume unfinished deliveries."""
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()
        jobs.attach(self)
        self.scheduler.start()
        await self.schedule_all()
        self.spawn(self.digests.resume_pending())
        self.spawn(self.off_loop(work.warm_up))

    async def sync_commands(self) -> None:
        """Register slash commands: per dev guild (instant) or globally (production)."""
        if self.config.bot.sync == "guild":
            for guild_id in self.config.bot.dev_guild_ids:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def schedule_all(self) -> None:
        """(Re)create every job from the database: digests per guild, ingest, alerts."""
        for settings in await self.db.run(bot_state.all_guild_settings):
            # Keep a stored job as it is: replacing it would move a missed run to tomorrow.
            if self.scheduler.get_job(jobs.digest_job_id(settings.guild_id)) is None:
                jobs.schedule_digest(self.scheduler, settings)
        ingest = self.tuning.ingest_seconds or self.config.sources.poll_minutes * 60
        jobs.schedule_interval(self.scheduler, jobs.INGEST_JOB, jobs.ingest_job, ingest)
        jobs.schedule_interval(
            self.scheduler, jobs.ALERT_JOB, jobs.alert_job, self.tuning.alert_seconds
        )

    async def on_ready(self) -> None:
        """Log who we are and which guilds we serve; set aside what startup built."""
        names = ", ".join(f"{g.name} ({g.id})" for g in self.guilds) or "none"
        log.info("connected as %s; serving %d guild(s): %s", self.user, len(self.guilds), names)
        if not self._startup_frozen:
            # Startup leaves ~200,000 long-lived objects (modules, the guild cache). A full
            # garbage collection walks every one, on the loop: ~100 ms (bench/bot_load.py).
            # Frozen, they are never walked again; collections see only what came later.
            gc.freeze()
            self._startup_frozen = True

    async def on_resumed(self) -> None:
        """Log gateway resumes."""
        log.info("gateway session resumed")

    async def close(self) -> None:
        """Stop jobs, then Discord, then the database."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        jobs.attach(None)
        for task in list(self._background):
            task.cancel()
        await super().close()
        if self._cpu is not None:
            self._cpu.shutdown(wait=False, cancel_futures=True)
        await asyncio.to_thread(self.db.close)

    async def off_loop(self, func: Callable[..., T], *args: object) -> T:
        """Run ``func(*args)`` in the worker process (or a thread when there is none)."""
        if self._cpu is None:
            return await asyncio.to_thread(func, *args)
        return await asyncio.get_running_loop().run_in_executor(self._cpu, func, *args)

    def spawn(self, coro: object) -> asyncio.Task:
        """Run ``coro`` in the background, logging (not losing) its failure."""
        task = asyncio.ensure_future(coro)  # type: ignore[arg-type]
        self._background.add(task)

        def done(finished: asyncio.Task) -> None:
            self._background.discard(finished)
            if not finished.cancelled() and finished.exception():
                log.error("background task failed", exc_info=finished.exception())

        task.add_done_callback(done)
        return task

    # ----- digests -----------------------------------------------------------------------
    async def build_digest(
        self, since: datetime | None, now: datetime, topics: Sequence[str] = ()
    ) -> Digest:
        """The digest of what arrived since ``since``, built off the event loop.

        Guilds due at the same minute usually share ``since`` and the same articles; one build
        serves them all (keyed by the newest article id, so new articles mean a new build).
        """
        key = (since, tuple(topics), await self.db.run(bot_state.max_article_id))
        cached = self._digest_cache.get(key)
        if cached is None:
            settings = self.config.digest
            cached = asyncio.ensure_future(
                self.off_loop(
                    work.digest_since,
                    str(self.config.database_path),
                    since,
                    now,
                    tuple(topics),
                    self.vocabulary,
                    settings.sentences_per_story,
                    settings.stories_per_digest,
                )
            )
            self._digest_cache[key] = cached
            while len(self._digest_cache) > 8:  # a few recent builds are plenty
                del self._digest_cache[next(iter(self._digest_cache))]
        digest = await asyncio.shield(cached)
        return replace(digest, generated_at=now)

    def _rendered(self, digest: Digest, zone: str) -> list[dict]:
        """The digest's message payloads; guilds in one zone at one minute share a rendering."""
        key = (digest.since, digest.stories, digest.article_count, zone, local_minute(digest))
        if key not in self._renders:
            self._renders = {key: digest_payloads(digest, ZoneInfo(zone))} | dict(
                list(self._renders.items())[:15]
            )
        return self._renders[key]

    async def post_scheduled_digest(self, guild_id: int) -> None:
        """Record this period's digest for a guild (once), then post it through the outbox."""
        settings = await self.db.run(bot_state.get_guild_settings, guild_id)
        if settings is None or settings.paused:
            log.info("digest for guild %s skipped: %s", guild_id, "paused" if settings else "unset")
            return
        now = self.now()
        period = jobs.digest_period(settings, now)
        entry = await self.db.run(bot_state.get_outbox, guild_id, period)
        if entry is None:
            # Periods are bounded by scheduled moments, not by when jobs happened to run, so
            # guilds due at the same minute share one build (see build_digest).
            moment = jobs.scheduled_moment(settings, now)
            since = settings.last_digest_at or moment - timedelta(days=1)
            digest = await self.build_digest(since, now)
            payloads = self._rendered(digest, settings.timezone)
            entry, _ = await self.db.run(
                bot_state.record_digest,
                guild_id=guild_id,
                channel_id=settings.channel_id,
                period=period,
                messages=payloads,
                since=since,
                now=now,
                covers_until=moment,
            )
        self.spawn(self.off_loop(work.checkpoint, str(self.config.database_path)))
        if entry.state == bot_state.POSTED:
            log.info("digest %s for guild %s already posted", period, guild_id)
            return
        await self.digests.deliver(entry)

    # ----- ingestion and alerts ----------------------------------------------------------
    async def run_ingest(self) -> None:
        """Ingest the configured folders, poll due sources, tell admins of paused ones, alert."""
        now = self.now()
        folders = self.config.sources.folders
        if folders:
            new = await asyncio.to_thread(_ingest_folders, self.config, folders, now)
            log.info("ingested folders: %d new article(s)", len(new))
        await self.db.run(sources.sync_config_sources, self.config.sources, now)
        await with_own_connection(
            self.config.database_path, poll_due_sources, self.config.sources, now
        )
        await self.announce_paused_sources()
        await self.run_alerts()

    async def announce_paused_sources(self) -> None:
        """Tell each active guild's digest channel, once, that a source was paused."""
        paused = await self.db.run(sources.paused_sources_to_announce)
        if not paused:
            return
        guilds = await self.db.run(bot_state.all_guild_settings)
        channels = [g.channel_id for g in guilds if not g.paused]
        for source in paused:
            text = (
                f"Parley stopped reading <{source.url}> after repeated errors "
                f"({clip(source.last_error or 'unknown error', 300)}). "
                "An admin can check it with /parley source list and re-add it with "
                "/parley source add to try again."
            )
            for channel_id in channels:
                try:
                    await self.get_partial_messageable(channel_id).send(
                        text, allowed_mentions=discord.AllowedMentions.none()
                    )
                except discord.HTTPException as error:
                    log.warning("could not announce paused source in %s: %s", channel_id, error)
            await self.db.run(sources.mark_pause_announced, source.url)
            log.info("announced paused source %s in %d channel(s)", source.url, len(channels))

    async def run_alerts(self) -> None:
        """Find subscribers for articles stored since the last run; record, then deliver."""
        async with self._alerts_lock:
            examined, added = await self.off_loop(
                work.record_new_alerts,
                str(self.config.database_path),
                ALERTS_CURSOR,
                self.vocabulary,
                self.now(),
            )
            if examined:
                log.info("alerts: %d new article(s), %d deliveries recorded", examined, added)
            await self._deliver_pending_alerts()

    async def _deliver_pending_alerts(self) -> None:
        slots = asyncio.Semaphore(self.tuning.alert_concurrency)

        async def send(group: PendingAlerts, heads: dict[int, Headline]) -> Told | None:
            async with slots:
                return await self.alerts.deliver(group, heads, alert_payload)

        delivered = total = 0
        path = str(self.config.database_path)
        while groups := await self.db.run(bot_state.pending_alert_groups, self.tuning.alert_page):
            ids = {d.article_id for g in groups for d in g.first}
            heads = await self.db.run(bot_state.headlines, ids)
            results = await asyncio.gather(*(send(g, heads) for g in groups))
            told = [(t.group, t.via, t.message_id) for t in results if t is not None]
            # Marked per page, in the worker: a crash in between re-sends at most one page,
            # with the same nonces, which Discord answers with the messages already posted.
            await self.off_loop(work.mark_alerts_told, path, told, self.now())
            delivered, total = delivered + len(told), total + len(results)
            self.spawn(self.off_loop(work.checkpoint, path))
            if len(told) < len(results):
                break  # what failed stays recorded for the next run
        if total:
            log.info("alerts: %d of %d message(s) delivered", delivered, total)


def local_minute(digest: Digest) -> str:
    """The generation time to the minute: what a rendered digest header shows."""
    return digest.generated_at.strftime("%Y-%m-%d %H:%M %z")


def _ingest_folders(config: Config, folders: Sequence[str], now: datetime) -> list[int]:
    # A worker thread needs its own connection: sqlite3 connections stay in their thread.
    db = store.open_db(config.database_path)
    try:
        vocabulary = extend_vocabulary(config.topics.extra)
        return ingest_files(db, folders, now, vocabulary=vocabulary).new_article_ids
    finally:
        db.close()


def run_bot(config: Config, token: Token) -> None:
    """Run the bot until interrupted (blocking); logging is left as the caller configured it."""
    bot = ParleyBot(config)
    bot.run(token.value, log_handler=None)
