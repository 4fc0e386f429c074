"""A local Discord API emulator for end-to-end tests of the bot with the real discord.py client."""

from tests.discord_emulator.emulator import Emulator, Focused, Interaction

__all__ = ["Emulator", "Focused", "Interaction"]
