"""End to end: the ingest job reads folders, tells admins once about a paused source, alerts;
and the production path (CPU work in a worker process) gives the same digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.settings import BotConfig, BotSettings
from digest.config import DatabaseSettings, SourceSettings
from digest.store import sources as source_store
from digest.store.sources import Source
from tests.discord_emulator.harness import ADMIN, FAST, bot_config, running_bot, side_db

STORY = (
    "Flood warning for the river valley\n\n"
    "Heavy rain flooded three villages in the river valley overnight, officials said on Monday. "
    "Rescue teams evacuated two hundred people by boat as the water kept rising. "
    "The weather service expects more rain on Friday and warned of further floods.\n"
)


async def test_ingest_job_reads_folders_alerts_and_announces_paused_sources(emulator, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    config = BotConfig(
        database=DatabaseSettings(path=str(tmp_path / "parley.db")),
        sources=SourceSettings(folders=(str(inbox),)),
        bot=BotSettings(),
    )
    async with running_bot(config) as bot:
        db = side_db(bot)
        await emulator.command(
            "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
        )
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="floods")
        await bot.run_alerts()  # the cursor starts here
        (inbox / "flood.txt").write_text(STORY)
        now = datetime.now(UTC)
        source_store.save_source(
            db,
            Source(
                "https://broken.example/feed",
                "feed",
                "admin",
                now,
                paused=True,
                last_error="HTTP 500",
                consecutive_failures=5,
            ),
        )
        await bot.run_ingest()
        await bot.run_ingest()  # nothing new, and the pause is not announced twice
        announcements = [m for m in emulator.messages_in(emulator.news) if m["content"]]
        assert len(announcements) == 1
        assert "<https://broken.example/feed>" in announcements[0]["content"]
        [dm] = emulator.dms_to(7)
        assert "Flood warning" in dm["embeds"][0]["description"]


async def test_worker_process_builds_the_same_digest(emulator, tmp_path):
    from digest.pipeline import ingest_article
    from tests.discord_emulator.harness import make_article

    body = STORY.split("\n\n", 1)[1]
    config = bot_config(tmp_path)
    async with running_bot(config, tuning=replace(FAST, cpu_workers=1), timeout=120) as bot:
        db = side_db(bot)
        ingest_article(db, make_article(1, "Flood warning", body, bot.now()))
        # The worker process starts (spawn, imports) inside this wait: a loaded machine needs long.
        asked = await emulator.interact("digest", guild_id=emulator.guild, since="1h")
        in_process = await emulator.answer(asked, timeout=300)
        assert await bot.off_loop(len, "abc") == 3  # runs in the worker process
    assert "from 1 article" in in_process["embeds"][0]["description"]
    assert in_process["embeds"][1]["title"] == "Flood warning"
