"""Ingestion: files -> cleaned Articles -> store -> what follows a new article (meetings).

Every source (text files here, feeds and pages in ``digest.sources``) ends in ``ingest_article``
or, on an event loop, in its two halves: ``prepare_article`` (CPU, run in a thread) and
``store_prepared`` (SQL), so de-duplication and the post-store steps happen in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlite_utils

from digest.articles import article_from_text
from digest.errors import UnreadableFile
from digest.meetings import extract_meetings
from digest.meetings.topics import Vocabulary
from digest.models import Article, Meeting
from digest.reader import read_text_file
from digest.store import articles as article_store
from digest.store import meetings as meeting_store

log = logging.getLogger(__name__)

NEW, DUPLICATE, SKIPPED = "new", "duplicate", "skipped"


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one input: stored as new, already known, or skipped (with why)."""

    location: str
    status: str
    reason: str = ""
    article_id: int | None = None


@dataclass
class IngestReport:
    """The outcomes of one ingestion run, in input order."""

    outcomes: list[IngestOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many inputs ended with ``status``."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def new_article_ids(self) -> list[int]:
        """Ids of the articles this run stored for the first time."""
        return [o.article_id for o in self.outcomes if o.status == NEW and o.article_id]


@dataclass(frozen=True)
class PreparedArticle:
    """An article with the CPU work on it done (meetings extracted), ready to store."""

    article: Article
    meetings: tuple[Meeting, ...]


def prepare_article(article: Article, vocabulary: Vocabulary | None = None) -> PreparedArticle:
    """The CPU-heavy steps, pure and database-free, so callers can run them off the event loop.

    ``vocabulary`` is the topic vocabulary (the shipped one when None; see ``extend_vocabulary``).
    """
    return PreparedArticle(article, tuple(extract_meetings(article, vocabulary)))


def store_prepared(
    db: sqlite_utils.Database, prepared: PreparedArticle
) -> article_store.SaveResult:
    """Store the article unless known and, when it is new, the meetings it reports."""
    result = article_store.save_article(db, prepared.article)
    if result.is_new:
        meeting_store.save_meetings(db, result.article, prepared.meetings)
    return result


def known_article(db: sqlite_utils.Database, article: Article) -> article_store.SaveResult | None:
    """The stored copy of ``article`` (same location or content) as a duplicate result, if any."""
    existing = article_store.find_existing(db, article.location, article.content_hash)
    return None if existing is None else article_store.SaveResult(existing, is_new=False)


def ingest_article(
    db: sqlite_utils.Database, article: Article, vocabulary: Vocabulary | None = None
) -> article_store.SaveResult:
    """Store ``article`` and its meetings unless it is known (then no extraction is spent)."""
    return known_article(db, article) or store_prepared(db, prepare_article(article, vocabulary))


def iter_text_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each file named, and every non-hidden file under each folder named, in sorted order."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield child
        else:
            yield path


def ingest_file(
    db: sqlite_utils.Database, path: Path, now: datetime, vocabulary: Vocabulary | None = None
) -> IngestOutcome:
    """Read, clean and store one text file; a bad file is skipped with the reason.

    A path already stored is a duplicate without being read again: the ingest job revisits
    the same folders on every run, and cleaning every old file each time would be wasted work.
    """
    location = str(path.resolve())
    known = article_store.article_at(db, location)
    if known is not None:
        return IngestOutcome(location, DUPLICATE, article_id=known.id)
    try:
        raw = read_text_file(path)
    except UnreadableFile as error:
        log.warning("skipped %s: %s", path, error)
        return IngestOutcome(location, SKIPPED, str(error))
    article = article_from_text(raw, location, now)
    if article is None:
        reason = f"{path}: no article text left after removing page furniture"
        log.warning("skipped %s", reason)
        return IngestOutcome(location, SKIPPED, reason)
    result = ingest_article(db, article, vocabulary)
    status = NEW if result.is_new else DUPLICATE
    return IngestOutcome(location, status, article_id=result.article.id)


def ingest_files(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    now: datetime,
    on_progress: Callable[[IngestOutcome], None] | None = None,
    vocabulary: Vocabulary | None = None,
) -> IngestReport:
    """Ingest every file under ``paths``; one bad file never stops the others."""
    report = IngestReport()
    for path in iter_text_files(paths):
        outcome = ingest_file(db, path, now, vocabulary)
        report.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)
    return report
