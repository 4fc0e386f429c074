"""The articles table: one row per content hash and per location, FTS5 over title and body."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlite_utils

from digest.models import Article
from digest.store.fts import match_rows
from digest.store.schema import Migrations
from digest.store.transactions import writing
from digest.timeutil import from_iso, to_iso

MIGRATIONS = Migrations("articles")


@MIGRATIONS(name="create")
def _create_articles(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "location": str,
            "content_hash": str,
            "title": str,
            "published": str,
            "site": str,
            "ingested_at": str,
            "body": str,
        },
        pk="id",
        not_null={"location", "content_hash", "body", "ingested_at"},
    )
    db["articles"].create_index(["location"], unique=True)
    db["articles"].create_index(["content_hash"], unique=True)
    db["articles"].create_index(["ingested_at"])
    db["articles"].enable_fts(["title", "body"], create_triggers=True, tokenize="porter")


@MIGRATIONS(name="record_derivation")
def _record_derivation(db: sqlite_utils.Database) -> None:
    """``derived`` = 1 once the rows derived from the article (meetings) are stored with it.

    Articles stored before this step (0) are derived again by the next ingest (``underived``),
    which is how a database left by an older crash between the two writes is repaired.
    """
    db.execute("alter table articles add column derived integer not null default 0")
    db.execute("create index idx_articles_underived on articles (id) where derived = 0")


@MIGRATIONS(name="record_file_stamp")
def _record_file_stamp(db: sqlite_utils.Database) -> None:
    """Size and modification time of the file an article was read from ("" for URLs).

    A known path whose stamp is unchanged is a duplicate without being read again; a changed
    stamp means the file is read, and the article updated when its text changed.
    """
    db.execute("alter table articles add column file_stamp text not null default ''")


@dataclass(frozen=True)
class SaveResult:
    """What happened to one article offered to the store."""

    article: Article
    is_new: bool


def _row(article: Article) -> dict[str, Any]:
    return {
        "location": article.location,
        "content_hash": article.content_hash,
        "title": article.title,
        "published": to_iso(article.published),
        "site": article.site,
        "ingested_at": to_iso(article.ingested_at),
        "body": article.body,
    }


def _article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        location=row["location"],
        content_hash=row["content_hash"],
        title=row["title"],
        published=from_iso(row["published"]),
        site=row["site"],
        ingested_at=from_iso(row["ingested_at"]),
        body=row["body"],
    )


def find_existing(db: sqlite_utils.Database, location: str, content_hash: str) -> Article | None:
    """The stored article with this location or this content hash, if any."""
    rows = db.query(
        "select * from articles where location = ? or content_hash = ? limit 1",
        [location, content_hash],
    )
    for row in rows:
        return _article(row)
    return None


def article_at(db: sqlite_utils.Database, location: str) -> Article | None:
    """The stored article from this path or URL, if any."""
    for row in db.query("select * from articles where location = ? limit 1", [location]):
        return _article(row)
    return None


def file_stamp_at(db: sqlite_utils.Database, location: str) -> tuple[int, str] | None:
    """(id, file stamp) of the article stored from this path, if any."""
    row = db.execute(
        "select id, file_stamp from articles where location = ?", [location]
    ).fetchone()
    return None if row is None else (row[0], row[1])


def insert_article(
    db: sqlite_utils.Database, article: Article, *, derived: bool, file_stamp: str = ""
) -> Article:
    """Insert ``article`` (inside the caller's transaction) and return it with its id.

    ``derived`` says the caller stores its derived rows in the same transaction. A location
    or content already stored raises sqlite3.IntegrityError.
    """
    row = {**_row(article), "derived": int(derived), "file_stamp": file_stamp}
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cursor = db.execute(f"insert into articles ({columns}) values ({marks})", list(row.values()))
    return replace(article, id=cursor.lastrowid)


def replace_article(
    db: sqlite_utils.Database, article_id: int, article: Article, *, file_stamp: str = ""
) -> Article:
    """Overwrite the stored article ``article_id`` with new text (same id, same location)."""
    row = {**_row(article), "derived": 1, "file_stamp": file_stamp}
    del row["location"]
    assignments = ", ".join(f"{column} = ?" for column in row)
    db.execute(f"update articles set {assignments} where id = ?", [*row.values(), article_id])
    return replace(article, id=article_id)


def set_file_stamp(db: sqlite_utils.Database, article_id: int, file_stamp: str) -> None:
    """Remember the stamp of the file an unchanged article was read from again."""
    with writing(db):
        db.execute("update articles set file_stamp = ? where id = ?", [file_stamp, article_id])


def mark_derived(db: sqlite_utils.Database, article_id: int) -> None:
    """Record (inside the caller's transaction) that the article's derived rows are stored."""
    db.execute("update articles set derived = 1 where id = ?", [article_id])


def underived_ids(db: sqlite_utils.Database) -> list[int]:
    """Ids of stored articles whose derived rows were never stored (served by a partial index)."""
    return [row[0] for row in db.execute("select id from articles where derived = 0 order by id")]


def is_derived(db: sqlite_utils.Database, article_id: int) -> bool:
    """True when the article's derived rows are stored (or the article is gone)."""
    row = db.execute("select derived from articles where id = ?", [article_id]).fetchone()
    return row is None or bool(row[0])


def save_article(db: sqlite_utils.Database, article: Article) -> SaveResult:
    """Store ``article`` alone unless the same location or content is already stored.

    The check and the insert share one write transaction, so two writers offering the same
    article store it once; the article is left for ``underived_ids`` to derive.
    """
    with writing(db):
        existing = find_existing(db, article.location, article.content_hash)
        if existing is not None:
            return SaveResult(existing, is_new=False)
        stored = insert_article(db, article, derived=False)
    return SaveResult(stored, is_new=True)


def get_article(db: sqlite_utils.Database, article_id: int) -> Article:
    """The article with this id (sqlite_utils NotFoundError when absent)."""
    return _article(db["articles"].get(article_id))


def articles_since(db: sqlite_utils.Database, since: datetime | None) -> list[Article]:
    """Articles ingested after ``since`` (all when None), oldest first."""
    if since is None:
        rows = db.query("select * from articles order by ingested_at, id")
    else:
        rows = db.query(
            "select * from articles where ingested_at > ? order by ingested_at, id",
            [to_iso(since)],
        )
    return [_article(row) for row in rows]


def articles_by_ids(db: sqlite_utils.Database, ids: Iterable[int]) -> list[Article]:
    """The articles with these ids, in id order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = db.query(f"select * from articles where id in ({marks}) order by id", wanted)
    return [_article(row) for row in rows]


def count_articles(db: sqlite_utils.Database) -> int:
    """How many articles are stored."""
    return db["articles"].count


@dataclass(frozen=True)
class SearchHit:
    """One article matching a full-text search, with a highlighted snippet."""

    article: Article
    snippet: str


def search_articles(
    db: sqlite_utils.Database, query: str, limit: int = 20, offset: int = 0
) -> list[SearchHit]:
    """Full-text search over titles and bodies, best match first.

    A malformed query raises BadQuery with a message fit for the user.
    """
    sql = """
        select articles.*, snippet(articles_fts, 1, '[', ']', ' … ', 12) as snippet
        from articles_fts join articles on articles.id = articles_fts.rowid
        where articles_fts match ?
        order by bm25(articles_fts) limit ? offset ?
    """
    rows = match_rows(db, sql, [query, limit, offset], query)
    return [SearchHit(_article(row), row["snippet"]) for row in rows]


@dataclass(frozen=True)
class Headline:
    """What a notice of an article shows: title, location and site, no body."""

    id: int
    title: str | None
    location: str
    site: str | None


def headlines(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, Headline]:
    """Title, location and site of these articles, by id (bodies are not read)."""
    wanted = sorted(set(ids))
    found: dict[int, Headline] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"select id, title, location, site from articles where id in ({marks})", chunk
        ).fetchall()
        found.update({row[0]: Headline(*row) for row in rows})
    return found


def article_ids_after(db: sqlite_utils.Database, after_id: int, limit: int = 5000) -> list[int]:
    """Ids of articles stored after ``after_id``, ascending (the alert job's cursor)."""
    rows = db.execute(
        "select id from articles where id > ? order by id limit ?", [after_id, limit]
    ).fetchall()
    return [row[0] for row in rows]


def max_article_id(db: sqlite_utils.Database) -> int:
    """The highest article id stored (0 when none)."""
    return db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
