"""Topics for each meeting: from its own sentences and the sentences that go on about it."""

from __future__ import annotations

import re

from digest.meetings import dates
from digest.meetings.dedupe import people_key
from digest.meetings.extract import Candidate, Context
from digest.meetings.topics import Vocabulary, drop_own_sides, tag_text

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


def attach_topics(
    records: list[Candidate],
    candidates: list[Candidate],
    context: Context,
    vocabulary: Vocabulary | None,
) -> None:
    """Topics from each record's own sentences and the sentences that go on about it."""
    text = context.text
    spans = context.spans
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
