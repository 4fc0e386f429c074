"""Ingestion: files -> cleaned Articles -> store -> what follows a new article (meetings).

Every source (text files here, feeds and pages in ``digest.sources``) ends in ``ingest_article``,
so de-duplication and the post-store steps happen in one place.
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
from digest.models import Article
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


def after_new_article(db: sqlite_utils.Database, article: Article) -> None:
    """Steps that follow storing an article for the first time."""
    meeting_store.save_meetings(db, article, extract_meetings(article))


def ingest_article(db: sqlite_utils.Database, article: Article) -> article_store.SaveResult:
    """Store ``article`` unless known; run the post-store steps for a new one."""
    result = article_store.save_article(db, article)
    if result.is_new:
        after_new_article(db, result.article)
    return result


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


def ingest_file(db: sqlite_utils.Database, path: Path, now: datetime) -> IngestOutcome:
    """Read, clean and store one text file; a bad file is skipped with the reason."""
    location = str(path.resolve())
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
    result = ingest_article(db, article)
    status = NEW if result.is_new else DUPLICATE
    return IngestOutcome(location, status, article_id=result.article.id)


def ingest_files(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    now: datetime,
    on_progress: Callable[[IngestOutcome], None] | None = None,
) -> IngestReport:
    """Ingest every file under ``paths``; one bad file never stops the others."""
    report = IngestReport()
    for path in iter_text_files(paths):
        outcome = ingest_file(db, path, now)
        report.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)
    return report
