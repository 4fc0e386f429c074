"""Clause analysis: what one clause says about a meeting, before any candidate is built.

A sentence is cut into clauses; ``read_clause`` finds the clause's meeting word, its people
and their sides (stated, or inferred from the clause and returned, never written into the
shared records), its tense, date, status and place. ``extract`` builds candidates from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from digest.meetings import dates
from digest.meetings.context import Context, dates_in
from digest.meetings.cues import (
    BOTH_COUNTRIES,
    CALL,
    CONSULTATION,
    DESCRIPTION,
    ENCOUNTER,
    EVENT,
    LOOKBACK,
    NEGATIVE,
    OTHER_KIND,
    PAST_BACKGROUND,
    PRESENT_TODAY,
    PRONOUN_BEFORE,
    REPORTING,
    SEPARATE,
    SHARED_SUBJECT,
    guessed,
    prospect,
    tense_of,
)
from digest.meetings.gazetteer import capital_of, gazetteer, side_of
from digest.meetings.meeting_word import first_trigger, owned_call
from digest.meetings.places import PlaceRef, all_sides, location_in
from digest.meetings.sides import GROUP_NOUNS, group_sides


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
    for match in DESCRIPTION.finditer(clause):
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


# A government reporting its own side's contact: "<Country> said ..." at the clause's start.
_SPEAKING_SIDE = re.compile(
    r"\s*(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}?)(?:'s|’s)?(?:\s+government)?\s+"
    r"(?:said|says|announced|confirmed|reported)\b"
)


# A head of state's or government's official residence or office, named by what it is rather
# than by its name: it is in the capital of the host (general knowledge).
_RESIDENCE = re.compile(
    r"\b(?:at|in) the (?:state house|presidential (?:palace|residence|office|compound)|"
    r"royal palace|(?:prime minister's|prime minister’s|president's|president’s) "
    r"(?:residence|office))\b",
    re.IGNORECASE,
)


def _residence_city(ctx: Context, names: list[str], inferred: dict[str, str]) -> PlaceRef | None:
    """The capital of the host: the one leader's side among the people, or their one side.

    Two leaders of two sides leave it open ("President A met President B at the palace").
    """
    leaders = [n for n in names if ctx.people[n].is_leader] or names
    sides = {ctx.side(n) or inferred.get(n) for n in leaders} - {None}
    capital = capital_of(sides.pop()) if len(sides) == 1 else None
    return (capital.city, capital.country) if capital else None


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
    speaker = _SPEAKING_SIDE.match(clause)
    if speaker and (side := side_of(speaker.group(1))) in gazetteer().countries:
        free.append(ctx.country(side))  # "Norway said Mr X called President Y": Y is Norway's
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


@dataclass
class Reading:
    """What one clause says about a meeting."""

    start: int  # where the clause starts in the text (after a leading "X said that")
    clause: str
    trigger: int  # the meeting word's position in the clause
    names: list[str]  # the people taking part, first the one who meets the others
    sides: list[str]
    inferred: dict[str, str]  # sides the clause infers for people the text gives none
    tense: str | None
    events: list[re.Match[str]]  # named summits and conferences in the clause
    date_mention: dates.DateMention | None
    date_value: str | None
    status: str
    location: PlaceRef | None
    evidence: str  # the whole sentence, whitespace collapsed
    sentence_start: int
    org_session: bool  # a session of an organisation ("the Security Council will meet")
    only_visit: bool  # the only meeting word is a visit word
    kind: str

    def side_of(self, ctx: Context) -> Callable[[str], str | None]:
        """A person's side in this clause: stated by the text, else inferred."""
        return lambda name: ctx.side(name) or self.inferred.get(name)


