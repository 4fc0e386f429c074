"""Rules that turn an article into meeting candidates, one clause at a time.

A clause with a meeting word (met, talks, summit, visit, call, ...) whose people and groups
belong to two or more sides is a meeting candidate; ``clauses.read_clause`` reads the clause
(people, sides, date, place, status, kind), with the article's date or wire dateline as the
anchor for relative dates, and this module builds the candidates from that reading.
``dedupe.merge_candidates`` and the passes in ``digest.meetings`` then make one record per
real meeting.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from digest.meetings import dates
from digest.meetings.budget import Budget
from digest.meetings.clauses import Reading, read_clause, status_of
from digest.meetings.context import Candidate, Context, dates_in
from digest.meetings.cues import FUTURE, QUOTE, continuing, split_clauses, tense_of
from digest.meetings.gazetteer import gazetteer, place_of
from digest.meetings.names import find_mentions, resolve
from digest.meetings.places import (
    PlaceRef,
    all_sides,
    historical,
    location_in,
    place_at,
)
from digest.meetings.represented import (
    REACH,
    add_representatives,
    representatives,
    represented_meeting,
)
from digest.meetings.sides import event_sides
from digest.meetings.visits import gapped, split_gapped, visit_candidates
from digest.models import Article
from digest.sentences import split_sentences

__all__ = ["Candidate", "Context", "extract_candidates", "separate_meetings"]

_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z .'-]{1,40}?)\s*"
    r"(?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})"
    r"|\s*\((?:AFP|AP|Reuters|Xinhua|UPI|dpa|Kyodo)\))\s*[-–—]",
    re.MULTILINE,
)
_ABBREVIATION_END = re.compile(
    r"\b(?:Sens?|Gov|Reps?|Gen|Lt|Col|Capt|Sgt|St|Dr|Mr|Mrs|Ms|Prof|Adm|Cmdr|Maj|No)\.$"
)


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
    visit_dated: tuple[str, str] | None = None  # the date of the last dated visit mentioned
    pending: tuple[int, Reading] | None = None  # the last meeting mention without parties
    represented: tuple[int, Candidate] | None = None  # the meeting representatives joined
    context.spans = sentence_spans(read)
    for index, (start, end, paragraph) in enumerate(context.spans):
        if (budget.spent_at is not None and start >= budget.spent_at) or budget.exhausted(
            start, SENTENCES_SHARE
        ):
            break  # names were not looked for beyond this point, or time is up
        sentence = text[start:end]
        if _is_furniture(sentence):
            continue
        sentence_dates = dates_in(context, start, end, tense_of(sentence))
        leading = sentence_dates[0] if sentence_dates and sentence_dates[0].start < 12 else None
        found: list[Candidate] = []
        previous_names: list[str] = []
        unparted: Reading | None = None  # a meeting word that named no parties
        for clause_start, clause_end in split_clauses(sentence):
            reading, previous_names = read_clause(
                context,
                (start + clause_start, start + clause_end),
                (start, end),
                last_subject,
                leading,
                previous_names,
            )
            if reading is None:
                continue
            from_clause = _candidates(context, reading)
            if not from_clause and not reading.only_visit:
                unparted = reading
            found += from_clause
            for name, side in reading.inferred.items():
                context.inferred_sides.setdefault(name, side)
        if any(len(c.participants) >= 3 for c in found):
            around = range(max(0, index - 2), min(len(context.spans), index + 2))
            nearby = " ".join(
                text[context.spans[i][0] : context.spans[i][1]] for i in around if i != index
            )
            found = _split_by_neighbours(found, nearby, context.side)
        for candidate in found:  # "talks with X during the visit": the visit's date
            if candidate.date_text is None and visit_dated and _DURING_VISIT.search(sentence):
                candidate.date, candidate.date_text = visit_dated
        if _A_VISIT.search(sentence) and sentence_dates and sentence_dates[0].value:
            visit_dated = (sentence_dates[0].value, sentence_dates[0].text.strip().rstrip(".,"))
        if found:
            if not sentence_dates and previous_dated and previous_dated[0] == paragraph:
                for candidate in found:
                    if candidate.date_text is None and candidate.status != "planned":
                        candidate.date, candidate.date_text = previous_dated[1], previous_dated[2]
                        candidate.status = previous_dated[3]
            dated = [c for c in found if c.date_text]
            if dated:
                previous_dated = (paragraph, dated[0].date, dated[0].date_text, dated[0].status)
        reps = [] if found else representatives(context, start, end)
        if reps and represented is not None and represented[0] == index - 1:
            add_representatives(represented[1], context, reps)
            represented = (index, represented[1])
        elif reps and pending is not None and index - pending[0] <= REACH:
            meeting = represented_meeting(context, pending[1], reps)
            if meeting is not None:
                at = bisect_right([c.position for c in candidates], meeting.position)
                candidates.insert(at, meeting)
                represented, pending = (index, meeting), None
        if unparted is not None and not found:
            # A chain of mentions, each within reach of the last, goes on about the first.
            going_on = pending is not None and index - pending[0] <= REACH
            pending = (index, pending[1] if going_on else unparted)
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


# A meeting placed in a visit by reference: "will meet the king during the visit".
_DURING_VISIT = re.compile(
    r"\bduring (?:the|his|her|their|this|that) (?:[\w-]+ ){0,2}(?:visit|trip|stay|tour)\b",
    re.IGNORECASE,
)
_A_VISIT = re.compile(r"\b(?:visit|trip|tour)\b", re.IGNORECASE)


def _candidates(ctx: Context, reading: Reading) -> list[Candidate]:
    """The candidates one clause reading gives: visits, the meeting, named events."""
    side_of_person = reading.side_of(ctx)
    mention = reading.date_mention
    base = {
        "status": reading.status,
        "evidence": reading.evidence,
        "position": reading.start + reading.trigger,
        "date": reading.date_value,
        "date_text": mention.text.strip().rstrip(".,") if mention else None,
        "explicit_date": mention is not None,
    }
    clause, start, names, sides = reading.clause, reading.start, reading.names, reading.sides
    results = visit_candidates(ctx, side_of_person, (clause, start), names, base)
    for visit in results:  # a visitor's side found by the visit rule replaces a guess
        for name in visit.participants:
            if ctx.side(name) is None and visit.sides[0] != reading.inferred.get(name):
                reading.inferred[name] = visit.sides[0]
    if (len(sides) >= 2 or reading.org_session) and not reading.only_visit:
        ongoing, ends = continuing(clause, reading.status)
        meeting = Candidate(
            participants=names,
            sides=list(sides),
            kind=reading.kind,
            location=reading.location,
            ongoing=ongoing and reading.kind in ("talks", "consultation", "other"),
            ends=ends,
            **base,
        )
        apart = gapped(ctx, clause, start, names, base, reading.tense or "past")
        if len(names) >= 3 and apart:  # "met A on Monday and B on Tuesday": two occasions
            results += split_gapped(meeting, apart, side_of_person)
        else:
            results += separate_meetings(meeting, clause, side_of_person) or [meeting]
    results += _event_candidates(
        ctx,
        clause,
        (start, reading.sentence_start),
        reading.events,
        (names, sides, side_of_person),
        base,
    )
    return results


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

    "X will meet A, B and C." next to "Each of these bilateral sessions comes before the
    joint meeting": one record per counterpart, and the group's own meeting stays when those
    sentences name one.
    """
    if not SEPARATELY.search(nearby):
        return found
    group = _GROUP_MEETING.search(SEPARATELY.sub(" ", nearby)) is not None
    out: list[Candidate] = []
    for candidate in found:
        split = separate_meetings(candidate, nearby, side_of)
        out += split + ([candidate] if group or not split else [])
    return out


