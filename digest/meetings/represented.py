"""Talks whose people are named afterwards by who represents whom (issue 14: "represent").

"Talks on the border open in Lima today. Chile's envoy Ana Soto will represent Chile, while
Peru is represented by its deputy minister, Rui Costa." The talks' own sentence names no one;
the next sentences say who sits at the table. A sentence saying who represents whom, within
a few sentences of a meeting mention that named no parties, gives that meeting its people.
"""

from __future__ import annotations

import re

from digest.meetings.clauses import Reading
from digest.meetings.context import Candidate, Context
from digest.meetings.gazetteer import side_of

# How many sentences after the meeting mention its representatives may be named.
REACH = 3

_REPRESENTS = re.compile(
    r"\brepresent(?:s|ed|ing)?\b(?!\s+(?:a|an)\b)|\brepresented by\b", re.IGNORECASE
)


_CAPS = r"(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
# "<Name> will represent <Side>" (after the name); "<Side> is represented by <Name>" (before).
_WILL_REPRESENT = re.compile(r",?\s+(?:will |would |is to |to )?represents?\s+" + _CAPS)
_REPRESENTED_BY = re.compile(
    _CAPS + r"\s+(?:is|are|was|were|will be)(?:\s+being)?\s+represented by\b[^.;]{0,80}$"
)


def _side_in(words: str) -> str | None:
    parts = words.split()
    for size in range(len(parts), 0, -1):
        side = side_of(" ".join(parts[:size]))
        if side:
            return side
    return None


def representatives(ctx: Context, start: int, end: int) -> dict[str, str]:
    """Officials of a sentence that says who represents whom, with the side each represents.

    A person's stated side comes first; otherwise the side the sentence says they represent.
    """
    if not _REPRESENTS.search(ctx.text[start:end]):
        return {}
    found: dict[str, str] = {}
    for mention in ctx.mentions_in(start, end):
        name = mention.name
        if not name or name in found or not ctx.people[name].official:
            continue
        side = ctx.side(name)
        will = _WILL_REPRESENT.match(ctx.text, mention.end, end)
        if side is None and will:
            side = _side_in(will.group(1))
        by = _REPRESENTED_BY.search(ctx.text, start, mention.start)
        if side is None and by:
            side = _side_in(by.group(1))
        if side:
            found[name] = ctx.country(side)
    return found


def represented_meeting(ctx: Context, reading: Reading, names: dict[str, str]) -> Candidate | None:
    """The meeting ``reading`` mentioned, with the representatives as its people.

    Needs two sides among them: one side's delegation alone is not a meeting.
    """
    sides: list[str] = []  # the mention's own people and sides were too few to make a meeting
    for side in names.values():
        if side not in sides:
            sides.append(side)
    if len(set(names.values())) < 2:
        return None
    for name, side in names.items():
        ctx.inferred_sides.setdefault(name, side)
    mention = reading.date_mention
    return Candidate(
        participants=list(names),
        sides=sides,
        status=reading.status,
        kind=reading.kind,
        evidence=reading.evidence,
        position=reading.start + reading.trigger,
        date=reading.date_value,
        date_text=mention.text.strip().rstrip(".,") if mention else None,
        explicit_date=mention is not None,
        location=reading.location,
    )


def add_representatives(candidate: Candidate, ctx: Context, names: dict[str, str]) -> None:
    """More representatives named in the next sentence join the same meeting."""
    for name, side in names.items():
        if name not in candidate.participants:
            candidate.participants.append(name)
            ctx.inferred_sides.setdefault(name, side)
            if side not in candidate.sides:
                candidate.sides.append(side)