def read_clause(  # noqa: C901 - a sequence of small, named rule steps
    ctx: Context,
    span: tuple[int, int],
    sentence_span: tuple[int, int],
    last_subject: str | None,
    leading: dates.DateMention | None,
    previous_names: list[str],
) -> tuple[Reading | None, list[str]]:
    """The clause's reading (None without a real meeting word) and the people it names."""
    start, end = span
    clause = ctx.text[start:end]
    trigger = first_trigger(ctx, clause, start)
    names = _people_in(ctx, start, end)
    if trigger is None or NEGATIVE.search(clause) or guessed(clause):
        return None, names
    reporting = REPORTING.search(clause)
    if reporting and reporting.end() < trigger.start():
        start, clause = start + reporting.end(), clause[reporting.end() :]
        trigger = first_trigger(ctx, clause, start)
        if trigger is None:
            return None, names
        names = _people_in(ctx, start, end)
    owned = owned_call(ctx, clause, start, trigger.start())
    if owned is not None:  # "a report praising Kiptoo's call with Soto": that phrase only
        start, end = owned
        clause = ctx.text[start:end]
        trigger = first_trigger(ctx, clause, start)
        if trigger is None:
            return None, names
        names = _people_in(ctx, start, end)
    evidence = " ".join(ctx.text[sentence_span[0] : sentence_span[1]].split())
    for name in _described(ctx, clause, start):
        if name not in names:
            names.insert(0, name)
    if not names and _THE_TWO.search(clause[: trigger.start()]):
        names = _last_pair(ctx, start)  # "The two leaders spoke by phone": the pair just named
    named_before = any(m.name in names for m in ctx.mentions_in(start, start + trigger.start()))
    pronoun = not named_before and PRONOUN_BEFORE.search(clause[: trigger.start()])
    subject = (
        previous_names[0]
        if previous_names and re.match(r"\s*(?:his|her)\b", clause, re.I)
        else last_subject
    )
    if pronoun and subject and subject not in names:
        names.insert(0, subject)
    shared_subject = bool(previous_names and SHARED_SUBJECT.match(clause))
    if shared_subject and previous_names[0] not in names:
        names.insert(0, previous_names[0])  # "... and meet B": the same subject meets B
    tense = tense_of(clause, trigger.start())
    events = list(EVENT.finditer(clause))
    sides: list[str] = []
    entourage = _ENTOURAGE.search(clause[: trigger.start()])
    if entourage and names:  # "X, joined by her fisheries and energy ministers, who are to"
        leader_side = ctx.side(names[0])
        names = _ministers_of(ctx, leader_side, entourage.group(1))
        sides = [leader_side] if leader_side else []
    for name in names:
        side = ctx.side(name)
        if side and side not in sides:
            sides.append(side)
    # "X, who spoke after his talks with Y" borrows Y; "X will see A and meet B" borrows only
    # A's side (B is most likely of it), not A, who is not said to be at the second meeting.
    if len(sides) < 2 and previous_names:
        for name in previous_names:
            side = ctx.side(name)
            if side and side not in sides and name not in names:
                if not shared_subject:
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
        sides.append(ctx.dateline[1])  # "negotiated with the government" under a Quito dateline
    if len(sides) < 2 and BOTH_COUNTRIES.search(clause):
        countries = [s for s in ctx.recent_sides if s not in gazetteer().organisations]
        for side in countries[-2:]:
            if side not in sides:
                sides.append(side)
    inferred = _infer_sides(ctx, clause, names)
    for name in names:
        side = inferred.get(name)
        if side and side not in sides:
            sides.append(side)

    mention = _pick_date(clause, dates_in(ctx, start, end, tense), trigger.start())
    if mention is None and leading is not None and leading.start + sentence_span[0] < start:
        mention = leading
    date_value = mention.value if mention else None
    if mention and mention.kind == "weekday" and date_value is None:
        weekday = dates.WEEKDAYS[re.search(dates._WEEKDAY, mention.text).group(0).lower()]
        date_value = ctx.full_dates.get(weekday)
    status = status_of(clause, tense, mention, date_value, ctx.anchor)
    location = location_in(clause, trigger.start())
    if location is None and names and _RESIDENCE.search(clause):
        location = _residence_city(ctx, names, inferred)
    if location:
        location = (location[0], ctx.country(location[1]))
    if mention is None and location is None and prospect(clause, trigger.start()):
        return None, names
    outside_events = clause
    for event in events:
        outside_events = outside_events.replace(event.group(0), " ")
    organisations = gazetteer().organisations
    org_session = [s for s in all_sides(outside_events) if s in organisations]
    if "United Nations Security Council" in org_session and "United Nations" in org_session:
        org_session.remove("United Nations")
    # "the G20's foreign ministers gathered", "EU ministers met": the body's members, unnamed
    members_met = not names and _MEMBERS_MET.search(clause)
    is_org_session = bool(org_session) and (
        re.search(r"\b(?:meet|meets|meeting|meetings|session|summit)\b", clause, re.I)
        or members_met
    )
    if is_org_session and not sides:  # "the sessions of the WHO and the WTO"
        sides += org_session
    elif is_org_session and len(sides) < 2 and org_session[0] not in sides:
        sides.append(org_session[0])
    # A clause whose only meeting word is a visit word reports a visit, not a meeting
    # (a visit to a leader's grave is not a meeting with the leader).
    only_visit = not ENCOUNTER.search(clause)

    def side_of_person(name: str) -> str | None:
        return ctx.side(name) or inferred.get(name)

    reading = Reading(
        start=start,
        clause=clause,
        trigger=trigger.start(),
        names=names,
        sides=sides,
        inferred=inferred,
        tense=tense,
        events=events,
        date_mention=mention,
        date_value=date_value,
        status=status,
        location=location,
        evidence=evidence,
        sentence_start=sentence_span[0],
        org_session=bool(is_org_session),
        only_visit=only_visit,
        kind=(
            "call"
            if trigger.group(0).lower() == "called"
            else _kind(clause, names, sides, ctx, side_of_person)
        ),
    )
    return reading, names


