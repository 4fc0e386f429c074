"""Answering interactions within Discord's deadlines.

Discord drops an interaction that gets no first response within 3 seconds (404, code 10062:
the user sees "The application did not respond"). A database call can queue behind a write
waiting for SQLite's lock for longer than that, so every command that touches the database
defers first ("thinking…") and answers with a followup; ``send`` picks whichever applies.
Autocomplete cannot defer: its lookups get a budget, and an empty list when it runs out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import TypeVar

import discord

from bot.render import CONTENT, clip

log = logging.getLogger(__name__)
T = TypeVar("T")

AUTOCOMPLETE_BUDGET = 2.0  # seconds; Discord's deadline is 3


async def defer(interaction: discord.Interaction, *, ephemeral: bool = True) -> None:
    """The first response, sent before anything slow: 'thinking…' (once)."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)


async def send(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    """Reply: the first response if none was sent yet, else a followup. Content is clipped."""
    kwargs: dict = {"ephemeral": ephemeral, "allowed_mentions": discord.AllowedMentions.none()}
    if content is not None:
        kwargs["content"] = clip(content, CONTENT)
    if embeds:
        kwargs["embeds"] = list(embeds)
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def soon(interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool) -> T:
    """``work``'s result; if it is not ready within the budget, defer while it finishes.

    For replies that should stay as they are when quick (a public answer, or an error only the
    user sees) and still meet the deadline when the database is slow.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=AUTOCOMPLETE_BUDGET)
    if not done:
        await defer(interaction, ephemeral=ephemeral)
    return await task


async def within_budget(lookup: Awaitable[T], fallback: T) -> T:
    """``lookup``'s result, or ``fallback`` when it takes longer than autocomplete may."""
    try:
        return await asyncio.wait_for(lookup, AUTOCOMPLETE_BUDGET)
    except TimeoutError:
        log.warning("autocomplete lookup took over %.1fs; offered nothing", AUTOCOMPLETE_BUDGET)
        return fallback
