"""The bot's own ``[bot]`` section, added to the news settings of ``digest.config``.

Kept here because sync scopes, guilds and shards are Discord's concepts, not the news'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from digest.config import Config
from digest.errors import ConfigError


@dataclass(frozen=True)
class BotSettings:
    """Discord-side switches (the token is not here: it comes from DISCORD_TOKEN)."""

    sync: str = "global"
    dev_guild_ids: tuple[int, ...] = ()
    # Sharding: 0 asks Discord how many shards; shard_ids () runs them all in this process.
    shard_count: int = 0
    shard_ids: tuple[int, ...] = ()
    # Exactly one process runs the scheduler, ingestion and alerts (the others only answer).
    jobs: bool = True


@dataclass(frozen=True)
class BotConfig(Config):
    """Everything the bot is told: the news settings plus ``[bot]``."""

    bot: BotSettings = field(default_factory=BotSettings)

    secret_keys: ClassVar[frozenset[str]] = Config.secret_keys | {"discord_token", "bot_token"}
    secret_hint: ClassVar[str] = "set the DISCORD_TOKEN environment variable instead"

    def check(self) -> None:
        """Check the news sections, then the bot's."""
        super().check()
        check_bot_settings(self.bot)


def check_bot_settings(bot: BotSettings) -> None:
    """Refuse a sync scope or shard layout Discord would not accept."""
    if bot.sync not in ("global", "guild"):
        raise ConfigError(f"bot.sync must be 'global' or 'guild', not {bot.sync!r}")
    shards = bot.shard_count
    if shards < 0:
        raise ConfigError(f"bot.shard_count must be 0 (ask Discord) or more, not {shards}")
    if bot.shard_ids and not shards:
        raise ConfigError("bot.shard_ids needs bot.shard_count: the total across all processes")
    for shard in bot.shard_ids:
        if not 0 <= shard < shards:
            raise ConfigError(f"bot.shard_ids: {shard} is not between 0 and {shards - 1}")
