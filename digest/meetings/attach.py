"""Topics for each meeting: from its own sentences and the sentences that go on about it."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from digest.meetings.budget import Budget
from digest.meetings.context import Candidate, Context
from digest.meetings.cues import NEGATIVE, PAST_BACKGROUND, TRIGGER
from digest.meetings.dedupe import NEAR, people_key
from digest.meetings.gazetteer import gazetteer
from digest.meetings.topics import Vocabulary, drop_own_sides, tag_text

_DISCUSSION = re.compile(
    r"\b(?:discuss\w*|talks?|raised?|agreed|urged?|stressed|focus\w*|concerns?|featured|"
    r"covered|exchanged views|issues?|agenda|pressed|warned|called for|committed|cooperat\w*|"
    r"consensus|expressed|meeting|spoke|said|told|added)\b",
    re.IGNORECASE,
)

# Portfolios listed before a title are titles too: "her fisheries, energy and health ministers".
_PORTFOLIOS = re.compile(
    r"\b(?:[\w-]+,\s+){0,8}[\w-]+,?\s+and\s+[\w-]+\s+"  # bounded: linear on long lists
    r"(?:ministers|ministries|secretaries|commissioners|spokesmen)\b",
    re.IGNORECASE,
)


def attach_topics(
    records: list[Candidate],
    candidates: list[Candidate],
    context: Context,
    vocabulary: Vocabulary | None,
    budget: Budget | None = None,
) -> None:
    """Topics from each record's own sentences and the sentences that go on about it.

    Stops at the first sentence past where ``budget`` ran out, keeping the topics found.
    """
    text = context.text
    spans = context.spans
    # The sentences each record was found in: its own and those of candidates of the same people.
    by_people: dict[tuple[frozenset[str], str], list[Candidate]] = {}
    for record in records:
        if record.participants:
            key = (people_key(record.participants), record.status)
            by_people.setdefault(key, []).append(record)
    by_sentence: dict[str, list[Candidate]] = {}
    for record in records:
        by_sentence.setdefault(record.evidence, []).append(record)
    for candidate in candidates:
        if candidate.participants:
            key = (people_key(candidate.participants), candidate.status)
            for record in by_people.get(key, ()):
                found = by_sentence.setdefault(candidate.evidence, [])
                if all(other is not record for other in found):
                    found.append(record)
    by_date: dict[str, list[Candidate]] = {}
    for record in records:
        if record.date and len(record.date) == 10 and record.kind != "visit" and not record.event:
            by_date.setdefault(record.date, []).append(record)
    positions = [r.position for r in records]
    order = sorted(range(len(records)), key=positions.__getitem__)
    ordered = [records[i] for i in order]
    ordered_positions = [positions[i] for i in order]
    current: Candidate | None = None
    since = 99
    last_named: str | None = None  # whom "he"/"she" most likely means
    roles = sorted({r for p in context.people.values() for r in p.roles}, key=len, reverse=True)
    for start, end, _ in spans:
        if budget is not None and (
            (budget.spent_at is not None and start >= budget.spent_at) or budget.exhausted(start)
        ):
            break
        sentence = " ".join(text[start:end].split())
        hits = by_sentence.get(sentence, [])
        named = {
            m.name
            for m in context.mentions_in(start, end)
            if m.name
            and context.people[m.name].official
            and (context.side(m.name) or context.people[m.name].roles)
        }
        if hits:
            for record in hits:
                _add_topics(record, sentence, vocabulary, roles)
            current = next((r for r in hits if r.kind != "visit"), hits[0])
            since = 0
        else:
            since += 1
            # Only records found near this sentence: linear time however long the article.
            low = bisect_left(ordered_positions, start)
            nearby = ordered[max(0, low - NEAR) : low + NEAR]
            target = _target(nearby, current, named, since, sentence, last_named)
            if target is None:
                target = _same_day(by_date, start, end, context)
            if target is not None and _DISCUSSION.search(sentence) and not _other_meeting(sentence):
                _add_topics(target, sentence, vocabulary, roles)
                current, since = target, 0
        first = [m for m in context.mentions_in(start, end) if m.name in named]
        if first:
            last_named = first[0].name


def _other_meeting(sentence: str) -> bool:
    """True when the sentence is about another meeting: called off, habitual or background.

    The same cue lists as for clauses ("the summit was postponed", "they meet annually",
    "talks last year"); its topics are not those of the meeting being followed.
    """
    return bool(
        (NEGATIVE.search(sentence) or PAST_BACKGROUND.search(sentence)) and TRIGGER.search(sentence)
    )


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
        # Of those, the records with the fewest other people: a point about the king belongs to
        # his talks with the prime minister, not to the banquet with the whole court.
        fewest = min((len(r.participants) for r in complete), default=0)
        complete = [r for r in complete if len(r.participants) == fewest]
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


def _same_day(
    by_date: dict[str, list[Candidate]], start: int, end: int, context: Context
) -> Candidate | None:
    """The record whose full date the sentence text[start:end] names ("On 14 March they also")."""
    for mention in context.date_index.within(start, end, context.anchor, "past"):
        if mention.value and len(mention.value) == 10 and by_date.get(mention.value):
            return by_date[mention.value][0]
    return None


def _add_topics(
    record: Candidate, sentence: str, vocabulary: Vocabulary | None, roles: list[str]
) -> None:
    for role in roles:  # "Trade Minister" is a title, not a topic
        if role in sentence:
            sentence = sentence.replace(role, " ")
    sentence = _PORTFOLIOS.sub(" ", sentence)
    sentence = _abbreviate_organisations(sentence)
    for tag in drop_own_sides(tag_text(sentence, vocabulary), record.sides, sentence):
        if tag not in record.topics:
            record.topics.append(tag)


@cache
def _organisation_names() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Organisations' long names that have an abbreviation (organisations.tsv), longest first."""
    gaz = gazetteer()
    short: dict[str, str] = {}
    for alias, name in gaz.sides.items():
        if name in gaz.organisations and alias in gaz.upper_aliases:
            short.setdefault(name.lower(), alias.upper())
    long = {alias: short[name.lower()] for alias, name in gaz.sides.items()
            if name.lower() in short and " " in alias}  # fmt: skip
    if not long:
        return None, {}
    names = sorted(long, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)
    return pattern, long


def _abbreviate_organisations(sentence: str) -> str:
    """Long organisation names shortened: "Gulf Cooperation Council" -> "GCC".

    A name is not a topic ("economic cooperation"); the abbreviation stays, so a tag about the
    organisation itself ("joining the WTO") still holds.
    """
    pattern, long = _organisation_names()
    if pattern is None:
        return sentence
    return pattern.sub(lambda m: long[m.group(0).lower()], sentence)
