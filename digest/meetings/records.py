"""Passes over one article's merged meeting records: fold, drop and complete them (GUIDE §3)."""

from __future__ import annotations

import re
from bisect import bisect_right

from digest.meetings import dates
from digest.meetings.context import Candidate, Context
from digest.meetings.cues import FUTURE
from digest.meetings.dedupe import NEAR, absorb, people_key
from digest.meetings.places import place_at
from digest.meetings.sides import summit_holders


def _near(records: list[Candidate], index: int) -> list[Candidate]:
    """The records around ``index`` in text order, which the passes compare.

    In an article of normal size that is every record; the bound keeps a pathological one
    (thousands of meetings) linear in its length.
    """
    return records[max(0, index - NEAR) : index + NEAR]


def fold_unnamed(records: list[Candidate]) -> list[Candidate]:
    """A meeting of unnamed officials joins the one named meeting it summarises, if unique."""
    out = []
    for index, record in enumerate(records):
        if record.participants or record.event or record.kind == "visit":
            out.append(record)
            continue
        near = _near(records, index)
        event = next(
            (
                o
                for o in near
                if o.event
                and record.sides
                and set(record.sides) <= set(o.sides)
                and o.status == record.status
            ),
            None,
        )
        if event is not None:
            absorb(event, record)
            continue
        matches = [
            other
            for other in near
            if other.participants
            and other.kind != "visit"
            and other.event is None
            and other.status == record.status
            and set(record.sides) <= set(other.sides)
            and (not record.date or not other.date or other.date.startswith(record.date[:7]))
        ]
        if len(matches) == 1:
            absorb(matches[0], record)
            continue
        if matches:
            continue
        twin = next(
            (
                o
                for o in out[-NEAR:]
                if not o.participants
                and o.event is None
                and o.kind != "visit"
                and o.status == record.status
                and len(set(o.sides) & set(record.sides)) >= min(2, len(record.sides))
            ),
            None,
        )
        if twin is not None:
            absorb(twin, record)
        else:
            out.append(record)
    return out


def drop_unions(records: list[Candidate]) -> list[Candidate]:
    """Drop "X held talks with A and B" when A and B are shown as separate meetings."""
    keep = []
    for index, record in enumerate(records):
        people = people_key(record.participants)
        if len(people) < 3:
            keep.append(record)
            continue
        parts = [
            people_key(o.participants)
            for o in _near(records, index)
            if o is not record
            and o.kind != "visit"
            and o.participants
            and o.event is None
            and people_key(o.participants) < people
        ]
        covered = frozenset().union(*parts) if parts else frozenset()
        if len(people) >= 3 and len(parts) >= 2 and covered == people:
            continue
        keep.append(record)
    return keep


def drop_covered_visits(records: list[Candidate]) -> list[Candidate]:
    """A visit whose meetings are reported gets no record of its own (GUIDE §3)."""
    keep = []
    for index, record in enumerate(records):
        if record.kind == "visit" and record.participants:
            visitor = record.participants[0]
            covering = [
                other
                for other in _near(records, index)
                if other.kind != "visit"
                and visitor in other.participants
                and (
                    (other.location and other.location[1] == record.visit_host)
                    or (record.visit_host in other.sides and other.status == record.status)
                    or (record.visit_host in other.sides and _coming_in_visit(record, other))
                )
            ]
            for other in covering:
                if other.status == record.status:
                    other.fallback_location = other.fallback_location or record.location
                    if record.date and not other.fallback_date:
                        other.fallback_date = (record.date, record.date_text)
            if covering:
                continue
        keep.append(record)
    return keep


def _coming_in_visit(visit: Candidate, meeting: Candidate) -> bool:
    """A meeting still ahead during a visit under way: "arrived on Tuesday ... talks on Friday"."""
    if visit.status != "held" or meeting.status != "planned" or not visit.date:
        return False
    if meeting.date is None:
        return True
    apart = dates.days_apart(visit.date, meeting.date)
    return apart is not None and meeting.date >= visit.date and apart <= 7


