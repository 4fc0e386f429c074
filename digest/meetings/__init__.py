"""Meetings: extract every official meeting an article reports (see extract.py for the rules).

``extract_meetings(article)`` returns one ``Meeting`` per real meeting in the article;
``meetings_json(article, meetings)`` renders the gold-format JSON object (GUIDE.md §1).
"""

from __future__ import annotations

import re

from digest.meetings import dates
from digest.meetings.dedupe import absorb, merge_candidates, people_key
from digest.meetings.extract import Candidate, Context, extract_candidates
from digest.meetings.json_format import meetings_json
from digest.meetings.topics import Vocabulary, drop_own_sides, tag_text
from digest.models import Article, Location, Meeting, Participant

__all__ = ["extract_meetings", "meetings_json"]

_DISCUSSION = re.compile(
    r"\b(?:discuss\w*|talks?|raised?|agreed|urged?|stressed|focus\w*|concerns?|featured|"
    r"covered|exchanged views|issues?|agenda|pressed|warned|called for|committed|cooperat\w*|"
    r"consensus|expressed|meeting|spoke|said|told|added)\b",
    re.IGNORECASE,
)


# Sentences about other, non-happening or habitual contact: their topics are not this meeting's.
_ELSEWHERE = re.compile(
    r"\b(?:cancel+ed|scuttled|postponed|called off|refused|rebuff\w*|resum\w+|semiannual\w*|"
    r"regular meetings|comes after|after months of)\b",
    re.IGNORECASE,
)


def extract_meetings(article: Article, vocabulary: Vocabulary | None = None) -> list[Meeting]:
    """Every meeting the article reports, one record each, in text order."""
    candidates, context = extract_candidates(article)
    records = merge_candidates(candidates)
    records = _fold_unnamed(records)
    records = _drop_unions(records)
    records = _drop_covered_visits(records)
    records = _drop_unplaced_events(records)
    _inherit_within_trip(records, context)
    _attach_topics(records, candidates, context, vocabulary)
    return [_to_meeting(record, context) for record in records]


