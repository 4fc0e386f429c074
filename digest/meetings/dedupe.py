"""One record per real meeting: merge candidates that describe the same encounter.

Both uses go through ``same_meeting``: inside one article (mentions of one meeting in several
sentences, ``merge_candidates``) and across articles (the store, on stored records).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from digest.meetings import dates
from digest.meetings.context import Candidate

_STATUS_RANK = {"mentioned": 0, "planned": 1, "held": 2}
# A mention joins one of the NEAR latest records: in a normal article all of them; in a
# pathological one (thousands of meetings) this bound keeps merging linear in its length.
NEAR = 200

# A meeting named by its date, as a text refers back to it: "the May 3 meeting", "that
# Friday call", "Monday's talks".
_DATED_REFERENCE = re.compile(
    r"\b(?:the|that|this)\s+(?:[A-Z][a-z]+\s+\d{1,2}|\w+day)\s+(?:meeting|talks|call|"
    r"conversation|summit|session)\b|\b\w+day['’]s\s+(?:meeting|talks|call|summit|session)\b"
)


@lru_cache(maxsize=4096)
def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def people_key(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Participants as a comparable set of normalised names."""
    return frozenset(_norm(n) for n in names)


@dataclass(frozen=True)
class Occasion:
    """What identity depends on, for a record of one article or a stored one.

    Fields a caller cannot know stay at their defaults and are then not compared: stored
    records from different articles have no status to compare, no event name, no host.
    """

    people: frozenset[str]
    date: str | None
    kind: str
    status: str | None = None
    event: str | None = None  # a named summit or conference
    visit_host: str | None = None
    loose: bool = False  # a one-person mention with no date or place of its own
    back_reference: bool = False  # "the May 3 meeting": a meeting named by its date
    ongoing: bool = False  # talks reported as under way or ending (one running negotiation)
    sides: frozenset[str] = frozenset()


def same_meeting(first: Occasion, second: Occasion, *, slack_days: int = 2) -> bool:
    """True when two records describe one meeting (inside one article or across articles).

    Named events match by name. Otherwise: visits only match visits to the same host; a
    planned meeting is not a held one of the same article, nor are two differently dated
    ones; dates agree at their common precision or are within ``slack_days``; the same people,
    or a loose one-person mention ("Kiptoo ... the talks") joins a record that includes them.
    """
    if (first.event is None) != (second.event is None):
        return False
    if first.event is not None and second.event is not None:
        a, b = first.event.lower(), second.event.lower()
        return a in b or b in a
    if first.ongoing and second.ongoing:
        return _one_negotiation(first.sides, second.sides)
    if (first.kind == "visit") != (second.kind == "visit"):
        return False
    if first.kind == "visit" and first.visit_host != second.visit_host:
        return False
    both_dated = bool(first.date and second.date)
    statuses = {first.status, second.status}
    if None not in statuses and len(statuses) == 2 and ("planned" in statuses or both_dated):
        return False
    apart = dates.days_apart(first.date, second.date)
    if apart is not None and apart > slack_days:
        return False
    if apart is None and not dates.compatible(first.date, second.date):
        return False
    if not first.people or not second.people:
        return False
    if first.people == second.people:
        return True
    if (first.people < second.people or second.people < first.people) and _same_day_mention(
        first, second
    ):
        return True
    lone = second if len(second.people) == 1 else first if len(first.people) == 1 else None
    return (
        lone is not None
        and lone.loose
        and first.status == second.status
        and (first.people < second.people or second.people < first.people)
    )


def _same_day_mention(first: Occasion, second: Occasion) -> bool:
    """Two mentions in one article of a meeting of the same kind on the same stated day.

    "A met B and C on May 3 ... C said the May 3 meeting went well":
    when one record's people are among the other's and the one naming fewer refers back to
    the meeting by its date, it is a second mention of it.
    """
    fewer = first if len(first.people) < len(second.people) else second
    return (
        fewer.back_reference
        and first.status is not None
        and first.status == second.status
        and first.kind == second.kind
        and first.date is not None
        and len(first.date) == 10
        and first.date == second.date
    )


def _one_negotiation(first: frozenset[str], second: frozenset[str]) -> bool:
    """Two mentions of talks under way are one negotiation when their sides agree.

    "Negotiations between Chile and the IMF have stalled" and "the IMF delegation will wrap
    up its negotiations on May 3" are one; Chile's with Peru and Chile's with Bolivia are not.
    """
    if not first or not second:
        return False
    return first <= second or second <= first or len(first & second) >= 2


def occasion(candidate: Candidate) -> Occasion:
    """The identity of an in-article record."""
    return Occasion(
        people=people_key(candidate.participants),
        date=candidate.date,
        kind=candidate.kind,
        status=candidate.status,
        event=candidate.event,
        visit_host=candidate.visit_host,
        loose=not candidate.explicit_date and candidate.location is None,
        ongoing=candidate.ongoing and candidate.event is None,
        back_reference=_DATED_REFERENCE.search(candidate.evidence) is not None,
        sides=frozenset(candidate.sides),
    )


def absorb(into: Candidate, other: Candidate) -> None:
    """Fold ``other`` into ``into``: the most specific date and place, every side and topic."""
    into.folded += [other.position, *other.folded]
    if into.ongoing and other.ongoing:
        _date_negotiation(into, other)
    elif dates.precision(other.date) > dates.precision(into.date):
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
    # an undated mention ("X's call with Y") does not overrule the status a dated one gave
    specific = other.explicit_date or not into.explicit_date
    higher = _STATUS_RANK[other.status] > _STATUS_RANK[into.status]
    if higher and other.status != "planned" and specific:
        into.status = other.status
    into.explicit_date = into.explicit_date or other.explicit_date
    if into.kind == "talks" and other.kind in ("summit", "call", "consultation"):
        into.kind = other.kind


def _date_negotiation(into: Candidate, other: Candidate) -> None:
    """A running negotiation is dated by its first day (GUIDE §3), never by its end."""
    starts = [c for c in (into, other) if c.date and not c.ends]
    if starts:
        first = min(starts, key=lambda c: (-dates.precision(c.date), c.date))
        into.date, into.date_text = first.date, first.date_text
    elif into.ends:
        into.date, into.date_text = None, None
    into.ends = False


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Fold candidates naming the same meeting into the first of them, keeping text order.

    Candidates are copied first: the caller's list is left as it was.
    """
    merged: list[Candidate] = []
    keys: list[Occasion] = []  # occasion(merged[i]), kept in step with merged
    for candidate in candidates:
        candidate = candidate.copy()
        key = occasion(candidate)
        low = max(0, len(merged) - NEAR)
        for index in range(low, len(merged)):
            if same_meeting(keys[index], key, slack_days=0):
                absorb(merged[index], candidate)
                keys[index] = occasion(merged[index])
                break
        else:
            merged.append(candidate)
            keys.append(key)
    return merged