def drop_unplaced_events(records: list[Candidate]) -> list[Candidate]:
    """An event named only by its place ("the Lima summit") defers to a record there."""
    keep = []
    for index, record in enumerate(records):
        city = record.location[0] if record.location else ""
        named_by_place = bool(city) and city in (record.event or "")
        if not (record.event and not record.sides and record.location and named_by_place):
            keep.append(record)
            continue
        shared = any(
            o is not record and o.location == record.location for o in _near(records, index)
        )
        if shared:
            continue
        keep.append(record)
    return keep


_THIS_WEEK = re.compile(r"this week\b", re.IGNORECASE)


def inherit_within_trip(records: list[Candidate], context: Context) -> None:
    """Undated or unplaced held meetings take the date/place of the same people's trip."""
    for index, record in enumerate(records):
        if record.date is None and record.fallback_date:
            record.date, record.date_text = record.fallback_date
        dateline = context.dateline
        today = context.anchor.isoformat() if context.anchor else None
        if record.status == "planned" and dateline and dateline[0]:
            country = record.location[1] if record.location else None
            same_day = record.date == today and country is None
            home = country is None and record.date is None and dateline[1] in record.sides
            if same_day or home or (country == dateline[1] and record.location[0] is None):
                record.location = dateline  # a datelined story about a visit to its city
        if record.status != "held" or record.kind == "visit":
            record.location = record.location or record.fallback_location
            continue
        # The same trip: held meetings of the same people with the same sides.
        peers = [
            o
            for o in _near(records, index)
            if o is not record
            and o.status == "held"
            and o.kind != "visit"
            and set(o.participants) & set(record.participants)
            and set(o.sides) == set(record.sides)
        ]
        dated = [o for o in peers if o.date and record.event is None and o.event is None]
        if record.date is None and dated:
            record.date = dated[0].date
            if record.date_text is None:
                record.date_text = dated[0].date_text
        elif record.date is None and context.anchor and context.dateline and not record.date_text:
            record.date = context.anchor.isoformat()  # same-day wire copy (GUIDE §6)
        if dateline and dateline[0] and (record.location is None or record.location[0] is None):
            country = record.location[1] if record.location else None
            same_day = (record.date is not None and record.date == today) or _THIS_WEEK.match(
                record.date_text or ""
            ) is not None
            # The dateline covers the story's own held meetings: those of its sides, and any
            # held that day or this week with no other place ("OSLO, May 3 - Talks between A
            # and B ...", "this week's meetings of the AU").
            if country == dateline[1] or (
                country is None and (dateline[1] in record.sides or same_day)
            ):
                record.location = dateline
        if record.location is None:
            placed = [o for o in peers if o.location]
            if placed:
                record.location = placed[0].location
        record.location = record.location or record.fallback_location


_SIDELINES = re.compile(r"\b(?:on|in|at) the (?:sidelines?|margins?) of\b", re.IGNORECASE)


def sideline_attendance(records: list[Candidate], context: Context) -> None:
    """An event whose sidelines host a meeting is attended by that meeting's people.

    "A met B on the sidelines of the Harbour Summit": A and B are at the summit too (GUIDE §8,
    people the text clearly implies took part).
    """
    for index, event in enumerate(records):
        if event.event is None or not _SIDELINES.search(event.evidence):
            continue
        for other in _near(records, index):
            if other.event is not None or other.kind == "visit":
                continue
            if event.position != other.position and event.position not in other.folded:
                continue  # not the meeting of the sentence that names the sidelines
            if event.date is None and other.date:  # under way when its sidelines are
                event.date, event.date_text = other.date, other.date_text
                event.status = other.status
            event.location = event.location or other.location
            _join_people(event, other, context)


