"""Registering slash commands, in one scope, and retrying until Discord accepts them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from bot.database import BotDatabase
from bot.outbox import TRANSIENT, describe
from bot.settings import BotSettings
from bot.state import meta as bot_meta

log = logging.getLogger(__name__)

SYNCED_GUILDS = "sync.guild_ids"  # where guild-scope commands were last registered


async def sync_commands(
    tree: app_commands.CommandTree,
    http: discord.http.HTTPClient,
    app_id: int | None,
    settings: BotSettings,
    db: BotDatabase,
) -> None:
    """Register slash commands: per dev guild (instant) or globally (production).

    The other scope's registrations are removed, or users would see every command twice:
    guild commands left from a development run, or global ones from a production run.
    """
    before = stored_ids(await db.run(bot_meta.get_meta, SYNCED_GUILDS))
    dev = set(settings.dev_guild_ids)
    if settings.sync == "guild":
        for guild_id in settings.dev_guild_ids:
            guild = discord.Object(guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild_id)
        if app_id is not None:
            await http.bulk_upsert_global_commands(app_id, [])
        stale, kept = before - dev, sorted(dev)
    else:
        synced = await tree.sync()
        log.info("synced %d global commands", len(synced))
        stale, kept = before | dev, []
    for guild_id in sorted(stale):
        if app_id is not None:
            await http.bulk_upsert_guild_commands(app_id, guild_id, [])
            log.info("removed guild commands from %s", guild_id)
    await db.run(bot_meta.set_meta, SYNCED_GUILDS, ",".join(map(str, kept)))


async def until_done(
    attempt_sync: Callable[[], Awaitable[None]], delay: Callable[[int], float]
) -> None:
    """Retry a failed sync in the background, with backoff, until Discord accepts it."""
    attempt = 0
    while True:
        attempt += 1
        await asyncio.sleep(delay(attempt))
        try:
            await attempt_sync()
            log.info("command sync succeeded after %d retries", attempt)
            return
        except (discord.HTTPException, *TRANSIENT) as error:
            log.warning("command sync failed again (%s)", describe(error))


def stored_ids(text: str | None) -> set[int]:
    """Guild ids stored as '1,2,3'."""
    return {int(part) for part in (text or "").split(",") if part.strip()}
