"""Running the real ParleyBot against the emulator inside a test: start, wait until ready, stop."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.app import ParleyBot
from bot.outbox import RetryPolicy
from bot.settings import BotConfig, BotSettings
from bot.state import open_db as open_bot_db
from bot.tuning import Tuning
from digest.config import DatabaseSettings, SourceSettings
from digest.models import Article
from digest.timeutil import utc_now
from tests.discord_emulator.emulator import Emulator
from tests.discord_emulator.limits import ManualClock

FAST = Tuning(
    guild_ready_timeout=0.05,
    retry=RetryPolicy(attempts=4, first_delay=0.01, factor=2.0, max_delay=0.1),
    alert_seconds=3600,
    ingest_seconds=3600,
    cpu_workers=0,  # threads: no worker process to spawn per test
)
ADMIN = 1 << 5  # Manage Server
_SIDE_CONNECTIONS: dict[int, list[sqlite_utils.Database]] = {}


def bot_config(tmp_path: Path, **bot: object) -> BotConfig:
    """A config whose database lives under ``tmp_path`` and which reads no folders."""
    return BotConfig(
        database=DatabaseSettings(path=str(tmp_path / "parley.db")),
        sources=SourceSettings(folders=()),
        bot=BotSettings(**bot),  # type: ignore[arg-type]
    )


@contextlib.asynccontextmanager
async def running_bot(
    config: BotConfig,
    *,
    tuning: Tuning = FAST,
    clock: Callable[[], datetime] = utc_now,
    timeout: float = 60,
) -> AsyncIterator[ParleyBot]:
    """A logged-in, ready ParleyBot; closed (and its task awaited) on exit."""
    bot = ParleyBot(config, tuning=tuning, clock=clock)
    task = asyncio.create_task(bot.start("test-token"))

    async def ready() -> None:
        # Ready, and every guild known in full: on a loaded machine discord.py's short
        # guild_ready_timeout can end its wait before a GUILD_CREATE is read.
        while not bot.is_ready() or any(guild.unavailable for guild in bot.guilds):
            if task.done():
                task.result()  # login failed: raise its error here
            await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(ready(), timeout)
        yield bot
    finally:
        await asyncio.wait_for(bot.close(), timeout)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)
        for db in _SIDE_CONNECTIONS.pop(id(bot), []):
            db.close()


def side_db(bot: ParleyBot) -> sqlite_utils.Database:
    """The test's own connection to the bot's database, closed with the bot.

    The bot's connection lives in its database thread; a test reads and writes beside it,
    as another process would.
    """
    db = open_bot_db(bot.config.database_path)
    _SIDE_CONNECTIONS.setdefault(id(bot), []).append(db)
    return db


def make_article(
    number: int, title: str, body: str, now: datetime, site: str = "Example News"
) -> Article:
    """A stored-ready article with a unique location and content hash."""
    return Article(
        location=f"https://news.example/{number}",
        body=body,
        content_hash=hashlib.sha256(f"{number}:{body}".encode()).hexdigest(),
        title=title,
        published=now,
        site=site,
        ingested_at=now,
    )


async def wait_until(predicate: Callable[[], bool], timeout: float = 60) -> None:
    """Poll ``predicate`` until true, failing the test (not hanging) after ``timeout``."""

    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


@contextlib.asynccontextmanager
async def newsroom(
    monkeypatch: pytest.MonkeyPatch, channels: tuple[str, ...] = ("news",), **settings: Any
) -> AsyncIterator[Emulator]:
    """A running emulator that discord.py talks to, with one guild, "Newsroom".

    Sets ``emu.guild``, ``emu.news`` (its news channel) and ``emu.readers`` (its Readers role).
    Discord's deadlines run on ``emu.clock``, a ``ManualClock`` unless ``clock=`` is given:
    a test moves it (``emu.clock.advance(4)``) to pass a deadline, so no test depends on the
    machine's speed. ``settings`` go to ``Emulator`` (``nonce_window``, ``shard_count``...).
    """
    settings.setdefault("clock", ManualClock())
    emu = await Emulator(**settings).start()
    emu.patch_discord(monkeypatch)
    emu.guild = emu.add_guild("Newsroom", channels=channels)
    emu.news = emu.channel_id(emu.guild, "news")
    emu.readers = emu.role_id(emu.guild)
    try:
        yield emu
    finally:
        await emu.stop()
