"""Meetings, participations, topics, sides and sources; FTS5 over evidence (people: ``people``).

One row per real meeting: ``save_meetings`` merges what a new article reports into the
meeting already stored (same people, dates within two days, or a planned meeting later
held, which upgrades it to held) and links the article as a source. Saving the same article
again changes nothing. The lookups (digest.store.meeting_search) are served by indexes that
carry the meeting's sort date, so the first page of "meetings of X, newest first" is read
straight from an index.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from digest.meetings.dedupe import Occasion, same_meeting
from digest.models import Article, Location, Meeting
from digest.store.meeting_records import (  # noqa: F401 - reading, re-exported from here
    get_meeting,
    meetings_by_ids,
    meetings_for_article,
)
from digest.store.people import canonical_person, name_key, save_person
from digest.store.rows import get_row, insert_row, update_row
from digest.store.schema import Migrations
from digest.store.transactions import writing

STATUSES = ("held", "planned", "mentioned")
_STATUS_RANK = {"mentioned": 0, "planned": 1, "held": 2}


# A meeting's place in the "newest first" order as one integer: the Julian day of its
# date_from (0 when unknown) in the high bits, its id in the low 32. The full-text table uses
# it as rowid, so ``order by rowid desc limit n`` walks the matches newest first without
# sorting them all, and a date range is a rowid range.
KEY_SHIFT = 4294967296  # 2**32
ID_MASK = KEY_SHIFT - 1

# Link tables carry their meeting's dates and status, so a person, topic or side filter
# combined with a date range or a status is one index range, with no join to meetings.
_LINK_TABLES = {"participations": "person_id", "meeting_topics": "topic", "meeting_sides": "side"}
_LINK_COPIES = {"date_from": str, "date_to": str, "status": str}

MIGRATIONS = Migrations("meetings")


def _sort_key_sql(row: str) -> str:
    return (
        f"(coalesce(cast(julianday(nullif({row}.date_from, '')) as integer), 0) "
        f"* {KEY_SHIFT} + {row}.id)"
    )


@MIGRATIONS(name="create")
def _create_tables(db: sqlite_utils.Database) -> None:
    db["meetings"].create(
        {
            "id": int,
            "date": str,  # ISO, possibly partial (YYYY-MM, YYYY)
            "date_from": str,  # first day the date can mean ("" when unknown): the sort key
            "date_to": str,  # last day it can mean
            "date_text": str,
            "status": str,
            "kind": str,
            "city": str,
            "country": str,
            "evidence": str,
            "search_text": str,  # every source's evidence, for full-text search
            "people_key": str,  # sorted normalised participant names, "|"-joined
            "sides_key": str,  # sorted sides, "|"-joined (meetings with no named people)
            "reported_on": str,  # date of the first article that reported it
        },
        pk="id",
        not_null={"status", "kind", "evidence", "date_from"},
    )
    db["meetings"].create_index(["date_from", "id"])
    db["meetings"].create_index(["people_key"])
    db["meetings"].create_index(["sides_key"])
    db["meetings"].create_index(["status", "date_from"])
    db["meetings"].create_index(["country", "date_from"])
    db["meetings"].create_index(["city", "date_from"])
    _create_text_index(db)
    db["people"].create(
        {
            "id": int,
            "name": str,
            "name_key": str,  # normalised name: the person's identity across articles
            "side": str,
            "roles": str,  # JSON list, as written
            "aliases": str,  # JSON list of other spellings seen
            "meeting_count": int,
        },
        pk="id",
        not_null={"name", "name_key"},
        defaults={"meeting_count": 0},
    )
    db["people"].create_index(["name_key"], unique=True)
    db["person_aliases"].create(
        {"alias": str, "person_id": int},
        pk=("alias", "person_id"),
        foreign_keys=[("person_id", "people", "id")],
    )
    db["participations"].create(
        {"meeting_id": int, "person_id": int, "role": str, "side": str, **_LINK_COPIES},
        pk=("meeting_id", "person_id"),
        foreign_keys=[("meeting_id", "meetings", "id"), ("person_id", "people", "id")],
        not_null={"date_to", "status"},
        defaults={"date_to": "", "status": ""},
    )
    for table, column in (("meeting_topics", "topic"), ("meeting_sides", "side")):
        db[table].create(
            {"meeting_id": int, column: str, **_LINK_COPIES},
            pk=("meeting_id", column),
            foreign_keys=[("meeting_id", "meetings", "id")],
            not_null={"date_to", "status"},
            defaults={"date_to": "", "status": ""},
        )
    for table, column in _LINK_TABLES.items():
        # (value, status, dates...) serves "value and status"; (value, dates...) the rest.
        db[table].create_index(
            [column, "date_from", "date_to", "meeting_id"], f"idx_{table}_{column}_dates"
        )
        db[table].create_index(
            [column, "status", "date_from", "date_to", "meeting_id"],
            f"idx_{table}_{column}_status_dates",
        )
    # Topics, people and sides keep a count: choosing the driving filter reads it.
    db["topics"].create({"name": str, "meeting_count": int}, pk="name")
    db["sides"].create({"name": str, "name_lower": str, "meeting_count": int}, pk="name")
    db["sides"].create_index(["name_lower"])
    db["meeting_sources"].create(
        {"meeting_id": int, "article_id": int, "evidence": str, "status": str, "reported": str},
        pk=("meeting_id", "article_id"),
        foreign_keys=[("meeting_id", "meetings", "id")],
    )
    db["meeting_sources"].create_index(["article_id", "reported"])


def _create_text_index(db: sqlite_utils.Database) -> None:
    """Full-text index keyed by date order (``meeting_text``), kept by triggers."""
    # Contentless: only rowids are ever read; search_text (every source's evidence) stays in
    # meetings. Rows are removed with FTS5's 'delete' command, which needs the text that was
    # indexed (old.search_text).
    db.execute(
        "create virtual table meeting_text using fts5(search_text, content='', tokenize='porter')"
    )
    new_key, old_key = _sort_key_sql("new"), _sort_key_sql("old")
    remove_old = (
        "insert into meeting_text (meeting_text, rowid, search_text) "
        f"values ('delete', {old_key}, old.search_text);"
    )
    add_new = f"insert into meeting_text (rowid, search_text) values ({new_key}, new.search_text);"
    # One execute() per trigger: executescript() would commit the migration's transaction.
    db.execute(f"create trigger meeting_text_ai after insert on meetings begin {add_new} end")
    db.execute(f"create trigger meeting_text_ad after delete on meetings begin {remove_old} end")
    db.execute(
        "create trigger meeting_text_au after update of date_from, search_text on meetings "
        f"begin {remove_old} {add_new} end"
    )


# --- small helpers -----------------------------------------------------------------------


def date_bounds(value: str | None) -> tuple[str, str]:
    """First and last day a (partial) ISO date can mean; ("", "") when unknown."""
    if not value:
        return "", ""
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return value, value


def _more_precise(first: str | None, second: str | None) -> bool:
    return len(first or "") > len(second or "")


# --- saving --------------------------------------------------------------------------------
# Writes go through plain execute() (digest.store.rows): one commit per article, not per row.


def _article_day(article: Article) -> str | None:
    return article.published.date().isoformat() if article.published else None


def _signature(meeting: Meeting) -> tuple[str, str, str, str]:
    people = "|".join(sorted(name_key(canonical_person(p.name)) for p in meeting.participants))
    sides = "|".join(sorted(meeting.sides))
    return people, sides, meeting.kind, meeting.date or ""


def _reported(meeting: Meeting) -> str:
    """What one article said about a meeting, to recognise it when the article comes again."""
    people, sides, kind, day = _signature(meeting)
    place = meeting.location or Location()
    return "#".join(
        [people, sides, kind, day, meeting.status, place.city or "", place.country or ""]
    )


def _find_same(
    db: sqlite_utils.Database, article: Article, meeting: Meeting
) -> tuple[int | None, bool]:
    """(id of the stored meeting this one is, whether this article is already its source)."""
    people_key, sides_key, kind, _ = _signature(meeting)
    if article.id is not None:
        # Re-ingesting: the same article already gave this very meeting.
        for row in db.query(
            "select meeting_id from meeting_sources where article_id = ? and reported = ?",
            [article.id, _reported(meeting)],
        ):
            return row["meeting_id"], True
    if people_key:
        rows = db.query("select * from meetings where people_key = ?", [people_key])
    else:
        rows = db.query(
            "select * from meetings where people_key = '' and sides_key = ? and kind = ?",
            [sides_key, kind],
        )
    for row in rows:
        if article.id is not None and _linked(db, row["id"], article.id):
            continue  # two meetings of one article stay two meetings
        if _same_record(row, meeting, people_key, _article_day(article)):
            return row["id"], False
    return None, False


def _linked(db: sqlite_utils.Database, meeting_id: int, article_id: int) -> bool:
    return bool(
        list(
            db.query(
                "select 1 from meeting_sources where meeting_id = ? and article_id = ?",
                [meeting_id, article_id],
            )
        )
    )


def _same_record(
    row: dict[str, Any], meeting: Meeting, people_key: str, reported_on: str | None
) -> bool:
    """Cross-article identity: same people, dates close, or a planned meeting later held."""
    stored_date, new_date = row["date"], meeting.date
    if stored_date and new_date:
        coarse = min(len(stored_date), len(new_date)) < 7
        if coarse:
            return False
        people = frozenset(people_key.split("|")) if people_key else frozenset({row["sides_key"]})
        return same_meeting(
            Occasion(people, stored_date, row["kind"]), Occasion(people, new_date, meeting.kind)
        )
    statuses = {row["status"], meeting.status}
    if "planned" in statuses and len(statuses) == 2:
        # The planned meeting, later reported as held (or mentioned), when it can be the same.
        planned_on = row["reported_on"] if row["status"] == "planned" else None
        later = new_date if row["status"] == "planned" else stored_date
        if row["status"] != "planned":
            planned_on = reported_on  # the new article reports the plan
        return bool(planned_on and later and later >= planned_on)
    if not stored_date and not new_date and row["status"] == meeting.status:
        return (row["city"] or None) == (meeting.location.city if meeting.location else None)
    return False


def save_meetings(
    db: sqlite_utils.Database, article: Article, meetings: Sequence[Meeting]
) -> list[int]:
    """Store the meetings one article reports, merged into the records already stored.

    Returns the id of the stored meeting for each input, in order. Idempotent per article.
    """
    ids: list[int] = []
    with writing(db):  # one transaction: sqlite-utils commits each bare statement otherwise
        for meeting in meetings:
            existing, already = _find_same(db, article, meeting)
            if existing is None:
                ids.append(_insert(db, article, meeting))
            else:
                if not already:
                    _merge(db, existing, article, meeting)
                ids.append(existing)
    return ids


def _insert(db: sqlite_utils.Database, article: Article, meeting: Meeting) -> int:
    people_key, sides_key, _, _ = _signature(meeting)
    date_from, date_to = date_bounds(meeting.date)
    location = meeting.location or Location()
    meeting_id = insert_row(
        db,
        "meetings",
        {
            "date": meeting.date,
            "date_from": date_from,
            "date_to": date_to,
            "date_text": meeting.date_text,
            "status": meeting.status,
            "kind": meeting.kind,
            "city": location.city,
            "country": location.country,
            "evidence": meeting.evidence,
            "search_text": meeting.evidence,
            "people_key": people_key,
            "sides_key": sides_key,
            "reported_on": _article_day(article),
        },
    )
    _link_details(db, meeting_id, (date_from, date_to), meeting, meeting.status)
    _add_source(db, meeting_id, article, meeting)
    return meeting_id


def _link_details(
    db: sqlite_utils.Database,
    meeting_id: int,
    dates: tuple[str, str],
    meeting: Meeting,
    status: str,
) -> None:
    date_from, date_to = dates
    for participant in meeting.participants:
        person_id = save_person(db, participant)
        exists = list(
            db.query(
                "select 1 from participations where meeting_id = ? and person_id = ?",
                [meeting_id, person_id],
            )
        )
        if not exists:
            insert_row(
                db,
                "participations",
                {
                    "meeting_id": meeting_id,
                    "person_id": person_id,
                    "role": participant.role,
                    "side": participant.side,
                    "date_from": date_from,
                    "date_to": date_to,
                    "status": status,
                },
            )
            db.execute(
                "update people set meeting_count = meeting_count + 1 where id = ?", [person_id]
            )
    link = (meeting_id, date_from, date_to, status)
    for topic in meeting.topics:
        if _link_value(db, "meeting_topics", "topic", topic, link):
            db.execute(
                "insert into topics (name, meeting_count) values (?, 1) "
                "on conflict(name) do update set meeting_count = meeting_count + 1",
                [topic],
            )
    for side in meeting.sides:
        if _link_value(db, "meeting_sides", "side", side, link):
            db.execute(
                "insert into sides (name, name_lower, meeting_count) values (?, ?, 1) "
                "on conflict(name) do update set meeting_count = meeting_count + 1",
                [side, side.lower()],
            )


def _link_value(
    db: sqlite_utils.Database, table: str, column: str, value: str, link: tuple[Any, ...]
) -> bool:
    """Link a topic or side to a meeting; False when the link already existed."""
    meeting_id, date_from, date_to, status = link
    return bool(
        db.execute(
            f"insert or ignore into {table} (meeting_id, {column}, date_from, date_to, status) "
            "values (?, ?, ?, ?, ?)",
            [meeting_id, value, date_from, date_to, status],
        ).rowcount
    )


def _merge(db: sqlite_utils.Database, meeting_id: int, article: Article, meeting: Meeting) -> None:
    row = get_row(db, "meetings", meeting_id)
    update: dict[str, Any] = {}
    upgraded = _STATUS_RANK[meeting.status] > _STATUS_RANK[row["status"]]
    if upgraded:
        update["status"] = meeting.status
        update["evidence"] = meeting.evidence
    take_date = meeting.date and (
        not row["date"]
        or (upgraded and meeting.status == "held")
        or (
            _more_precise(meeting.date, row["date"])
            and row["date"] == meeting.date[: len(row["date"])]
        )
    )
    if take_date:
        update["date"], update["date_text"] = meeting.date, meeting.date_text
        update["date_from"], update["date_to"] = date_bounds(meeting.date)
    location = meeting.location
    if location and (not row["country"] or (location.city and not row["city"])):
        update["city"], update["country"] = location.city, location.country
    update["search_text"] = f"{row['search_text']}\n{meeting.evidence}"
    update_row(db, "meetings", meeting_id, update)
    dates = (update.get("date_from", row["date_from"]), update.get("date_to", row["date_to"]))
    status = update.get("status", row["status"])
    if "date_from" in update or "status" in update:
        for table in _LINK_TABLES:
            db.execute(
                f"update {table} set date_from = ?, date_to = ?, status = ? where meeting_id = ?",
                [*dates, status, meeting_id],
            )
    _link_details(db, meeting_id, dates, meeting, status)
    _add_source(db, meeting_id, article, meeting)


def _add_source(
    db: sqlite_utils.Database, meeting_id: int, article: Article, meeting: Meeting
) -> None:
    if article.id is None:
        return
    db.execute(
        "insert or ignore into meeting_sources "
        "(meeting_id, article_id, evidence, status, reported) values (?, ?, ?, ?, ?)",
        [meeting_id, article.id, meeting.evidence, meeting.status, _reported(meeting)],
    )


def forget_article(db: sqlite_utils.Database, article_id: int) -> None:
    """Take back what an article contributed (inside the caller's transaction).

    Its source links go; a meeting it alone reported goes with its links, and the counts of
    its people, topics and sides drop. A meeting other articles also report stays as merged.
    """
    meeting_ids = [
        row[0]
        for row in db.execute(
            "select meeting_id from meeting_sources where article_id = ?", [article_id]
        )
    ]
    db.execute("delete from meeting_sources where article_id = ?", [article_id])
    for meeting_id in meeting_ids:
        others = db.execute(
            "select 1 from meeting_sources where meeting_id = ? limit 1", [meeting_id]
        ).fetchone()
        if others is None:
            _delete_meeting(db, meeting_id)


def _delete_meeting(db: sqlite_utils.Database, meeting_id: int) -> None:
    counted = (
        ("participations", "person_id", "people", "id"),
        ("meeting_topics", "topic", "topics", "name"),
        ("meeting_sides", "side", "sides", "name"),
    )
    for table, column, totals, key in counted:
        db.execute(
            f"update {totals} set meeting_count = meeting_count - 1 where {key} in "
            f"(select {column} from {table} where meeting_id = ?)",
            [meeting_id],
        )
        db.execute(f"delete from {table} where meeting_id = ?", [meeting_id])
    db.execute("delete from topics where meeting_count <= 0")
    db.execute("delete from sides where meeting_count <= 0")
    db.execute("delete from meetings where id = ?", [meeting_id])