_MEMBERS_MET = re.compile(
    r"\b(?:ministers|leaders|heads of (?:state|government)|member states|members|delegates|"
    r"representatives|envoys)\b[^.;]{0,60}?\b(?:met|gather(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)


# A leader's ministers who hold talks of their own: "X will be joined by her finance and
# energy ministers, who will meet their Peruvian counterparts".
_ENTOURAGE = re.compile(
    r"\b(?:accompanied|joined) by (?:his|her|their) "
    r"((?:[\w-]+,\s+){0,8}[\w-]+(?:,?\s+and\s+[\w-]+)?)"
    r"\s+ministers,?\s+who\b",
    re.IGNORECASE,
)


def _ministers_of(ctx: Context, side: str | None, portfolios: str) -> list[str]:
    """The article's named ministers of ``side`` for the listed portfolios ("oil, trade")."""
    words = [w for w in re.findall(r"[\w-]+", portfolios.lower()) if w != "and"]
    found = []
    for name, person in ctx.people.items():
        if not person.official or side is None or ctx.side(name) != side:
            continue
        titles = " ".join(person.roles).lower()
        if any(re.search(rf"\b{re.escape(w)}\b[\w\s-]{{0,20}}\bminister", titles) for w in words):
            found.append(name)
    return found


# "The two leaders", "both ministers": the pair the text has just named.
_THE_TWO = re.compile(
    r"\b(?:the two|both)\s+(?:[\w-]+\s+){0,2}?(?:leaders|ministers|presidents|premiers|"
    r"prime ministers|heads of state|heads of government|officials|diplomats|envoys|men|women|"
    r"counterparts|monarchs|secretaries|chancellors)\b",
    re.IGNORECASE,
)
# How far back "the two leaders" looks for the pair (characters, about two sentences).
PAIR_LOOKBACK = 400


def _last_pair(ctx: Context, start: int) -> list[str]:
    """The last two people named before ``start``, when they are of two different sides."""
    pair: list[str] = []
    for mention in reversed(ctx.mentions_in(max(0, start - PAIR_LOOKBACK), start)):
        if mention.name and mention.name not in pair and ctx.people[mention.name].official:
            pair.insert(0, mention.name)
            if len(pair) == 2:
                break
    sides = {ctx.side(n) for n in pair}
    return pair if len(pair) == 2 and None not in sides and len(sides) == 2 else []


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


def status_of(
    clause: str,
    tense: str | None,
    mention: dates.DateMention | None,
    value: str | None,
    anchor: date | None,
) -> str:
    """held, planned or mentioned (GUIDE §4) from the clause's tense and date."""
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
