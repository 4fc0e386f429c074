"""The one place command errors become ephemeral replies (and log lines with the detail)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from digest.errors import ParleyError

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong; it has been logged."


def user_message(error: app_commands.AppCommandError) -> str | None:
    """The short text to show for an error we expect, or None for a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, ParleyError):
        return str(original)
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for this."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in direct messages."
    if isinstance(error, app_commands.TransformerError):
        return f"{error.value!r} is not a valid {error.type.name}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


async def send_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Reply privately, whether or not the interaction was already answered or deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(message, ephemeral=True)
    else:
        await interaction.response.send_message(message, ephemeral=True)


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
        except discord.HTTPException:
            log.warning("could not tell the user that /%s failed", name)
