"""The bot's tables: one named creation step, later steps named and recorded the same way.

The bot keeps its delivery state in the Parley database beside the news tables, but
``digest.store`` knows nothing of it: the bot applies this set itself when it opens the file
(``bot.state.open_db``), with the news store's mechanism (``digest.store.schema``: steps
recorded by name, all pending ones under one write lock). A new step goes at the end with a
name of its own; steps already shipped are never edited or reordered.
"""

from __future__ import annotations

import sqlite_utils

from digest.errors import StoreError
from digest.store import schema

MIGRATIONS = schema.Migrations("bot")


@MIGRATIONS(name="create_tables")
def _create_tables(db: sqlite_utils.Database) -> None:
    # Squashed from three positional steps (no database of the bot existed to upgrade); the
    # name is the first one's, so files made by named steps before the squash are complete.
    db["guild_settings"].create(
        {
            "guild_id": int,
            "channel_id": int,
            "time": str,
            "timezone": str,
            "paused": int,
            "last_digest_at": str,
            "updated_at": str,
        },
        pk="guild_id",
        not_null={"channel_id", "time", "timezone"},
        defaults={"paused": 0},
    )
    db["subscriptions"].create(
        {
            "id": int,
            "guild_id": int,
            "kind": str,
            "target_id": int,
            "topic": str,
            "created_at": str,
        },
        pk="id",
        not_null={"guild_id", "kind", "target_id", "topic"},
    )
    db["subscriptions"].create_index(["guild_id", "kind", "target_id", "topic"], unique=True)
    db["subscriptions"].create_index(["topic"])
    db["digest_outbox"].create(
        {
            "id": int,
            "guild_id": int,
            "channel_id": int,
            "period": str,
            "state": str,
            "messages": str,  # JSON list of message payloads, rendered once at record time
            "message_ids": str,  # JSON list, one id per message Discord accepted, in order
            "attempts": int,
            "last_error": str,
            "since": str,
            "recorded_at": str,
            "posted_at": str,
            # A digest's coverage moves on only once it is posted (then it becomes the
            # guild's last_digest_at).
            "covers_until": str,
        },
        pk="id",
        not_null={"guild_id", "channel_id", "period", "state", "messages"},
        defaults={"attempts": 0, "message_ids": "[]"},
    )
    db["digest_outbox"].create_index(["guild_id", "period"], unique=True)
    db["digest_outbox"].create_index(["state"])
    db["alert_deliveries"].create(
        {
            "id": int,
            "guild_id": int,
            "kind": str,
            "target_id": int,
            "article_id": int,
            "topic": str,
            "state": str,
            "via": str,
            "message_id": int,
            "recorded_at": str,
            "posted_at": str,
        },
        pk="id",
        not_null={"guild_id", "kind", "target_id", "article_id", "topic", "state"},
    )
    db["alert_deliveries"].create_index(
        ["guild_id", "kind", "target_id", "article_id"], unique=True
    )
    # Covers "pending alerts per target": grouping and counting read the index alone.
    db["alert_deliveries"].create_index(
        ["state", "guild_id", "kind", "target_id", "id"], index_name="alert_deliveries_pending"
    )
    db["bot_meta"].create({"key": str, "value": str}, pk="key")
    # A problem a guild must fix (no permission to post) is kept to be shown and told once;
    # users whose DMs are closed are remembered, so each alert does not cost a refused DM;
    # /meetings queries are kept so their paging buttons work after a restart.
    db["guild_problems"].create(
        {"guild_id": int, "problem": str, "noted_at": str, "told_at": str}, pk="guild_id"
    )
    db["closed_dms"].create({"user_id": int, "closed_at": str}, pk="user_id")
    db["meeting_queries"].create({"id": int, "filters": str, "created_at": str}, pk="id")


MIGRATION_SETS = [MIGRATIONS]


_POSITIONAL_TABLE = "schema_versions"  # how files were versioned before named steps


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the bot's pending steps (all or none); returns their names.

    A file whose bot tables were versioned by position (before named steps, and before the
    squash) is refused with a StoreError: no such file was ever deployed.
    """
    if _POSITIONAL_TABLE in db.table_names() and schema.pending_names(db, MIGRATION_SETS):
        row = db.execute(
            f"select version from {_POSITIONAL_TABLE} where component = 'bot'"
        ).fetchone()
        if row is not None:
            raise StoreError(
                "the database was made by an older Parley whose bot state cannot be upgraded; "
                "move it away and start the bot again"
            )
    return schema.apply(db, MIGRATION_SETS)
