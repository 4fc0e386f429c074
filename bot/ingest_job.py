"""The ingest job and the alerts it leads to: new articles in, paused sources announced, alerts out.

Plain functions taking the running bot, which keeps the thin methods the scheduler's stored jobs
call (``run_ingest``, ``run_alerts``) and the lock that keeps two alert runs from overlapping.
CPU work (matching topics, marking deliveries) runs off the loop through ``bot.off_loop``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot import work
from bot.database import with_own_connection
from bot.outbox import TRANSIENT, Told
from bot.render import alert_payload, paused_source_notice
from bot.state import alerts as alert_state
from bot.state import guilds as guild_state
from bot.state.records import PendingAlerts
from digest.sources import registry as sources
from digest.sources.poll import poll_due_sources
from digest.store import articles as article_store
from digest.store.articles import Headline

if TYPE_CHECKING:
    from bot.app import ParleyBot

log = logging.getLogger(__name__)

ALERTS_CURSOR = "alerts.last_article_id"


async def run_ingest(bot: ParleyBot) -> None:
    """Ingest the configured folders, poll due sources, tell admins of paused ones, alert."""
    now = bot.now()
    folders = bot.config.sources.folders
    if folders:
        new = await asyncio.to_thread(work.ingest_folders, bot.config, folders, now)
        log.info("ingested folders: %d new article(s)", len(new))
    await bot.db.run(sources.sync_config_sources, bot.config.sources, now)
    await with_own_connection(bot.config.database_path, poll_due_sources, bot.config.sources, now)
    await bot.announce_paused_sources()
    await bot.run_alerts()


async def announce_paused_sources(bot: ParleyBot) -> None:
    """Tell each active guild's digest channel, once, that a source was paused."""
    paused = await bot.db.run(sources.paused_sources_to_announce)
    if not paused:
        return
    guilds = await bot.db.run(guild_state.all_guild_settings)
    channels = [g.channel_id for g in guilds if not g.paused]
    for source in paused:
        text = paused_source_notice(source.url, source.last_error)
        complete = True
        for channel_id in channels:
            try:
                await bot.get_partial_messageable(channel_id).send(
                    text, allowed_mentions=discord.AllowedMentions.none()
                )
            except (discord.Forbidden, discord.NotFound) as error:
                # Not ours to post there (status shows digest problems): not retried.
                log.warning("cannot announce paused source in %s: %s", channel_id, error)
            except (discord.HTTPException, *TRANSIENT) as error:
                complete = False  # refused or lost: announced again on the next run
                log.warning("could not announce paused source in %s: %s", channel_id, error)
        if not complete:
            continue
        await bot.db.run(sources.mark_pause_announced, source.url)
        log.info("announced paused source %s in %d channel(s)", source.url, len(channels))


async def run_alerts(bot: ParleyBot) -> None:
    """Find subscribers for articles stored since the last run; record, then deliver.

    The caller holds the bot's alerts lock: two runs at once would deliver one page twice.
    """
    examined, added = await bot.off_loop(
        work.record_new_alerts,
        str(bot.config.database_path),
        ALERTS_CURSOR,
        bot.vocabulary,
        bot.now(),
    )
    if examined:
        log.info("alerts: %d new article(s), %d deliveries recorded", examined, added)
    await deliver_pending_alerts(bot)


async def deliver_pending_alerts(bot: ParleyBot) -> None:
    """Deliver recorded alerts a page at a time, marking each page told as it goes."""
    slots = asyncio.Semaphore(bot.tuning.alert_concurrency)

    async def send(group: PendingAlerts, heads: dict[int, Headline]) -> Told | None:
        async with slots:
            return await bot.alerts.deliver(group, heads, alert_payload)

    delivered = total = 0
    path = str(bot.config.database_path)
    after: tuple[int, str, int] | None = None
    failed_in_a_row = 0
    while groups := await bot.db.run(
        alert_state.pending_alert_groups, bot.tuning.alert_page, after=after
    ):
        after = (groups[-1].guild_id, groups[-1].kind, groups[-1].target_id)
        ids = {d.article_id for g in groups for d in g.first}
        heads = await bot.db.run(article_store.headlines, ids)
        results = await asyncio.gather(*(send(g, heads) for g in groups))
        told = [(t.group, t.via, t.message_id) for t in results if t is not None]
        # Marked per page, in the worker: a crash in between re-sends at most one page,
        # with the same nonces, which Discord answers with the messages already posted.
        await bot.off_loop(work.mark_alerts_told, path, told, bot.now())
        delivered, total = delivered + len(told), total + len(results)
        bot.spawn(bot.off_loop(work.checkpoint, path))
        # Go on past what failed (it stays recorded for the next run): one refusing
        # target must not hold up everyone after it. Many failures in a row mean Discord
        # is down or deliveries are held: then wait for the next run.
        for result in results:
            failed_in_a_row = 0 if result is not None else failed_in_a_row + 1
        if failed_in_a_row >= bot.tuning.alert_concurrency:
            break
    if total:
        log.info("alerts: %d of %d message(s) delivered", delivered, total)
