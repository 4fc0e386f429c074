"""Ingestion: files -> cleaned Articles -> store -> what follows a new article (meetings).

Every source (text files here, feeds and pages in ``digest.sources``) ends in ``ingest_article``
or, on an event loop, in its two halves: ``prepare_article`` (CPU, run in a thread) and
``store_prepared`` (SQL), so de-duplication and the post-store steps happen in one place.
"""

from __future__ import annotations

import logging
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import sqlite_utils

from digest.articles import article_from_text
from digest.errors import StoreError, UnreadableFile
from digest.meetings import extract_meetings
from digest.meetings.topics import Vocabulary
from digest.models import Article, Meeting
from digest.reader import read_text_file
from digest.store import articles as article_store
from digest.store import explain_sqlite_error
from digest.store import meetings as meeting_store
from digest.store.transactions import writing

log = logging.getLogger(__name__)

NEW, DUPLICATE, SKIPPED, UPDATED = "new", "duplicate", "skipped", "updated"


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
    repaired: int = 0  # articles stored earlier without their meetings, completed by this run

    def count(self, status: str) -> int:
        """How many inputs ended with ``status``."""
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def summary(self) -> str:
        """Counts for people: 3 new, 1 updated, 2 duplicate, 0 skipped ("updated" when any)."""
        parts = [f"{self.count(NEW)} new"]
        if self.count(UPDATED):
            parts.append(f"{self.count(UPDATED)} updated")
        parts += [f"{self.count(DUPLICATE)} duplicate", f"{self.count(SKIPPED)} skipped"]
        return ", ".join(parts)

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
    db: sqlite_utils.Database, prepared: PreparedArticle, *, file_stamp: str = ""
) -> article_store.SaveResult:
    """Store the article and everything derived from it, in one transaction, unless known.

    The duplicate check runs inside the write transaction, so two processes offering the same
    article store it once; a uniqueness conflict that still happens is a duplicate, never an
    error. A crash at any point leaves either nothing or the article with all its meetings.
    """
    article = prepared.article
    try:
        with writing(db):
            existing = article_store.find_existing(db, article.location, article.content_hash)
            if existing is not None:
                return article_store.SaveResult(existing, is_new=False)
            stored = article_store.insert_article(db, article, derived=True, file_stamp=file_stamp)
            meeting_store.save_meetings(db, stored, prepared.meetings)
    except sqlite3.IntegrityError:
        existing = article_store.find_existing(db, article.location, article.content_hash)
        if existing is None:
            raise
        return article_store.SaveResult(existing, is_new=False)
    return article_store.SaveResult(stored, is_new=True)


def replace_prepared(
    db: sqlite_utils.Database, article_id: int, prepared: PreparedArticle, file_stamp: str
) -> bool:
    """Put new text in place of article ``article_id``, its derived rows replaced, atomically.

    False (nothing changed) when another stored article already has the new text.
    """
    try:
        with writing(db):
            meeting_store.forget_article(db, article_id)
            stored = article_store.replace_article(
                db, article_id, prepared.article, file_stamp=file_stamp
            )
            meeting_store.save_meetings(db, stored, prepared.meetings)
    except sqlite3.IntegrityError:
        return False
    return True


def known_article(db: sqlite_utils.Database, article: Article) -> article_store.SaveResult | None:
    """The stored copy of ``article`` (same location or content) as a duplicate result, if any."""
    existing = article_store.find_existing(db, article.location, article.content_hash)
    return None if existing is None else article_store.SaveResult(existing, is_new=False)


def ingest_article(
    db: sqlite_utils.Database, article: Article, vocabulary: Vocabulary | None = None
) -> article_store.SaveResult:
    """Store ``article`` and its meetings unless it is known (then no extraction is spent)."""
    return known_article(db, article) or store_prepared(db, prepare_article(article, vocabulary))


def derive_missing(db: sqlite_utils.Database, vocabulary: Vocabulary | None = None) -> int:
    """Store the derived rows (meetings) of every article stored without them; how many.

    Such articles come from a database written before article and meetings shared one
    transaction (a crash between the two left the article alone), or from ``save_article``.
    """
    repaired = 0
    for article_id in article_store.underived_ids(db):
        article = article_store.get_article(db, article_id)
        try:
            prepared = prepare_article(article, vocabulary)
        except Exception as error:  # one article that breaks extraction must not block the rest
            log.warning(
                "article %d: meeting extraction failed (%s); retried later", article_id, error
            )
            log.debug("extraction failure", exc_info=True)
            continue
        with writing(db):
            if article_store.is_derived(db, article_id):
                continue  # another process repaired it meanwhile
            meeting_store.save_meetings(db, article, prepared.meetings)  # idempotent per article
            article_store.mark_derived(db, article_id)
        repaired += 1
    if repaired:
        log.info("derived the meetings of %d article(s) stored without them", repaired)
    return repaired


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


