"""Full-text queries: run an FTS5 MATCH and turn SQLite's syntax errors into clear messages."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

from digest.errors import BadQuery

_OPERATORS = {"AND", "OR", "NOT"}
_COLUMN_FILTER = re.compile(r"[A-Za-z_]+:\w+\*?")
# One piece of a query: a quoted phrase (to its closing quote, or to the end when unclosed),
# a parenthesis, or a run of anything else up to a space, quote or parenthesis.
_PIECE = re.compile(r'"[^"]*"?\*?|[()]|[^\s"()]+')


def _bare_word(piece: str) -> bool:
    """True when FTS5 reads ``piece`` as it is: letters, digits, _ (and a final * for a prefix)."""
    return bool(re.fullmatch(r"\w+\*?", piece))


def prepare_query(query: str) -> str:
    """What people type, made into FTS5 syntax: words with punctuation become phrases.

    ``U.S.``, ``China's``, ``co-chair``, ``talks?`` and ``5%`` are searched as phrases of their
    words (``"U.S."`` finds "U.S." and "US").
    Quoted phrases, AND/OR/NOT, parentheses, prefix* and column:word filters pass unchanged,
    so the FTS syntax still works for those who use it. A piece with no letter or digit at all
    (a stray ``*`` or ``-``) is left for SQLite to refuse.
    """
    if "NEAR(" in query:
        return query  # a NEAR group is FTS syntax through and through
    pieces = []
    for piece in _PIECE.findall(query):
        if (
            piece.startswith('"')
            or piece in "()"
            or piece in _OPERATORS
            or _bare_word(piece)
            or _COLUMN_FILTER.fullmatch(piece)
        ):
            pieces.append(piece)
        elif re.search(r"\w", piece):
            prefix = piece.endswith("*") and len(piece) > 1
            words = piece[:-1] if prefix else piece
            pieces.append('"' + words.replace('"', '""') + '"' + ("*" if prefix else ""))
        else:
            pieces.append(piece)
    return " ".join(pieces)


def shown(query: str, limit: int = 80) -> str:
    """``query`` as echoed back in a message: quoted, and cut when very long."""
    flat = " ".join(query.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


def explain_bad_query(query: str) -> str:
    """A user-facing reason why ``query`` is not a valid full-text search."""
    stripped = query.strip()
    if not stripped:
        return "The search is empty: type one or more words."
    if stripped.count('"') % 2:
        return f"The search {shown(query)} has an unbalanced double quote: close it, or remove it."
    if stripped.count("(") != stripped.count(")"):
        return f"The search {shown(query)} has unbalanced parentheses."
    return (
        f'The search {shown(query)} is not valid: use words, "quoted phrases", AND, OR, NOT, '
        "and a * only at the end of a word (e.g. talk*)."
    )


def match_rows(
    db: sqlite_utils.Database, sql: str, params: Sequence[Any], query: str
) -> Iterator[dict[str, Any]]:
    """Run ``sql`` (which MATCHes ``query``) and yield rows as dicts; bad syntax is BadQuery."""
    if not query.strip():
        raise BadQuery(explain_bad_query(query))
    prepared = prepare_query(query)
    params = [prepared if value == query else value for value in params]
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