def _fold_unnamed(records: list[Candidate]) -> list[Candidate]:
    """A meeting of unnamed officials joins the one named meeting it summarises, if unique."""
    out = []
    for record in records:
        if record.participants or record.event or record.kind == "visit":
            out.append(record)
            continue
        event = next(
            (
                o
                for o in records
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
            for other in records
            if other.participants
            and other.kind != "visit"
            and other.event is None
            and other.status == record.status
            and set(record.sides) <= set(other.sides) | set(record.sides[:0])
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
                for o in out
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


def _drop_unions(records: list[Candidate]) -> list[Candidate]:
    """Drop "X held talks with A and B" when A and B are shown as separate meetings."""
    keep = []
    for record in records:
        people = people_key(record.participants)
        parts = [
            people_key(o.participants)
            for o in records
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


def _drop_covered_visits(records: list[Candidate]) -> list[Candidate]:
    """A visit whose meetings are reported gets no record of its own (GUIDE §3)."""
    keep = []
    for record in records:
        if record.kind == "visit" and record.participants:
            visitor = record.participants[0]
            covering = [
                other
                for other in records
                if other.kind != "visit"
                and visitor in other.participants
                and (
                    (other.location and other.location[1] == record.visit_host)
                    or (record.visit_host in other.sides and other.status == record.status)
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


def _drop_unplaced_events(records: list[Candidate]) -> list[Candidate]:
    """An event named only by its place ("the Hong Kong summit") defers to a record there."""
    keep = []
    for record in records:
        shared = any(o is not record and o.location == record.location for o in records)
        if record.event and not record.sides and record.location and shared:
            continue
        keep.append(record)
    return keep


def _inherit_within_trip(records: list[Candidate], context: Context) -> None:
    """Undated or unplaced held meetings take the date/place of the same people's trip."""
    for record in records:
        if record.date is None and record.fallback_date:
            record.date, record.date_text = record.fallback_date
        if record.status != "held" or record.kind == "visit":
            record.location = record.location or record.fallback_location
            continue
        peers = [
            o
            for o in records
            if o is not record
            and o.status == "held"
            and o.kind != "visit"
            and set(o.participants) & set(record.participants)
        ]
        dated = [o for o in peers if o.date and record.event is None and o.event is None]
        if record.date is None and dated:
            record.date = dated[0].date
            if record.date_text is None:
                record.date_text = dated[0].date_text
        elif record.date is None and context.anchor and context.dateline and not record.date_text:
            record.date = context.anchor.isoformat()  # same-day wire copy (GUIDE §6)
        dateline = context.dateline
        if dateline and dateline[0] and (record.location is None or record.location[0] is None):
            country = record.location[1] if record.location else None
            if country == dateline[1] or (country is None and dateline[1] in record.sides):
                record.location = dateline
        if record.location is None:
            placed = [o for o in peers if o.location]
            if placed:
                record.location = placed[0].location
        record.location = record.location or record.fallback_location


def _attach_topics(
    records: list[Candidate],
    candidates: list[Candidate],
    context: Context,
    vocabulary: Vocabulary | None,
) -> None:
    """Topics from each record's own sentences and the sentences that go on about it."""
    text = context.text
    spans = context.spans
    by_evidence: dict[str, list[Candidate]] = {}
    for record in records:
        by_evidence.setdefault(record.evidence, []).append(record)
    own: dict[int, set[str]] = {id(r): {r.evidence} for r in records}
    for candidate in candidates:
        for record in records:
            if candidate is record or (
                people_key(candidate.participants) == people_key(record.participants)
                and candidate.participants
                and candidate.status == record.status
            ):
                own[id(record)].add(candidate.evidence)
    current: Candidate | None = None
    since = 99
    last_named: str | None = None  # whom "he"/"she" most likely means
    roles = sorted({r for p in context.people.values() for r in p.roles}, key=len, reverse=True)
    for start, end, _ in spans:
        sentence = " ".join(text[start:end].split())
        hits = [r for r in records if sentence in own[id(r)]]
        named = {
            m.name
            for m in context.mentions
            if start <= m.start < end
            and m.name
            and context.people[m.name].official
            and (context.people[m.name].side or context.people[m.name].roles)
        }
        if hits:
            for record in hits:
                _add_topics(record, sentence, vocabulary, roles)
            current = next((r for r in hits if r.kind != "visit"), hits[0])
            since = 0
        else:
            since += 1
            target = _target(records, current, named, since, sentence, last_named)
            if target is None:
                target = _same_day(records, text[start:end], context)
            # Sentences about meetings that did not happen say nothing about this one.
            if (
                target is not None
                and _DISCUSSION.search(sentence)
                and not _ELSEWHERE.search(sentence)
            ):
                _add_topics(target, sentence, vocabulary, roles)
                current, since = target, 0
        first = [m for m in context.mentions if start <= m.start < end and m.name in named]
        if first:
            last_named = first[0].name


def _target(
    records: list[Candidate],
    current: Candidate | None,
    named: set[str],
    since: int,
    sentence: str,
    last_named: str | None,
) -> Candidate | None:
    """The meeting a sentence with no meeting word of its own goes on about, if any."""
    if named:
        talking = [r for r in records if r.kind != "visit" and named & set(r.participants)]
        complete = [r for r in talking if named <= set(r.participants)]
        if current in complete:
            return current
        if complete:
            return (
                complete[-1]
                if current is None
                else min(complete, key=lambda r: abs(r.position - current.position))
            )
        if current in talking and since <= 2:
            return current
        return None
    if current is None:
        return None
    if since <= 1 and not re.match(r"\s*(?:He|She)\b", sentence):
        return current
    pronoun = re.match(r"\s*(?:He|She|They)\b", sentence)
    if pronoun and since <= 2 and (last_named is None or last_named in current.participants):
        return current
    return None


def _same_day(records: list[Candidate], sentence: str, context: Context) -> Candidate | None:
    """The record whose full date this sentence names ("had on June 5 also expressed ...")."""
    for mention in dates.find_dates(sentence, context.anchor, "past"):
        if mention.value and len(mention.value) == 10:
            for record in records:
                if record.date == mention.value and record.kind != "visit" and not record.event:
                    return record
    return None


def _add_topics(
    record: Candidate, sentence: str, vocabulary: Vocabulary | None, roles: list[str]
) -> None:
    for role in roles:  # "Trade Representative" is a title, not a topic
        sentence = sentence.replace(role, " ")
    for tag in drop_own_sides(tag_text(sentence, vocabulary), record.sides):
        if tag not in record.topics:
            record.topics.append(tag)


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
        participants.append(Participant(name=name, role=role, side=person.side))
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
