"""The bot's schema (bot/state/schema.py): applied by the bot, recorded by name like the news'."""

from __future__ import annotations

import pytest
import sqlite_utils

from bot import state
from bot.state import schema as bot_schema
from digest import store
from digest.errors import StoreError
from digest.store import schema
from tests.test_store_schema import applied, signature, steps


def test_the_bot_schema_is_one_named_creation_step_that_the_news_store_does_not_know():
    assert [s.name for s in steps(bot_schema.MIGRATIONS)] == ["create_tables"]
    assert "bot" not in {m.name for m in store.MIGRATION_SETS}


def test_the_news_store_alone_creates_no_bot_table(db_path):
    store.open_db(db_path).close()
    assert "guild_settings" not in sqlite_utils.Database(db_path).table_names()
    state.open_db(db_path).close()
    assert "guild_settings" in sqlite_utils.Database(db_path).table_names()


@pytest.mark.parametrize("count", range(len(steps(bot_schema.MIGRATIONS)) + 1))
def test_a_file_created_at_any_bot_step_upgrades_to_the_fresh_schema(tmp_path, count):
    fresh = tmp_path / "fresh.db"
    state.open_db(fresh).close()
    old = tmp_path / "old.db"
    store.open_db(old).close()  # the news tables, as the CLI leaves a file
    db = sqlite_utils.Database(old)
    prefix = schema.Migrations(bot_schema.MIGRATIONS.name)
    for step in steps(bot_schema.MIGRATIONS)[:count]:
        prefix(name=step.name)(step.fn)
    prefix.apply(db)
    db.close()
    state.open_db(old).close()
    assert signature(old) == signature(fresh)
    assert applied(old) == applied(fresh)


def test_a_file_of_the_three_named_steps_before_the_squash_is_complete(tmp_path):
    fresh = tmp_path / "fresh.db"
    state.open_db(fresh).close()
    old = tmp_path / "old.db"
    state.open_db(old).close()
    db = sqlite_utils.Database(old)
    # Those files recorded the squashed steps' names; the squash kept the first one's.
    db["_sqlite_migrations"].insert_all(
        [
            {"migration_set": "bot", "name": name, "applied_at": "2026-11-30T00:00:00"}
            for name in ("index_pending_alerts", "add_delivery_state")
        ]
    )
    db.close()
    assert state.open_db(old) is not None
    assert signature(old) == signature(fresh)


def test_reopening_applies_nothing(db_path):
    state.open_db(db_path).close()
    before = applied(db_path)
    db = state.open_db(db_path)
    assert bot_schema.migrate(db) == []
    db.close()
    assert applied(db_path) == before


def test_a_bot_file_versioned_by_position_is_refused_with_a_clear_error(tmp_path):
    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    for migrations in store.MIGRATION_SETS:
        first = schema.Migrations(migrations.name)
        for step in steps(migrations)[:1]:
            first(name=step.name)(step.fn)
        first.apply(db)
    db["guild_settings"].create({"guild_id": int}, pk="guild_id")  # the old bot tables
    db.execute("drop table _sqlite_migrations")
    db["schema_versions"].insert_all(
        [{"component": c, "version": v} for c, v in
         {"articles": 1, "meetings": 5, "sources": 1, "bot": 2}.items()],
        pk="component",
    )  # fmt: skip
    db.close()
    with pytest.raises(StoreError, match="older Parley.*move it away"):
        state.open_db(old)
    store.open_db(old).close()  # the news part was adopted; the bot's row is left to the bot
    rows = sqlite_utils.Database(old).execute("select component from schema_versions").fetchall()
    assert rows == [("bot",)]
