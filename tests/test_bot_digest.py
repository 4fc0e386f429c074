"""End to end: scheduled digests reach the right channel once, valid and inert, whatever fails."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.render import EMBED_TOTAL, EMBEDS_PER_MESSAGE
from bot.state import digest_outbox as outbox_state
from digest.pipeline import ingest_article
from tests.discord_emulator.harness import (
    ADMIN,
    bot_config,
    make_article,
    newsroom,
    running_bot,
    side_db,
    wait_until,
)

BODY = (
    "Negotiators from both countries met in Geneva on Tuesday to discuss tariffs on steel. "
    "The talks lasted six hours and ended without a joint statement. "
    "Officials said a second round would follow next month in Washington. "
    "Markets rose slightly after the meeting as traders hoped for a deal."
)
HOSTILE_TITLE = "@everyone **Breaking** <@&123456789012345678> [click](https://evil.example)"
HOSTILE_BODY = (
    "@here the minister said <@123456789012345678> would attend. __Nothing__ is `decided`. "
    "Analysts expect ~~little~~ progress at the summit in Brussels next week. "
    "> quoted text and # heading text stay plain. The summit will discuss energy prices."
)


@pytest.fixture
async def emulator(monkeypatch):
    async with newsroom(monkeypatch, channels=("news", "general")) as emu:
        yield emu


async def setup_guild(emulator, time="08:00", zone="UTC"):
    reply = await emulator.command(
        "parley setup",
        guild_id=emulator.guild,
        permissions=ADMIN,
        channel=emulator.news,
        time=time,
        timezone=zone,
    )
    assert "Daily digest set" in reply["content"], reply


def add_articles(db, now):
    ingest_article(db, make_article(1, "Steel tariff talks end without deal", BODY, now))
    ingest_article(db, make_article(2, HOSTILE_TITLE, HOSTILE_BODY, now, site="@everyone Daily"))


def fire_now(bot, guild_id):
    bot.scheduler.modify_job(f"digest:{guild_id}", next_run_time=datetime.now(UTC))


def assert_valid_messages(messages):
    for message in messages:
        embeds = message["embeds"]
        assert 1 <= len(embeds) <= EMBEDS_PER_MESSAGE
        total = 0
        for embed in embeds:
            assert len(embed.get("title", "")) <= 256
            assert len(embed.get("description", "")) <= 4096
            assert len(embed.get("fields", [])) <= 25
            for field in embed.get("fields", []):
                assert len(field["name"]) <= 256 and len(field["value"]) <= 1024
            total += sum(len(embed.get(k, "")) for k in ("title", "description")) + sum(
                len(f["name"]) + len(f["value"]) for f in embed.get("fields", [])
            )
            total += len(embed.get("footer", {}).get("text", ""))
        assert total <= EMBED_TOTAL
        assert message["allowed_mentions"] == {"parse": []}


async def test_scheduled_digest_arrives_once_in_the_right_channel(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_articles(db, bot.now())
        fire_now(bot, emulator.guild)
        messages = await emulator.wait_for_messages(1, channel_id=emulator.news)
        await wait_until(
            lambda: (
                outbox_state.pending_digests(db) == []
                and outbox_state.latest_digest(db, emulator.guild) is not None
            )
        )
        assert_valid_messages(messages)
        header = messages[0]["embeds"][0]
        assert header["title"].startswith("Parley digest")
        assert "from 2 articles" in header["description"]
        entry = outbox_state.latest_digest(db, emulator.guild)
        assert entry.state == "posted"
        assert list(entry.message_ids) == [int(m["id"]) for m in messages]
        # A second firing in the same period posts nothing more.
        await bot.post_scheduled_digest(emulator.guild)
        assert len(emulator.messages_in(emulator.news)) == len(messages)
        assert emulator.messages_in(emulator.channel_id(emulator.guild, "general")) == []
        job = bot.scheduler.get_job(f"digest:{emulator.guild}")
        assert job.next_run_time > datetime.now(UTC)


async def test_article_text_arrives_inert(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_articles(db, bot.now())
        await bot.post_scheduled_digest(emulator.guild)
        text = json.dumps(emulator.messages_in(emulator.news), ensure_ascii=False)
        text = json.loads(json.dumps(text))  # one plain string holding every field
        for live in ("@everyone", "@here", "<@&123456789012345678>", "<@123456789012345678>"):
            assert live not in text
        assert "Breaking" in text and "**Breaking**" not in text
        assert re.search(r"(?<!\\)\[click\]\(", text) is None  # no live link from article text
        assert "__Nothing__" not in text and "`decided`" not in text
        assert_valid_messages(emulator.messages_in(emulator.news))


async def test_rate_limit_and_server_errors_still_post_exactly_once(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_articles(db, bot.now())
        route = r"^/channels/\d+/messages$"
        emulator.fail("POST", route, 429, retry_after=0.05)  # discord.py waits retry_after
        emulator.fail("POST", route, 503)  # not retried by discord.py: our backoff retries
        emulator.fail("POST", route, 503, accept=True)  # accepted, but the answer is lost
        await bot.post_scheduled_digest(emulator.guild)
        statuses = [s for m, p, s in emulator.requests if m == "POST" and "/messages" in p]
        assert statuses[:3] == [429, 503, 503]
        entry = outbox_state.latest_digest(db, emulator.guild)
        assert entry.state == "posted" and entry.attempts >= 2
        messages = emulator.messages_in(emulator.news)
        assert len(messages) == len(entry.message_ids)  # the lost answer did not cause a copy
        assert len({m["nonce"] for m in messages}) == len(messages)


async def test_restart_between_recorded_and_posted_posts_once(emulator, tmp_path):
    config = bot_config(tmp_path)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_articles(db, bot.now())
        emulator.fail("POST", r"^/channels/\d+/messages$", 503, times=100)
        await bot.post_scheduled_digest(emulator.guild)
        entry = outbox_state.latest_digest(db, emulator.guild)
        assert entry.state == "recorded" and entry.attempts == 4
    assert emulator.messages_in(emulator.news) == []
    emulator.faults.clear()
    async with running_bot(config) as bot:
        db = side_db(bot)
        await wait_until(lambda: outbox_state.pending_digests(db) == [])
        entry = outbox_state.latest_digest(db, emulator.guild)
        assert entry.state == "posted"
        await bot.post_scheduled_digest(emulator.guild)  # and the job firing again changes nothing
    assert len(emulator.messages_in(emulator.news)) == len(entry.message_ids) >= 1


async def test_digest_missed_while_down_is_posted_once_on_return(emulator, tmp_path):
    config = bot_config(tmp_path)
    now = datetime.now(UTC)
    due = now - timedelta(hours=2)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await setup_guild(emulator, time=due.strftime("%H:%M"))
        add_articles(db, now)
        bot.scheduler.pause()  # the bot "goes down" before the job's time comes
        fire_at = due.replace(second=0, microsecond=0)
        bot.scheduler.modify_job(f"digest:{emulator.guild}", next_run_time=fire_at)
    assert emulator.messages_in(emulator.news) == []
    async with running_bot(config) as bot:
        db = side_db(bot)
        await emulator.wait_for_messages(1, channel_id=emulator.news)
        await wait_until(lambda: outbox_state.pending_digests(db) == [])
        entry = outbox_state.latest_digest(db, emulator.guild)
        assert entry.state == "posted"
        assert entry.period == due.date().isoformat()
        assert bot.scheduler.get_job(f"digest:{emulator.guild}").next_run_time > now
    assert len(emulator.messages_in(emulator.news)) == len(entry.message_ids)


async def test_paused_guild_gets_no_digest(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_articles(db, bot.now())
        await emulator.command("parley pause", guild_id=emulator.guild, permissions=ADMIN)
        await bot.post_scheduled_digest(emulator.guild)
        assert emulator.messages_in(emulator.news) == []
        assert outbox_state.latest_digest(db, emulator.guild) is None
