"""Time at the storage edge: aware UTC datetimes in, ISO 8601 strings out, and back."""

from __future__ import annotations

from datetime import UTC, datetime


def to_iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC; naive datetimes are refused, because their zone is a guess."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: give it a time zone")
    return moment.astimezone(UTC).isoformat()


def from_iso(text: str | None) -> datetime | None:
    """Parse what ``to_iso`` wrote."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC. Only entry points call this; the rest take ``now``."""
    return datetime.now(UTC)
