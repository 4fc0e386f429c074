"""Meetings: extract every official meeting an article reports (see extract.py for the rules).

``extract_meetings(article)`` returns one ``Meeting`` per real meeting in the article;
``meetings_json(article, meetings)`` renders the gold-format JSON object (GUIDE.md §1).
"""

from __future__ import annotations

import logging

from digest.meetings.attach import attach_topics
from digest.meetings.budget import Budget
from digest.meetings.dedupe import merge_candidates
from digest.meetings.extract import Candidate, Context, extract_candidates
from digest.meetings.json_format import meetings_json
from digest.meetings.records import (
    drop_covered_visits,
    drop_unions,
    drop_unplaced_events,
    fold_unnamed,
    inherit_within_trip,
    place_back_references,
    prelude_attendance,
    side_unsided_summits,
    sideline_attendance,
)
from digest.meetings.topics import Vocabulary
from digest.models import Article, Location, Meeting, Participant

__all__ = ["Budget", "extract_meetings", "meetings_json"]

log = logging.getLogger(__name__)


def extract_meetings(
    article: Article, vocabulary: Vocabulary | None = None, budget: Budget | None = None
) -> list[Meeting]:
    """Every meeting the article reports, one record each, in text order.

    ``budget`` bounds the CPU time (default: ``Budget()``, a few seconds); when it runs out
    the rest of the article is left unread and the meetings found so far are returned.
    """
    budget = budget or Budget()
    budget.start()
    candidates, context = extract_candidates(article, budget)
    records = merge_candidates(candidates)
    records = fold_unnamed(records)
    records = drop_unions(records)
    records = drop_covered_visits(records)
    records = drop_unplaced_events(records)
    side_unsided_summits(records, context)
    place_back_references(records, context)
    inherit_within_trip(records, context)
    sideline_attendance(records, context)
    prelude_attendance(records, context)
    attach_topics(records, candidates, context, vocabulary, budget)
    if budget.spent_at is not None:
        log.warning(
            "meetings: %s: time budget spent at character %d of %d; kept what was found",
            article.location,
            budget.spent_at,
            len(article.body),
        )
    return [_to_meeting(record, context) for record in records]


def _to_meeting(record: Candidate, context: Context) -> Meeting:
    participants = []
    for name in record.participants:
        person = context.people[name]
        role = person.role
        if role and role.lower() == "counterpart":
            others = [
                context.people[n].role
                for n in record.participants
                if n != name and context.people[n].role
            ]
            role = _implied_title(others[0]) if others else None
        participants.append(Participant(name=name, role=role, side=context.side(name)))
    topics = [] if record.kind == "visit" or record.event else record.topics
    location = (
        Location(city=record.location[0], country=record.location[1]) if record.location else None
    )
    if record.kind == "call":
        location = None
    return Meeting(
        status=record.status,
        kind=record.kind,
        evidence=record.evidence,
        date=record.date,
        date_text=record.date_text,
        location=location,
        participants=tuple(participants),
        topics=tuple(topics),
        sides=tuple(record.sides),
    )


def _implied_title(role: str) -> str:
    """The title a counterpart implies: a Defense Minister's is Defense Minister (GUIDE §8)."""
    return role
