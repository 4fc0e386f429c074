"""Rules that turn an article into meeting candidates, one clause at a time.

A clause with a meeting word (met, talks, summit, visit, call, ...) whose people and groups
belong to two or more sides is a meeting candidate; its date, place, status and kind come
from the same clause, with the article's date or wire dateline as the anchor for relative
dates. ``dedupe.merge_candidates`` and the passes in ``digest.meetings`` then make one
record per real meeting.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from digest.meetings import dates
from digest.meetings.budget import Budget
from digest.meetings.gazetteer import gazetteer, place_of, side_of
from digest.meetings.names import Mention, Person, find_mentions, resolve
from digest.meetings.places import (
    PlaceRef,
    all_sides,
    historical,
    location_in,
    place_at,
    visited_places,
)
from digest.meetings.sides import GROUP_NOUNS, event_sides, group_sides
from digest.models import Article
from digest.sentences import split_sentences

TRIGGER = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|held discussions|discussions with|"
    r"discussed with|negotiations|consultations?|summit|co-chair|escorts|escorted|"
    r"greeted|received|hosted|phone call|telephone call|phoned|telephoned|"
    r"by (?:phone|telephone)|(?:phone|telephone) (?:conversation|talks)|video call|"
    r"videoconference|spoke (?:by (?:phone|telephone) )?(?:to|with)|speaks (?:to|with)|"
    r"visit|visits|visited|visiting|trip|stops? in|conference with|mission to|"
    r"went to|travell?ed to|(?:will|to) see|session|gather|shak(?:e|es|ing) hands|shook hands)\b",
    re.IGNORECASE,
)
# Meeting words other than visit words.
ENCOUNTER = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|discussions|discussed|negotiations|"
    r"consultations?|summit|co-chair|escort\w*|greeted|received|hosted|phone|telephone|"
    r"phoned|telephoned|(?:phone|telephone|video) call|call with|videoconference|spoke|speaks|"
    r"conference|see|session|gather|hands)\b",
    re.IGNORECASE,
)
# Meetings that did not or may not happen, and habitual or generic contact (GUIDE §2).
NEGATIVE = re.compile(
    # called off or refused
    r"\b(?:cancel+(?:ed|ing|s)?|cancel|call(?:ed|ing)? off|scrap(?:ped|s)?|shelved|scuttled|"
    r"postponed|refused|rejected|declined|rebuff\w*|snubbed|boycott\w*|"
    # "no plans to meet" (but not "no plans to change the schedule of his trip")
    r"no plans? (?:to|for) (?:\w+ ){0,2}?(?:meet\w*|visit\w*|talks|summit|see|call|travel\w*|go)|"
    # wished for, or the writer's guess
    r"wanted|wants to|would like|hopes? to|wish(?:es|ed)? to|may meet|whether|"
    r"(?:a|the) (?:request|proposal|invitation) for|"
    # habitual or generic contact
    r"regularly|routinely|semiannual\w*|every (?:year|month)|"
    r"(?:regular|frequent|periodic) (?:meetings|talks|contacts?|consultations|calls)|"
    r"(?:many|multiple|several|numerous|countless) (?:summits|meetings|talks|calls|visits)|"
    r"back and forth|"
    # talks that may start some day
    r"agreed to (?:begin|start|open|hold) (?:talks|a dialogue|negotiations))\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|is to|are to|to hold|to meet|due|scheduled|expected|"
    r"plans? to|planned|planning to|set to|going to|next|tomorrow|"
    r"upcoming|later (?:today|this|in|on)|begins?|ahead|could|might|(?-i:may)|in time for|"
    r"before (?:an?|the) )\b",
    re.IGNORECASE,
)
FUTURE_AFTER = re.compile(
    r"\b(?:scheduled|due to|set for|set to|to be held|planned for|is to|are to|will|would)\b",
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
CALL = re.compile(r"\b(?:phone|telephone|video ?call|videoconference|video link)\b", re.I)
CONSULTATION = re.compile(
    r"\b(?:consultations?|(?:first|second|third|fourth|fifth|\w+th|\d+(?:st|nd|rd|th)|new|"
    r"latest) round|strategic dialogue|economic dialogue)\b",
    re.IGNORECASE,
)
OTHER_KIND = re.compile(
    r"\b(?:security council|conference on|international conference|ministerial|"
    r"emergency session)\b",
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
# leaders"); a meeting counts as an event only with a group after "of" ("the London meeting
# of the seven richest nations").
_GROUP_TAIL = (
    r"\s+of\s+(?:the\s+)?(?:world's\s+|world’s\s+)?(?:[A-Z][\w-]*\s+|[\w-]+\s+){0,3}?"
    r"(?:leaders|nations|countries|ministers|economies|democracies|powers)"
)
EVENT = re.compile(
    r"\b(?:[Tt]he|[Aa]n?)\s+(?:(?P<year>(?:19|20)\d\d)\s+)?"
    r"(?P<name>(?:[A-Z][\w.'’-]*\s+){0,5}?(?:\([A-Z0-9-]+\)\s+)?)"
    rf"(?:(?P<noun>[Ss]ummit|[Cc]onference)(?P<tail>{_GROUP_TAIL})?"
    rf"|(?P<meeting>meeting)(?P<meeting_tail>{_GROUP_TAIL}))"
)
_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z .'-]{1,40}?)\s*"
    r"(?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})"
    r"|\s*\((?:AFP|AP|Reuters|Xinhua|UPI|dpa|Kyodo)\))\s*[-–—]",
    re.MULTILINE,
)
_ABBREVIATION_END = re.compile(
    r"\b(?:Sens?|Gov|Reps?|Gen|Lt|Col|Capt|Sgt|St|Dr|Mr|Mrs|Ms|Prof|Adm|Cmdr|Maj|No)\.$"
)
_PRONOUN_BEFORE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b|^\s*(?:[Hh]is|[Hh]er)\b")
_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+((?:[A-Z][\w.'’]*\s+)?)(leader|king|president|prime minister|premier|monarch|"
    r"chancellor|foreign minister|secretary of state|treasury secretary|foreign secretary)\b",
    re.IGNORECASE,
)
# How far back "the Kenyan leader" looks for the person it describes (characters).
LOOKBACK = 6000
_BOTH_COUNTRIES = re.compile(r"\b(?:both|the two) (?:countries|nations|sides|governments)\b")


@dataclass
class Candidate:
    """A meeting as one clause reports it; merged with others into records later."""

    participants: list[str]
    sides: list[str]
    status: str
    kind: str
    evidence: str
    position: int
    date: str | None = None
    date_text: str | None = None
    location: PlaceRef | None = None
    event: str | None = None  # the named summit/conference, for event records
    visit_host: str | None = None
    topics: list[str] = field(default_factory=list)
    explicit_date: bool = False
    fallback_location: PlaceRef | None = None  # from a visit whose meetings this reports
    fallback_date: tuple[str | None, str | None] | None = None  # (date, date_text) likewise

    def copy(self) -> Candidate:
        """A copy whose lists can change without touching this candidate's."""
        return replace(
            self,
            participants=list(self.participants),
            sides=list(self.sides),
            topics=list(self.topics),
        )