# Leaders' talks "ahead of" a summit prepare it together: "The Lima talks were held in advance
# of the Harbour Summit", "A met B on Monday before the Harbour Summit".
_AHEAD_OF = re.compile(
    r"\b(?:ahead of|in advance of|in preparation for|to prepare for|before)\s+(?:an?|the|this|"
    r"next|Monday's|Tuesday's|Wednesday's|Thursday's|Friday's|Saturday's|Sunday's)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(
    r"^\s*(?:The|These|Those|Their|Both)\b[^.;]{0,40}?\b(?:talks|meeting|meetings|discussions)\b"
)


def prelude_attendance(records: list[Candidate], context: Context) -> None:
    """Leaders who meet ahead of a summit attend it (GUIDE §8, people clearly implied).

    The meeting is the one of the summit's own sentence, or the one a sentence opening with
    "The talks ..." refers back to (the nearest earlier meeting).
    """
    for index, event in enumerate(records):
        if event.event is None or event.kind != "summit" or not _AHEAD_OF.search(event.evidence):
            continue
        near = [o for o in _near(records, index) if o.event is None and o.kind != "visit"]
        same = [o for o in near if event.position == o.position or event.position in o.folded]
        if not same and _BACK_REFERENCE.match(event.evidence):
            earlier = [o for o in near if o.position < event.position and o.participants]
            same = earlier[-1:]
        for other in same:
            if other.kind == "summit":  # leaders of two sides or more (GUIDE §5)
                _join_people(event, other, context)


def _join_people(event: Candidate, other: Candidate, context: Context) -> None:
    """Add ``other``'s participants, and their sides, to the event they also attend."""
    for name in other.participants:
        if name not in event.participants:
            event.participants.append(name)
        side = context.side(name)
        if side and side not in event.sides:
            event.sides.append(side)


# How many sentences either side of an unsided summit are searched for its organisation.
SUMMIT_REACH = 40


def side_unsided_summits(records: list[Candidate], context: Context) -> None:
    """A summit named only by its place belongs to the summit-holding group the text names.

    "... the African Union. ... a plan agreed at the Lima Summit": the AU's summit.
    The nearest such organisation before the summit is taken, else the nearest after it.
    """
    starts = [start for start, _, _ in context.spans]
    for record in records:
        if record.event is None or record.sides or record.kind != "summit":
            continue
        here = bisect_right(starts, record.position) - 1
        before = range(here, max(-1, here - SUMMIT_REACH), -1)
        after = range(here + 1, min(len(starts), here + SUMMIT_REACH))
        for index in (*before, *after):
            start, end, _ = context.spans[index]
            holders = summit_holders(context.text[start:end])
            if holders:
                record.sides.append(holders[-1] if index <= here else holders[0])
                break


# "The <Venue> talks ..." opening a sentence names where the talks just reported were held.
_PLACED_BACK_REFERENCE = re.compile(
    r"\s*The\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})\s+(?:talks|meeting|discussions)\b"
)


def place_back_references(records: list[Candidate], context: Context) -> None:
    """A sentence opening "The <Venue> talks" places the meeting of the sentence before it.

    "A met B and C on Monday. The Lakeside House talks covered ...": the meeting was held
    at Lakeside House, so in its city. Only an unplaced (or country-only) held meeting of the
    one or two sentences before is given the place, and only a place in its country.
    """
    starts = [start for start, _, _ in context.spans]
    for index, (start, end, _) in enumerate(context.spans):
        match = _PLACED_BACK_REFERENCE.match(context.text, start, end)
        if match is None or FUTURE.search(context.text[match.end() : end][:30].split(",")[0]):
            continue  # "The Geneva talks next month will ...": another, coming meeting
        found = place_at(match.group(1))
        if found is None or found[1][0] is None or found[0] < len(match.group(1)):
            continue
        window_start = starts[max(0, index - 2)]
        earlier = [
            r
            for r in records
            if window_start <= r.position < start
            and r.status == "held"
            and r.event is None
            and r.kind != "visit"
            and r.participants
        ]
        if not earlier:
            continue
        record = earlier[-1]
        city, country = found[1]
        if record.location is None or (
            record.location[0] is None and context.country(country) == record.location[1]
        ):
            record.location = (city, context.country(country))
