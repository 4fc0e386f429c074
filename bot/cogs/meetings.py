"""/meetings and /meeting: look up the official meetings Parley found in the news.

Paging survives restarts: a page's buttons carry their state in the custom_id (the stored
query's id, the offset, the total shown, the asker), and ``PageButton`` is registered as a
dynamic item, so any running bot answers them whenever they are pressed. When the results
changed since the page was shown, the new page says so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import (
    MEETINGS_PER_PAGE,
    Page,
    choices,
    meeting_embed,
    meetings_page_embeds,
    resolve_choice,
)
from bot.replies import send, soon, within_budget
from bot.state import notes as bot_notes
from digest.store import meeting_search
from digest.store import meetings as meeting_store

if TYPE_CHECKING:
    from bot.app import ParleyBot

PAGE_SIZE = MEETINGS_PER_PAGE
STALE = "Results changed since this page was shown; this is the current list. "


async def page_of(
    bot: ParleyBot, filters: dict[str, Any], offset: int
) -> tuple[list[discord.Embed], Page]:
    """The embeds of the page at ``offset`` (moved back onto the last page if past it)."""
    found = await bot.db.run(
        meeting_search.search_meetings, **filters, limit=PAGE_SIZE, offset=offset
    )
    if not found.meetings and offset > 0 and found.total:
        offset = (found.total - 1) // PAGE_SIZE * PAGE_SIZE
        found = await bot.db.run(
            meeting_search.search_meetings, **filters, limit=PAGE_SIZE, offset=offset
        )
    page = Page(offset, PAGE_SIZE, found.total, found.total_capped)
    return meetings_page_embeds(found.meetings, page), page


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"pm:(?P<way>[pn]):(?P<query>\d+):(?P<offset>\d+):(?P<total>\d+):(?P<owner>\d+)",
):
    """Previous or Next under a page of /meetings results; its state is its custom_id."""

    def __init__(
        self, way: str, query: int, offset: int, total: int, owner: int, disabled: bool
    ) -> None:
        self.way, self.query, self.offset, self.total, self.owner = way, query, offset, total, owner
        super().__init__(
            discord.ui.Button(
                label="Previous" if way == "p" else "Next",
                style=discord.ButtonStyle.secondary if way == "p" else discord.ButtonStyle.primary,
                custom_id=f"pm:{way}:{query}:{offset}:{total}:{owner}",
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> PageButton:
        """Rebuild the button from a press (after a restart too)."""
        return cls(
            match["way"],
            int(match["query"]),
            int(match["offset"]),
            int(match["total"]),
            int(match["owner"]),
            item.disabled,
        )

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        """Show the page this button points to, or say why not."""
        if interaction.user.id != self.owner:
            await send(
                interaction,
                "Only the person who ran /meetings can turn its pages; run it yourself.",
            )
            return
        await interaction.response.defer()  # the first response, before any database call
        bot: ParleyBot = interaction.client  # type: ignore[assignment]
        filters = await bot.db.run(bot_notes.get_meeting_query, self.query)
        if filters is None:
            await interaction.followup.send(
                "This list is no longer kept; run /meetings again.", ephemeral=True
            )
            return
        embeds, page = await page_of(bot, filters, self.offset)
        if page.total != self.total:
            embeds[-1].set_footer(text=STALE + page.label())
        await interaction.edit_original_response(
            embeds=embeds, view=pager(self.query, page, self.owner)
        )


def pager(query_id: int, page: Page, owner: int) -> discord.ui.View:
    """The two paging buttons for ``page`` of a stored query."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        PageButton("p", query_id, page.previous().offset, page.total, owner, not page.has_previous)
    )
    view.add_item(
        PageButton("n", query_id, page.next().offset, page.total, owner, not page.has_next)
    )
    return view


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
        filters = {k: v.strip() for k, v in given.items() if v and v.strip()}
        # Public when quick, deferred (publicly) when the database is slow; BadQuery raised
        # before that reaches the user ephemerally.
        embeds, page, filters = await soon(interaction, self._first_page(filters), ephemeral=False)
        if page.total <= PAGE_SIZE and not page.capped:
            await send(interaction, embeds=embeds, ephemeral=False)
            return
        query_id = await self.bot.db.run(bot_notes.save_meeting_query, filters, self.bot.now())
        view = pager(query_id, page, interaction.user.id)
        await send(interaction, embeds=embeds, view=view, ephemeral=False)

    async def _first_page(
        self, filters: dict[str, Any]
    ) -> tuple[list[discord.Embed], Page, dict[str, Any]]:
        if "person" in filters and filters["person"].endswith("…"):
            # An autocomplete value for a name over 100 characters: its whole name.
            prefix = filters["person"][:-1]
            names = await self.bot.db.run(meeting_search.people_with_prefix, prefix, limit=2)
            filters["person"] = resolve_choice(filters["person"], names) or filters["person"]
        embeds, page = await page_of(self.bot, filters, 0)
        return embeds, page, filters

    @meetings.autocomplete("person")
    async def _people(self, interaction: discord.Interaction, current: str) -> list:
        lookup = self.bot.db.run(meeting_search.people_with_prefix, current, limit=25)
        return choices(await within_budget(lookup, []), current)

    @meetings.autocomplete("country")
    async def _sides(self, interaction: discord.Interaction, current: str) -> list:
        lookup = self.bot.db.run(meeting_search.list_sides, current, limit=25)
        return choices(await within_budget(lookup, []), current)

    @meetings.autocomplete("topic")
    async def _topics(self, interaction: discord.Interaction, current: str) -> list:
        counts = await within_budget(self.bot.db.run(meeting_search.topic_counts), [])
        used = [name for name, _ in counts]
        return choices(used or self.bot.vocabulary.tags, current)

    @app_commands.command()
    @app_commands.describe(id="The meeting number shown in /meetings results")
    async def meeting(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        """Show one meeting with every source that reported it."""
        found = await soon(  # NotFound: shown ephemerally
            interaction, self.bot.db.run(meeting_store.get_meeting, id), ephemeral=False
        )
        await send(interaction, embeds=[meeting_embed(found, full=True)], ephemeral=False)


async def setup(bot: ParleyBot) -> None:
    """Extension entry point."""
    bot.add_dynamic_items(PageButton)
    await bot.add_cog(MeetingsCog(bot))