@dataclass
class Context:
    """What every clause of one article needs to know."""

    text: str
    anchor: date | None
    dateline: PlaceRef | None
    dateline_end: int
    people: dict[str, Person]
    mentions: list[Mention]
    full_dates: dict[int, str]  # weekday -> ISO date of an explicit "Friday, May 3, 2024"
    date_index: dates.DateIndex  # every date expression of the text, matched once
    recent_sides: list[str] = field(default_factory=list)  # countries, most recent last
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # sentences (start, end, ¶)
    mention_starts: list[int] = field(default_factory=list)  # for bisect: mentions are sorted
    # Sides the clauses inferred for people the text gives none ("A and B" share a side, the
    # host of "met officials in Lima"); the Person records keep only what the text states.
    inferred_sides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """The mentions that begin in text[start:end], in text order (a bisect, not a scan)."""
        low = bisect_left(self.mention_starts, start)
        return self.mentions[low : bisect_left(self.mention_starts, end, low)]

    def previous_named(self, mention: Mention) -> Mention | None:
        """The nearest named mention before ``mention``, if any."""
        index = bisect_left(self.mention_starts, mention.start) - 1
        while index >= 0 and self.mentions[index].name is None:
            index -= 1
        return self.mentions[index] if index >= 0 else None

    def side(self, name: str) -> str | None:
        """The side a person takes in this article: stated by the text, else inferred."""
        stated = self.people[name].side
        if stated:
            return self.country(stated)
        return self.inferred_sides.get(name)

    @property
    def year(self) -> int | None:
        """The article's year, for historical country names."""
        return self.anchor.year if self.anchor else None

    def country(self, name: str) -> str:
        """A country as it was called at the article's date."""
        return historical(name, self.year)


