"""The bot's delivery records: who follows what, where digests go, and how far telling got.

Discord concepts (guilds, channels, users, roles, message ids) as plain frozen dataclasses;
the storage modules beside this one read and write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Who is told of an article (a user or a role) and how far along the telling is.
USER, ROLE = "user", "role"
RECORDED, POSTED = "recorded", "posted"
SUPERSEDED = "superseded"  # a digest never posted, whose articles the next one covers


@dataclass(frozen=True)
class GuildSettings:
    """Where and when a guild gets its daily digest."""

    guild_id: int
    channel_id: int
    time: str
    timezone: str
    paused: bool = False
    last_digest_at: datetime | None = None


@dataclass(frozen=True)
class Subscription:
    """A user or a role following a topic in a guild."""

    guild_id: int
    kind: str  # USER or ROLE
    target_id: int
    topic: str


@dataclass(frozen=True)
class AlertDelivery:
    """Telling one user or role in a guild about one article, because of one topic."""

    guild_id: int
    kind: str
    target_id: int
    article_id: int
    topic: str
    state: str = RECORDED
    id: int | None = None
    via: str | None = None


@dataclass(frozen=True)
class PendingAlerts:
    """What one user or role is still to be told: a count and the first few deliveries."""

    guild_id: int
    kind: str
    target_id: int
    count: int
    last_id: int  # everything up to this delivery id is covered by one message
    first: tuple[AlertDelivery, ...]


@dataclass(frozen=True)
class OutboxEntry:
    """One guild's digest for one period: the messages to post and how far posting got."""

    id: int
    guild_id: int
    channel_id: int
    period: str
    state: str
    messages: tuple[dict[str, Any], ...]
    message_ids: tuple[int, ...]
    attempts: int = 0
    last_error: str | None = None
    since: datetime | None = None
    recorded_at: datetime | None = None
    posted_at: datetime | None = None
    covers_until: datetime | None = None

    @property
    def next_part(self) -> int:
        """Index of the first message not yet accepted by Discord."""
        return len(self.message_ids)