def file_stamp(path: Path) -> str | None:
    """Size and modification time of a regular file ("12345:1717...ns"); None for anything else.

    Pipes and devices (``<(cmd)``, /dev/stdin) have no stable identity: they are always read.
    """
    try:
        status = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return f"{status.st_size}:{status.st_mtime_ns}"


def _location(path: Path, stamp: str | None, article_hash: str | None = None) -> str:
    if stamp is not None or article_hash is None:
        return str(path.resolve())
    # A pipe's name (/dev/fd/63) is reused by every process substitution: the text names it.
    return f"{path.absolute()}#{article_hash[:16]}"


def ingest_file(
    db: sqlite_utils.Database, path: Path, now: datetime, vocabulary: Vocabulary | None = None
) -> IngestOutcome:
    """Read, clean and store one text file; a bad file is skipped with the reason.

    A stored path whose size and modification time are unchanged is a duplicate without being
    read: the ingest job revisits the same folders on every run. A stored path whose file
    changed is read again; when its article text changed, the stored article is updated (same
    id) and its meetings replaced.
    """
    stamp = file_stamp(path)
    location = _location(path, stamp)
    known = article_store.file_stamp_at(db, location) if stamp is not None else None
    if known is not None and known[1] == stamp:
        return IngestOutcome(location, DUPLICATE, article_id=known[0])
    try:
        raw = read_text_file(path)
    except UnreadableFile as error:
        log.info("skipped %s", error)
        return IngestOutcome(location, SKIPPED, str(error))
    article = article_from_text(raw, location, now)
    if article is None:
        reason = f"{path}: no article text left after removing page furniture"
        log.info("skipped %s", reason)
        return IngestOutcome(location, SKIPPED, reason)
    if stamp is None:
        article = replace(article, location=_location(path, stamp, article.content_hash))
    if known is not None:
        return _reread(db, known[0], article, stamp or "", vocabulary)
    duplicate = known_article(db, article)
    if duplicate is not None:
        return IngestOutcome(article.location, DUPLICATE, article_id=duplicate.article.id)
    try:
        prepared = prepare_article(article, vocabulary)
    except Exception as error:  # a bug met by one article must not stop the others
        log.info("meeting extraction failed on %s", path, exc_info=True)
        reason = f"{path}: could not be processed ({type(error).__name__}: {error})"
        return IngestOutcome(article.location, SKIPPED, reason)
    result = store_prepared(db, prepared, file_stamp=stamp or "")
    status = NEW if result.is_new else DUPLICATE
    return IngestOutcome(article.location, status, article_id=result.article.id)


def _reread(
    db: sqlite_utils.Database,
    article_id: int,
    article: Article,
    stamp: str,
    vocabulary: Vocabulary | None,
) -> IngestOutcome:
    """A known path whose file changed: update the article when its text changed."""
    stored = article_store.get_article(db, article_id)
    if stored.content_hash != article.content_hash:
        other = article_store.find_existing(db, "", article.content_hash)
        if other is None:
            prepared = prepare_article(replace(article, id=article_id), vocabulary)
            if replace_prepared(db, article_id, prepared, stamp):
                return IngestOutcome(article.location, UPDATED, article_id=article_id)
    article_store.set_file_stamp(db, article_id, stamp)
    return IngestOutcome(article.location, DUPLICATE, article_id=article_id)


def ingest_files(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    now: datetime,
    on_progress: Callable[[IngestOutcome], None] | None = None,
    vocabulary: Vocabulary | None = None,
) -> IngestReport:
    """Ingest every file under ``paths``; one bad file never stops the others.

    Articles stored earlier without their meetings are completed first. A full disk stops the
    run with StoreError saying what was stored: each article is stored whole or not at all.
    """
    report = IngestReport()
    try:
        report.repaired = derive_missing(db, vocabulary)
        for path in iter_text_files(paths):
            outcome = ingest_file(db, path, now, vocabulary)
            report.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)
    except sqlite3.OperationalError as error:
        reason = explain_sqlite_error(error)
        if reason is None:
            raise
        raise StoreError(f"{reason}; {report.summary()} before it stopped") from None
    return report
