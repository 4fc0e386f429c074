"""Reading meetings back: full records with participants, topics, sides and sources."""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from digest.errors import NotFound
from digest.models import Location, Meeting, Participant, SourceLink
from digest.timeutil import from_iso


def meetings_by_ids(db: sqlite_utils.Database, ids: Sequence[int]) -> list[Meeting]:
    """Full records (participants, topics, sides, sources) for ``ids``, in that order."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in db.query(f"select * from meetings where id in ({marks})", ids)}
    people: dict[int, list[Participant]] = {i: [] for i in ids}
    for r in db.query(
        "select p.meeting_id, x.name, p.role, p.side from participations p "
        f"join people x on x.id = p.person_id where p.meeting_id in ({marks}) "
        "order by p.rowid",
        ids,
    ):
        people[r["meeting_id"]].append(Participant(r["name"], r["role"], r["side"]))
    topics: dict[int, list[str]] = {i: [] for i in ids}
    for r in db.query(
        f"select meeting_id, topic from meeting_topics where meeting_id in ({marks}) "
        "order by rowid",
        ids,
    ):
        topics[r["meeting_id"]].append(r["topic"])
    sides: dict[int, list[str]] = {i: [] for i in ids}
    for r in db.query(
        f"select meeting_id, side from meeting_sides where meeting_id in ({marks}) order by rowid",
        ids,
    ):
        sides[r["meeting_id"]].append(r["side"])
    sources: dict[int, list[SourceLink]] = {i: [] for i in ids}
    source_sql = (
        "select s.meeting_id, a.title, a.location, a.site, a.published from meeting_sources s "
        f"join articles a on a.id = s.article_id where s.meeting_id in ({marks}) "
        "order by a.published, a.id"
    )
    for r in db.query(source_sql, ids):
        sources[r["meeting_id"]].append(
            SourceLink(
                title=r["title"] or r["location"],
                location=r["location"],
                site=r["site"],
                published=from_iso(r["published"]),
            )
        )
    out = []
    for meeting_id in ids:
        row = rows.get(meeting_id)
        if row is None:
            continue
        location = None
        if row["country"] or row["city"]:
            location = Location(city=row["city"], country=row["country"])
        out.append(
            Meeting(
                id=meeting_id,
                status=row["status"],
                kind=row["kind"],
                evidence=row["evidence"],
                date=row["date"],
                date_text=row["date_text"],
                location=location,
                participants=tuple(people[meeting_id]),
                topics=tuple(topics[meeting_id]),
                sides=tuple(sides[meeting_id]),
                sources=tuple(sources[meeting_id]),
            )
        )
    return out


def get_meeting(db: sqlite_utils.Database, meeting_id: int) -> Meeting:
    """The meeting with this id, with every source; NotFound when there is none."""
    found = meetings_by_ids(db, [meeting_id])
    if not found:
        raise NotFound(f"There is no meeting #{meeting_id}; search with `parley meetings`.")
    return found[0]


def meetings_for_article(db: sqlite_utils.Database, article_id: int) -> list[Meeting]:
    """The stored meetings an article is a source of."""
    ids = [
        r["meeting_id"]
        for r in db.query(
            "select meeting_id from meeting_sources where article_id = ? order by meeting_id",
            [article_id],
        )
    ]
    return meetings_by_ids(db, ids)
