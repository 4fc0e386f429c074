"""End to end: /digest on demand, the gateway dropping and resuming, the alert job firing."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot import work
from digest.pipeline import ingest_article
from tests.discord_emulator import Focused
from tests.discord_emulator.harness import (
    ADMIN,
    bot_config,
    make_article,
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


class BuildSpy:
    """The real ``digest_since``, counting builds and how many ran at once (threads in tests)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, gate: threading.Event | None = None):
        self.calls = self.running = self.most = 0
        self._lock = threading.Lock()
        self._gate = gate
        real = work.digest_since

        def spy(*args, **kwargs):
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                if self._gate is not None:
                    self._gate.wait(60)
                return real(*args, **kwargs)
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(work, "digest_since", spy)


async def test_digests_asked_within_a_minute_share_one_build(emulator, tmp_path, monkeypatch):
    # Each /digest used to build from "now minus a day" to the microsecond: no two commands
    # shared a build, and with 1,000 articles the worker queue grew faster than it drained.
    moment = [datetime(2026, 12, 7, 10, 0, 5, tzinfo=UTC)]
    builds = BuildSpy(monkeypatch)
    async with running_bot(bot_config(tmp_path), clock=lambda: moment[0]) as bot:
        db = side_db(bot)
        ingest_article(db, make_article(1, "Steel tariff talks", TALKS, moment[0]))
        first = await emulator.command("digest", guild_id=emulator.guild, user_id=3)
        moment[0] += timedelta(seconds=40)  # 10:00:45, the same minute
        second = await emulator.command("digest", guild_id=emulator.guild, user_id=4)
        assert builds.calls == 1
        assert first["embeds"] == second["embeds"]
        moment[0] += timedelta(seconds=20)  # 10:01:05, a new minute: a new build
        await emulator.command("digest", guild_id=emulator.guild, user_id=5)
        assert builds.calls == 2


async def test_digests_on_demand_build_one_at_a_time(emulator, tmp_path, monkeypatch):
    # Members asking faster than builds finish wait for each other rather than queue CPU work
    # in front of the scheduled digests and alerts.
    gate = threading.Event()
    builds = BuildSpy(monkeypatch, gate)
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        ingest_article(db, make_article(1, "Steel tariff talks", TALKS, bot.now()))
        ingest_article(db, make_article(2, "Floods in the north", FLOODS, bot.now()))
        asked = [
            await emulator.interact("digest", guild_id=emulator.guild, user_id=3, topic=topic)
            for topic in ("tariffs", "floods", "steel")
        ]
        await wait_until(lambda: builds.calls >= 1 and all(i.deferred for i in asked))
        await asyncio.sleep(0.5)  # room for the others to start theirs (they must not)
        assert builds.running == 1
        gate.set()
        replies = [await emulator.answer(interaction) for interaction in asked]
        assert builds.calls == 3 and builds.most == 1
        assert [r["embeds"][0]["title"].split(" — ")[0] for r in replies] == [
            "Digest on tariffs",
            "Digest on floods",
            "Digest on steel",
        ]
