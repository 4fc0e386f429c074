"""End to end: first responses in time, replies within Discord's limits, user text inert.

Against the strict local Discord: a reply over any limit is refused there (400, 50035), a first
response after 3 s (on the emulator's clock) is refused with 404 (10062).
"""

from __future__ import annotations

import re

import pytest

from digest.sources import registry as sources
from tests.discord_emulator import Focused
from tests.discord_emulator.harness import (
    ADMIN,
    bot_config,
    running_bot,
    side_db,
    wait_until,
)

LONG = "x" * 5000


def hold_write_lock(db):
    """Another connection takes SQLite's write lock (as a worker's batch or a CLI ingest does)."""
    db.execute("BEGIN IMMEDIATE")


async def test_first_response_comes_before_the_database_answers(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        other = side_db(bot)
        hold_write_lock(other)
        try:
            # /subscribe writes: it waits for the lock; /topics and /subscriptions queue behind
            # it in the bot's database thread. Each must still be answered at once.
            waiting = [
                await emulator.interact("subscribe", guild_id=emulator.guild, topic="tariffs"),
                await emulator.interact("topics", guild_id=emulator.guild),
                await emulator.interact("subscriptions", guild_id=emulator.guild),
            ]
            await wait_until(lambda: all(i.responses for i in waiting))
            assert [i.responses[0]["type"] for i in waiting] == [5, 5, 5]  # "thinking…"
            assert other.execute("select count(*) from subscriptions").fetchone()[0] == 0
        finally:
            other.conn.commit()
        replies = [await emulator.answer(i) for i in waiting]
        assert "will be told about new articles on “tariffs”" in replies[0]["content"]
        assert replies[1]["embeds"][0]["title"].startswith("Topics")
        assert emulator.late_first_responses() == []


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("digest", {"since": LONG}),
        ("digest", {"topic": LONG}),
        ("subscribe", {"topic": LONG}),
        ("meetings", {"place": LONG}),
        ("meetings", {"since": LONG}),
        ("parley setup", {"time": LONG}),
        ("parley setup", {"timezone": LONG}),
        ("parley source add", {"url": LONG}),
        ("parley source remove", {"url": LONG}),
    ],
)
async def test_errors_echoing_long_input_stay_within_limits(emulator, tmp_path, command, options):
    async with running_bot(bot_config(tmp_path)):
        if command == "parley setup":
            options = {"channel": emulator.news, **options}
        reply = await emulator.command(
            command, guild_id=emulator.guild, permissions=ADMIN, **options
        )
        assert reply["flags"] & 64
        assert 0 < len(reply["content"]) <= 2000
        assert "Something went wrong" not in reply["content"]
        assert emulator.refusals == []


async def test_subscribing_a_long_phrase_answers_within_limits(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        phrase = " ".join(["word"] * 20)  # a long but valid phrase is echoed clipped
        reply = await emulator.command("subscribe", guild_id=emulator.guild, topic=phrase)
        assert "will be told" in reply["content"] and len(reply["content"]) <= 2000
        assert emulator.refusals == []


async def test_guild_only_commands_are_not_offered_in_dms(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        for name in ("subscribe", "unsubscribe", "subscriptions", "topics", "parley"):
            command = emulator.registered(name)
            assert command.get("contexts") == [0] or command.get("dm_permission") is False, name
            with pytest.raises(PermissionError):
                await emulator.interact(name, guild_id=None, user_id=5)
        # /digest and /meetings work in DMs.
        reply = await emulator.command("digest", guild_id=None, user_id=5)
        assert reply["embeds"][0]["title"].startswith("Your digest")


async def test_user_phrases_are_shown_inert(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        phrase = "[free](https://evil.example) **loud** @everyone"
        await emulator.command("subscribe", guild_id=emulator.guild, user_id=9, topic=phrase)
        topics = await emulator.command("topics", guild_id=emulator.guild, user_id=9)
        mine = await emulator.command("subscriptions", guild_id=emulator.guild, user_id=9)
        for reply in (topics, mine):
            text = reply["embeds"][0]["description"]
            assert re.search(r"(?<!\\)\[free\]\(", text) is None  # no live masked link
            assert "**loud**" not in text and "@everyone" not in text
            assert "free" in text and "loud" in text
        assert emulator.refusals == []


async def test_time_zone_input_is_validated(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        for zone in ("A" * 300, "../../etc/passwd", "Mars/Olympus", "Europe/Berlin/"):
            reply = await emulator.command(
                "parley setup",
                guild_id=emulator.guild,
                permissions=ADMIN,
                channel=emulator.news,
                timezone=zone,
            )
            assert "is not a time zone" in reply["content"], zone
            assert len(reply["content"]) <= 2000
        good = await emulator.command(
            "parley setup",
            guild_id=emulator.guild,
            permissions=ADMIN,
            channel=emulator.news,
            timezone="Europe/Berlin",
        )
        assert "Daily digest set" in good["content"]


async def test_a_long_source_url_offered_by_autocomplete_can_be_removed(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        url = "https://feeds.example/" + "section/" * 20 + "rss.xml"
        assert len(url) > 100
        _store_source(db, url, bot.now())
        offered = await emulator.command(
            "parley source remove", guild_id=emulator.guild, permissions=ADMIN, url=Focused("feeds")
        )
        [choice] = offered["choices"]
        assert len(choice["value"]) <= 100 and len(choice["name"]) <= 100
        reply = await emulator.command(
            "parley source remove", guild_id=emulator.guild, permissions=ADMIN, url=choice["value"]
        )
        assert reply["content"].startswith("Removed"), reply
        assert sources.list_sources(db) == []


def _store_source(db, url, now):
    from digest.store import sources as source_store
    from digest.store.sources import Source

    source_store.save_source(db, Source(url=url, kind="feed", origin="command", added_at=now))


def test_every_markdown_token_is_escaped_even_between_two_links():
    from bot.render import escape

    text = "[a](https://x.example) **bold** [b](https://evil.example) __under__ `code`"
    out = escape(text)
    assert re.search(r"(?<!\\)\[", out) is None and re.search(r"(?<!\\)\*\*", out) is None
    assert "\\_\\_under\\_\\_" in out and "\\`code\\`" in out
    assert "https://evil.example" in out  # URLs themselves stay whole


def test_autocomplete_values_resolve_back_to_the_whole_item():
    from bot.render import choice_value, choices, resolve_choice

    long_name = "Sheikh " + "Abdullah bin Zayed bin Sultan Al Nahyan " * 4
    names = [long_name, long_name + "Junior", "Ann Lee"]
    offered = choices(names, "sheikh")
    assert all(len(c.value) <= 100 and len(c.name) <= 100 for c in offered)
    assert resolve_choice(choice_value("Ann Lee"), names) == "Ann Lee"
    assert resolve_choice(offered[0].value, [long_name]) == long_name
    # Two items sharing the first 99 characters cannot be told apart: nothing is guessed.
    assert resolve_choice(offered[0].value, names) is None


async def test_digest_heading_shows_the_topic_inert(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        reply = await emulator.command("digest", guild_id=emulator.guild, topic="**loud** words")
        title = reply["embeds"][0]["title"]
        assert title.startswith("Digest on") and "**loud**" not in title
