"""/parley: server admins set up, inspect, pause and resume the daily digest, and manage sources."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import discord
from discord import app_commands
from discord.ext import commands

from bot import scheduler as jobs
from bot.database import with_own_connection
from bot.render import COLOUR, choices, clip, resolve_choice, safe_line, say, shown_url
from bot.replies import defer, send, within_budget
from bot.state import digest_outbox as outbox_state
from bot.state import guilds as guild_state
from bot.state import notes as bot_notes
from bot.state.records import POSTED, GuildSettings
from digest.errors import ParleyError
from digest.sources import registry as sources

if TYPE_CHECKING:
    from bot.app import ParleyBot

TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
ZONES = sorted(available_timezones())


class BadSetting(ParleyError):
    """A digest setting is not valid."""


class NotSetUp(ParleyError):
    """No digest is set up in this server yet: run /parley setup first."""


def parse_time(text: str) -> str:
    """'8:05' -> '08:05'; BadSetting for anything that is not a 24-hour HH:MM."""
    match = TIME.fullmatch(text.strip())
    if not match:
        raise BadSetting(
            say("{time} is not a time of day; use 24-hour HH:MM, such as 08:00", time=text)
        )
    return f"{int(match[1]):02d}:{match[2]}"


def parse_zone(text: str) -> str:
    """A valid IANA zone name, or BadSetting (never OSError: a name too long for a path)."""
    name = text.strip()
    try:
        if name not in ZONES:  # only names the zone database lists; no file lookups on input
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise BadSetting(
            say(
                "{zone} is not a time zone; pick one from the list, such as Europe/Berlin",
                zone=text,
            )
        ) from None
    return name


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AdminCog(commands.GroupCog, group_name="parley"):
    """Set up and manage Parley in this server."""

    source = app_commands.Group(name="source", description="Manage the news sources Parley reads.")

    def __init__(self, bot: ParleyBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Check Manage Server again: admins can unhide these commands for others."""
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    async def _settings(self, guild_id: int) -> GuildSettings:
        settings = await self.bot.db.run(guild_state.get_guild_settings, guild_id)
        if settings is None:
            raise NotSetUp(NotSetUp.__doc__)
        return settings

    @app_commands.command()
    @app_commands.describe(
        channel="Where the digest is posted",
        time="Time of day, 24-hour HH:MM (default from the config)",
        timezone="IANA time zone for that time, such as Europe/Berlin",
    )
    async def setup(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str | None = None,
        timezone: str | None = None,
    ) -> None:
        """Post the daily digest in a channel at a time of day."""
        assert interaction.guild_id is not None
        given_time = parse_time(time) if time else None  # bad input answered before deferring
        given_zone = parse_zone(timezone) if timezone else None
        await defer(interaction)
        previous = await self.bot.db.run(guild_state.get_guild_settings, interaction.guild_id)
        settings = GuildSettings(
            guild_id=interaction.guild_id,
            channel_id=channel.id,
            time=given_time
            or parse_time(previous.time if previous else self.bot.config.digest.time),
            timezone=given_zone
            or parse_zone(previous.timezone if previous else self.bot.config.digest.timezone),
            paused=previous.paused if previous else False,
            last_digest_at=previous.last_digest_at if previous else None,
        )
        await self.bot.db.run(guild_state.save_guild_settings, settings, self.bot.now())
        next_at = await self.bot.schedule_guild(settings)
        when = _next(next_at) if next_at and not settings.paused else "paused (/parley resume)"
        await send(
            interaction,
            say(
                "Daily digest set: {channel} at {time} ({zone}). Next: {when}.",
                time=settings.time,
                zone=settings.timezone,
                ours={"channel": channel.mention, "when": when},
            ),
        )

    @setup.autocomplete("timezone")
    async def _zones(self, interaction: discord.Interaction, current: str) -> list:
        return choices(ZONES, current[:100])

    @app_commands.command()
    async def status(self, interaction: discord.Interaction) -> None:
        """Show the digest schedule, the last and next digest, and source health."""
        assert interaction.guild_id is not None
        await defer(interaction)
        settings = await self._settings(interaction.guild_id)
        embed = discord.Embed(title="Parley status", colour=COLOUR)
        embed.add_field(name="Channel", value=f"<#{settings.channel_id}>")
        embed.add_field(name="Time", value=f"{settings.time} ({settings.timezone})")
        embed.add_field(name="State", value="paused" if settings.paused else "active")
        last = await self.bot.db.run(outbox_state.latest_digest, interaction.guild_id)
        if last is None:
            last_text = "none yet"
        elif last.state == POSTED and last.posted_at:
            last_text = f"{last.period}: posted {_next(last.posted_at)}"
        else:
            last_text = (
                f"{last.period}: {last.state}, waiting to post ({last.attempts} failed attempts)"
            )
            if last.last_error:
                last_text += f"\nLast error: {safe_line(last.last_error, 300)}"
        problem = await self.bot.db.run(bot_notes.digest_problem, interaction.guild_id)
        if problem:
            last_text += f"\n**Problem:** {safe_line(problem, 500)}"
        embed.add_field(name="Last digest", value=clip(last_text, 1024), inline=False)
        next_at = None if settings.paused else jobs.next_fire_time(settings, self.bot.now())
        embed.add_field(name="Next digest", value=_next(next_at) if next_at else "none (paused)")
        embed.add_field(name="Sources", value=clip(await self._source_health(), 1024), inline=False)
        await send(interaction, embeds=[embed])

    async def _source_health(self) -> str:
        listed = await self.bot.db.run(sources.list_sources)
        if not listed:
            return "No feeds or pages configured; /parley source add url:…"
        failing = [s for s in listed if s.consecutive_failures and not s.paused]
        paused = [s for s in listed if s.paused]
        healthy = len(listed) - len(failing) - len(paused)
        text = f"{healthy} healthy, {len(failing)} failing, {len(paused)} paused"
        for s in paused[:5]:
            text += (
                f"\n• paused: {shown_url(s.url, 200)} ({safe_line(s.last_error or 'errors', 80)})"
            )
        return text

    @app_commands.command()
    async def pause(self, interaction: discord.Interaction) -> None:
        """Stop posting the daily digest until resumed."""
        assert interaction.guild_id is not None
        await defer(interaction)
        settings = await self._settings(interaction.guild_id)
        await self.bot.db.run(guild_state.set_paused, settings.guild_id, True)
        await self.bot.schedule_guild(GuildSettings(**{**vars(settings), "paused": True}))
        await send(interaction, "Daily digest paused. /parley resume starts it again.")

    @app_commands.command()
    async def resume(self, interaction: discord.Interaction) -> None:
        """Start posting the daily digest again."""
        assert interaction.guild_id is not None
        await defer(interaction)
        settings = await self._settings(interaction.guild_id)
        await self.bot.db.run(guild_state.set_paused, settings.guild_id, False)
        resumed = GuildSettings(**{**vars(settings), "paused": False})
        next_at = await self.bot.schedule_guild(resumed)
        await send(interaction, f"Daily digest resumed. Next: {_next(next_at)}.")

    @source.command(name="add")
    @app_commands.describe(url="A feed (RSS/Atom) or article page address")
    async def source_add(self, interaction: discord.Interaction, url: str) -> None:
        """Read a new feed or page."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        source = await with_own_connection(
            self.bot.config.database_path,
            sources.add_source,
            url,
            self.bot.now(),
            settings=self.bot.config.sources,
        )
        await send(
            interaction,
            say(
                "Added {kind} {url}; it is polled from now on.",
                kind=source.kind,
                ours={"url": shown_url(source.url)},
            ),
        )

    @source.command(name="remove")
    @app_commands.describe(url="The address as /parley source list shows it")
    async def source_remove(self, interaction: discord.Interaction, url: str) -> None:
        """Stop reading a feed or page."""
        await defer(interaction)
        listed = [s.url for s in await self.bot.db.run(sources.list_sources)]
        # A long URL was offered cut (autocomplete values hold 100 characters): the whole one.
        whole = resolve_choice(url, listed) or url.strip()
        await self.bot.db.run(sources.remove_source, whole)
        await send(interaction, say("Removed {url}.", ours={"url": shown_url(whole)}))

    @source_remove.autocomplete("url")
    async def _source_urls(self, interaction: discord.Interaction, current: str) -> list:
        listed = await within_budget(self.bot.db.run(sources.list_sources), [])
        return choices([s.url for s in listed], current)

    @source.command(name="list")
    async def source_list(self, interaction: discord.Interaction) -> None:
        """List the feeds and pages Parley reads, with their health."""
        await defer(interaction)
        listed = await self.bot.db.run(sources.list_sources)
        lines = []
        for s in listed:
            if s.paused:
                state = f"paused: {s.last_error or 'repeated errors'}"
            elif s.consecutive_failures:
                state = f"{s.consecutive_failures} failure(s): {s.last_error or ''}"
            else:
                state = "ok"
            lines.append(f"• {s.kind} {shown_url(s.url, 300)} — {safe_line(state, 120)}")
        embed = discord.Embed(
            title=f"Sources ({len(listed)})",
            description=clip("\n".join(lines) or "None yet; /parley source add url:…", 4096),
            colour=COLOUR,
        )
        await send(interaction, embeds=[embed])


def _next(moment: object) -> str:
    """A Discord timestamp token: each reader sees it in their own zone."""
    stamp = int(moment.timestamp())  # type: ignore[attr-defined]
    return f"<t:{stamp}:F> (<t:{stamp}:R>)"


async def setup(bot: ParleyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(AdminCog(bot))
