"""End to end: the bot keeps serving when parts fail — a refused command sync, a gateway event
it cannot read, closed DMs, a refused notice — and stays far below Discord's invalid-request
limit."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.state import alerts as alert_state
from bot.state import guilds as guild_state
from bot.state.records import GuildSettings
from digest.pipeline import ingest_article
from digest.store import sources as source_store
from digest.store.sources import Source
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

FLOODS = (
    "Heavy rain flooded three villages in the north overnight. "
    "Rescue teams evacuated two hundred people by boat. "
    "The weather service expects more rain on Friday."
)


async def test_a_refused_command_sync_is_retried_while_digests_run(emulator, tmp_path):
    # Refused three times (discord.py itself retries 5xx answers, slowly: not needed here).
    emulator.fail("PUT", r"^/applications/\d+/commands$", 400, times=3)
    async with running_bot(bot_config(tmp_path)) as bot:  # starts although the sync failed
        db = side_db(bot)
        guild_state.save_guild_settings(
            db, GuildSettings(emulator.guild, emulator.news, "08:00", "UTC"), bot.now()
        )
        ingest_article(db, make_article(1, "Floods in the north", FLOODS, bot.now()))
        await bot.post_scheduled_digest(emulator.guild)
        assert len(emulator.messages_in(emulator.news)) == 1
        await wait_until(lambda: len(emulator.global_commands) > 0)
        reply = await emulator.command("topics", guild_id=emulator.guild)
        assert reply["embeds"][0]["title"].startswith("Topics")


async def test_switching_sync_scope_removes_the_other_scopes_commands(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        assert emulator.global_commands
    async with running_bot(bot_config(tmp_path, sync="guild", dev_guild_ids=(emulator.guild,))):
        assert emulator.global_commands == []
        assert {c["name"] for c in emulator.guild_commands[emulator.guild]} >= {"digest", "parley"}
    async with running_bot(bot_config(tmp_path)):
        assert emulator.guild_commands[emulator.guild] == []
        assert {c["name"] for c in emulator.global_commands} >= {"digest", "parley"}


async def test_a_gateway_event_that_cannot_be_read_does_not_end_the_bot(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        broken = {"id": "not-a-number", "guild_id": str(emulator.guild), "type": 0}
        await emulator.dispatch("CHANNEL_CREATE", broken, emulator.guild)
        await emulator.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(emulator.guild)}, emulator.guild
        )
        reply = await emulator.command("topics", guild_id=emulator.guild)
        assert reply["embeds"][0]["title"].startswith("Topics")
        assert emulator.identifies == 1  # the same session: nothing was restarted


async def subscribe_closed(emulator, bot, users):
    await emulator.command(
        "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
    )
    await bot.run_alerts()  # the first run only sets the cursor
    for user in users:
        emulator.closed_dms.add(user)
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=user, topic="floods")


async def test_closed_dms_are_remembered_until_the_user_comes_back(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await subscribe_closed(emulator, bot, (71, 72))
        ingest_article(db, make_article(1, "Floods in the north", FLOODS, bot.now()))
        await bot.run_alerts()
        mentions = [m["content"] for m in emulator.messages_in(emulator.news)]
        assert sorted(mentions) == ["<@71>", "<@72>"]
        refused = emulator.invalid_requests()
        assert refused == 2  # one refused DM each
        ingest_article(
            db, make_article(2, "More floods in the north", FLOODS + " Again.", bot.now())
        )
        await bot.run_alerts()
        assert len(emulator.messages_in(emulator.news)) == 4
        assert emulator.invalid_requests() == refused  # remembered: no DM tried
        # User 71 opens DMs and uses Parley: DMs again.
        emulator.closed_dms.discard(71)
        await emulator.command("subscriptions", guild_id=emulator.guild, user_id=71)
        await wait_until(lambda: not bot_state_dm_closed(db, 71))
        ingest_article(db, make_article(3, "Floods recede", FLOODS + " Later.", bot.now()))
        await bot.run_alerts()
        assert len(emulator.dms_to(71)) == 1
        assert emulator.messages_in(emulator.news)[-1]["content"] == "<@72>"


def bot_state_dm_closed(db, user):
    from bot.state import notes as bot_notes

    return bot_notes.dm_closed(db, user)


async def test_invalid_requests_stop_at_the_guards_budget(emulator, tmp_path):
    tuning = replace(FAST, invalid_budget=3)
    async with running_bot(bot_config(tmp_path), tuning=tuning) as bot:
        db = side_db(bot)
        users = tuple(range(80, 90))
        await subscribe_closed(emulator, bot, users)
        await emulator.forbid_posting(emulator.news)  # no fallback either: every post refused
        ingest_article(db, make_article(1, "Floods in the north", FLOODS, bot.now()))
        await bot.run_alerts()
        await bot.run_alerts()
        assert bot.guard.count >= 3
        assert emulator.invalid_requests() <= 3 + 1  # the budget, and the one that crossed it
        # Answers to users are never held.
        reply = await emulator.command("topics", guild_id=emulator.guild)
        assert reply["embeds"][0]["title"].startswith("Topics")


async def test_paused_source_notice_is_inert_within_limits_and_retried_when_refused(
    emulator, tmp_path
):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await emulator.command(
            "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
        )
        url = "https://feeds.example/" + "deep/" * 600 + "rss.xml"
        error = "@everyone **down** [click](https://evil.example) <@&123456789012345678> " * 40
        source_store.save_source(
            db,
            Source(url=url, kind="feed", origin="command", added_at=bot.now(), paused=True,
                   last_error=error),
        )  # fmt: skip
        emulator.fail("POST", r"^/channels/\d+/messages$", 400, times=1)
        await bot.announce_paused_sources()  # refused: not marked, so told next time
        assert emulator.messages_in(emulator.news) == []
        assert source_store.paused_unannounced(db) != []
        await bot.announce_paused_sources()
        [notice] = emulator.messages_in(emulator.news)
        text = notice["content"]
        assert len(text) <= 2000 and "Parley stopped reading" in text
        assert "@everyone" not in text and "<@&123456789012345678>" not in text
        assert "**down**" not in text
        assert re.search(r"(?<!\\)\[click\]\(", text) is None
        assert notice["mention_everyone"] is False and notice["mention_roles"] == []
        assert source_store.paused_unannounced(db) == []
        assert [r for r in emulator.refusals if r[3].get("code") == 50035] == []  # within limits


async def test_a_refusing_channel_holds_up_no_other_alert_and_is_not_retried_each_run(
    emulator, tmp_path
):
    other = emulator.add_guild("Other")
    await emulator.dispatch("GUILD_CREATE", emulator.guilds[other], other)
    tuning = replace(FAST, alert_page=1)  # one target per page: the refused one comes first
    async with running_bot(bot_config(tmp_path), tuning=tuning) as bot:
        db = side_db(bot)
        for guild_id in (emulator.guild, other):
            await emulator.command(
                "parley setup",
                guild_id=guild_id,
                permissions=ADMIN,
                channel=emulator.channel_id(guild_id),
            )
        await bot.run_alerts()
        await emulator.command(
            "subscribe",
            guild_id=emulator.guild,
            permissions=ADMIN,
            topic="floods",
            role=emulator.readers,
        )
        await emulator.command("subscribe", guild_id=other, user_id=7, topic="floods")
        await emulator.forbid_posting(emulator.news)
        ingest_article(db, make_article(1, "Floods in the north", FLOODS, bot.now()))
        await bot.run_alerts()
        assert len(emulator.dms_to(7)) == 1  # not held up by the refusing channel before it
        refused = emulator.invalid_requests()
        assert refused == 1
        ingest_article(db, make_article(2, "More floods", FLOODS + " Again.", bot.now()))
        await bot.run_alerts()
        assert len(emulator.dms_to(7)) == 2
        assert emulator.invalid_requests() == refused  # the refusing channel waits its turn
        pending = alert_state.pending_alert_groups(db, 10)
        assert [(g.guild_id, g.kind) for g in pending] == [(emulator.guild, "role")]


async def test_an_alert_whose_answer_was_lost_is_not_sent_twice_without_the_nonce(
    monkeypatch, tmp_path
):
    async with (
        newsroom(monkeypatch, nonce_window=-1) as emulator,  # every nonce already forgotten
        running_bot(bot_config(tmp_path)) as bot,
    ):
        db = side_db(bot)
        await emulator.command(
            "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
        )
        await bot.run_alerts()
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="floods")
        ingest_article(db, make_article(1, "Floods in the north", FLOODS, bot.now()))
        emulator.fail("POST", r"^/channels/\d+/messages$", 503, accept=True)  # answer lost
        await bot.run_alerts()
        assert len(emulator.dms_to(7)) == 1
        assert alert_state.pending_alert_groups(db, 10) == []
