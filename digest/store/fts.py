"""Full-text queries: run an FTS5 MATCH and turn SQLite's syntax errors into clear messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

from digest.errors import BadQuery


def explain_bad_query(query: str) -> str:
    """A user-facing reason why ``query`` is not a valid full-text search."""
    stripped = query.strip()
    if not stripped:
        return "The search is empty: type one or more words."
    if stripped.count('"') % 2:
        return f"The search {query!r} has an unbalanced double quote: close it, or remove it."
    if stripped.count("(") != stripped.count(")"):
        return f"The search {query!r} has unbalanced parentheses."
    return (
        f'The search {query!r} is not valid: use words, "quoted phrases", AND, OR, NOT, '
        "and a * only at the end of a word (e.g. talk*)."
    )


def match_rows(
    db: sqlite_utils.Database, sql: str, params: Sequence[Any], query: str
) -> Iterator[dict[str, Any]]:
    """Run ``sql`` (which MATCHes ``query``) and yield rows as dicts; bad syntax is BadQuery."""
    if not query.strip():
        raise BadQuery(explain_bad_query(query))
    try:
        cursor = db.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except sqlite3.OperationalError as error:
        text = str(error).lower()
        fts_words = ("fts5", "syntax error", "unterminated", "no such column", "special query")
        if any(word in text for word in fts_words):
            raise BadQuery(explain_bad_query(query)) from None
        raise
    for row in rows:
        yield dict(zip(columns, row, strict=True))
