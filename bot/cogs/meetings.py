"""/meetings and /meeting: look up official meetings (lands with the meetings store)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import ParleyBot


async def setup(bot: ParleyBot) -> None:
    """Extension entry point."""