_ATTENDS = re.compile(r"\battend(?:s|ed|ing)?\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


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
        # "an international conference on X" is an event by its nature (GUIDE §3)
        international = name.lower().startswith("international conference")
        if (
            not re.search(r"[A-Z]", event.group("name") + tail)
            and not event_sides(name)
            and not international
        ):
            continue
        own_sides = [ctx.country(s) for s in event_sides(name)]
        organisations = gazetteer().organisations
        if noun.lower() == "conference" and not (
            set(own_sides) & organisations or len(own_sides) >= 2 or international
        ):
            continue
        window_start = max(0, event.start() - 40)
        window = clause[window_start : event.end() + 40]
        sentence_before = ctx.text[
            max(sentence_start, start + event.start() - 70) : start + event.start()
        ]
        tense = (
            "future"
            if FUTURE.search(QUOTE.sub(" ", sentence_before))
            else tense_of(window, event.start() - window_start)
        )
        found = dates_in(ctx, start + window_start, start + event.end() + 40, tense)
        after = [m for m in found if m.start >= event.end() - window_start]
        mention = after[0] if after else None
        value = mention.value if mention else None
        status = status_of(window, tense, mention, value, ctx.anchor)
        year = event.group("year")
        if mention is None and year:  # "the 2019 Lima Summit"
            value = year
            if ctx.anchor is None or int(year) < ctx.anchor.year:
                status = "mentioned"
        place = location_in(clause[event.start() :], 0)
        if place is None:
            found_place = place_at(event.group("name"))  # "the Lima Summit"
            place = found_place[1] if found_place else None
        # an unnamed international conference needs its sides: the clause's, or those of
        # the meeting on its sidelines
        sided = len(sides) >= 2 or re.search(r"\b(?:sidelines?|margins?) of\b", clause)
        if not own_sides and (place is None or international) and not (international and sided):
            continue
        leaders = [n for n in names if ctx.people[n].is_leader]
        leaders = leaders if len({side_of(n) for n in leaders}) >= 2 else []
        if _ATTENDS.search(clause[: event.start()]):  # "X will attend the G20 summit"
            leaders = list(names)
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
