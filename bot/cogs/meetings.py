"""/meetings and /meeting: look up the official meetings Parley found in the news."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import Page, choices, meeting_embed, meetings_page_embeds
from digest.store import meeting_search
from digest.store import meetings as meeting_store

if TYPE_CHECKING:
    from bot.app import ParleyBot

PAGE_SIZE = 3  # compact meeting embeds: three always fit in one message's 6,000 characters


@dataclass
class MeetingQuery:
    """The filters of one /meetings lookup, replayed for each page."""

    filters: dict[str, Any] = field(default_factory=dict)

    async def page(self, bot: ParleyBot, offset: int) -> tuple[list[discord.Embed], Page]:
        """The embeds of the page at ``offset``, and where that page sits."""
        found = await bot.db.run(
            meeting_search.search_meetings, **self.filters, limit=PAGE_SIZE, offset=offset
        )
        page = Page(offset, PAGE_SIZE, found.total, found.total_capped)
        return meetings_page_embeds(found.meetings, page), page


class Pager(discord.ui.View):
    """Previous / Next buttons under a page of results; only the asker may turn pages."""

    def __init__(self, bot: ParleyBot, query: MeetingQuery, page: Page, owner_id: int) -> None:
        super().__init__(timeout=15 * 60)
        self.bot, self.query, self.page, self.owner_id = bot, query, page, owner_id
        self._refresh()

    def _refresh(self) -> None:
        self.previous.disabled = not self.page.has_previous
        self.next.disabled = not self.page.has_next

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Turning someone else's pages would change what they are reading."""
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "Only the person who ran /meetings can turn its pages; run it yourself.",
                ephemeral=True,
            )
            return False
        return True

    async def _show(self, interaction: discord.Interaction, offset: int) -> None:
        embeds, self.page = await self.query.page(self.bot, offset)
        self._refresh()
        await interaction.response.edit_message(embeds=embeds, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Show the page before."""
        await self._show(interaction, self.page.previous().offset)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Show the page after."""
        await self._show(interaction, self.page.next().offset)


class MeetingsCog(commands.Cog):
    """Search the record of official meetings."""

    def __init__(self, bot: ParleyBot) -> None:
        self.bot = bot

    @app_commands.command()
    @app_commands.describe(
        person="Someone who took part",
        country="A country or organisation on one side",
        topic="A topic tag discussed",
        place="City or country where it took place",
        since="From this date (YYYY, YYYY-MM or YYYY-MM-DD)",
        until="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD)",
        query="Words to find in the reports (full-text search)",
    )
    async def meetings(
        self,
        interaction: discord.Interaction,
        person: str | None = None,
        country: str | None = None,
        topic: str | None = None,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        query: str | None = None,
    ) -> None:
        """Find meetings by person, country, topic, place, dates or words, newest first."""
        given = {
            "person": person,
            "side": country,
            "topic": topic,
            "place": place,
            "since": since,
            "until": until,
            "text": query,
        }
        lookup = MeetingQuery({k: v.strip() for k, v in given.items() if v and v.strip()})
        embeds, page = await lookup.page(self.bot, 0)  # BadQuery reaches the user ephemerally
        if page.total <= PAGE_SIZE:
            await interaction.response.send_message(embeds=embeds)
            return
        view = Pager(self.bot, lookup, page, interaction.user.id)
        await interaction.response.send_message(embeds=embeds, view=view)

    @meetings.autocomplete("person")
    async def _people(self, interaction: discord.Interaction, current: str) -> list:
        return choices(
            await self.bot.db.run(meeting_search.people_with_prefix, current, limit=25), current
        )

    @meetings.autocomplete("country")
    async def _sides(self, interaction: discord.Interaction, current: str) -> list:
        return choices(await self.bot.db.run(meeting_search.list_sides, current, limit=25), current)

    @meetings.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list:
        used = [name for name, _ in await self.bot.db.run(meeting_search.topic_counts)]
        return choices(used or self.bot.vocabulary.tags, current)

    @app_commands.command()
    @app_commands.describe(id="The meeting number shown in /meetings results")
    async def meeting(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        """Show one meeting with every source that reported it."""
        found = await self.bot.db.run(meeting_store.get_meeting, id)  # NotFound: shown ephemerally
        await interaction.response.send_message(embed=meeting_embed(found, full=True))


async def setup(bot: ParleyBot) -> None:
    """Extension entry point."""
    await bot.add_cog(MeetingsCog(bot))
