"""End to end: digests that cannot get out at first are retried in the running bot, told about
once, posted exactly once (even past Discord's nonce window), and cover every article once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.outbox import RetryPolicy
from bot.state import digest_outbox as outbox_state
from bot.state import guilds as guild_state
from bot.state import notes as bot_notes
from bot.state.records import SUPERSEDED
from digest.pipeline import ingest_article
from tests.discord_emulator.harness import (
    ADMIN,
    FAST,
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
    "Officials said a second round would follow next month in Washington."
)
PATIENT = replace(
    FAST,
    retry=RetryPolicy(attempts=2, first_delay=0.01, factor=2.0, max_delay=0.05, blocked_delay=0.05),
)


@pytest.fixture
async def emulator(monkeypatch):
    async with newsroom(monkeypatch, channels=("news", "general")) as emu:
        yield emu


async def setup_guild(emulator):
    reply = await emulator.command(
        "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
    )
    assert "Daily digest set" in reply["content"], reply


async def test_refused_digest_is_retried_told_once_and_covers_its_articles(emulator, tmp_path):
    owner = int(emulator.guilds[emulator.guild]["owner_id"])
    async with running_bot(bot_config(tmp_path), tuning=PATIENT) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        ingest_article(db, make_article(1, "Steel tariff talks", BODY, bot.now()))
        await emulator.forbid_posting(emulator.news)
        await bot.post_scheduled_digest(emulator.guild)  # quick tries fail; retried later
        entry = outbox_state.latest_digest(db, emulator.guild)
        await wait_until(lambda: outbox_state.get_outbox_by_id(db, entry.id).attempts >= 5)
        assert outbox_state.get_outbox_by_id(db, entry.id).state == "recorded"
        # Coverage stays where it was: nothing was posted.
        assert guild_state.get_guild_settings(db, emulator.guild).last_digest_at is None
        # The owner was told once, however many tries failed; status shows the problem.
        [told] = emulator.dms_to(owner)
        assert "may not post" in told["content"] and len(told["content"]) <= 2000
        status = await emulator.command("parley status", guild_id=emulator.guild, permissions=ADMIN)
        field = next(f for f in status["embeds"][0]["fields"] if f["name"] == "Last digest")
        assert "Problem" in field["value"] and "may not post" in field["value"]
        # Permission back: the running bot posts it, once, and coverage moves on.
        bot_id = int(emulator.bot_user["id"])
        await emulator.set_overwrite(emulator.news, bot_id, deny=0, member=True)
        await wait_until(lambda: outbox_state.get_outbox_by_id(db, entry.id).state == "posted")
        posted = outbox_state.get_outbox_by_id(db, entry.id)
        assert len(emulator.messages_in(emulator.news)) == len(posted.message_ids) == 1
        settings = guild_state.get_guild_settings(db, emulator.guild)
        assert settings.last_digest_at == posted.covers_until
        assert bot_notes.digest_problem(db, emulator.guild) is None
        assert len(emulator.dms_to(owner)) == 1


async def test_accepted_part_whose_answer_was_lost_is_not_posted_again_after_the_nonce_window(
    emulator, tmp_path
):
    config = bot_config(tmp_path)
    async with running_bot(config, tuning=PATIENT) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        ingest_article(db, make_article(1, "Steel tariff talks", BODY, bot.now()))
        route = r"^/channels/\d+/messages$"
        emulator.fail("POST", route, 503, accept=True)  # posted, but the answer is lost
        emulator.fail("POST", route, 503, times=10_000)  # then an outage
        emulator.fail("GET", route, 503, times=10_000)  # reading the channel fails too
        await bot.post_scheduled_digest(emulator.guild)
        assert len(emulator.messages_in(emulator.news)) == 1
        assert outbox_state.latest_digest(db, emulator.guild).message_ids == ()
    # Down for longer than Discord remembers nonces.
    emulator.clock.advance(emulator.nonce_window + 60)
    emulator.faults.clear()
    async with running_bot(config, tuning=PATIENT) as bot:
        db = side_db(bot)
        await wait_until(lambda: outbox_state.pending_digests(db) == [])
        entry = outbox_state.latest_digest(db, emulator.guild)
        assert entry.state == "posted"
    messages = emulator.messages_in(emulator.news)
    assert [int(m["id"]) for m in messages] == list(entry.message_ids)  # the first, found


async def test_digest_not_posted_by_the_next_period_is_covered_by_the_next_one(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path), tuning=PATIENT) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        ingest_article(db, make_article(1, "Steel tariff talks", BODY, bot.now()))
        settings = guild_state.get_guild_settings(db, emulator.guild)
        first, _ = outbox_state.record_digest(
            db,
            guild_id=emulator.guild,
            channel_id=settings.channel_id,
            period="2000-01-01",
            messages=[{"content": "never posted"}],
            since=None,
            now=bot.now(),
        )
        await bot.post_scheduled_digest(emulator.guild)
        await wait_until(lambda: outbox_state.pending_digests(db) == [])
        assert outbox_state.digest_state(db, first.id) == SUPERSEDED
        texts = [m["content"] for m in emulator.messages_in(emulator.news)]
        assert "never posted" not in texts
        header = emulator.messages_in(emulator.news)[0]["embeds"][0]
        assert "from 1 article" in header["description"]
