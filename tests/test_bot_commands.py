"""End to end: /digest on demand, the gateway dropping and resuming, the alert job firing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from digest.pipeline import ingest_article
from tests.discord_emulator import Focused
from tests.discord_emulator.harness import (
    ADMIN,
    bot_config,
    make_article,
    newsroom,
    running_bot,
    side_db,
    wait_until,
)

TALKS = (
    "Negotiators met in Geneva on Tuesday to discuss tariffs on steel. "
    "The talks lasted six hours and ended without a joint statement. "
    "A second round will follow next month."
)
FLOODS = (
    "Heavy rain flooded three villages in the north overnight. "
    "Rescue teams evacuated two hundred people by boat. "
    "The weather service expects more rain on Friday."
)


@pytest.fixture
async def emulator(monkeypatch):
    async with newsroom(monkeypatch) as emu:
        yield emu


async def test_digest_on_demand_is_ephemeral_and_deferred(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        now = bot.now()
        ingest_article(db, make_article(1, "Steel tariff talks", TALKS, now))
        ingest_article(db, make_article(2, "Floods in the north", FLOODS, now))
        interaction = await emulator.interact("digest", guild_id=emulator.guild, user_id=3)
        reply = await emulator.answer(interaction)
        assert interaction.deferred  # thinking first, then the followup
        assert reply["flags"] & 64
        titles = [e.get("title", "") for e in reply["embeds"]]
        assert titles[0].startswith("Your digest")
        assert "from 2 articles" in reply["embeds"][0]["description"]
        assert emulator.messages == []  # nothing public


async def test_digest_topic_and_since_filter(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        now = bot.now()
        ingest_article(db, make_article(1, "Steel tariff talks", TALKS, now))
        ingest_article(db, make_article(2, "Floods in the north", FLOODS, now))
        reply = await emulator.command("digest", guild_id=emulator.guild, topic="tariffs")
        assert reply["embeds"][0]["title"].startswith("Digest on tariffs")
        assert "from 1 article" in reply["embeds"][0]["description"]
        later = await emulator.command("digest", guild_id=emulator.guild, since="2999-01-01")
        assert "in the future" in later["content"]
        bad = await emulator.command("digest", guild_id=emulator.guild, since="last blue moon")
        assert "not a duration" in bad["content"] and bad["flags"] & 64
        week = await emulator.command("digest", guild_id=emulator.guild, since="1w")
        assert "from 2 articles" in week["embeds"][0]["description"]
        tags = await emulator.command("digest", guild_id=emulator.guild, topic=Focused("nuc"))
        assert [c["value"] for c in tags["choices"]] == ["nuclear"]


async def test_gateway_drop_resumes_and_replays_missed_events(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        await emulator.drop_connection()
        # Sent while the bot is away: Discord replays it after RESUME.
        interaction = await emulator.interact("topics", guild_id=emulator.guild)
        reply = await emulator.answer(interaction)
        assert reply["embeds"][0]["title"].startswith("Topics")
        assert emulator.resumes == 1 and emulator.identifies == 1


async def test_alert_job_fires_from_the_scheduler(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await emulator.command(
            "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
        )
        await bot.run_alerts()
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="floods")
        ingest_article(db, make_article(1, "Floods in the north", FLOODS, bot.now()))
        bot.scheduler.modify_job("alerts", next_run_time=datetime.now(UTC))
        await wait_until(lambda: len(emulator.dms_to(7)) == 1)
        job = bot.scheduler.get_job("alerts")
        assert job.next_run_time > datetime.now(UTC) + timedelta(minutes=30)
        await asyncio.sleep(0)
