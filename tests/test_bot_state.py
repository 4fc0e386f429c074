"""digest/store/bot_state.py on a real SQLite file, and the scheduler's pure period logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduler import digest_period
from digest.models import USER, AlertDelivery, Subscription
from digest.store import bot_state
from digest.store.bot_state import GuildSettings

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_guild_settings_round_trip_and_pause(db):
    assert bot_state.get_guild_settings(db, 1) is None
    assert not bot_state.set_paused(db, 1, True)
    settings = GuildSettings(1, 100, "08:00", "Europe/Berlin")
    bot_state.save_guild_settings(db, settings, NOW)
    assert bot_state.get_guild_settings(db, 1) == settings
    assert bot_state.set_paused(db, 1, True)
    bot_state.set_last_digest_at(db, 1, NOW)
    stored = bot_state.get_guild_settings(db, 1)
    assert stored.paused and stored.last_digest_at == NOW
    assert bot_state.all_guild_settings(db) == [stored]


def test_subscriptions_are_unique(db):
    sub = Subscription(1, USER, 7, "tariffs")
    assert bot_state.add_subscription(db, sub, NOW)
    assert not bot_state.add_subscription(db, sub, NOW)
    assert bot_state.subscriptions_of(db, 1, USER, 7) == [sub]
    assert bot_state.remove_subscription(db, sub)
    assert not bot_state.remove_subscription(db, sub)
    assert bot_state.all_subscriptions(db) == []


def test_outbox_records_once_per_period_and_tracks_parts(db_path):
    db = bot_state_db(db_path)
    messages = [{"embeds": [{"title": "a"}]}, {"embeds": [{"title": "b"}]}]
    entry, new = bot_state.record_digest(
        db, guild_id=1, channel_id=2, period="2026-11-26", messages=messages, since=None, now=NOW
    )
    again, second = bot_state.record_digest(
        db, guild_id=1, channel_id=2, period="2026-11-26", messages=[], since=None, now=NOW
    )
    assert new and not second and again.id == entry.id and len(again.messages) == 2
    bot_state.mark_part_posted(db, entry.id, 555)
    db.close()
    db = bot_state_db(db_path)  # a restart: the next part is remembered
    [pending] = bot_state.pending_digests(db)
    assert pending.next_part == 1 and pending.message_ids == (555,)
    assert bot_state.note_digest_failure(db, entry.id, "HTTP 503") == 1
    bot_state.mark_digest_posted(db, entry.id, NOW)
    assert bot_state.pending_digests(db) == []
    assert bot_state.latest_digest(db, 1).state == "posted"
    db.close()


def record(db, period, since, covers_until):
    entry, _ = bot_state.record_digest(
        db,
        guild_id=1,
        channel_id=2,
        period=period,
        messages=[{"content": period}],
        since=since,
        now=NOW,
        covers_until=covers_until,
    )
    return entry


def test_coverage_moves_on_only_when_the_digest_is_posted(db):
    bot_state.save_guild_settings(db, GuildSettings(1, 2, "08:00", "UTC"), NOW)
    moment = NOW.replace(hour=8, minute=0, second=0, microsecond=0)
    first = record(db, "2026-11-26", None, moment)
    assert bot_state.get_guild_settings(db, 1).last_digest_at is None  # not posted yet
    # The next day comes while it still waits: the new digest covers its articles (same
    # since) and the unposted one is superseded, never posted on top.
    second = record(db, "2026-11-27", None, moment + timedelta(days=1))
    assert bot_state.digest_state(db, first.id) == bot_state.SUPERSEDED
    assert [e.id for e in bot_state.pending_digests(db)] == [second.id]
    bot_state.mark_part_posted(db, second.id, 99)
    bot_state.mark_digest_posted(db, second.id, NOW)
    assert bot_state.get_guild_settings(db, 1).last_digest_at == moment + timedelta(days=1)
    # A part already posted keeps an entry from being superseded (it is finished instead).
    third = record(db, "2026-11-28", moment + timedelta(days=1), moment + timedelta(days=2))
    bot_state.mark_part_posted(db, third.id, 100)
    record(db, "2026-11-29", moment + timedelta(days=1), moment + timedelta(days=3))
    assert bot_state.digest_state(db, third.id) == bot_state.RECORDED


def bot_state_db(path):
    from digest import store

    return store.open_db(path)


def test_alerts_are_recorded_once(db):
    deliveries = [AlertDelivery(1, USER, 7, 10, "t"), AlertDelivery(1, USER, 7, 11, "t")]
    assert bot_state.record_alerts(db, deliveries, NOW) == 2
    assert bot_state.record_alerts(db, deliveries, NOW) == 0
    pending = bot_state.pending_alerts(db)
    bot_state.mark_alerts_posted(db, [pending[0].id], via="dm", message_id=5, now=NOW)
    assert [d.article_id for d in bot_state.pending_alerts(db)] == [11]
    assert [d.via for d in bot_state.delivered_alerts(db, 1)] == ["dm"]


def test_meta_and_article_cursor(db):
    assert bot_state.get_meta(db, "k") is None
    bot_state.set_meta(db, "k", "v")
    assert bot_state.get_meta(db, "k") == "v"
    assert bot_state.max_article_id(db) == 0
    assert bot_state.article_ids_after(db, 0) == []


@pytest.mark.parametrize(
    ("time", "zone", "now", "period"),
    [
        ("08:00", "UTC", datetime(2026, 11, 26, 8, 0, tzinfo=UTC), "2026-11-26"),
        ("08:00", "UTC", datetime(2026, 11, 26, 7, 59, tzinfo=UTC), "2026-11-25"),  # late run
        ("08:00", "Europe/Berlin", datetime(2026, 11, 26, 7, 0, tzinfo=UTC), "2026-11-26"),
        ("08:00", "Europe/Berlin", datetime(2026, 11, 26, 6, 59, tzinfo=UTC), "2026-11-25"),
        ("23:30", "America/New_York", datetime(2026, 11, 27, 4, 30, tzinfo=UTC), "2026-11-26"),
        ("00:15", "Asia/Tokyo", datetime(2026, 11, 26, 15, 15, tzinfo=UTC), "2026-11-27"),
        ("08:00", "UTC", datetime(2026, 11, 27, 7, 59, tzinfo=UTC), "2026-11-26"),  # a day late
    ],
)
def test_digest_period(time, zone, now, period):
    settings = GuildSettings(1, 2, time, zone)
    assert digest_period(settings, now) == period


def test_pending_alert_groups_count_all_but_read_the_first_few(db):
    deliveries = [AlertDelivery(1, USER, 7, n, "t") for n in range(1, 26)]
    deliveries += [AlertDelivery(1, USER, 8, 99, "u")]
    bot_state.record_alerts(db, deliveries, NOW)
    first, second = bot_state.pending_alert_groups(db, targets=10, shown=10)
    assert (first.target_id, first.count, len(first.first)) == (7, 25, 10)
    assert [d.article_id for d in first.first] == list(range(1, 11))
    assert (second.target_id, second.count) == (8, 1)
    assert len(bot_state.pending_alert_groups(db, targets=1)) == 1
    bot_state.mark_target_alerts_posted(db, [(first, "dm", 3)], NOW)
    assert [g.target_id for g in bot_state.pending_alert_groups(db, targets=10)] == [8]
    assert len(bot_state.delivered_alerts(db, 1)) == 25


def test_guilds_due_the_same_minute_fire_at_their_own_second_within_it():
    from bot.scheduler import digest_trigger

    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    fires = [
        digest_trigger(GuildSettings(guild_id, 2, "08:00", "UTC")).get_next_fire_time(None, now)
        for guild_id in range(1000, 1200)
    ]
    assert {(f.hour, f.minute) for f in fires} == {(8, 0)}
    assert len({f.second for f in fires}) == 60
    for guild_id, fire in zip(range(1000, 1200), fires, strict=True):
        settings = GuildSettings(guild_id, 2, "08:00", "UTC")
        assert digest_period(settings, fire) == "2026-11-26"


async def test_a_digest_that_meets_a_locked_database_is_run_again():
    import sqlite3

    from bot import scheduler

    class FlakyRunner:
        """Meets one locked database, as when a worker's bulk write outlasts the busy timeout."""

        def __init__(self):
            self.calls = []

        async def post_scheduled_digest(self, guild_id):
            self.calls.append(guild_id)
            if len(self.calls) == 1:
                raise sqlite3.OperationalError("database is locked")

    runner = FlakyRunner()
    scheduler.attach(runner)
    try:
        await scheduler.digest_job(42)
    finally:
        scheduler.attach(None)
    assert runner.calls == [42, 42]


def test_a_partly_posted_digest_marks_where_the_next_starts(db):
    bot_state.save_guild_settings(db, GuildSettings(1, 2, "08:00", "UTC"), NOW)
    moment = NOW.replace(hour=8, minute=0, second=0, microsecond=0)
    first = record(db, "2026-11-26", None, moment)
    assert bot_state.started_coverage(db, 1) is None  # nothing out: the next one covers it
    bot_state.mark_part_posted(db, first.id, 99)
    assert bot_state.started_coverage(db, 1) == moment
    bot_state.mark_digest_posted(db, first.id, NOW)
    assert bot_state.started_coverage(db, 1) is None
