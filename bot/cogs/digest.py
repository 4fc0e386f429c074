"""/digest: a digest on demand, by default what the next scheduled one would hold (ephemeral)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.inputs import parse_since
from bot.render import choices, digest_embeds, echo, pack
from bot.state import guilds as guild_state
from digest.alerts import normalize_topic

if TYPE_CHECKING:
    from bot.app import ParleyBot


class DigestCog(commands.Cog):
    """Read the news digest on demand."""

    def __init__(self, bot: ParleyBot) -> None:
        self.bot = bot

    @app_commands.command(name="digest")
    @app_commands.describe(
        topic="Only stories on this topic (a tag, or any word or phrase)",
        since="From when: 24h, 3 days, 1w, yesterday or a date (default: since the last digest)",
    )
    async def digest(
        self, interaction: discord.Interaction, topic: str | None = None, since: str | None = None
    ) -> None:
        """Show a digest now, visible only to you."""
        now = self.bot.now()
        # Answer Discord first: the settings read may queue behind a write waiting for a lock.
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = (
            await self.bot.db.run(guild_state.get_guild_settings, interaction.guild_id)
            if interaction.guild_id
            else None
        )
        zone = ZoneInfo(settings.timezone if settings else self.bot.config.digest.timezone)
        # A start the user gave (or the default day) is taken from the whole minute, so
        # members asking within one minute share one build (see ParleyBot.build_digest).
        if since:
            start = parse_since(since, now, zone).replace(second=0, microsecond=0)
        elif settings and settings.last_digest_at:
            start = settings.last_digest_at
        else:
            start = (now - timedelta(days=1)).replace(second=0, microsecond=0)
        topics = (normalize_topic(topic),) if topic else ()
        built = await self.bot.build_digest(start, now, topics, on_demand=True)
        heading = f"Digest on {echo(topics[0])}" if topics else "Your digest"  # user text
        for embeds in pack(digest_embeds(built, zone, heading)):
            await interaction.followup.send(embeds=embeds, ephemeral=True)

    @digest.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list:
        return choices(self.bot.vocabulary.tags, current)


async def setup(bot: ParleyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(DigestCog(bot))