def article_anchor(article: Article) -> tuple[date | None, PlaceRef | None, int]:
    """The date relative expressions resolve against, the dateline place, and where it ends.

    Wire copy resolves against its dateline date (GUIDE §6); otherwise the publication date.
    """
    published = article.published.date() if article.published else None
    match = _DATELINE.search(article.body[:400])
    if not match or match.start() > 200:
        return published, None, 0
    city = match.group("city").strip()
    place = place_of(city.title()) or place_of(city)
    where = (place.city, place.country) if place else None
    if match.group("month") and published:
        month = dates.MONTHS.get(match.group("month").lower()[:3])
        if month:
            year = published.year
            if month == 12 and published.month == 1:
                year -= 1
            elif month == 1 and published.month == 12:
                year += 1
            try:
                return date(year, month, int(match.group("day"))), where, match.end()
            except ValueError:
                pass
    return published, where, match.end()


def sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each sentence, as offsets into ``text``.

    Sentences the splitter ended at a title abbreviation ("Gov.", "Sen.") are re-joined.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:
            continue
        end = start + len(sentence)
        if spans and _ABBREVIATION_END.search(text[spans[-1][0] : spans[-1][1]]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        position = end
    out = []
    paragraph = 0
    previous_end = 0
    for start, end in spans:
        if re.search(r"\n\s*\n|\n\s{2,}", text[previous_end:start]):
            paragraph += 1
        out.append((start, end, paragraph))
        previous_end = end
    return out


def _is_furniture(sentence: str) -> bool:
    words = sentence.split()
    return (
        len(words) < 5
        or sentence.rstrip().endswith(("…", "..."))
        or sentence.lstrip().lower().startswith(("see also", "read more", "related:"))
    )


# A modal that governs the meeting word: "the two could meet", "could pave the way for talks".
_MODAL = re.compile(r"\b(?:could|might)\b[^,;]{0,60}$", re.IGNORECASE)


def _guessed(clause: str) -> bool:
    """True when a meeting word is only a possibility ("could lead to a summit"), GUIDE §2."""
    return any(
        _MODAL.search(clause[max(0, m.start() - 80) : m.start()]) for m in TRIGGER.finditer(clause)
    )


# Share of the budget by which sentence reading stops (the rest is for topics).
SENTENCES_SHARE = 0.85


def extract_candidates(
    article: Article, budget: Budget | None = None
) -> tuple[list[Candidate], Context]:
    """Every meeting candidate in the article, in text order, and the shared context.

    With a ``budget``, reading stops where it runs out; what was found before is returned.
    """
    # Captions, set aside from the body, still tell who met where and when.
    text = "\n\n".join((article.body, *article.captions))
    anchor, dateline, dateline_end = article_anchor(article)
    budget = budget or Budget(seconds=float("inf"))
    budget.start()
    mentions = find_mentions(text, budget)
    people = resolve(mentions)
    # Past the point where names were no longer looked for, nothing else is read either.
    read = text if budget.spent_at is None else text[: budget.spent_at]
    date_index = dates.DateIndex(read)
    full_dates: dict[int, str] = {}
    for mention in date_index.within(0, len(text), None, None):
        if mention.kind == "full" and mention.value and re.match(r"(?:on\s+)?\w+day", mention.text):
            full_dates.setdefault(date.fromisoformat(mention.value).weekday(), mention.value)
    if dateline:
        dateline = (dateline[0], historical(dateline[1], anchor.year if anchor else None))
    context = Context(
        text, anchor, dateline, dateline_end, people, mentions, full_dates, date_index
    )
    candidates: list[Candidate] = []
    last_subject: str | None = None
    previous_dated: tuple[int, str | None, str | None, str] | None = None
    context.spans = sentence_spans(read)
    for index, (start, end, paragraph) in enumerate(context.spans):
        if (budget.spent_at is not None and start >= budget.spent_at) or budget.exhausted(
            start, SENTENCES_SHARE
        ):
            break  # names were not looked for beyond this point, or time is up
        sentence = text[start:end]
        if _is_furniture(sentence):
            continue
        sentence_dates = _dates_in(context, start, end, _tense(sentence))
        leading = sentence_dates[0] if sentence_dates and sentence_dates[0].start < 12 else None
        found: list[Candidate] = []
        previous_names: list[str] = []
        for clause_start, clause_end in _clauses(sentence):
            clause_found, previous_names, inferred = _clause_candidates(
                context,
                (start + clause_start, start + clause_end),
                (start, end),
                last_subject,
                leading,
                previous_names,
            )
            found += clause_found
            for name, side in inferred.items():
                context.inferred_sides.setdefault(name, side)
        if any(len(c.participants) >= 3 for c in found):
            around = range(max(0, index - 2), min(len(context.spans), index + 2))
            nearby = " ".join(
                text[context.spans[i][0] : context.spans[i][1]] for i in around if i != index
            )
            found = _split_by_neighbours(found, nearby, context.side)
        if found:
            if not sentence_dates and previous_dated and previous_dated[0] == paragraph:
                for candidate in found:
                    if candidate.date_text is None and candidate.status != "planned":
                        candidate.date, candidate.date_text = previous_dated[1], previous_dated[2]
                        candidate.status = previous_dated[3]
            dated = [c for c in found if c.date_text]
            if dated:
                previous_dated = (paragraph, dated[0].date, dated[0].date_text, dated[0].status)
        candidates += found
        officials = [
            m.name
            for m in context.mentions_in(start, min(end, start + 80))
            if m.name and people[m.name].official
        ]
        if officials:
            last_subject = officials[0]
        for side in all_sides(sentence):
            if side in context.recent_sides:
                context.recent_sides.remove(side)
            context.recent_sides.append(side)
    return candidates, context


def _dates_in(ctx: Context, start: int, end: int, tense: str | None) -> list[dates.DateMention]:
    """Date mentions in text[start:end] (offsets relative to start), the dateline left out."""
    found = ctx.date_index.within(start, end, ctx.anchor, tense)
    return [m for m in found if start + m.start >= ctx.dateline_end]


# "will hold talks with A and meet B": a second meeting verb with its own object is a second
# occasion (GUIDE §3); the clause after "and" shares the first one's subject.
SECOND_VERB = (
    r"(?:will\s+|would\s+|to\s+|also\s+|then\s+|later\s+)?(?:meet|meets|met|see|sees|saw|"
    r"hold|holds|held|visit|visits|visited|call(?:s|ed)? on)\b"
)
_SECOND_CLAUSE = re.compile(rf",?\s+and\s+(?={SECOND_VERB})")
_SHARED_SUBJECT = re.compile(rf"\s*{SECOND_VERB}")


def _clauses(sentence: str) -> list[tuple[int, int]]:
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


_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _tense(clause: str, trigger: int | None = None) -> str | None:
    """Future when a future cue governs the meeting word, else past."""
    if trigger is None:
        return "future" if FUTURE.search(_QUOTE.sub(" ", clause)) else "past"
    before = _QUOTE.sub(" ", clause[max(0, trigger - 110) : trigger])
    after = _QUOTE.sub(" ", clause[trigger : trigger + 80])
    if FUTURE.search(before) or FUTURE_AFTER.search(after[:60]):
        return "future"
    return "past"


def _people_in(ctx: Context, start: int, end: int) -> list[str]:
    names: list[str] = []
    for mention in ctx.mentions_in(start, end):
        if mention.name and mention.name not in names:
            person = ctx.people[mention.name]
            if person.official and (ctx.side(mention.name) or person.roles):
                names.append(mention.name)
    return names


def _described(ctx: Context, clause: str, start: int) -> list[str]:
    """People a clause names by description: "the Kenyan leader", "the Finance Minister"."""
    found = []
    for match in _DESCRIPTION.finditer(clause):
        side = side_of(match.group(1).strip()) if match.group(1).strip() else None
        role = match.group(2).lower()
        best = None
        for mention in ctx.mentions_in(max(0, start - LOOKBACK), start):
            if not mention.name:
                continue
            person = ctx.people[mention.name]
            roles = " ".join(person.roles).lower()
            fits_role = role in roles or (role in ("leader", "monarch") and person.is_leader)
            if fits_role and (side is None or ctx.side(mention.name) == side):
                best = mention.name
        if best and best not in found:
            found.append(best)
    return found


def _clause_candidates(  # noqa: C901 - a sequence of small, named rule steps
    ctx: Context,
    span: tuple[int, int],
    sentence_span: tuple[int, int],
    last_subject: str | None,
    leading: dates.DateMention | None,
    previous_names: list[str],
) -> tuple[list[Candidate], list[str], dict[str, str]]:
    """The clause's candidates, the people it names, and the sides it infers for them."""
    start, end = span
    clause = ctx.text[start:end]
    trigger = TRIGGER.search(clause)
    names = _people_in(ctx, start, end)
    if trigger is None or NEGATIVE.search(clause) or _guessed(clause):
        return [], names, {}
    reporting = REPORTING.search(clause)
    if reporting and reporting.end() < trigger.start():
        start, clause = start + reporting.end(), clause[reporting.end() :]
        trigger = TRIGGER.search(clause)
        if trigger is None:
            return [], names, {}
        names = _people_in(ctx, start, end)
    evidence = " ".join(ctx.text[sentence_span[0] : sentence_span[1]].split())
    for name in _described(ctx, clause, start):
        if name not in names:
            names.insert(0, name)
    named_before = any(m.name in names for m in ctx.mentions_in(start, start + trigger.start()))
    pronoun = not named_before and _PRONOUN_BEFORE.search(clause[: trigger.start()])
    subject = (
        previous_names[0]
        if previous_names and re.match(r"\s*(?:his|her)\b", clause, re.I)
        else last_subject
    )
    if pronoun and subject and subject not in names:
        names.insert(0, subject)
    if previous_names and _SHARED_SUBJECT.match(clause) and previous_names[0] not in names:
        names.insert(0, previous_names[0])  # "... and meet B": the same subject meets B
    tense = _tense(clause, trigger.start())
    events = list(EVENT.finditer(clause))
    sides: list[str] = []
    for name in names:
        side = ctx.side(name)
        if side and side not in sides:
            sides.append(side)
    if len(sides) < 2 and previous_names:  # "X, speaking after a summit with Y"
        for name in previous_names:
            side = ctx.side(name)
            if side and side not in sides and name not in names:
                names.insert(0, name)
                sides.append(side)
    skip = [(e.start(), e.end()) for e in events]
    for side in group_sides(clause, skip):
        side = ctx.country(side)
        if side not in sides:
            sides.append(side)
    place = location_in(clause, trigger.start())
    if len(sides) == 1 and place and re.search(rf"\b(?:{GROUP_NOUNS})\b", clause):
        host = ctx.country(place[1])  # "met officials in Lima": the officials are Peru's
        if host not in sides:
            sides.append(host)
    government = re.search(r"\bthe government\b", clause)
    if len(sides) == 1 and ctx.dateline and government and ctx.dateline[1] not in sides:
        sides.append(ctx.dateline[1])  # "talks with the government" under a Quito dateline
    if len(sides) < 2 and _BOTH_COUNTRIES.search(clause):
        countries = [s for s in ctx.recent_sides if s not in gazetteer().organisations]
        for side in countries[-2:]:
            if side not in sides:
                sides.append(side)
    inferred = _infer_sides(ctx, clause, names)
    for name in names:
        side = inferred.get(name)
        if side and side not in sides:
            sides.append(side)

    def side_of_person(name: str) -> str | None:
        return ctx.side(name) or inferred.get(name)

    mention = _pick_date(clause, _dates_in(ctx, start, end, tense), trigger.start())
    if mention is None and leading is not None and leading.start + sentence_span[0] < start:
        mention = leading
    date_value = mention.value if mention else None
    if mention and mention.kind == "weekday" and date_value is None:
        weekday = dates.WEEKDAYS[re.search(dates._WEEKDAY, mention.text).group(0).lower()]
        date_value = ctx.full_dates.get(weekday)
    status = _status(clause, tense, mention, date_value, ctx.anchor)
    location = location_in(clause, trigger.start())
    if location:
        location = (location[0], ctx.country(location[1]))
    base = {
        "status": status,
        "evidence": evidence,
        "position": start + trigger.start(),
        "date": date_value,
        "date_text": mention.text.strip().rstrip(".,") if mention else None,
        "explicit_date": mention is not None,
    }
    results = _visit_candidates(ctx, side_of_person, (clause, start), names, base)
    outside_events = clause
    for event in events:
        outside_events = outside_events.replace(event.group(0), " ")
    organisations = gazetteer().organisations
    org_session = [s for s in all_sides(outside_events) if s in organisations]
    if not org_session and re.search(r"\bsession\b", clause):  # "..., speaking before a session"
        sentence = ctx.text[sentence_span[0] : sentence_span[1]]
        org_session = [s for s in all_sides(sentence) if s in organisations]
    if "United Nations Security Council" in org_session and "United Nations" in org_session:
        org_session.remove("United Nations")
    is_org_session = bool(org_session) and re.search(
        r"\b(?:meet|meets|meeting|session|summit|gather)\b", clause, re.I
    )
    if is_org_session and len(sides) < 2 and org_session[0] not in sides:
        sides.append(org_session[0])
    # A clause whose only meeting word is a visit word reports a visit, not a meeting
    # (a visit to a leader's grave is not a meeting with the leader).
    only_visit = not ENCOUNTER.search(clause)
    if (len(sides) >= 2 or is_org_session) and not only_visit:
        meeting = Candidate(
            participants=names,
            sides=list(sides),
            kind=_kind(clause, names, sides, ctx, side_of_person),
            location=location,
            **base,
        )
        results += separate_meetings(meeting, clause, side_of_person) or [meeting]
    results += _event_candidates(
        ctx, clause, (start, sentence_span[0]), events, (names, sides, side_of_person), base
    )
    return results, names, inferred


# "held separate talks with A and B", "bilateral meetings with A, B and C" (GUIDE §3).
SEPARATELY = re.compile(
    r"\b(?:separate(?:ly)?|individually|one by one|in turn|bilateral (?:meetings|talks|"
    r"discussions|sessions))\b",
    re.IGNORECASE,
)


def separate_meetings(
    meeting: Candidate, clause: str, side_of: Callable[[str], str | None]
) -> list[Candidate]:
    """One candidate per counterpart when the clause says the encounters were separate.

    The first person is the one who met the others; each counterpart from another side gets
    a bilateral record of its own. Empty when the clause does not say so.
    """
    if len(meeting.participants) < 3 or not SEPARATELY.search(clause):
        return []
    host, *others = meeting.participants
    host_side = side_of(host)
    split = []
    for other in others:
        side = side_of(other)
        if side is None or side == host_side:
            continue
        split.append(
            replace(
                meeting,
                participants=[host, other],
                sides=[s for s in (host_side, side) if s],
                kind="talks",
                topics=list(meeting.topics),
            )
        )
    return split if len(split) >= 2 else []


_GROUP_MEETING = re.compile(r"\b(?:talks|meeting|meetings|summit|session|conference)\b", re.I)


def _split_by_neighbours(
    found: list[Candidate], nearby: str, side_of: Callable[[str], str | None]
) -> list[Candidate]:
    """Meetings with several counterparts that the sentences around call bilateral or separate.

    "X is to see A, B and C." next to "The bilateral discussions precede talks of the group":
    one record per counterpart, and the group's own meeting stays when those sentences name one.
    """
    if not SEPARATELY.search(nearby):
        return found
    group = _GROUP_MEETING.search(SEPARATELY.sub(" ", nearby)) is not None
    out: list[Candidate] = []
    for candidate in found:
        split = separate_meetings(candidate, nearby, side_of)
        out += split + ([candidate] if group or not split else [])
    return out


def _infer_sides(ctx: Context, clause: str, names: list[str]) -> dict[str, str]:
    """Sides for the clause's people with none: the one side of the clause nobody else holds.

    Returns the inferred sides; nothing shared is changed (the caller keeps them for the
    rest of the article).
    """
    inferred: dict[str, str] = {}
    unsided = [n for n in names if not ctx.side(n)]
    for name in list(unsided):
        partner = _coordinated_with(ctx, clause, name)
        partner_side = (ctx.side(partner) or inferred.get(partner)) if partner else None
        if partner_side:
            inferred[name] = partner_side
            unsided.remove(name)
    if not unsided:
        return inferred
    taken = {ctx.side(n) or inferred.get(n) for n in names}
    # Only sides the clause names as a party ("Peruvian officials", "Peru-Chile ties"), not
    # every country it mentions ("its dealings with Chile").
    hyphenated = re.findall(r"[A-Z][\w.]*-[A-Z][\w.]*", clause)
    free = [ctx.country(s) for s in group_sides(clause) + all_sides(" ".join(hyphenated))]
    free = [s for s in free if s not in taken and s not in gazetteer().organisations]
    place = location_in(clause, 0)
    host = ctx.country(place[1]) if place else None
    if len(free) == 1 and len(unsided) == 1:
        inferred[unsided[0]] = free[0]
    elif host and taken - {None} and host not in taken:  # people met in Lima: Peruvian
        inferred.update(dict.fromkeys(unsided, host))
    elif ctx.dateline:
        inferred.update(dict.fromkeys(unsided, ctx.dateline[1]))
    return inferred


def _coordinated_with(ctx: Context, clause: str, name: str) -> str | None:
    """The person just before "<X> and <name>" ("King A and Queen B"): they share a side."""
    for mention in ctx.people[name].mentions:
        previous = ctx.previous_named(mention)
        if previous is not None:
            between = ctx.text[previous.end : mention.start]
            if re.fullmatch(r"\s+and\s+(?:[A-Z][\w.]*\s+)?", between):
                return previous.name
    return None


def _visit_candidates(
    ctx: Context,
    side_of: Callable[[str], str | None],
    where: tuple[str, int],
    names: list[str],
    base: dict,
) -> list[Candidate]:
    clause, start = where
    results: list[Candidate] = []
    for position, place in visited_places(clause):
        host = ctx.country(place[1])
        before = [m.name for m in ctx.mentions_in(start, start + position) if m.name in names]
        visitor = before[-1] if before else (names[0] if names else None)
        visitor_side = side_of(visitor) if visitor else None
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
    if not results and ctx.dateline and re.search(r"\bvisit(?:ed|s)?\b(?!\s+to)", clause):
        # "the king visited in 1990" under a dateline: a visit to the dateline's country.
        host = ctx.dateline[1]
        for name in names[:1]:
            side = side_of(name)
            if side and side != host:
                results.append(
                    Candidate(
                        participants=[name],
                        sides=[side, host],
                        kind="visit",
                        location=(None, host),
                        visit_host=host,
                        **base,
                    )
                )
    return results


def _event_candidates(
    ctx: Context,
    clause: str,
    starts: tuple[int, int],
    events: list[re.Match[str]],
    parties: tuple[list[str], list[str], Callable[[str], str | None]],
    base: dict,
) -> list[Candidate]:
    """Named summits and conferences are records of their own (GUIDE §3)."""
    start, sentence_start = starts
    names, sides, side_of = parties
    results = []
    for event in events:
        noun = event.group("noun") or event.group("meeting")
        tail = event.group("tail") or event.group("meeting_tail") or ""
        name = (event.group("name") + noun + tail).strip()
        if not re.search(r"[A-Z]", event.group("name") + tail) and not event_sides(name):
            continue
        own_sides = [ctx.country(s) for s in event_sides(name)]
        organisations = gazetteer().organisations
        if noun.lower() == "conference" and not (
            set(own_sides) & organisations or len(own_sides) >= 2
        ):
            continue
        window_start = max(0, event.start() - 40)
        window = clause[window_start : event.end() + 40]
        sentence_before = ctx.text[
            max(sentence_start, start + event.start() - 70) : start + event.start()
        ]
        tense = (
            "future"
            if FUTURE.search(_QUOTE.sub(" ", sentence_before))
            else _tense(window, event.start() - window_start)
        )
        found = _dates_in(ctx, start + window_start, start + event.end() + 40, tense)
        after = [m for m in found if m.start >= event.end() - window_start]
        mention = after[0] if after else None
        value = mention.value if mention else None
        status = _status(window, tense, mention, value, ctx.anchor)
        year = event.group("year")
        if mention is None and year:  # "the 2019 Lima Summit"
            value = year
            if ctx.anchor is None or int(year) < ctx.anchor.year:
                status = "mentioned"
        place = location_in(clause[event.start() :], 0)
        if place is None:
            found_place = place_at(event.group("name"))  # "the Lima Summit"
            place = found_place[1] if found_place else None
        if not own_sides and place is None:
            continue
        leaders = [n for n in names if ctx.people[n].is_leader]
        leaders = leaders if len({side_of(n) for n in leaders}) >= 2 else []
        results.append(
            Candidate(
                participants=leaders,
                sides=own_sides + [s for s in sides if s not in own_sides and leaders],
                kind=(
                    "summit"
                    if "summit" in name.lower() and "minister" not in name
                    else "talks"
                    if event.group("meeting")
                    else "other"
                ),
                location=place,
                event=name,
                **{
                    **base,
                    "status": status,
                    "date": value,
                    "date_text": mention.text.strip().rstrip(".,") if mention else year,
                    "explicit_date": mention is not None or year is not None,
                },
            )
        )
    return results


def _pick_date(
    clause: str, found: list[dates.DateMention], trigger: int
) -> dates.DateMention | None:
    """The date words that belong to the meeting word: nearest, not across "after"/"since"."""
    usable = []
    for mention in found:
        low, high = sorted((mention.end if mention.start < trigger else mention.start, trigger))
        coarse = mention.kind in ("month_year", "year", "rel_month", "month", "yearrel")
        if SEPARATE.search(clause[low:high]) and not (coarse and mention.start < trigger):
            continue
        if REPORTING.search(clause[low:high]):
            continue
        usable.append(mention)
    if not usable:
        return None
    return min(usable, key=lambda m: abs(m.start - trigger))


def _status(
    clause: str,
    tense: str | None,
    mention: dates.DateMention | None,
    value: str | None,
    anchor: date | None,
) -> str:
    if mention and mention.kind == "today" and PRESENT_TODAY.search(clause):
        return "planned"  # "holds talks ... today": still ahead in a same-day story
    ahead = value is None or anchor is None or value >= anchor.isoformat()[: len(value)]
    if tense == "future" and not (mention and mention.past_cue) and ahead:
        return "planned"
    if mention and mention.future_cue:
        return "planned"
    explicit_past = mention and (
        mention.kind in ("month_year", "year") or (mention.kind == "rel_month" and mention.past_cue)
    )
    if anchor is None and explicit_past:
        return "mentioned"
    background = PAST_BACKGROUND.search(clause) or (mention and mention.past_cue)
    if background and not (mention and mention.kind in ("yesterday", "today")):
        return "mentioned"
    if value and anchor:
        if len(value) == 10 and (anchor - date.fromisoformat(value)).days > 7:
            return "mentioned"
        if len(value) == 7 and value < anchor.isoformat()[:7]:
            return "mentioned"
        if len(value) == 4 and value < str(anchor.year):
            return "mentioned"
    return "held"


def _kind(
    clause: str,
    names: list[str],
    sides: list[str],
    ctx: Context,
    side_of: Callable[[str], str | None],
) -> str:
    if CALL.search(clause):
        return "call"
    leader_sides = {side_of(n) for n in names if ctx.people[n].is_leader}
    if len(leader_sides) >= 2:
        return "summit"
    if CONSULTATION.search(clause):
        return "consultation"
    organisations = gazetteer().organisations
    if re.search(r"\bjoint (?:news|press) conference\b", clause, re.I) or (
        (OTHER_KIND.search(clause) and (not names or set(sides) & SESSION_BODIES))
        or (not names and sides and all(s in SESSION_BODIES for s in sides))
    ):
        return "other"
    if not names and sides and all(s in organisations for s in sides):
        return "talks" if re.search(r"\bminist", clause, re.I) else "summit"
    return "talks"


# Standing bodies whose own meetings are kind "other" (GUIDE §5); G7/G8/EU leaders meet in summits.
SESSION_BODIES = {
    "United Nations Security Council", "United Nations", "International Monetary Fund",
    "World Bank", "World Trade Organization", "International Atomic Energy Agency",
}  # fmt: skip
