"""One record per real meeting: merge candidates that describe the same encounter.

Used twice: inside one article (mentions of the same meeting in several sentences) and across
articles by the store (``same_meeting`` on stored records).
"""

from __future__ import annotations

from functools import lru_cache

from digest.meetings import dates
from digest.meetings.extract import Candidate

_STATUS_RANK = {"mentioned": 0, "planned": 1, "held": 2}
# A mention joins one of the NEAR latest records: in a normal article all of them; in a
# pathological one (thousands of meetings) this bound keeps merging linear in its length.
NEAR = 200


@lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def people_key(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Participants as a comparable set of normalised names."""
    return frozenset(_norm(n) for n in names)


def same_meeting(
    first_people: frozenset[str],
    first_date: str | None,
    first_kind: str,
    second_people: frozenset[str],
    second_date: str | None,
    second_kind: str,
    *,
    slack_days: int = 2,
) -> bool:
    """True when two records (from any articles) describe one meeting.

    Same people, and dates that agree at their common precision or are within ``slack_days``.
    """
    if not first_people or first_people != second_people:
        return False
    if (first_kind == "visit") != (second_kind == "visit"):
        return False
    apart = dates.days_apart(first_date, second_date)
    if apart is not None:
        return apart <= slack_days
    return dates.compatible(first_date, second_date)


def _compatible(a: Candidate, b: Candidate) -> bool:
    if (a.event is None) != (b.event is None):
        return False
    if a.event is not None:
        return (
            a.event.lower() == b.event.lower()
            or a.event.lower() in b.event.lower()
            or b.event.lower() in a.event.lower()
        )
    if (a.kind == "visit") != (b.kind == "visit"):
        return False
    if a.kind == "visit" and a.visit_host != b.visit_host:
        return False
    # Statuses differ: only an undated passing reference joins a record of the same people.
    planned = "planned" in (a.status, b.status)
    if a.status != b.status and (planned or (a.date and b.date)):
        return False
    if not dates.compatible(a.date, b.date):
        return False
    if a.participants and b.participants:
        first, second = people_key(a.participants), people_key(b.participants)
        if first == second:
            return True
        # A one-person, undated mention ("Shultz ... the talks") joins that person's meeting.
        lone = b if len(second) == 1 else a if len(first) == 1 else None
        return (
            lone is not None
            and a.status == b.status
            and not lone.explicit_date
            and lone.location is None
            and (first < second or second < first)
        )
    return False


def absorb(into: Candidate, other: Candidate) -> None:
    """Fold ``other`` into ``into``: the most specific date and place, every side and topic."""
    if dates.precision(other.date) > dates.precision(into.date):
        into.date, into.date_text = other.date, other.date_text
    elif into.date_text is None and other.date_text:
        into.date_text = other.date_text
    if other.location and (
        into.location is None or (into.location[0] is None and other.location[0])
    ):
        into.location = other.location
    for name in other.participants:
        if name not in into.participants:
            into.participants.append(name)
    for side in other.sides:
        if side not in into.sides:
            into.sides.append(side)
    into.fallback_location = into.fallback_location or other.fallback_location
    into.fallback_date = into.fallback_date or other.fallback_date
    for topic in other.topics:
        if topic not in into.topics:
            into.topics.append(topic)
    if _STATUS_RANK[other.status] > _STATUS_RANK[into.status] and other.status != "planned":
        into.status = other.status
    if into.kind == "talks" and other.kind in ("summit", "call", "consultation"):
        into.kind = other.kind


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Fold candidates naming the same meeting into the first of them, keeping text order.

    Candidates are copied first: the caller's list is left as it was.
    """
    merged: list[Candidate] = []
    for candidate in candidates:
        candidate = candidate.copy()
        for record in merged[-NEAR:]:
            if _compatible(record, candidate):
                absorb(record, candidate)
                break
        else:
            merged.append(candidate)
    return merged
