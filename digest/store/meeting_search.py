"""Meeting lookups: by person, side, place, topic, status, date range and free text, paged.

Newest first, read from the indexes digest.store.meetings keeps (each carries the meeting's
sort key, see ``KEY_SHIFT``), so a first page never sorts every match. Also what autocomplete
offers: people by prefix, sides, topics with counts.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlite_utils

from digest.errors import BadQuery
from digest.meetings.gazetteer import place_of, side_of
from digest.models import Meeting
from digest.store.fts import match_rows, prepare_query
from digest.store.meetings import (
    ID_MASK,
    KEY_SHIFT,
    STATUSES,
    date_bounds,
    meetings_by_ids,
)
from digest.store.people import canonical_person

MAX_LIMIT = 100


@dataclass(frozen=True)
class MeetingPage:
    """One page of lookup results, newest first, with the number of matches (capped)."""

    meetings: tuple[Meeting, ...]
    total: int  # exact, or TOTAL_CAP (at least) when total_capped
    limit: int
    offset: int
    total_capped: bool = False  # ``total`` is a lower bound, more match: show "1000+"

    @property
    def has_more(self) -> bool:
        """True when later pages exist."""
        return self.total_capped or self.offset + len(self.meetings) < self.total


# --- lookups -------------------------------------------------------------------------------


def _parse_day(value: str | date | datetime | None, name: str, *, end: bool) -> str | None:
    """A --since/--until value as an ISO day; a partial date stands for its first/last day."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise BadQuery(f"{name} {text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY.")
    try:
        first, last = date_bounds(text)
        date.fromisoformat(first)
        date.fromisoformat(last)
    except ValueError:
        raise BadQuery(f"{name} {text!r} is not a real date.") from None
    return last if end else first


def _person_ids(db: sqlite_utils.Database, person: str) -> list[int]:
    key = person.strip().casefold()
    canonical = canonical_person(person.strip()).casefold()
    ids = [
        r["person_id"]
        for r in db.query(
            "select distinct person_id from person_aliases where alias in (?, ?)", [key, canonical]
        )
    ]
    if not ids:
        raise BadQuery(
            f"No one called {person!r} has been seen in a meeting; "
            f"try `parley people {person.strip()[:3]}` for names that exist."
        )
    return ids


def _side_name(db: sqlite_utils.Database, side: str) -> str:
    wanted = side_of(side) or side.strip()
    rows = list(db.query("select name from sides where name_lower = ?", [wanted.lower()]))
    if not rows:
        raise BadQuery(
            f"No meeting has {side!r} as a side; try a country or organisation name "
            "such as China, United States or European Union."
        )
    return rows[0]["name"]


def _place_filter(db: sqlite_utils.Database, place: str) -> tuple[str, list[str]]:
    """SQL matching a city or a country by its stored (canonical) name, via the indexes."""
    text = " ".join(place.split())
    known = place_of(text)
    names = {text, text.title()}
    if known is not None:
        names.add(known.city or known.country)
    for column in ("city", "country"):
        marks = ",".join("?" * len(names))
        sql = f"m.{column} in ({marks})"
        if list(db.query(f"select 1 from meetings m where {sql} limit 1", list(names))):
            return sql, list(names)
    raise BadQuery(f"No meeting took place in {place!r}; try a city or a country name.")


def _topic_name(db: sqlite_utils.Database, topic: str) -> str:
    wanted = topic.strip().lower()
    if list(db.query("select 1 from meeting_topics where topic = ? limit 1", [wanted])):
        return wanted
    near = [t for t, _ in topic_counts(db) if wanted[:3] and t.startswith(wanted[:3])][:5]
    hint = f" Did you mean: {', '.join(near)}?" if near else " `parley topics` lists them."
    raise BadQuery(f"No meeting is tagged {topic!r}.{hint}")


def search_meetings(  # noqa: C901 - one branch per filter
    db: sqlite_utils.Database,
    *,
    person: str | None = None,
    side: str | None = None,
    place: str | None = None,
    topic: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    text: str | None = None,
    status: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> MeetingPage:
    """Meetings matching every filter given, newest first, and how many match in all.

    Unknown people, sides, places or topics, impossible date ranges and bad statuses raise
    BadQuery with a message that says what to try instead.
    """
    if status is not None and status not in STATUSES:
        raise BadQuery(f"Status {status!r} is not one of: {', '.join(STATUSES)}.")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"Limit must be between 1 and {MAX_LIMIT}.")
    if offset < 0:
        raise BadQuery("Offset (page) cannot be negative.")
    if text is not None:
        text = prepare_query(text)  # "U.S.", "co-chair" and "talks?" searched as phrases
    first = _parse_day(since, "since", end=False)
    last = _parse_day(until, "until", end=True)
    if first and last and first > last:
        raise BadQuery(f"since ({first}) is after until ({last}): no meeting can match.")
    # The most selective filter drives the query: its table's (value, date_from, date_to,
    # meeting_id) index gives the page in date order; the other filters are index probes.
    drivers: list[tuple[str, str, str, list[Any]]] = []  # table, alias, condition, params
    several_people = False
    if person is not None:
        ids = _person_ids(db, person)
        several_people = len(ids) > 1
        marks = ",".join("?" * len(ids))
        drivers.append(("participations", "p", f"p.person_id in ({marks})", ids))
    if topic is not None:
        drivers.append(("meeting_topics", "t", "t.topic = ?", [_topic_name(db, topic)]))
    if side is not None:
        drivers.append(("meeting_sides", "s", "s.side = ?", [_side_name(db, side)]))
    if len(drivers) > 1:  # the smallest set drives; the others are probed per row
        drivers.sort(key=lambda driver: _estimate(db, driver))
    inner: list[str] = []  # conditions on the driving table alone (its index range)
    inner_params: list[Any] = []
    where: list[str] = []  # the other filters, checked per driving row
    params: list[Any] = []
    if drivers:
        table, d, condition, values = drivers[0]
        source, key = f"{table} {d}", f"{d}.meeting_id"
        inner.append(condition)
        inner_params += values
        for other_table, alias, other_condition, other_values in drivers[1:]:
            where.append(
                f"exists (select 1 from {other_table} {alias} "
                f"where {alias}.meeting_id = {key} and {other_condition})"
            )
            params += other_values
    elif text is not None:
        # The date-ordered full-text index drives: its rowids are sort keys, so the page is
        # the first matches read backwards, and a date range is a rowid range.
        d, source, key = "f", "meeting_text f", f"(f.rowid & {ID_MASK})"
        inner.append("f.meeting_text match ?")
        inner_params.append(text)
    else:
        d, source, key = "m", "meetings m", "m.id"
    if status is not None and drivers:  # link rows carry the status: part of the index range
        inner.append(f"{d}.status = ?")
        inner_params.append(status)
        status = None  # checked
    needs_meeting = place is not None or status is not None
    if d == "f":
        if first:  # a key range on date_from; partial dates ending after since are checked below
            inner.append("f.rowid >= ?")
            inner_params.append(_day_number(first[:4] + "-01-01") * KEY_SHIFT)
        if last:
            inner.append("f.rowid >= ? and f.rowid < ?")  # dated, on or before until
            inner_params += [KEY_SHIFT, (_day_number(last) + 1) * KEY_SHIFT]
        if first and first[4:] != "-01-01":
            where.append("m.date_to >= ?")
            params.append(first)
            needs_meeting = True
    else:
        if first:  # overlaps the range: may end on or after since (year-only dates start 1 Jan)
            inner.append(f"{d}.date_to >= ? and {d}.date_from >= ?")
            inner_params += [first, first[:4] + "-01-01"]
        if last:
            inner.append(f"{d}.date_from <= ? and {d}.date_from != ''")
            inner_params.append(last)
    if text is not None and drivers:
        where.append(
            f"{key} in (select rowid & {ID_MASK} from meeting_text where meeting_text match ?)"
        )
        params.append(text)
    joins = ""
    if needs_meeting:
        if d != "m":
            joins = f" join meetings m on m.id = {key}"
        if place is not None:
            sql, values = _place_filter(db, place)
            where.append(sql)
            params += values
        if status is not None:
            where.append("m.status = ?")
            params.append(status)
    if d == "m":
        order = "m.date_from desc, m.id desc"  # the meetings (date_from, id) index
    elif d == "f":
        order = "f.rowid desc"  # the full-text index, read backwards
    else:  # the link table's (value, date_from, date_to, meeting_id) index, read backwards
        order = f"{d}.date_from desc, {d}.date_to desc, {d}.meeting_id desc"
    walk = _Walk(
        db, text, f"{source}{joins}", key, order, inner, inner_params, where, params,
        distinct="distinct " if several_people else "", limit=limit, offset=offset,
    )  # fmt: skip
    if drivers and where:
        ids, total, capped = walk.budgeted(source, f"{d}.meeting_id, {d}.date_from, {d}.date_to")
    elif d == "f" and where:  # e.g. a common word of planned meetings: probe a stretch
        ids, total, capped = walk.budgeted(source, "f.rowid as rowid")
    elif d == "m" and where and place is None:  # status alone (a place has its own index)
        ids, total, capped = walk.budgeted(source, "m.id, m.date_from, m.status")
    else:
        ids, total, capped = walk.capped()
    return MeetingPage(tuple(meetings_by_ids(db, ids)), total, limit, offset, capped)


@dataclass(frozen=True)
class _Walk:
    """A walk down a date-ordered index (``order``), newest first, keeping matching rows."""

    db: sqlite_utils.Database
    text: str | None  # the full-text query, when the SQL MATCHes one
    source: str
    key: str
    order: str
    inner: list[str]
    inner_params: list[Any]
    where: list[str]
    params: list[Any]
    distinct: str
    limit: int
    offset: int

    def ids(self, source: str, conditions: list[str], values: list[Any], limit: int) -> list[int]:
        sql = f"select {self.distinct}{self.key} as id from {source}"
        sql += (" where " + " and ".join(conditions) if conditions else "") + " order by "
        sql += f"{self.order} limit ?"
        try:  # plain tuples: up to TOTAL_CAP ids, dicts would cost more than the walk
            return [row[0] for row in self.db.execute(sql, [*values, limit]).fetchall()]
        except sqlite3.OperationalError:
            if self.text is None:
                raise
            list(match_rows(self.db, sql, [*values, limit], self.text))  # BadQuery for bad syntax
            raise

    def capped(self) -> tuple[list[int], int, bool]:
        """One walk gives the page and the count, stopping past TOTAL_CAP matches.

        Reading past the cap would mean reading every match of a common filter; the cap
        grows with the page asked for, so deep pages still count past themselves.
        """
        cap = max(TOTAL_CAP, self.offset + self.limit)
        conditions = self.inner + self.where
        found = self.ids(self.source, conditions, self.inner_params + self.params, cap + 1)
        return found[self.offset : self.offset + self.limit], min(len(found), cap), len(found) > cap

    def budgeted(self, table: str, columns: str) -> tuple[list[int], int, bool]:
        """Page and count when each driving row must be probed against other filters.

        The count reads at most SCAN_BUDGET driving rows: past that, the total is a lower
        bound (flagged). The page comes from that first stretch when it is there, else from
        a walk that goes on until the page is full, as a plain page query would.
        """
        cap = max(TOTAL_CAP, self.offset + self.limit)
        d = table.split()[-1]
        driving = f"from {table}" + (" where " + " and ".join(self.inner) if self.inner else "")
        stretch = f"(select {columns} {driving} order by {self.order} limit ?) {d}"
        source = stretch + self.source[len(table) :]  # the same joins after the driver
        values = [*self.inner_params, SCAN_BUDGET, *self.params]
        found = self.ids(source, self.where, values, cap + 1)
        if len(found) > cap:
            return found[self.offset : self.offset + self.limit], cap, True
        sql = f"select count(*) from (select 1 {driving} limit ?)"
        walked = self.db.execute(sql, [*self.inner_params, SCAN_BUDGET + 1]).fetchone()[0]
        if walked <= SCAN_BUDGET:  # the stretch was every driving row: exact
            return found[self.offset : self.offset + self.limit], len(found), False
        wanted = self.offset + self.limit + 1  # one more than the page says whether more exist
        if len(found) < wanted:
            conditions = self.inner + self.where
            found = self.ids(self.source, conditions, self.inner_params + self.params, wanted)
            if len(found) < wanted:
                return found[self.offset : self.offset + self.limit], len(found), False
        return found[self.offset : self.offset + self.limit], len(found), True


TOTAL_CAP = 1000  # totals above this are reported as "1000+" (MeetingPage.total_capped)
SCAN_BUDGET = 1000  # driving rows read to count a combined filter; past it "N+" (a lower bound)


def _day_number(day: str) -> int:
    """The Julian day number SQLite's ``cast(julianday(day) as integer)`` gives."""
    return date.fromisoformat(day).toordinal() + 1721424


def _estimate(db: sqlite_utils.Database, driver: tuple[str, str, str, list[Any]]) -> int:
    """Roughly how many rows a filter selects (stored counts), to pick the one that drives."""
    table, _, _, values = driver
    if table == "participations":
        marks = ",".join("?" * len(values))
        sql = f"select coalesce(sum(meeting_count), 0) as n from people where id in ({marks})"
        return next(iter(db.query(sql, values)))["n"]
    if table == "meeting_sides":
        rows = list(db.query("select meeting_count as n from sides where name = ?", values))
        return rows[0]["n"] if rows else 0
    rows = db.execute("select meeting_count from topics where name = ?", values).fetchall()
    return rows[0][0] if rows else 0


def people_with_prefix(db: sqlite_utils.Database, prefix: str, limit: int = 25) -> list[str]:
    """Names of people (by any of their names) starting with ``prefix``, most-met first."""
    key = prefix.strip().casefold()
    if not key:
        rows = db.query(
            "select name from people order by meeting_count desc, name limit ?", [limit]
        )
        return [r["name"] for r in rows]
    rows = db.query(
        "select x.name from people x where x.id in (select person_id from person_aliases "
        "where alias >= ? and alias < ?) order by x.meeting_count desc, x.name limit ?",
        [key, key + "\uffff", limit],
    )
    return [r["name"] for r in rows]


def topic_counts(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    """Every topic tag in use with its number of meetings, most used first."""
    rows = db.query(
        "select topic, count(*) as n from meeting_topics group by topic order by n desc, topic"
    )
    return [(r["topic"], r["n"]) for r in rows]


def list_sides(db: sqlite_utils.Database, prefix: str = "", limit: int = 25) -> list[str]:
    """Countries and organisations seen as sides, starting with ``prefix``, most frequent first."""
    key = prefix.strip().lower()
    rows = db.query(
        "select name from sides where name_lower >= ? and name_lower < ? "
        "order by meeting_count desc, name limit ?",
        [key, key + "\uffff", limit],
    )
    return [r["name"] for r in rows]


def count_meetings(db: sqlite_utils.Database) -> int:
    """How many meetings are stored."""
    return db["meetings"].count
