"""Sides named as groups rather than people: "Chinese officials", "talks between A and B"."""

from __future__ import annotations

import re
from functools import lru_cache

from digest.meetings.gazetteer import gazetteer, place_of, side_of

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
        rf"(?:^|\bsaid\s+|\bthat\s+)\s*(?:[Tt]he\s+)?({_CAP}(?:\s+{_CAP})?)\s+and\s+(?:the\s+)?"
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
    """Sides an event's name gives: "the Gulf Cooperation Council (GCC) summit"."""
    sides: list[str] = ["Group of Seven"] if _SEVEN.search(name) else []
    bare = re.sub(r"\s*\([^)]*\)|\s+(?:summit|conference)$", "", name, flags=re.I)
    whole = None if _venue(bare) else side_of(bare)
    if whole:
        sides.append(whole)
    for match in re.finditer(r"\(([A-Z0-9-]+)\)|\b([A-Z][\w-]*)\b", name):
        word = match.group(1) or match.group(2)
        side = None if _venue(word) else side_of(word)
        if side and side not in sides:
            sides.append(side)
    return sides


def _venue(word: str) -> bool:
    """A city in an event's name is where it meets, not a side ("the Lima Summit")."""
    place = place_of(word.strip())
    return place is not None and place.city is not None


# Organisations whose heads of state or government meet in summits (general knowledge). A
# summit named only by its place ("the Lima Summit") is most likely the one of these the
# article is about.
SUMMIT_HOLDERS = {
    "Group of Seven", "Group of Eight", "Group of 20", "European Union", "European Community",
    "NATO", "Asia-Pacific Economic Cooperation", "Association of Southeast Asian Nations",
    "African Union", "Southern African Development Community", "Arab League",
    "Organization of American States", "Shanghai Cooperation Organisation", "Commonwealth",
    "Gulf Cooperation Council", "Organization for Security and Co-operation in Europe",
    "Mercosur",
}  # fmt: skip


@lru_cache(maxsize=1)
def _holder_names() -> re.Pattern[str]:
    """Every name and alias of the summit holders, as the tables spell them."""
    gaz = gazetteer()
    forms = [form for form, side in gaz.sides.items() if side in SUMMIT_HOLDERS]
    upper = [f for f in forms if f in gaz.upper_aliases]
    other = [f for f in forms if f not in gaz.upper_aliases]
    pattern = "|".join(
        [_capitalised(f) for f in sorted(other, key=len, reverse=True)]
        + [re.escape(f.upper()) for f in sorted(upper, key=len, reverse=True)]
    )
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])")


# Little words that stay lower case inside an organisation's name ("Organization of American
# States"); every other word of a name is capitalised where the text means the organisation.
_NAME_LINKS = {"of", "for", "and", "the", "in", "on", "de", "du", "des"}
# Holder names that are also common words of other proper names ("Commonwealth Bank",
# "Commonwealth of Massachusetts", "Commonwealth Games"): followed by a capitalised word or
# "of", they name something else.
_COMMON_WORD_NAMES = {"commonwealth"}


def _capitalised(form: str) -> str:
    """A name's pattern: each word's first letter in capitals, its other letters in any case."""
    words = []
    for word in form.split():
        if word in _NAME_LINKS:
            words.append(re.escape(word))
        else:
            words.append(rf"{re.escape(word[0].upper())}(?i:{re.escape(word[1:])})")
    pattern = r"\s+".join(words)
    if form in _COMMON_WORD_NAMES:
        pattern += r"(?!\s+(?:of\b|[A-Z]))"
    return pattern


def summit_holders(text: str) -> list[str]:
    """The summit-holding organisations a text names, in text order."""
    found = [gazetteer().sides[m.group(0).lower()] for m in _holder_names().finditer(text)]
    return list(dict.fromkeys(found))
