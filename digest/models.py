"""Records that travel through Parley: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Article:
    """One cleaned news article, as stored.

    ``location`` is where it came from: a file path or a canonical URL. ``published`` is an
    aware UTC datetime, or None when the text states no publication date.
    """

    location: str
    body: str
    content_hash: str
    title: str | None = None
    published: datetime | None = None
    site: str | None = None
    ingested_at: datetime | None = None
    id: int | None = None
    # Photo captions the cleaner set aside from the body: not story text, but evidence of
    # who met where and when. Not stored; only extraction at ingest time reads them.
    captions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceLink:
    """Where a story was reported: one article of a story."""

    title: str
    location: str
    site: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Story:
    """Articles about one event, condensed into a few verbatim sentences."""

    title: str
    summary: tuple[str, ...]
    sources: tuple[SourceLink, ...]
    article_ids: tuple[int, ...] = ()
    published: datetime | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Digest:
    """What arrived in a period, grouped into ranked stories."""

    generated_at: datetime
    stories: tuple[Story, ...]
    since: datetime | None = None
    article_count: int = 0

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to tell."""
        return not self.stories


@dataclass(frozen=True)
class Participant:
    """A named person taking part in a meeting, with the role as written and their side."""

    name: str
    role: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class Location:
    """Where a meeting took or will take place."""

    city: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Meeting:
    """One official meeting an article reports (held, planned or mentioned).

    ``date`` is an ISO date, possibly partial (``YYYY-MM`` or ``YYYY``), or None.
    """

    status: str
    kind: str
    evidence: str
    date: str | None = None
    date_text: str | None = None
    location: Location | None = None
    participants: tuple[Participant, ...] = ()
    topics: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    id: int | None = None
    sources: tuple[SourceLink, ...] = field(default=(), compare=False)
