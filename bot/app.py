"""The Discord bot: built from a Config, owning the database, the scheduler and the outboxes.

``ParleyBot`` is where the clock is read (``self.now()``); everything it calls in ``digest/``
takes ``now`` as an argument. CPU work (building digests, matching alert topics) runs in worker
processes (``bot.work``), so the event loop keeps answering Discord.

It is an auto-sharded bot. ``[bot] shard_count`` and ``shard_ids`` split the shards across
processes; the one process with ``[bot] jobs = true`` syncs the commands and runs the
scheduler, ingestion and alerts (``bot.ingest_job``), posting digests and alerts over REST,
which needs no shard; the others only answer interactions and write settings, which the jobs
process picks up (``reconcile_job``). The bot keeps serving when parts fail: no route to
Discord at start is retried (``login``), a rejected command sync is retried in the background
while digests and alerts run, and a gateway event discord.py cannot read is logged and skipped.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import aiohttp
import discord
from discord.ext import commands

from bot import connection, ingest_job, sync, work
from bot import scheduler as jobs
from bot.database import BotDatabase
from bot.errors import ParleyTree
from bot.guard import GlobalPacer, InvalidRequestGuard
from bot.outbox import TRANSIENT, AlertOutbox, DigestOutbox, describe
from bot.render import digest_payloads, local_minute, safe_line
from bot.settings import BotConfig
from bot.state import digest_outbox as outbox_state
from bot.state import guilds as guild_state
from bot.state import notes as bot_notes
from bot.state.records import POSTED, GuildSettings
from bot.token import Token
from bot.topics import load_vocabulary
from bot.tuning import Tuning
from digest.alerts import Vocabulary
from digest.models import Digest
from digest.store import articles as article_store
from digest.timeutil import utc_now

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTENSIONS = ("bot.cogs.admin", "bot.cogs.digest", "bot.cogs.alerts", "bot.cogs.meetings")
CLOSED_DMS_REFRESH = 60.0  # seconds between reads of the closed-DM list (other processes)
UNREACHABLE = (
    aiohttp.ClientConnectionError,
    OSError,
    asyncio.TimeoutError,
    discord.DiscordServerError,
    discord.GatewayNotFound,  # what discord.py makes of any failed gateway lookup
)


class ParleyBot(commands.AutoShardedBot):
    """Parley on Discord: slash commands, scheduled digests and topic alerts."""

    def __init__(
        self,
        config: BotConfig,
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
        shards = config.bot
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=ParleyTree,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=self.tuning.guild_ready_timeout,
            shard_count=shards.shard_count or None,  # None: as many as Discord recommends
            shard_ids=list(shards.shard_ids) or None,
        )
        connection.guard_parsers(self._connection.parsers)
        self.runs_jobs = config.bot.jobs
        self.guard = InvalidRequestGuard(self.tuning.invalid_budget)
        self.pacer = GlobalPacer(self.tuning.global_rate)
        self.db = BotDatabase(config.database_path)
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary(config)
        self.digests = DigestOutbox(
            self,
            self.db,
            self.tuning.retry,
            self.now,
            tell_admins=self.tell_admins,
            spawn=self.spawn,
        )
        # Users whose DMs are closed, as far as this process knows (refreshed from the
        # database now and then: another process may have learnt of one).
        self._closed_dms: set[int] = set()
        self._scheduled: dict[int, str] = {}  # guild -> the job name (settings) scheduled here
        self._closed_read_at = -CLOSED_DMS_REFRESH
        self.alerts = AlertOutbox(
            self, self.db, self.tuning.retry, self.now, closed_dms=self._closed_dms
        )
        # The job store has a file of its own: the scheduler writes it on the event loop, and
        # must not queue behind the worker process writing alerts into the main database.
        jobs_file = config.database_path.with_name(config.database_path.stem + "-jobs.db")
        self.scheduler = jobs.build_scheduler(
            self.tuning.jobstore_url or f"sqlite:///{jobs_file}",
            self.tuning.misfire_grace_seconds,
        )
        self._digest_cache: dict[tuple, asyncio.Future[Digest]] = {}
        self._on_demand_builds = asyncio.Semaphore(1)  # /digest builds, one at a time
        self._cpu: ProcessPoolExecutor | None = None
        if self.tuning.cpu_workers:
            self._cpu = work.worker_pool(self.tuning.cpu_workers)
        self._alerts_lock = asyncio.Lock()
        self._renders: dict[tuple, list[dict]] = {}
        self._background: set[asyncio.Task] = set()
        self._startup_frozen = False

    def now(self) -> datetime:
        """The current time: the one place the bot reads the clock."""
        return self.clock()

    # ----- lifecycle ---------------------------------------------------------------------
    async def login(self, token: str) -> None:
        """Log in; while Discord cannot be reached, say so in one line and try again later.

        A wrong token (LoginFailure) is not retried. Later outages are discord.py's to ride
        out: it reconnects the gateway with backoff.
        """
        await self._until_reachable("Discord", lambda: super(ParleyBot, self).login(token))

    async def launch_shards(self) -> None:
        """Ask Discord for the gateway and connect the shards; retried while it is unreachable."""
        await self._until_reachable(
            "Discord's gateway", lambda: super(ParleyBot, self).launch_shards(), fresh_session=False
        )

    async def _until_reachable(
        self, what: str, attempt_once: Callable[[], Awaitable[None]], *, fresh_session: bool = True
    ) -> None:
        """Run ``attempt_once`` until it gets through, with a warning and a backoff per failure."""
        attempt = 0
        while True:
            try:
                await attempt_once()
                return
            except UNREACHABLE as error:
                attempt += 1
                wait = self.tuning.retry.delay(attempt)
                log.warning(
                    "cannot reach %s (%s); trying again in %.0f s",
                    what,
                    safe_line(f"{type(error).__name__}: {error}", 200),
                    wait,
                )
                if fresh_session:  # a failed login leaves a half-open HTTP session behind
                    await connection.drop_http_session(self.http)
                await asyncio.sleep(wait)

    async def setup_hook(self) -> None:
        """Load cogs, sync commands, start the scheduler, resume unfinished deliveries."""
        connection.guard_requests(self.http, self.guard, self.pacer)
        for extension in EXTENSIONS:
            if extension not in self.extensions:
                await self.load_extension(extension)
        await self._refresh_closed_dms()
        if not self.runs_jobs:
            log.info("jobs run in another process: this one answers interactions only")
            return
        try:
            await self.sync_commands()
        except (discord.HTTPException, *TRANSIENT) as error:
            # Digests and alerts need no slash commands: keep going, sync later.
            log.error("command sync failed (%s); retrying in the background", describe(error))
            self.spawn(sync.until_done(self.sync_commands, self.tuning.retry.delay))
        jobs.attach(self)
        self.scheduler.start()
        await self.schedule_all()
        self.spawn(self.digests.resume_pending())
        self.spawn(self.off_loop(work.warm_up))

    async def sync_commands(self) -> None:
        """Register slash commands in the configured scope, removing the other scope's."""
        await sync.sync_commands(
            self.tree, self.http, self.application_id, self.config.bot, self.db
        )

    async def schedule_all(self) -> None:
        """(Re)create every job from the database: digests per guild, ingest, alerts.

        The job store is SQLite: read and written in a thread, never on the event loop.
        """
        found = await self.db.run(guild_state.all_guild_settings)
        names = await asyncio.to_thread(self._ensure_jobs, found)
        self._scheduled.update(names)

    def _ensure_jobs(self, found: Sequence[GuildSettings]) -> dict[int, str]:
        names = {}
        for settings in found:
            # Keep a stored job as it is: replacing it would move a missed run to tomorrow.
            job = self.scheduler.get_job(jobs.digest_job_id(settings.guild_id))
            if job is None:
                job = jobs.schedule_digest(self.scheduler, settings)
            names[settings.guild_id] = job.name
        ingest = self.tuning.ingest_seconds or self.config.sources.poll_minutes * 60
        jobs.schedule_interval(self.scheduler, jobs.INGEST_JOB, jobs.ingest_job, ingest)
        jobs.schedule_interval(
            self.scheduler, jobs.ALERT_JOB, jobs.alert_job, self.tuning.alert_seconds
        )
        jobs.schedule_interval(
            self.scheduler, jobs.RECONCILE_JOB, jobs.reconcile_job, self.tuning.reconcile_seconds
        )
        return names

    async def reconcile_schedules(self) -> None:
        """Bring digest jobs in line with settings written by other processes (shards).

        Only guilds whose schedule changed touch the job store (in a thread): looking up every
        guild's job each minute, on the event loop as it then was, stalled it.
        """
        for settings in await self.db.run(guild_state.all_guild_settings):
            if self._scheduled.get(settings.guild_id) != jobs.job_name(settings):
                await self.schedule_guild(settings)

    async def schedule_guild(self, settings: GuildSettings) -> datetime | None:
        """(Re)schedule a guild's digest here, or leave it to the jobs process; its next time."""
        if self.runs_jobs:  # the job store is SQLite: written in a thread, not on the loop
            job = await asyncio.to_thread(jobs.schedule_digest, self.scheduler, settings)
            self._scheduled[settings.guild_id] = job.name
        return None if settings.paused else jobs.next_fire_time(settings, self.now())

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A user who had closed their DMs is back: DM them again from now on."""
        user_id = interaction.user.id
        if user_id in self._closed_dms:
            self._closed_dms.discard(user_id)
            self.spawn(self.db.run(bot_notes.forget_dm_closed, user_id))
        elif time.monotonic() - self._closed_read_at > CLOSED_DMS_REFRESH:
            self.spawn(self._refresh_closed_dms())

    async def _refresh_closed_dms(self) -> None:
        self._closed_read_at = time.monotonic()
        known = await self.db.run(bot_notes.closed_dm_users)
        self._closed_dms.clear()
        self._closed_dms.update(known)

    async def tell_admins(self, guild_id: int, problem: str) -> bool:
        """Tell someone who can fix ``problem``: the server's system channel, else its owner."""
        guild = self.get_guild(guild_id)
        if guild is None:
            return False
        text = (
            f"Parley could not post the daily digest in **{safe_line(guild.name, 100)}**. {problem}"
        )
        targets: list[discord.abc.Messageable] = []
        if guild.system_channel is not None:
            targets.append(guild.system_channel)
        if guild.owner_id is not None:
            try:
                targets.append(await self.create_dm(discord.Object(guild.owner_id)))
            except discord.HTTPException as error:
                log.warning("cannot open a DM with the owner of %s: %s", guild_id, error)
        for target in targets:
            try:
                await target.send(text[:2000], allowed_mentions=discord.AllowedMentions.none())
                return True
            except discord.HTTPException as error:
                log.warning("could not tell guild %s of a problem: %s", guild_id, error)
        return False

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
        if self.runs_jobs:
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
        self,
        since: datetime | None,
        now: datetime,
        topics: Sequence[str] = (),
        *,
        on_demand: bool = False,
    ) -> Digest:
        """The digest of what arrived since ``since``, built off the event loop.

        Guilds due at the same minute usually share ``since`` and the same articles; one build
        serves them all (keyed by the newest article id, so new articles mean a new build).
        ``on_demand`` builds (/digest) run one at a time: members asking faster than builds
        finish wait for each other, instead of queueing more CPU work than the machine has in
        front of the scheduled digests and alerts (seconds of CPU each with 1,000 articles).
        """
        key = (since, tuple(topics), await self.db.run(article_store.max_article_id))
        cached = self._digest_cache.get(key)
        if cached is None:
            cached = asyncio.ensure_future(self._build_digest(since, now, topics, on_demand))
            self._digest_cache[key] = cached
            while len(self._digest_cache) > 8:  # a few recent builds are plenty
                del self._digest_cache[next(iter(self._digest_cache))]
        digest = await asyncio.shield(cached)
        return replace(digest, generated_at=now)

    async def _build_digest(
        self, since: datetime | None, now: datetime, topics: Sequence[str], on_demand: bool
    ) -> Digest:
        settings = self.config.digest
        build = functools.partial(
            self.off_loop,
            work.digest_since,
            str(self.config.database_path),
            since,
            now,
            tuple(topics),
            self.vocabulary,
            settings.sentences_per_story,
            settings.stories_per_digest,
        )
        if not on_demand:
            return await build()
        async with self._on_demand_builds:
            return await build()

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
        settings = await self.db.run(guild_state.get_guild_settings, guild_id)
        if settings is None or settings.paused:
            log.info("digest for guild %s skipped: %s", guild_id, "paused" if settings else "unset")
            return
        now = self.now()
        period = jobs.digest_period(settings, now)
        entry = await self.db.run(outbox_state.get_outbox, guild_id, period)
        if entry is None:
            # Periods are bounded by scheduled moments, not by when jobs happened to run, so
            # guilds due at the same minute share one build (see build_digest).
            moment = jobs.scheduled_moment(settings, now)
            # last_digest_at moves only when a digest is posted: one that never got out leaves
            # its articles to this one (record_digest supersedes it).
            since = settings.last_digest_at or moment - timedelta(days=1)
            # A digest still being posted (some parts out) will cover its own period.
            started = await self.db.run(outbox_state.started_coverage, guild_id)
            if started is not None and started > since:
                since = started
            digest = await self.build_digest(since, now)
            payloads = self._rendered(digest, settings.timezone)
            entry, _ = await self.db.run(
                outbox_state.record_digest,
                guild_id=guild_id,
                channel_id=settings.channel_id,
                period=period,
                messages=payloads,
                since=since,
                now=now,
                covers_until=moment,
            )
        self.spawn(self.off_loop(work.checkpoint, str(self.config.database_path)))
        if entry.state == POSTED:
            log.info("digest %s for guild %s already posted", period, guild_id)
            return
        await self.digests.deliver(entry)

    # ----- ingestion and alerts (bot.ingest_job) -----------------------------------------
    async def run_ingest(self) -> None:
        """Ingest the configured folders, poll due sources, tell admins of paused ones, alert."""
        await ingest_job.run_ingest(self)

    async def announce_paused_sources(self) -> None:
        """Tell each active guild's digest channel, once, that a source was paused."""
        await ingest_job.announce_paused_sources(self)

    async def run_alerts(self) -> None:
        """Find subscribers for articles stored since the last run; record, then deliver."""
        async with self._alerts_lock:
            await ingest_job.run_alerts(self)


def run_bot(config: BotConfig, token: Token) -> None:
    """Run the bot until interrupted (blocking); logging is left as the caller configured it."""
    bot = ParleyBot(config)
    bot.run(token.value, log_handler=None)
