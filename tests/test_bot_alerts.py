"""End to end: topic subscriptions and the alerts they bring, once per article, batched."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.state import alerts as alert_state
from digest.pipeline import ingest_article
from tests.discord_emulator import Focused
from tests.discord_emulator.harness import (
    ADMIN,
    bot_config,
    make_article,
    running_bot,
    side_db,
)

TARIFF = "Ministers met to discuss steel tariffs. The talks on tariffs will continue next week."
SOFTWARE = "A software company released an update. It mentions warfare games and nothing else."


async def prepare(emulator, bot):
    await emulator.command(
        "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
    )
    await bot.run_alerts()  # first run: sets the cursor, the backlog is not news


async def test_subscribe_and_get_a_direct_message_once(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await prepare(emulator, bot)
        reply = await emulator.command(
            "subscribe", guild_id=emulator.guild, user_id=7, topic="Tariffs"
        )
        assert "“tariffs”" in reply["content"] and reply["flags"] & 64
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=8, topic="war")
        now = datetime.now(UTC)
        ingest_article(db, make_article(1, "Steel talks", TARIFF, now))
        ingest_article(db, make_article(2, "Software update", SOFTWARE, now))
        await bot.run_alerts()
        await bot.run_alerts()  # a second run tells nobody twice
        dms = emulator.dms_to(7)
        assert len(dms) == 1
        description = dms[0]["embeds"][0]["description"]
        assert "Steel talks" in description and "Software" not in description
        assert emulator.dms_to(8) == []  # 'war' is not a whole word of 'warfare' or 'software'
        assert [d.article_id for d in alert_state.delivered_alerts(db, emulator.guild)] == [1]


async def test_role_alert_pings_only_that_role_and_closed_dms_fall_back(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await prepare(emulator, bot)
        refused = await emulator.command(
            "subscribe", guild_id=emulator.guild, user_id=5, topic="tariffs", role=emulator.readers
        )
        assert "Manage Server" in refused["content"]
        await emulator.command(
            "subscribe",
            guild_id=emulator.guild,
            user_id=5,
            permissions=ADMIN,
            topic="tariffs",
            role=emulator.readers,
        )
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=9, topic="steel")
        emulator.closed_dms.add(9)
        ingest_article(db, make_article(1, "Steel talks @everyone", TARIFF, datetime.now(UTC)))
        await bot.run_alerts()
        posted = emulator.messages_in(emulator.news)
        by_content = {m["content"]: m for m in posted}
        role_ping = by_content[f"<@&{emulator.readers}>"]
        assert role_ping["allowed_mentions"] == {"parse": [], "roles": [emulator.readers]}
        user_ping = by_content["<@9>"]
        assert user_ping["allowed_mentions"] == {"parse": [], "users": [9]}
        assert "@everyone" not in str(posted)
        vias = {d.target_id: d.via for d in alert_state.delivered_alerts(db, emulator.guild)}
        assert vias == {emulator.readers: "channel", 9: "channel"}


async def test_many_articles_are_batched(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await prepare(emulator, bot)
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="tariffs")
        now = datetime.now(UTC)
        for n in range(1, 13):
            ingest_article(db, make_article(n, f"Tariff story {n}", f"{TARIFF} ({n})", now))
        await bot.run_alerts()
        [dm] = emulator.dms_to(7)  # one message for the burst: 10 listed, 2 counted
        embed = dm["embeds"][0]
        assert embed["title"] == "12 new articles on your topics"
        assert embed["description"].count("Tariff story") == 10
        assert embed["description"].endswith("…and 2 more; /digest topic:tariffs shows them all")
        assert len(alert_state.delivered_alerts(db, emulator.guild)) == 12


async def test_unsubscribe_subscriptions_and_topics(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        g = emulator.guild
        await emulator.command("subscribe", guild_id=g, user_id=7, topic="nuclear")
        await emulator.command("subscribe", guild_id=g, user_id=7, topic="steel  Tariffs")
        again = await emulator.command("subscribe", guild_id=g, user_id=7, topic="NUCLEAR")
        assert "already" in again["content"]
        listed = await emulator.command("subscriptions", guild_id=g, user_id=7)
        assert listed["embeds"][0]["description"] == "• nuclear\n• steel tariffs"
        choices = await emulator.command("unsubscribe", guild_id=g, user_id=7, topic=Focused("st"))
        assert [c["value"] for c in choices["choices"]] == ["steel tariffs"]
        tags = await emulator.command("subscribe", guild_id=g, user_id=7, topic=Focused("nucl"))
        assert "nuclear" in [c["value"] for c in tags["choices"]]
        gone = await emulator.command("unsubscribe", guild_id=g, user_id=7, topic="nuclear")
        assert "Unsubscribed" in gone["content"]
        missing = await emulator.command("unsubscribe", guild_id=g, user_id=7, topic="nuclear")
        assert "No subscription" in missing["content"]
        bad = await emulator.command("subscribe", guild_id=g, user_id=7, topic="?!*")
        assert "not a usable topic" in bad["content"] and bad["flags"] & 64
        topics = await emulator.command("topics", guild_id=g, user_id=7)
        assert "steel tariffs** — 0 meetings, 1 following" in topics["embeds"][0]["description"]


async def test_alerts_left_recorded_are_delivered_once_after_a_restart(emulator, tmp_path):
    config = bot_config(tmp_path)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await prepare(emulator, bot)
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="tariffs")
        ingest_article(db, make_article(1, "Steel talks", TARIFF, datetime.now(UTC)))
        emulator.fail("POST", r"^/channels/\d+/messages$", 503, times=100)
        await bot.run_alerts()
        assert len(alert_state.pending_alerts(db)) == 1
    assert emulator.dms_to(7) == []
    emulator.faults.clear()
    async with running_bot(config) as bot:
        db = side_db(bot)
        await bot.run_alerts()
        await bot.run_alerts()
        assert alert_state.pending_alerts(db) == []
    assert len(emulator.dms_to(7)) == 1
