"""The one place command errors become ephemeral replies (and log lines with the detail)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.render import echo, safe_line
from digest.errors import ParleyError

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong; it has been logged."
ERROR_LIMIT = 1000  # an error is one short line; echoes of user input are cut well before


def user_message(error: app_commands.AppCommandError) -> str | None:
    """The short text to show for an error we expect, or None for a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, ParleyError):
        # Messages may quote what the user typed (5,000 characters of it): escaped, clipped.
        return safe_line(str(original), ERROR_LIMIT)
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for this."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"{echo(str(error.value))} is not a valid {error.type.name}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


async def send_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Reply privately, whether or not the interaction was already answered or deferred."""
    mentions = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=mentions)
    else:
        await interaction.response.send_message(message, ephemeral=True, allowed_mentions=mentions)


class ParleyTree(app_commands.CommandTree):
    """Command tree whose errors reach the user as one short ephemeral line."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Show the user a short message; log the detail (with traceback for bugs)."""
        message = user_message(error)
        name = interaction.command.qualified_name if interaction.command else "?"
        if message is None:
            original = getattr(error, "original", error)
            log.error("/%s failed", name, exc_info=original)
            message = UNEXPECTED
        else:
            log.info("/%s refused: %s", name, message)
        try:
            await send_ephemeral(interaction, message)
        except discord.NotFound:
            log.warning("could not tell the user that /%s failed: interaction gone", name)
        except discord.HTTPException as error:
            # Never the same text again: a short fixed line, once.
            log.warning("could not tell the user that /%s failed: %s", name, error)
            if message != UNEXPECTED:
                try:
                    await send_ephemeral(interaction, UNEXPECTED)
                except discord.HTTPException:
                    log.warning("could not tell the user that /%s failed", name)
