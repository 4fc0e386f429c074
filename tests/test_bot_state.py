"""bot/state/ on a real SQLite file, and the scheduler's pure period logic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduler import digest_period
from bot.state import alerts as alert_state
from bot.state import digest_outbox as outbox_state
from bot.state import guilds as guild_state
from bot.state import meta as bot_meta
from bot.state import open_db as open_bot_db
from bot.state import subscriptions as subscription_state
from bot.state.records import RECORDED, SUPERSEDED, USER, AlertDelivery, GuildSettings, Subscription
from digest.store import articles as article_store

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_guild_settings_round_trip_and_pause(db):
    assert guild_state.get_guild_settings(db, 1) is None
    assert not guild_state.set_paused(db, 1, True)
    settings = GuildSettings(1, 100, "08:00", "Europe/Berlin")
    guild_state.save_guild_settings(db, settings, NOW)
    assert guild_state.get_guild_settings(db, 1) == settings
    assert guild_state.set_paused(db, 1, True)
    guild_state.set_last_digest_at(db, 1, NOW)
    stored = guild_state.get_guild_settings(db, 1)
    assert stored.paused and stored.last_digest_at == NOW
    assert guild_state.all_guild_settings(db) == [stored]


def test_subscriptions_are_unique(db):
    sub = Subscription(1, USER, 7, "tariffs")
    assert subscription_state.add_subscription(db, sub, NOW)
    assert not subscription_state.add_subscription(db, sub, NOW)
    assert subscription_state.subscriptions_of(db, 1, USER, 7) == [sub]
    assert subscription_state.remove_subscription(db, sub)
    assert not subscription_state.remove_subscription(db, sub)
    assert subscription_state.all_subscriptions(db) == []


def test_outbox_records_once_per_period_and_tracks_parts(db_path):
    db = bot_state_db(db_path)
    messages = [{"embeds": [{"title": "a"}]}, {"embeds": [{"title": "b"}]}]
    entry, new = outbox_state.record_digest(
        db, guild_id=1, channel_id=2, period="2026-11-26", messages=messages, since=None, now=NOW
    )
    again, second = outbox_state.record_digest(
        db, guild_id=1, channel_id=2, period="2026-11-26", messages=[], since=None, now=NOW
    )
    assert new and not second and again.id == entry.id and len(again.messages) == 2
    outbox_state.mark_part_posted(db, entry.id, 555)
    db.close()
    db = bot_state_db(db_path)  # a restart: the next part is remembered
    [pending] = outbox_state.pending_digests(db)
    assert pending.next_part == 1 and pending.message_ids == (555,)
    assert outbox_state.note_digest_failure(db, entry.id, "HTTP 503") == 1
    outbox_state.mark_digest_posted(db, entry.id, NOW)
    assert outbox_state.pending_digests(db) == []
    assert outbox_state.latest_digest(db, 1).state == "posted"
    db.close()


def record(db, period, since, covers_until):
    entry, _ = outbox_state.record_digest(
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
    guild_state.save_guild_settings(db, GuildSettings(1, 2, "08:00", "UTC"), NOW)
    moment = NOW.replace(hour=8, minute=0, second=0, microsecond=0)
    first = record(db, "2026-11-26", None, moment)
    assert guild_state.get_guild_settings(db, 1).last_digest_at is None  # not posted yet
    # The next day comes while it still waits: the new digest covers its articles (same
    # since) and the unposted one is superseded, never posted on top.
    second = record(db, "2026-11-27", None, moment + timedelta(days=1))
    assert outbox_state.digest_state(db, first.id) == SUPERSEDED
    assert [e.id for e in outbox_state.pending_digests(db)] == [second.id]
    outbox_state.mark_part_posted(db, second.id, 99)
    outbox_state.mark_digest_posted(db, second.id, NOW)
    assert guild_state.get_guild_settings(db, 1).last_digest_at == moment + timedelta(days=1)
    # A part already posted keeps an entry from being superseded (it is finished instead).
    third = record(db, "2026-11-28", moment + timedelta(days=1), moment + timedelta(days=2))
    outbox_state.mark_part_posted(db, third.id, 100)
    record(db, "2026-11-29", moment + timedelta(days=1), moment + timedelta(days=3))
    assert outbox_state.digest_state(db, third.id) == RECORDED


def bot_state_db(path):
    return open_bot_db(path)


@pytest.fixture
def db(db_path):
    """The Parley database with the bot's tables (``bot.state.open_db``)."""
    database = open_bot_db(db_path)
    yield database
    database.close()


def test_alerts_are_recorded_once(db):
    deliveries = [AlertDelivery(1, USER, 7, 10, "t"), AlertDelivery(1, USER, 7, 11, "t")]
    assert alert_state.record_alerts(db, deliveries, NOW) == 2
    assert alert_state.record_alerts(db, deliveries, NOW) == 0
    pending = alert_state.pending_alerts(db)
    alert_state.mark_alerts_posted(db, [pending[0].id], via="dm", message_id=5, now=NOW)
    assert [d.article_id for d in alert_state.pending_alerts(db)] == [11]
    assert [d.via for d in alert_state.delivered_alerts(db, 1)] == ["dm"]


def test_meta_and_article_cursor(db):
    assert bot_meta.get_meta(db, "k") is None
    bot_meta.set_meta(db, "k", "v")
    assert bot_meta.get_meta(db, "k") == "v"
    assert article_store.max_article_id(db) == 0
    assert article_store.article_ids_after(db, 0) == []


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
    alert_state.record_alerts(db, deliveries, NOW)
    first, second = alert_state.pending_alert_groups(db, targets=10, shown=10)
    assert (first.target_id, first.count, len(first.first)) == (7, 25, 10)
    assert [d.article_id for d in first.first] == list(range(1, 11))
    assert (second.target_id, second.count) == (8, 1)
    assert len(alert_state.pending_alert_groups(db, targets=1)) == 1
    alert_state.mark_target_alerts_posted(db, [(first, "dm", 3)], NOW)
    assert [g.target_id for g in alert_state.pending_alert_groups(db, targets=10)] == [8]
    assert len(alert_state.delivered_alerts(db, 1)) == 25


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
    guild_state.save_guild_settings(db, GuildSettings(1, 2, "08:00", "UTC"), NOW)
    moment = NOW.replace(hour=8, minute=0, second=0, microsecond=0)
    first = record(db, "2026-11-26", None, moment)
    assert outbox_state.started_coverage(db, 1) is None  # nothing out: the next one covers it
    outbox_state.mark_part_posted(db, first.id, 99)
    assert outbox_state.started_coverage(db, 1) == moment
    outbox_state.mark_digest_posted(db, first.id, NOW)
    assert outbox_state.started_coverage(db, 1) is None
