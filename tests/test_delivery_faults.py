"""Delivery under the failures that slip past a happy path: a restart half way through a digest
once Discord has forgotten its nonces, an answer lost on its way back, article text full of '@'.

Each test asserts what the channel (or the DM) ends up holding, the way a reader sees it. The
bot looks among a channel's recent messages before resending after an unknown outcome; where
reading them is refused, the nonce is all that stands between a retry and a duplicate, so those
tests also check the nonce of every POST (the emulator's ``posted_bodies``).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace

import pytest

from bot import render
from bot.state import alerts as alert_state
from bot.state import digest_outbox
from digest.config import DigestSettings
from digest.pipeline import ingest_article
from digest.store.articles import Headline
from tests.discord_emulator.harness import (
    ADMIN,
    bot_config,
    make_article,
    running_bot,
    side_db,
    wait_until,
)

MESSAGES = r"^/channels/\d+/messages$"
# Twelve unrelated events, so the digest has twelve stories: 13 embeds, two messages.
EVENTS = [
    ("Harbour dredging", "dredgers", "harbour", "silt", "Rotterdam"),
    ("Glacier survey", "glaciologists", "glacier", "meltwater", "Svalbard"),
    ("Vaccine rollout", "nurses", "vaccine", "clinics", "Lagos"),
    ("Chess final", "grandmasters", "chess", "openings", "Chennai"),
    ("Rail strike", "drivers", "railway", "timetables", "Lyon"),
    ("Coffee harvest", "growers", "coffee", "beans", "Antioquia"),
    ("Satellite launch", "engineers", "satellite", "orbit", "Kourou"),
    ("Wildfire season", "firefighters", "wildfire", "embers", "Alberta"),
    ("Museum reopening", "curators", "museum", "galleries", "Kyoto"),
    ("Whale stranding", "biologists", "whales", "beach", "Tasmania"),
    ("Bridge inspection", "inspectors", "bridge", "cables", "Genoa"),
    ("Orchestra tour", "violinists", "orchestra", "concert", "Vienna"),
]
# '@' in every shape an article might carry; none may reach Discord able to mention anyone.
AT_FORMS = (
    "@everyone @here @Readers @someone @123 @!123 @&123 <@1> <@!2> <@&3> "
    "@123456789012345678 <@123456789012345678> press@agency.example @@twice"
)
LIVE_AT = re.compile(r"@(?=[\w!&@])")  # an '@' directly followed by what a mention is made of


def event_body(subject: str, thing: str, detail: str, place: str) -> str:
    return (
        f"The {subject} in {place} began work on the {thing} on Monday. "
        f"Local officials said the {detail} would be studied for several weeks. "
        f"The {thing} project in {place} has drawn visitors and critics alike. "
        f"A report on the {detail} is due before the end of the year."
    )


def forget_nonces(emulator) -> None:
    """Discord remembers a nonce for a few minutes only: stand for a restart after longer."""
    emulator._nonces.clear()


async def setup_guild(emulator) -> None:
    reply = await emulator.command(
        "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=emulator.news
    )
    assert "Daily digest set" in reply["content"], reply


def first_titles(items) -> list[str]:
    return [item["embeds"][0]["title"] for item in items]


def two_part_config(tmp_path):
    return replace(bot_config(tmp_path), digest=DigestSettings(stories_per_digest=12))


def add_events(db, now) -> None:
    for number, (title, *words) in enumerate(EVENTS, start=1):
        ingest_article(db, make_article(number, title, event_body(*words), now))


async def test_a_two_part_digest_arrives_whole_and_in_order(emulator, tmp_path):
    async with running_bot(two_part_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_events(db, bot.now())
        await bot.post_scheduled_digest(emulator.guild)
        entry = digest_outbox.latest_digest(db, emulator.guild)
        assert len(entry.messages) == 2 and entry.state == "posted"
    assert first_titles(emulator.messages_in(emulator.news)) == first_titles(entry.messages)


def refuse_history(emulator) -> None:
    """Reading recent messages is refused (403): the bot cannot look before resending."""
    emulator.fail("GET", MESSAGES, 403, times=10_000)


def nonces_posted(emulator, channel_id: int) -> list[str | None]:
    """The nonce of every message POST Discord took in for a channel, in order; each must ask
    Discord to enforce it (discord.py sets ``enforce_nonce`` with every nonce)."""
    bodies = [body for channel, body in emulator.posted_bodies if channel == channel_id]
    assert all(body.get("enforce_nonce") is True for body in bodies), bodies
    return [body.get("nonce") for body in bodies]


@pytest.mark.parametrize("history", ["readable", "refused"])
async def test_a_restart_after_part_one_posts_only_the_rest(emulator, tmp_path, history):
    config = two_part_config(tmp_path)
    if history == "refused":  # only what the bot recorded of part one keeps it from a repeat
        refuse_history(emulator)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_events(db, bot.now())

        async def fail_after_part_one() -> None:
            # Discord takes part one, then fails every post until the bot goes down. The
            # failure is in place before part two can be sent: the emulator wakes this waiter
            # while it is still answering part one.
            await emulator.wait_for_messages(1, channel_id=emulator.news)
            emulator.fail("POST", MESSAGES, 503, times=10_000)

        watcher = asyncio.ensure_future(fail_after_part_one())
        await bot.post_scheduled_digest(emulator.guild)
        await asyncio.wait_for(watcher, 60)
        entry = digest_outbox.latest_digest(db, emulator.guild)
        assert len(entry.messages) == 2 and entry.state == "recorded"
    assert first_titles(emulator.messages_in(emulator.news)) == first_titles(entry.messages[:1])

    emulator.faults = [f for f in emulator.faults if f.method == "GET"]
    forget_nonces(emulator)  # the bot stays down long enough for Discord to forget them
    async with running_bot(config) as bot:
        db = side_db(bot)
        await wait_until(lambda: digest_outbox.pending_digests(db) == [])
        assert digest_outbox.latest_digest(db, emulator.guild).state == "posted"
    # Part one once, part two once, in order.
    assert first_titles(emulator.messages_in(emulator.news)) == first_titles(entry.messages)


async def test_a_lost_answer_to_an_alert_still_leaves_one_message(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        await bot.run_alerts()  # the first run sets the cursor: the backlog is not news
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="tariffs")
        await emulator.command(
            "subscribe",
            guild_id=emulator.guild,
            user_id=5,
            permissions=ADMIN,
            topic="tariffs",
            role=emulator.readers,
        )
        body = "Ministers met to discuss steel tariffs. The talks on tariffs resume next week."
        ingest_article(db, make_article(1, "Steel tariff talks", body, bot.now()))
        # Discord posts each alert (the DM and the role's mention) but both answers are lost,
        # so the bot sends each again.
        emulator.fail("POST", MESSAGES, 503, times=2, accept=True)
        await bot.run_alerts()
        await bot.run_alerts()
        assert alert_state.pending_alerts(db) == []
    statuses = [status for method, path, status in emulator.requests if re.match(MESSAGES, path)]
    assert statuses.count(503) == 2  # both answers really were lost
    assert len(emulator.dms_to(7)) == 1
    pings = [m for m in emulator.messages_in(emulator.news) if m["content"]]
    assert [m["content"] for m in pings] == [f"<@&{emulator.readers}>"]


async def test_a_lost_answer_and_a_restart_still_leave_one_alert(emulator, tmp_path):
    config = bot_config(tmp_path)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        await bot.run_alerts()
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="tariffs")
        body = "Ministers met to discuss steel tariffs. The talks on tariffs resume next week."
        ingest_article(db, make_article(1, "Steel tariff talks", body, bot.now()))
        # Taken, but every answer is lost until the bot goes down: never sent twice meanwhile.
        emulator.fail("POST", MESSAGES, 503, times=10_000, accept=True)
        await bot.run_alerts()
        assert len(emulator.dms_to(7)) == 1
    emulator.faults.clear()
    async with running_bot(config) as bot:  # back within Discord's nonce window
        db = side_db(bot)
        await bot.run_alerts()
        assert alert_state.pending_alerts(db) == []
    assert len(emulator.dms_to(7)) == 1


async def test_every_digest_part_carries_its_own_nonce_the_same_on_a_retry(emulator, tmp_path):
    refuse_history(emulator)
    async with running_bot(two_part_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_events(db, bot.now())
        # Part one is taken but its answer lost; the bot cannot read the channel to see it,
        # so it sends part one again: only the nonce keeps the channel from holding it twice.
        emulator.fail("POST", MESSAGES, 503, times=1, accept=True)
        await bot.post_scheduled_digest(emulator.guild)
        entry = digest_outbox.latest_digest(db, emulator.guild)
        assert len(entry.messages) == 2 and entry.state == "posted"
    first, again, second = nonces_posted(emulator, emulator.news)
    assert first and first == again and second and second != first
    assert first_titles(emulator.messages_in(emulator.news)) == first_titles(entry.messages)


async def test_a_digest_part_resent_after_a_restart_keeps_its_nonce(emulator, tmp_path):
    config = two_part_config(tmp_path)
    refuse_history(emulator)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        add_events(db, bot.now())
        # Every post is taken but every answer lost until the bot goes down.
        emulator.fail("POST", MESSAGES, 503, times=10_000, accept=True)
        await bot.post_scheduled_digest(emulator.guild)
        entry = digest_outbox.latest_digest(db, emulator.guild)
        assert entry.state == "recorded" and not entry.message_ids
    emulator.faults = [f for f in emulator.faults if f.method == "GET"]
    async with running_bot(config) as bot:  # back within Discord's nonce window
        db = side_db(bot)
        await wait_until(lambda: digest_outbox.pending_digests(db) == [])
    nonces = nonces_posted(emulator, emulator.news)
    assert len(nonces) >= 3 and None not in nonces
    assert len(set(nonces)) == 2  # one per part, however often it was sent
    assert first_titles(emulator.messages_in(emulator.news)) == first_titles(entry.messages)


async def subscribe_dm_and_role(emulator, bot) -> None:
    await setup_guild(emulator)
    await bot.run_alerts()  # the first run sets the cursor: the backlog is not news
    await emulator.command("subscribe", guild_id=emulator.guild, user_id=7, topic="tariffs")
    await emulator.command(
        "subscribe",
        guild_id=emulator.guild,
        user_id=5,
        permissions=ADMIN,
        topic="tariffs",
        role=emulator.readers,
    )


async def test_alerts_resent_unseen_keep_their_nonce_across_a_restart(emulator, tmp_path):
    config = bot_config(tmp_path)
    refuse_history(emulator)
    async with running_bot(config) as bot:
        db = side_db(bot)
        await subscribe_dm_and_role(emulator, bot)
        body = "Ministers met to discuss steel tariffs. The talks on tariffs resume next week."
        ingest_article(db, make_article(1, "Steel tariff talks", body, bot.now()))
        # Taken, but every answer lost, and no history to look in: each alert is sent again
        # and again, and only its nonce keeps it one message.
        emulator.fail("POST", MESSAGES, 503, times=10_000, accept=True)
        await bot.run_alerts()
        assert alert_state.pending_alerts(db) != []
    emulator.faults = [f for f in emulator.faults if f.method == "GET"]
    async with running_bot(config) as bot:
        db = side_db(bot)
        await bot.run_alerts()
        assert alert_state.pending_alerts(db) == []
    dm_channel = int(emulator.dm_channel(7)["id"])
    for channel in (dm_channel, emulator.news):
        nonces = nonces_posted(emulator, channel)
        assert len(nonces) >= 2 and nonces[0] is not None and set(nonces) == {nonces[0]}
    assert len(emulator.dms_to(7)) == 1
    pings = [m for m in emulator.messages_in(emulator.news) if m["content"]]
    assert [m["content"] for m in pings] == [f"<@&{emulator.readers}>"]


@pytest.mark.parametrize("text", [AT_FORMS, *AT_FORMS.split()])
def test_escape_breaks_every_at_sign(text):
    assert LIVE_AT.search(render.escape(text)) is None


def test_an_alert_breaks_every_at_sign_of_article_text():
    article = Headline(1, f"Breaking {AT_FORMS}", "https://news.example/1", AT_FORMS)
    payload = render.alert_payload([(article, "trade")], mention=None)
    assert LIVE_AT.search(json.dumps(payload, ensure_ascii=False)) is None


async def test_digest_text_arrives_with_every_at_sign_broken(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        await setup_guild(emulator)
        body = (
            f"Officials met {AT_FORMS} in Geneva on Tuesday to discuss tariffs on steel. "
            "The talks lasted six hours and ended without a joint statement. "
            f"Write to press@agency.example or @someone for details, said @spokesperson. "
            "Markets rose slightly after the meeting as traders hoped for a deal."
        )
        title = f"Tariff talks {AT_FORMS}"
        ingest_article(db, make_article(1, title, body, bot.now(), site="@everyone Daily"))
        await bot.post_scheduled_digest(emulator.guild)
        messages = emulator.messages_in(emulator.news)
    assert messages
    text = json.dumps([m["embeds"] for m in messages], ensure_ascii=False)
    assert "Tariff talks" in text and "Geneva" in text
    assert LIVE_AT.search(text) is None
