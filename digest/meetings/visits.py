"""Visits a clause reports, and gapped second occasions ("met A on May 2 and B on May 9").

``extract`` calls these while building a clause's candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from digest.meetings.clauses import status_of
from digest.meetings.context import Candidate, Context, dates_in
from digest.meetings.places import all_sides, visited_places
from digest.meetings.sides import group_sides

# An unnamed envoy or delegation sent by a country ("Norway dispatched a delegation to Quito").
_SENT = re.compile(
    r"\b(?:sent|sends|send|dispatched|dispatches) (?:a|an|its|their) (?:[\w-]+ ){0,2}?"
    r"(?:envoy|envoys|delegation|emissary) to\b",
    re.IGNORECASE,
)


# Verbs of travel say less than "visit": who travels must be the verb's near subject.
_TRAVEL = re.compile(
    r"(?:will |to |would )?(?:travel|travels|travell?ing|flew|flies|fly) to\b", re.I
)


def _subject_of_travel(ctx: Context, mentioned: list, verb: int) -> bool:
    """True when the last person named before a travel verb is its subject, close before it."""
    if not mentioned:
        return False
    between = ctx.text[mentioned[-1].end : verb]
    return len(between) <= 80 and not re.search(r"[\"“”]|\bsaid\b|\bsays\b", between)


def visit_candidates(
    ctx: Context,
    side_of: Callable[[str], str | None],
    where: tuple[str, int],
    names: list[str],
    base: dict,
) -> list[Candidate]:
    """The visits a clause reports: to each place it says is visited, by the person before."""
    clause, start = where
    results: list[Candidate] = []
    for position, place in visited_places(clause):
        host = ctx.country(place[1])
        mentioned = [m for m in ctx.mentions_in(start, start + position) if m.name in names]
        if _TRAVEL.match(clause, position) and not _subject_of_travel(
            ctx, mentioned, start + position
        ):
            continue  # "... with Kiptoo," said Soto, who will travel to Lima: not his trip
        before = [m.name for m in mentioned]
        visitor = before[-1] if before else (names[0] if names else None)
        visitor_side = side_of(visitor) if visitor else None
        sender = _SENT.search(clause[: position + 40])
        if sender:  # "Norway dispatched a delegation to Quito": Norway's, not the sender's
            senders = [ctx.country(s) for s in all_sides(clause[: sender.start()])]
            visitor_side = next((s for s in reversed(senders) if s != host), visitor_side)
            visitor, before = None, []
        if visitor is None:  # "a Chinese delegation visited Lima": an unnamed party's visit
            groups = [ctx.country(g) for g in group_sides(clause[:position])]
            visitor_side = next((g for g in reversed(groups) if g != host), visitor_side)
        if visitor_side is None or visitor_side == host:  # a visit is by one side to another
            continue
        party = [n for n in dict.fromkeys(before) if side_of(n) == visitor_side]
        results.append(
            Candidate(
                participants=party or ([visitor] if visitor else []),
                sides=[s for s in (visitor_side, host) if s],
                kind="visit",
                location=(place[0], host),
                visit_host=host,
                **base,
            )
        )
    return results


def split_gapped(
    meeting: Candidate, gapped: list[tuple[str, dict]], side_of: Callable[[str], str | None]
) -> list[Candidate]:
    """The meeting without its gapped counterparts, and one meeting with each of them."""
    host = meeting.participants[0]
    apart = {name for name, _ in gapped}
    first = meeting.copy()
    first.participants = [n for n in meeting.participants if n not in apart]
    first.sides = list(dict.fromkeys(s for n in first.participants if (s := side_of(n))))
    out = [first] if len({side_of(n) for n in first.participants}) >= 2 else []
    for name, own in gapped:
        sides = [s for s in (side_of(host), side_of(name)) if s]
        if len(set(sides)) < 2:
            continue
        out.append(
            replace(meeting, participants=[host, name], sides=sides, topics=[], folded=[], **own)
        )
    return out or [meeting]


def gapped(
    ctx: Context, clause: str, start: int, names: list[str], base: dict, tense: str = "past"
) -> list[tuple[str, dict]]:
    """The people of a gapped second occasion: "met A on May 2 and B on May 9".

    The verb is left out after "and" and B comes with a date of their own: a second occasion.
    """
    found = []
    for mention in ctx.mentions_in(start, start + len(clause)):
        if mention.name not in names[1:]:
            continue
        before = ctx.text[max(start, mention.start - 40) : mention.start]
        after = ctx.text[mention.end : start + len(clause)]
        titled = re.search(r"\band\s+(?:[A-Z][\w.]*\s+){0,3}$", before)
        if not titled or not re.match(r"\s+(?:in|on|last)\b", after):
            continue
        dated = dates_in(ctx, mention.end, mention.end + 30, tense)
        if not dated or dated[0].start > 4:
            continue
        previous = ctx.previous_named(mention)  # the first conjunct has a date of its own too
        if previous is None or not dates_in(ctx, previous.end, mention.start, tense):
            continue
        mention_date = dated[0]
        value = mention_date.value
        status = status_of(after, tense, mention_date, value, ctx.anchor)
        own = {
            **base,
            "status": status,
            "date": value,
            "date_text": mention_date.text.strip().rstrip(".,"),
            "position": mention.start,
        }
        found.append((mention.name, own))
    return found
