"""The bot's own storage: guild settings, subscriptions, the digest outbox, alert deliveries.

Its tables live in the Parley database beside the news tables; ``open_db`` opens the file
through ``digest.store`` (news schema, pragmas, safety checks) and then applies the bot's own
schema steps (``bot.state.schema``). Every connection the bot makes goes through it.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from bot.state import schema
from digest import store


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open the Parley database at ``path`` with both the news and the bot's schema current."""
    db = store.open_db(path)
    try:
        schema.migrate(db)
    except BaseException:
        db.close()
        raise
    return db
