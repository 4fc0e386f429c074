"""A clause's meeting word, where telling it needs the article: "called" and owned calls.

``cues.TRIGGER`` finds meeting words in text alone. Two of them need the article's people:
"called" is a phone call only with an official as its object, and "Kiptoo's call with Soto"
inside a longer clause is the meeting by itself. ``clauses.read_clause`` uses both.
"""

from __future__ import annotations

import re

from digest.meetings.context import Context
from digest.meetings.cues import MONTH_NAMES, TRIGGER

# What follows the person called when it is a phone call: when, why or how ("called X on
# Tuesday", "called X to congratulate him", "called X by phone"), maybe after an apposition.
_CALL_DETAIL = re.compile(
    r"\s*(?:,[^,]{0,40},\s*|,\s*)?(?:on\s+\w+|today|yesterday|tonight|last\s+\w+|this\s+\w+|"
    r"earlier|late\s+\w+|by\s+(?:phone|telephone)|from\s+|to\s+(?:discuss|congratulate|thank|"
    r"express|offer|talk|invite|brief|ask|urge|convey|wish|seek|voice|reassure|update|inform))\b"
)

# A call named by its owner and counterpart inside a longer clause: "Kiptoo's call with Soto".
_OWNED_CALL = re.compile(
    rf"(?:'s|’s)\s+(?:(?:{MONTH_NAMES} \d{{1,2}}|\w+day)\s+)?(?:(?:phone|telephone)\s+)?"
    r"call\s+with\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s*){1,4}"
)


def first_trigger(ctx: Context, clause: str, start: int) -> re.Match[str] | None:
    """The clause's first meeting word; "called" only with a person as its object.

    "Kiptoo called President Soto" is a phone call; "Kiptoo called Kenyan demands unfair" is not.
    """
    for match in TRIGGER.finditer(clause):
        if match.group(0).lower() != "called":
            return match
        after = start + match.end()
        person = next((m for m in ctx.mentions_in(after, after + 60) if m.name), None)
        if person is not None and ctx.people[person.name].official:
            between = ctx.text[after : person.start]
            titled = re.fullmatch(r"\s+(?:(?:his|her|their)\s+)?(?:[\w.'’-]+,?\s+){0,4}", between)
            plain = re.search(r"[a-z]{3,}\s+[a-z]{3,}", between) and "counterpart" not in between
            # not "called President Soto a liar", "called President Soto's plan unfair"
            named_as = re.match(r",?\s+(?:a|an)\s|['’]s?\b", ctx.text[person.end : person.end + 5])
            told = _CALL_DETAIL.match(ctx.text[person.end : person.end + 80])
            if titled and not plain and not named_as and told:
                return match
    return None


def owned_call(ctx: Context, clause: str, start: int, trigger: int) -> tuple[int, int] | None:
    """The span of "Kiptoo's call with Soto" when that phrase is the clause's meeting word.

    Its people are the owner and the counterpart, its date only one the phrase gives; the
    rest of the clause (a report published on Friday, the people who praised it) is not it.
    """
    for match in _OWNED_CALL.finditer(clause):
        if not match.start() <= trigger < match.end():
            continue
        owners = [m for m in ctx.mentions_in(start, start + match.start()) if m.name]
        if owners and owners[-1].end == start + match.start():
            return owners[-1].start, start + match.end()
    return None
