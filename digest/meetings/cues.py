"""Cue words of meeting reports: which words name a meeting, its tense, status and kind.

Pure functions of text, no article context: ``clauses.read_clause`` combines them with the
article's people, dates and places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Prefiltered:
    """A costly pattern, searched only in texts holding a word that all its matches hold.

    A few substring tests in C instead of trying dozens of branches at every word.
    """

    pattern: re.Pattern[str]
    words: tuple[str, ...]  # lower case; every match of ``pattern`` contains one of them

    def search(self, text: str) -> re.Match[str] | None:
        """``pattern.search(text)``, skipped when no word of ``words`` is in the text."""
        low = text.lower()
        if not any(word in low for word in self.words):
            return None
        return self.pattern.search(text)


MONTH_NAMES = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_CALL_NOUN = (
    rf"(?:(?<=[’']s )|(?<=\bthe )|(?<=\ba ))(?:{MONTH_NAMES} \d{{1,2}} |\w+day's |\w+day ){{0,1}}"
    r"(?:(?:phone|telephone) )?call(?!\s+(?:for|on|to|off|up|in|out|it|him|her|them)\b)"
)
TRIGGER = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|held discussions|discussions with|"
    r"discussed with|negotiations|consultations?|summit|co-chair|"
    r"greeted|received|hosted|phone call|telephone call|phoned|telephoned|"
    r"by (?:phone|telephone)|(?:phone|telephone) (?:conversation|talks)|video call|"
    r"videoconference|spoke (?:by (?:phone|telephone) )?(?:to|with)|speaks (?:to|with)|"
    r"visit|visits|visited|visiting|trip|stops? in|conference with|mission to|"
    r"went to|travell?ed to|travel to|travels to|travell?ing to|(?:flew|flies|fly) to|"
    r"(?:will|to) see|session|gather(?:s|ed|ing)?|shak(?:e|es|ing) hands|"
    r"shook hands|"
    # "X called President Y": the verb with a person as its object is a phone call
    r"called(?=\s+(?:his|her|their)\s+(?:\w+\s+)?counterpart|\s+[A-Z])|"
    # the noun "call" with its date or owner: "the July 25 call", "Kiptoo's Friday call"
    rf"{_CALL_NOUN}|"
    r"(?:sent|sends|send|dispatched|dispatches) (?:a|an|its|their) (?:[\w-]+ ){0,2}?"
    r"(?:envoy|envoys|delegation|emissary) to)\b",
    re.IGNORECASE,
)
# Meeting words other than visit words.
ENCOUNTER = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|discussions|discussed|negotiations|"
    r"consultations?|summit|co-chair|greeted|received|hosted|phone|telephone|"
    r"phoned|telephoned|(?:phone|telephone|video) call|call with|videoconference|spoke|speaks|"
    rf"conference|see|session|gather\w*|hands|called|{_CALL_NOUN})\b",
    re.IGNORECASE,
)
# How often a recurring meeting is held (general English frequency words).
_FREQUENCY = r"(?:semi-?|bi-?)?annual|yearly|quarterly|monthly|weekly"
# ... unless one occasion of them is meant: "this week's annual meetings", "Monday's
# quarterly talks".
_NOT_ONE_OCCASION = "".join(
    f"(?<!{unit}{mark}s )" for unit in ("day", "week", "month", "year") for mark in "'’"
)
# Meetings that did not or may not happen, and habitual or generic contact (GUIDE §2).
_NEGATIVE = re.compile(
    # called off or refused
    r"\b(?:cancel+(?:ed|ing|s)?|cancel|call(?:ed|ing)? off|scrap(?:ped|s)?|shelved|scuttled|"
    r"postponed|refused|rejected|declined|rebuff\w*|snubbed|boycott\w*|"
    # "has no plans to meet": a plan denied for a meeting verb ("no plans to raise taxes
    # during the tour" denies something else)
    r"no plans? (?:to|for) (?:\w+ ){0,2}?(?:meet\w*|visit\w*|talks|summit|see|call|travel\w*|go)|"
    # wished for, or the writer's guess
    r"wanted|wants to|would like|hopes? to|wish(?:es|ed)? to|may meet|whether|"
    r"(?:a|the) (?:request|proposal|invitation) for|"
    # habitual or generic contact
    r"regularly|routinely|every (?:year|month|quarter)|(?:once|twice) a (?:year|month)|"
    # a stated frequency: "meet annually", "quarterly talks", "semi-annual consultations"
    r"(?:semi-?|bi-?)?annually|"
    rf"(?:meet|meets|met|gather\w*|convene\w*) (?:{_FREQUENCY})|"
    rf"{_NOT_ONE_OCCASION}(?<![\w-])(?:{_FREQUENCY}) "
    r"(?:meetings|talks|summits|consultations|visits|calls|sessions)|"
    r"(?:regular|frequent|periodic) (?:meetings|talks|contacts?|consultations|calls)|"
    r"(?:many|multiple|several|numerous|countless) (?:summits|meetings|talks|calls|visits)|"
    r"back and forth|"
    # talks that may start some day
    r"agreed to (?:begin|start|open|hold) (?:talks|a dialogue|negotiations))\b",
    re.IGNORECASE,
)
# One word of each branch above, so that most sentences skip the pattern (tests check each).
NEGATIVE = Prefiltered(
    _NEGATIVE,
    (
        "cancel", "call", "scrap", "shelved", "scuttled", "postponed", "refused", "rejected",
        "declined", "rebuff", "snubbed", "boycott", "no plan", "want", "would like", "hope",
        "wish", "may meet", "whether", "request", "proposal", "invitation", "regular",
        "routinely", "every ", "once", "twice", "annual", "yearly", "quarterly", "monthly",
        "weekly", "frequent", "periodic", "many", "multiple", "several", "numerous",
        "countless", "back and forth", "agreed",
    ),
)  # fmt: skip
# The press's present for a coming trip or meeting: "leaves Wednesday", "meets her on Friday".
_PRESENT_FUTURE = (
    r"(?:sets (?:out|off)|leaves|departs|travels|flies|heads|arrives|visits|meets|hosts)"
    r"(?:\s+[\w.'’-]+){0,6}?\s+(?:on\s+|next\s+)?"
    r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)
PRESENT_FUTURE = re.compile(rf"{_PRESENT_FUTURE}\b", re.IGNORECASE)
FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|is to|are to|to hold|to meet|due|scheduled|expected|"
    r"plans? to|planned|planning to|set to|going to|next|tomorrow|"
    r"upcoming|later (?:today|this|in|on)|begins?|ahead|could|might|(?-i:may)|in time for|"
    rf"before (?:an?|the) |{_PRESENT_FUTURE})\b",
    re.IGNORECASE,
)
FUTURE_AFTER = re.compile(
    r"\b(?:scheduled|due to|set for|set to|to be held|planned for|is to|are to|will|would|"
    r"begins?|later (?:today|tonight|this|on))\b",  # "talks begin later today"
    re.I,
)
PAST_BACKGROUND = re.compile(
    r"\b(?:last (?:year|month|November|December|January|February|March|April|May|June|July|"
    r"August|September|October)|ago|previous|earlier meeting|"
    r"after (?:an? |his |her |their )?(?:visits?|stops?|trips?|tours?)\b|"
    r"in (?:19|20)\d\d|during their (?:meeting|summit)|file (?:photo|picture))\b",
    re.IGNORECASE,
)
PRESENT_TODAY = re.compile(r"\b(?:holds|meets|begins|opens|starts|hosts|sees)\b", re.IGNORECASE)
CALL = re.compile(
    rf"\b(?:phone|telephone|video ?call|videoconference|video link)\b|\b{_CALL_NOUN}\b", re.I
)
CONSULTATION = re.compile(
    r"\b(?:consultations?|(?:first|second|third|fourth|fifth|\w+th|\d+(?:st|nd|rd|th)|new|"
    r"latest) round|strategic dialogue|economic dialogue)\b",
    re.IGNORECASE,
)
OTHER_KIND = re.compile(
    r"\b(?:security council|conference on|international conference|ministerial|"
    r"(?:emergency|special|extraordinary|plenary) session)\b",
    re.IGNORECASE,
)
REPORTING = re.compile(
    r"\b(?:said|says|told [^,.]{0,40}?|comments? by [^,.]{0,40}?|announced|added|reported)"
    r"(?: on \w+)?\s+that\b",
    re.IGNORECASE,
)
# Clause boundaries: ";", "while", and "after/before/following a <meeting>" (its own event).
SEPARATORS = re.compile(
    r";|,? while |,? whereas |,?\s+(?:after|following|before)\s+(?=(?:a|an|the|his|her|their)\s)",
    re.IGNORECASE,
)
SEPARATE = re.compile(r"\b(?:after|before|following|since|ahead of|until)\b", re.IGNORECASE)
# A named summit or conference ("the 2019 Lima Summit", "the G7 summit", "a summit of EU
# leaders"); a meeting counts as an event only with a group after "of" ("the Oslo meeting
# of Nordic foreign ministers").
_GROUP_TAIL = (
    r"\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s+|[\w-]+\s+){0,3}?"
    r"(?:leaders|nations|countries|ministers|economies|democracies|powers)"
)
EVENT = re.compile(
    r"\b(?:[Tt]he|[Aa]n?)\s+(?:(?P<year>(?:19|20)\d\d)\s+)?"
    r"(?P<name>(?:international\s+)?(?:[A-Z][\w.'’-]*\s+){0,5}?(?:\([A-Z0-9-]+\)\s+)?)"
    rf"(?:(?P<noun>[Ss]ummit|[Cc]onference)(?P<tail>{_GROUP_TAIL})?"
    rf"|(?P<meeting>meeting)(?P<meeting_tail>{_GROUP_TAIL}))"
)
PRONOUN_BEFORE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b|^\s*(?:[Hh]is|[Hh]er)\b")
DESCRIPTION = re.compile(
    r"\b[Tt]he\s+((?:[A-Z][\w.'’]*\s+)?)(leader|king|president|prime minister|premier|monarch|"
    r"chancellor|foreign minister|secretary of state|treasury secretary|foreign secretary)\b",
    re.IGNORECASE,
)
# How far back "the Kenyan leader" looks for the person it describes (characters).
LOOKBACK = 6000
BOTH_COUNTRIES = re.compile(r"\b(?:both|the two) (?:countries|nations|sides|governments)\b")

# A modal that governs the meeting word: "the two could meet", "could pave the way for talks".
_MODAL = re.compile(r"\b(?:could|might)\b[^,;]{0,60}$", re.IGNORECASE)
# A meeting named only as a prospect: "opened the door to talks", "lays the foundations for a
# visit", "paving the way for negotiations" (GUIDE §2: speculation, vague agreements); with a
# date or a place ("the foundations for talks in Quito in June") it is a planned meeting.
_PROSPECT = re.compile(
    r"\b(?:open\w*\s+(?:the|a)\s+door|pav\w*\s+the\s+way|la(?:y|ys|id|ying)\s+the\s+"
    r"(?:groundwork|foundations?))\s+(?:to|for)\s+(?:\S+\s+){0,3}$",
    re.IGNORECASE,
)


# Talks under way (GUIDE §3, one record per meeting however often it is mentioned): "the
# ongoing negotiations", "the talks have stalled", "its negotiations are dragging on"; and
# talks coming to their end: "will wrap up its negotiations on May 3".
_NEGOTIATION = r"(?:talks|negotiations|consultations)"
_UNDER_WAY = re.compile(
    rf"\b(?:current|ongoing|on-going|continuing|protracted)\s+(?:[\w-]+\s+){{0,2}}?{_NEGOTIATION}\b"
    rf"|\b{_NEGOTIATION}\b[^.;:,\"“”]{{0,120}}?\b(?:have|has)\s+(?:\w+ly\s+)?(?!been\s+"
    r"(?:scheduled|planned|set|called|postponed|arranged|announced)\b)\w+"
    rf"|\b{_NEGOTIATION}\s+(?:are|is)\s+(?:still\s+)?(?:continuing|dragging|under way|going on)\b",
    re.IGNORECASE,
)
_ENDING = re.compile(
    r"\b(?:conclude[sd]?|concluding|end(?:s|ed|ing)?|wind(?:s|ing)? up|wound up|"
    rf"wrap(?:s|ped|ping)? up|complete[sd]?|finish(?:es|ed)?)"
    rf"\s+(?:its|their|the|his|her)\s+(?:[\w-]+\s+)?{_NEGOTIATION}\b",
    re.IGNORECASE,
)


def continuing(clause: str, status: str) -> tuple[bool, bool]:
    """Whether the clause is about a negotiation already going on, and about its end.

    A planned meeting counts only when the clause says how it ends: "talks have been
    scheduled" is a new meeting, "will wrap up its negotiations" the end of a running one.
    """
    ends = _ENDING.search(clause) is not None
    under_way = status != "planned" and _UNDER_WAY.search(clause) is not None
    return under_way or ends, ends


def guessed(clause: str) -> bool:
    """True when a meeting word is only a possibility ("could lead to a summit"), GUIDE §2."""
    return any(
        _MODAL.search(clause[max(0, m.start() - 80) : m.start()]) for m in TRIGGER.finditer(clause)
    )


def prospect(clause: str, trigger: int) -> bool:
    """True when the meeting word is only a prospect ("opened the door to talks")."""
    return _PROSPECT.search(clause[max(0, trigger - 80) : trigger]) is not None


# "is to see A and then visit B": a second meeting verb with its own object is a second
# occasion (GUIDE §3); the clause after "and" shares the first one's subject.
SECOND_VERB = (
    r"(?:will\s+|would\s+|to\s+|also\s+|then\s+|later\s+)?(?:meet|meets|met|see|sees|saw|"
    r"hold|holds|held|visit|visits|visited|call(?:s|ed)? on)\b"
)
_SECOND_CLAUSE = re.compile(rf",?\s+and\s+(?={SECOND_VERB})")
SHARED_SUBJECT = re.compile(rf"\s*{SECOND_VERB}")


def split_clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, relative to the sentence."""
    spans = []
    position = 0
    cuts = sorted(
        [*SEPARATORS.finditer(sentence), *_SECOND_CLAUSE.finditer(sentence)],
        key=lambda m: m.start(),
    )
    for match in cuts:
        if match.start() < position:
            continue
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(sentence)))
    return [(s, e) for s, e in spans if e - s > 3]


QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def tense_of(clause: str, trigger: int | None = None) -> str | None:
    """Future when a future cue governs the meeting word, else past."""
    if trigger is None:
        return "future" if FUTURE.search(QUOTE.sub(" ", clause)) else "past"
    before = QUOTE.sub(" ", clause[max(0, trigger - 110) : trigger])
    after = QUOTE.sub(" ", clause[trigger : trigger + 80])
    after = re.split(r"\bthat\s", after)[0]  # "after meeting X that trade would grow": reported
    if FUTURE.search(before) or FUTURE_AFTER.search(after[:60]) or PRESENT_FUTURE.match(after):
        return "future"
    return "past"
