"""/subscribe, /unsubscribe, /subscriptions, /topics: topic alerts for members (and roles).

These commands need a server. ``guild_only`` is set on each command rather than on the cog:
discord.py honours a class-level ``guild_only`` only on a ``GroupCog``, and then the synced
payload would still offer these commands in DMs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import COLOUR, FIELD_VALUE, choices, clip, echo, say
from bot.replies import defer, send, within_budget
from bot.state import subscriptions as subscription_state
from bot.state.records import ROLE, USER, Subscription
from digest.alerts import normalize_topic
from digest.errors import ParleyError
from digest.store import meeting_search

if TYPE_CHECKING:
    from bot.app import ParleyBot


class RoleNeedsAdmin(ParleyError):
    """Only members with the Manage Server permission can subscribe a role."""


class AlertsCog(commands.Cog):
    """Follow topics and get told when an article about one arrives."""

    def __init__(self, bot: ParleyBot) -> None:
        self.bot = bot

    def _subscription(
        self, interaction: discord.Interaction, topic: str, role: discord.Role | None
    ) -> Subscription:
        assert interaction.guild_id is not None
        if role is not None:
            if not interaction.permissions.manage_guild:
                raise RoleNeedsAdmin(RoleNeedsAdmin.__doc__)
            return Subscription(interaction.guild_id, ROLE, role.id, normalize_topic(topic))
        return Subscription(interaction.guild_id, USER, interaction.user.id, normalize_topic(topic))

    @app_commands.command()
    @app_commands.guild_only()
    @app_commands.describe(
        topic="A tag from /topics, or any word or phrase (matched as whole words)",
        role="Admins: subscribe a role instead; that role is pinged for this topic",
    )
    async def subscribe(
        self, interaction: discord.Interaction, topic: str, role: discord.Role | None = None
    ) -> None:
        """Get a message when a new article matches a topic."""
        subscription = self._subscription(interaction, topic, role)  # pure: bad input first
        await defer(interaction)
        added = await self.bot.db.run(
            subscription_state.add_subscription, subscription, self.bot.now()
        )
        who = f"<@&{role.id}>" if role else "You"
        kind = "a tag" if subscription.topic in self.bot.vocabulary else "matched as whole words"
        template = (
            "{who} will be told about new articles on “{topic}” ({kind})."
            if added
            else "{who} already follow “{topic}”."
        )
        await send(
            interaction, say(template, topic=subscription.topic, kind=kind, ours={"who": who})
        )

    @subscribe.autocomplete("topic")
    async def _tags(self, interaction: discord.Interaction, current: str) -> list:
        return choices(self.bot.vocabulary.tags, current)

    @app_commands.command()
    @app_commands.guild_only()
    @app_commands.describe(topic="A topic you follow", role="Admins: unsubscribe a role instead")
    async def unsubscribe(
        self, interaction: discord.Interaction, topic: str, role: discord.Role | None = None
    ) -> None:
        """Stop alerts for a topic."""
        subscription = self._subscription(interaction, topic, role)
        await defer(interaction)
        removed = await self.bot.db.run(subscription_state.remove_subscription, subscription)
        template = (
            "Unsubscribed from “{topic}”."
            if removed
            else "No subscription to “{topic}”; /subscriptions lists them."
        )
        await send(interaction, say(template, topic=subscription.topic))

    @unsubscribe.autocomplete("topic")
    async def _followed(self, interaction: discord.Interaction, current: str) -> list:
        if interaction.guild_id is None:
            return []
        mine = await within_budget(
            self.bot.db.run(
                subscription_state.subscriptions_of, interaction.guild_id, USER, interaction.user.id
            ),
            [],
        )
        return choices([s.topic for s in mine], current)

    @app_commands.command()
    @app_commands.guild_only()
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        """List the topics you follow here, and the roles subscribed in this server."""
        assert interaction.guild_id is not None
        await defer(interaction)
        everything = await self.bot.db.run(
            subscription_state.guild_subscriptions, interaction.guild_id
        )
        mine = [
            s.topic for s in everything if s.kind == USER and s.target_id == interaction.user.id
        ]
        roles = [f"<@&{s.target_id}>: {echo(s.topic)}" for s in everything if s.kind == ROLE]
        embed = discord.Embed(title="Your topic alerts", colour=COLOUR)
        embed.description = clip(
            "\n".join(f"• {echo(t)}" for t in mine) or "None yet; /subscribe topic:…", 4096
        )
        if roles:
            embed.add_field(name="Role alerts here", value=clip("\n".join(roles), FIELD_VALUE))
        await send(interaction, embeds=[embed])

    @app_commands.command()
    @app_commands.guild_only()
    async def topics(self, interaction: discord.Interaction) -> None:
        """List the topic tags, with how many meetings and subscribers each has."""
        assert interaction.guild_id is not None
        await defer(interaction)
        meetings = dict(await self.bot.db.run(meeting_search.topic_counts))
        followers: dict[str, int] = {}
        for s in await self.bot.db.run(
            subscription_state.guild_subscriptions, interaction.guild_id
        ):
            followers[s.topic] = followers.get(s.topic, 0) + 1
        names = sorted({*self.bot.vocabulary.tags, *followers})
        lines = [
            f"• **{echo(name)}** — {meetings.get(name, 0)} meetings, "
            f"{followers.get(name, 0)} following"
            for name in names
        ]
        embed = discord.Embed(
            title=f"Topics ({len(names)})",
            description=clip("\n".join(lines) or "No topics yet.", 4096),
            colour=COLOUR,
        )
        embed.set_footer(text="/subscribe topic:… also takes any word or phrase")
        await send(interaction, embeds=[embed])


async def setup(bot: ParleyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(AlertsCog(bot))
