"""Plain-SQL row writes shared by the news tables written inside one ingest transaction.

Writes go through plain execute(): sqlite-utils' insert()/update() commit on their own, and
one commit (one fsync) per article, not per row, keeps ingestion fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils


def as_json(values: Iterable[str]) -> str:
    """A JSON list of ``values``, non-ASCII kept readable."""
    return json.dumps(list(values), ensure_ascii=False)


def insert_row(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """Insert ``row`` into ``table`` (no commit); returns its id."""
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cursor = db.execute(f"insert into {table} ({columns}) values ({marks})", list(row.values()))
    return cursor.lastrowid


def update_row(db: sqlite_utils.Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Set ``values`` on row ``row_id`` of ``table`` (no commit)."""
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)
        db.execute(f"update {table} set {assignments} where id = ?", [*values.values(), row_id])


def get_row(db: sqlite_utils.Database, table: str, row_id: int) -> dict[str, Any]:
    """Row ``row_id`` of ``table``, as a dict."""
    return next(iter(db.query(f"select * from {table} where id = ?", [row_id])))
