"""A local Discord for end-to-end tests of the bot with the real discord.py client: it refuses
what Discord refuses (see emulator.py)."""

from tests.discord_emulator.emulator import Emulator
from tests.discord_emulator.interactions import Focused, Interaction
from tests.discord_emulator.limits import ManualClock, RateLimits

__all__ = ["Emulator", "Focused", "Interaction", "ManualClock", "RateLimits"]
