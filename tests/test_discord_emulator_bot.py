"""The real bot against the strict local Discord: scenarios of issue 19 that Discord would refuse.

Each test is what Discord would do to the bot. Each failed on the bot before issue 19's fixes
(bot code at f83250b, against this strict emulator) and passes on the fixed bot: guild-only
commands offered in DMs, 5,000-character echoes, a 403 per alert to a closed DM, a part posted
twice after an outage past the nonce window, a first response held by a database lock, no
sharding (closed with 4011).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest

from bot.state import alerts as alert_state
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

TARIFF = "Ministers met to discuss steel tariffs. The talks on tariffs will continue next week."
BODY = (
    "Negotiators from both countries met in Geneva on Tuesday to discuss tariffs on steel. "
    "The talks lasted six hours and ended without a joint statement. "
    "Officials said a second round would follow next month in Washington. "
    "Markets rose slightly after the meeting as traders hoped for a deal."
)
MESSAGES = r"^/channels/\d+/messages$"


async def setup_digest(emulator, guild_id, channel_id):
    reply = await emulator.command(
        "parley setup",
        guild_id=guild_id,
        permissions=ADMIN,
        channel=channel_id,
        time="08:00",
        timezone="UTC",
    )
    assert "Daily digest set" in reply["content"], reply


async def test_guild_only_commands_are_not_offered_in_dms(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        for command in ("subscribe", "unsubscribe", "subscriptions", "topics"):
            with pytest.raises(PermissionError):
                await emulator.interact(command, guild_id=None, user_id=3)


@pytest.mark.parametrize(
    ("command", "given"),
    [("digest", {"since": "x" * 5000}), ("meetings", {"since": "y" * 5000})],
)
async def test_a_long_input_gets_a_reply_discord_accepts(emulator, tmp_path, command, given):
    async with running_bot(bot_config(tmp_path)):
        with contextlib.suppress(ValueError):  # the synced schema caps it: Discord won't send it
            reply = await emulator.command(command, guild_id=emulator.guild, user_id=7, **given)
            assert reply["content"] or reply["embeds"]
        assert emulator.refusals == []


async def test_closed_dms_cost_one_refusal(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_digest(emulator, emulator.guild, emulator.news)
        await bot.run_alerts()
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=9, topic="tariffs")
        emulator.closed_dms.add(9)
        for number in (1, 2, 3):
            ingest_article(db, make_article(number, f"Tariffs {number}", TARIFF, datetime.now(UTC)))
            await bot.run_alerts()
        assert len(alert_state.delivered_alerts(db, emulator.guild)) == 3  # told, in the channel
    assert emulator.invalid.by_status.get(403, 0) <= 1


async def test_a_lost_answer_then_an_outage_past_the_nonce_window_posts_once(emulator, tmp_path):
    config = bot_config(tmp_path)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await setup_digest(emulator, emulator.guild, emulator.news)
        ingest_article(db, make_article(1, "Steel tariff talks end without deal", BODY, bot.now()))
        emulator.fail("POST", MESSAGES, 503, accept=True)  # posted, but the answer is lost
        emulator.fail("POST", MESSAGES, 503, times=100)  # then an outage...
        emulator.fail("GET", MESSAGES, 503, times=100)  # ...of reading the channel too
        await bot.post_scheduled_digest(emulator.guild)
        assert outbox_state.latest_digest(db, emulator.guild).state != "posted"
    assert len(emulator.messages_in(emulator.news)) == 1  # the part that did land
    emulator.faults.clear()
    emulator.clock.advance(emulator.nonce_window + 1)  # Discord has forgotten the nonce
    async with running_bot(config) as bot:
        db = side_db(bot)
        await wait_until(lambda: outbox_state.latest_digest(db, emulator.guild).state == "posted")
        entry = outbox_state.latest_digest(db, emulator.guild)
    posted = emulator.messages_in(emulator.news)
    assert len(posted) == len(entry.message_ids)
    contents = [(m["content"], str(m["embeds"])) for m in posted]
    assert len(set(contents)) == len(contents)


async def test_first_response_within_3_seconds_while_the_database_is_locked(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        locker = side_db(bot)
        locker.execute("BEGIN IMMEDIATE")  # another writer holds the lock...
        try:
            asked = await emulator.interact(
                "subscribe", guild_id=emulator.guild, user_id=7, topic="tariffs"
            )
            with contextlib.suppress(TimeoutError):  # ...until the bot answers, or 30 s
                await wait_until(lambda: asked.responses or asked.refused, timeout=30)
            emulator.clock.advance(4)  # ...for 4 s in all, by Discord's clock
        finally:
            locker.execute("ROLLBACK")
        reply = await emulator.answer(asked)
    assert emulator.late_first_responses() == []
    assert "tariffs" in reply["content"] and "wrong" not in reply["content"]


async def test_two_shards_post_each_guilds_digest_once(monkeypatch, tmp_path):
    base = (1_300_000_000_000_000_000 >> 22) << 22
    async with newsroom(monkeypatch, shard_count=2) as emu:
        others = [emu.add_guild(f"G{n}", guild_id=base + n * (1 << 22)) for n in range(3)]
        guilds = [emu.guild, *others]
        assert {(g >> 22) % 2 for g in guilds} == {0, 1}
        async with running_bot(bot_config(tmp_path), timeout=60) as bot:
            db = side_db(bot)
            ingest_article(db, make_article(1, "Steel tariff talks", BODY, bot.now()))
            for guild_id in guilds:
                await setup_digest(emu, guild_id, emu.channel_id(guild_id))
            for guild_id in guilds:  # every digest due now, fired by the bot's own scheduler
                bot.scheduler.modify_job(f"digest:{guild_id}", next_run_time=datetime.now(UTC))

            def all_posted():
                entries = [outbox_state.latest_digest(db, g) for g in guilds]
                return all(e is not None and e.state == "posted" for e in entries)

            await wait_until(all_posted, timeout=60)
            for guild_id in guilds:
                entry = outbox_state.latest_digest(db, guild_id)
                assert entry.state == "posted"
                assert len(emu.messages_in(emu.channel_id(guild_id))) == len(entry.message_ids)
        assert sorted(emu.identified_shards) == [(0, 2), (1, 2)]
