"""Sides named as groups rather than people: "Chinese officials", "talks between A and B"."""

from __future__ import annotations

import re

from digest.meetings.gazetteer import side_of

GROUP_NOUNS = (
    r"officials?|delegations?|diplomats?|negotiators?|leaders?|ministers?|counterparts?|"
    r"team|side|government|authorities|envoys?|representatives|mission"
)
_CAP = r"[A-Z][\w.'’]*"
_PREFIXES = {"sino": "China", "franco": "France", "anglo": "United Kingdom"}


def _side(word: str) -> str | None:
    return side_of(word) or _PREFIXES.get(word.lower())


def group_sides(clause: str, skip: list[tuple[int, int]] = ()) -> list[str]:
    """Sides the clause names as groups; text inside ``skip`` spans (named events) is ignored."""
    sides: list[str] = []

    def add(text: str, position: int) -> None:
        if any(start <= position < end for start, end in skip):
            return
        for candidate in (text, *text.split()):
            side = _side(candidate.split(" (")[0])
            if side:
                if side not in sides:
                    sides.append(side)
                return

    patterns = [
        rf"({_CAP}(?:\s+{_CAP})?)(?:\s+and\s+({_CAP}(?:\s+{_CAP})?))?\s+(?:\w+\s+){{0,2}}?"
        rf"(?:{GROUP_NOUNS})\b",
        rf"\b(?:between|from|with)\s+(?:the\s+)?({_CAP}(?:\s+{_CAP})*)\s+and\s+(?:the\s+)?"
        rf"({_CAP}(?:\s+{_CAP})*)",
        rf"(?:^|\bsaid\s+|\bthat\s+)\s*(?:the\s+)?({_CAP}(?:\s+{_CAP})?)\s+and\s+(?:the\s+)?"
        rf"({_CAP}(?:\s+{_CAP})?)\s+"
        r"(?:are|will|to|have|had|held|agreed|were)\b",
        r"\b([A-Z][\w.]*)-([A-Z][\w.]*)\s+(?:\w+\s+)?(?:talks|summit|meeting|consultations?|"
        r"dialogue|negotiations)\b",
        rf"\b({_CAP}(?:\s+{_CAP})?)(?:'s|’s)\s+(?:\w+\s+)?talks\s+with\s+(?:the\s+)?"
        rf"({_CAP}(?:\s+{_CAP})*)(?:\s+and\s+(?:the\s+)?({_CAP}(?:\s+{_CAP})*))?",
        rf"\b(?:talks|meeting|negotiations)\s+with\s+(?:the\s+)?({_CAP}(?:\s+{_CAP})*)",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, clause):
            for index, group in enumerate(match.groups(), start=1):
                if group:
                    add(group, match.start(index))
    return sides


# How the press describes the G7 without naming it (general knowledge).
_SEVEN = re.compile(
    r"\b(?:(?:seven|7) )?(?:major |leading |richest |big )?industriali[sz]ed "
    r"(?:nations|countries|democracies|powers)\b|\b(?:seven|7) (?:richest|leading|major) "
    r"(?:nations|countries|economies|industrial (?:nations|countries))\b",
    re.IGNORECASE,
)


def event_sides(name: str) -> list[str]:
    """Sides an event's name gives: "the Asia-Pacific Economic Cooperation (APEC) summit"."""
    sides: list[str] = ["Group of Seven"] if _SEVEN.search(name) else []
    whole = side_of(re.sub(r"\s*\([^)]*\)|\s+(?:summit|conference)$", "", name, flags=re.I))
    if whole:
        sides.append(whole)
    for match in re.finditer(r"\(([A-Z0-9-]+)\)|\b([A-Z][\w-]*)\b", name):
        side = side_of(match.group(1) or match.group(2))
        if side and side not in sides:
            sides.append(side)
    return sides
