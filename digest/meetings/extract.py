"""Rules that turn an article into meeting candidates, one clause at a time.

A clause with a meeting word (met, talks, summit, visit, call, ...) whose people and groups
belong to two or more sides is a meeting candidate; its date, place, status and kind come
from the same clause, with the article's date or wire dateline as the anchor for relative
dates. ``dedupe.merge_candidates`` then makes one record per real meeting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from digest.meetings import dates
from digest.meetings.gazetteer import gazetteer, place_of, side_of
from digest.meetings.names import Mention, Person, find_mentions, resolve
from digest.models import Article
from digest.sentences import split_sentences

TRIGGER = re.compile(
    r"\b(?:met|meet|meets|meeting|meetings|talks|held discussions|discussions with|"
    r"discussed with|negotiations|consultations?|summit|co-chair|escorts|escorted|"
    r"greeted|received|hosted|phone call|telephone call|phoned|telephoned|"
    r"spoke by (?:phone|telephone)|telephone conversation|video call|videoconference|"
    r"visit|visits|visited|visiting|trip|stops? in|parley|conference with|"
    r"(?:will|to) see|co-chair|session)\b",
    re.IGNORECASE,
)
# Meetings that did not or may not happen, and habitual or generic contact (GUIDE §2).
NEGATIVE = re.compile(
    r"\b(?:cancel+ed|cancel|scuttled|postponed|called off|refused|rebuff\w*|declined|"
    r"could (?:help )?lay|could pave|wanted|would like|hopes? to|might|may meet|"
    r"semiannual\w*|regular(?:ly)? meetings|regular talks|multiple summits|many summits|"
    r"back and forth|agreed to (?:begin|start) (?:talks|a dialogue)|in the works|"
    r"request for|whether|rescheduling|goal of|restart\w*|resum\w+)\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(?:will|would|shall|'ll|is to|are to|to hold|to meet|due to|scheduled|expected to|"
    r"plans? to|planned|planning to|set to|going to|sets out|leaves for|next|tomorrow|"
    r"upcoming|later (?:today|this|in)|begins?|ahead)\b",
    re.IGNORECASE,
)
PAST_BACKGROUND = re.compile(
    r"\b(?:last (?:year|month|November|December|January|February|March|April|May|June|July|"
    r"August|September|October)|ago|previous|earlier meeting|after stops|after (?:a )?visit|"
    r"in (?:19|20)\d\d|consensus reached|during their (?:meeting|summit))\b",
    re.IGNORECASE,
)
CALL = re.compile(r"\b(?:phone|telephone|video ?call|videoconference|video link)\b", re.I)
CONSULTATION = re.compile(
    r"\b(?:consultations?|(?:first|second|third|fourth|fifth|\w+th|\d+(?:st|nd|rd|th)|new|"
    r"latest) round|strategic dialogue|economic dialogue)\b",
    re.IGNORECASE,
)
OTHER_KIND = re.compile(
    r"\b(?:security council|joint (?:news|press) conference|conference on|"
    r"international conference|ministerial)\b",
    re.IGNORECASE,
)
VISIT = re.compile(
    r"\b(?:(?:state |official |secret |surprise )?visit(?:ed|s|ing)?(?: to)?|trip to|"
    r"stops? in|tour of|take (?:him|her|them) to)\s+",
    re.IGNORECASE,
)
GROUP_NOUNS = (
    r"officials?|delegations?|diplomats?|negotiators?|leaders?|ministers?|counterparts?|"
    r"team|side|government|authorities|envoys?|representatives"
)
REPORTING = re.compile(
    r"\b(?:said|says|told [^,.]{0,40}?|comments? by [^,.]{0,40}?|announced|added|reported)"
    r"(?: on \w+)?\s+that\b",
    re.IGNORECASE,
)
SEPARATORS = re.compile(r";|,? while |,? whereas ", re.IGNORECASE)
SEPARATE_BEFORE = re.compile(r"\b(?:after|before|following|since|ahead of)\b", re.IGNORECASE)
EVENT = re.compile(
    r"\b(?:the|a|an)\s+(?P<name>(?:[A-Z][\w.'’-]*\s+){0,5}?(?:\([A-Z0-9-]+\)\s+)?)"
    r"(?P<noun>summit|[Ss]ummit|conference|Conference)"
    r"(?P<tail>\s+of\s+(?:[A-Z]\w+\s+)?(?:leaders|industriali[sz]ed nations))?"
)
_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z .'-]{1,40}?)\s*(?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})"  # noqa: E501
    r"|\s*\((?:AFP|AP|Reuters|Xinhua|UPI|dpa|Kyodo)\))\s*[-–—]",
    re.MULTILINE,
)


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
    location: tuple[str | None, str] | None = None
    event: str | None = None  # the named summit/conference, for event records
    visit_host: str | None = None
    topics: list[str] = field(default_factory=list)
    explicit_date: bool = False


@dataclass
class Context:
    """What every clause of one article needs to know."""

    text: str
    anchor: date | None
    dateline: tuple[str | None, str] | None
    people: dict[str, Person]
    mentions: list[Mention]
    full_dates: dict[int, str]  # weekday -> ISO date of an explicit "Friday, April 26, 2024"


def article_anchor(article: Article) -> tuple[date | None, tuple[str | None, str] | None]:
    """The date relative expressions resolve against, and the dateline place if any.

    Wire copy resolves against its dateline date (GUIDE §6); otherwise the publication date.
    """
    published = article.published.date() if article.published else None
    head = article.body[:400]
    match = _DATELINE.search(head)
    if not match or match.start() > 200:
        return published, None
    place = place_of(match.group("city").strip().title()) or place_of(match.group("city"))
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
                return date(year, month, int(match.group("day"))), where
            except ValueError:
                pass
    return published, where


def _sentence_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of each sentence, as offsets into ``text``."""
    spans = []
    position = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:
            continue
        end = start + len(sentence)
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


def extract_candidates(article: Article) -> tuple[list[Candidate], Context]:
    """Every meeting candidate in the article, in text order, and the shared context."""
    text = article.body
    anchor, dateline = article_anchor(article)
    mentions = find_mentions(text)
    people = resolve(mentions)
    full_dates: dict[int, str] = {}
    for mention in dates.find_dates(text, None):
        if (
            mention.kind == "full"
            and mention.value
            and re.match(r"(?:on\s+)?[A-Z][a-z]+day", mention.text, re.I)
        ):
            full_dates.setdefault(date.fromisoformat(mention.value).weekday(), mention.value)
    context = Context(text, anchor, dateline, people, mentions, full_dates)
    candidates: list[Candidate] = []
    last_subject: str | None = None
    previous_dated: tuple[int, str | None, str | None, str] | None = None
    for start, end, paragraph in _sentence_spans(text):
        sentence = text[start:end]
        named = [m for m in mentions if start <= m.start < end and m.name]
        if _is_furniture(sentence):
            continue
        sentence_dates = dates.find_dates(sentence, anchor, _tense(sentence))
        leading = sentence_dates[0] if sentence_dates and sentence_dates[0].start < 12 else None
        found: list[Candidate] = []
        for clause_start, clause_end in _clauses(sentence):
            found += _clause_candidates(
                context, start + clause_start, start + clause_end, start, end, last_subject, leading
            )
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
        officials = [m.name for m in named if people[m.name].official]
        if officials:
            last_subject = officials[0]
    return candidates, context


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for match in SEPARATORS.finditer(sentence):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(sentence)))
    return [(s, e) for s, e in spans if e - s > 3]


_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")
FUTURE_AFTER = re.compile(
    r"\b(?:scheduled|due to|set for|to be held|planned for|is to|are to|will)\b", re.I
)


def _tense(clause: str, trigger: int | None = None) -> str | None:
    """Future when a future cue governs the meeting word, else past."""
    if trigger is None:
        return "future" if FUTURE.search(_QUOTE.sub(" ", clause)) else "past"
    before = _QUOTE.sub(" ", clause[max(0, trigger - 70) : trigger])
    after = _QUOTE.sub(" ", clause[trigger : trigger + 50])
    if FUTURE.search(before) or FUTURE_AFTER.search(after):
        return "future"
    return "past"


def _clause_candidates(  # noqa: C901 - a sequence of small, named rule steps
    ctx: Context,
    start: int,
    end: int,
    sentence_start: int,
    sentence_end: int,
    last_subject: str | None,
    leading: dates.DateMention | None,
) -> list[Candidate]:
    clause = ctx.text[start:end]
    trigger = TRIGGER.search(clause)
    if trigger is None or NEGATIVE.search(clause):
        return []
    reporting = REPORTING.search(clause)
    if reporting and reporting.end() < trigger.start():
        start, clause = start + reporting.end(), clause[reporting.end() :]
        trigger = TRIGGER.search(clause)
        if trigger is None:
            return []
    evidence = " ".join(ctx.text[sentence_start:sentence_end].split())
    names: list[str] = []
    for mention in ctx.mentions:
        if start <= mention.start < end and mention.name and mention.name not in names:
            person = ctx.people[mention.name]
            if person.official and (person.side or person.roles):
                names.append(mention.name)
    if re.match(r"\s*(?:He|She)\b", clause) and last_subject and last_subject not in names:
        names.insert(0, last_subject)
    tense = _tense(clause, trigger.start())
    group_sides = _group_sides(clause)
    sides: list[str] = []
    for name in names:
        side = ctx.people[name].side
        if side and side not in sides:
            sides.append(side)
    for side in group_sides:
        if side not in sides:
            sides.append(side)
    # People with no stated side take the one side of the clause nobody else holds.
    unsided = [n for n in names if not ctx.people[n].side]
    if unsided:
        taken = {ctx.people[n].side for n in names}
        free = [s for s in _all_sides(clause) if s not in taken]
        if len(free) == 1 and len(unsided) == 1:
            ctx.people[unsided[0]].side = free[0]
            sides.append(free[0])
        elif ctx.dateline and len(unsided) >= 1 and ctx.dateline[1] not in taken:
            for name in unsided:
                ctx.people[name].side = ctx.dateline[1]
            sides.append(ctx.dateline[1])
    clause_dates = dates.find_dates(clause, ctx.anchor, tense)
    mention = _pick_date(clause, clause_dates, trigger.start())
    if mention is None and leading is not None and leading.start + sentence_start < start:
        mention = leading
    date_value = mention.value if mention else None
    if mention and mention.kind == "weekday" and date_value is None:
        weekday = dates.WEEKDAYS[re.search(dates._WEEKDAY, mention.text).group(0).lower()]
        date_value = ctx.full_dates.get(weekday)
    status = _status(clause, tense, mention, date_value, ctx.anchor)
    location = _location(clause, trigger.start())
    results: list[Candidate] = []
    base = {
        "status": status,
        "evidence": evidence,
        "position": start + trigger.start(),
        "date": date_value,
        "date_text": mention.text.strip() if mention else None,
        "explicit_date": mention is not None,
    }
    visits = _visits(clause, names, ctx)
    for host, place in visits:
        visitor_sides = [ctx.people[n].side for n in names if ctx.people[n].side]
        if host in visitor_sides[:1]:
            continue
        results.append(
            Candidate(
                participants=names[:1],
                sides=[*visitor_sides[:1], host],
                kind="visit",
                location=place,
                visit_host=host,
                **base,
            )
        )
    meeting_sides = [s for s in sides if s]
    is_org_session = any(s in gazetteer().organisations for s in meeting_sides) and re.search(
        r"\b(?:meet|meets|session|summit)\b", clause, re.I
    )
    non_visit = TRIGGER.sub("", VISIT.sub("", clause)) != clause or not visits
    meets = not visits or re.search(r"\b(?:met|meet|meets|talks|discussions|summit|call)\b", clause)
    if (len(meeting_sides) >= 2 or is_org_session) and (non_visit or not visits) and meets:
        results.append(
            Candidate(
                participants=names,
                sides=meeting_sides,
                kind=_kind(clause, names, meeting_sides, ctx),
                location=location,
                **base,
            )
        )
    for event in EVENT.finditer(clause):
        name = (event.group("name") + event.group("noun") + (event.group("tail") or "")).strip()
        if not re.search(r"[A-Z]", event.group("name") + (event.group("tail") or "")):
            continue
        event_sides = _event_sides(name)
        participants = [n for n in names if ctx.people[n].is_leader] if results else []
        results.append(
            Candidate(
                participants=participants,
                sides=event_sides + [s for s in meeting_sides if s not in event_sides],
                kind="summit"
                if "summit" in name.lower() and "minister" not in clause.lower()
                else "other",
                location=_location(clause[event.start() :], 0) or location,
                event=name,
                **{**base, "date": None, "date_text": None, "explicit_date": False},
            )
        )
    return results


def _pick_date(
    clause: str, found: list[dates.DateMention], trigger: int
) -> dates.DateMention | None:
    usable = []
    for mention in found:
        low, high = sorted((mention.start, trigger))
        coarse = mention.kind in ("month_year", "year", "rel_month", "month", "yearrel")
        if SEPARATE_BEFORE.search(clause[low:high]) and mention.start < trigger and not coarse:
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
    ahead = value is None or anchor is None or value >= anchor.isoformat()[: len(value)]
    if tense == "future" and not (mention and mention.past_cue) and ahead:
        return "planned"
    if mention and mention.future_cue:
        return "planned"
    if anchor is None and mention and mention.kind in ("month_year", "year", "rel_month"):
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


def _kind(clause: str, names: list[str], sides: list[str], ctx: Context) -> str:
    if CALL.search(clause):
        return "call"
    leader_sides = {ctx.people[n].side for n in names if ctx.people[n].is_leader}
    if len(leader_sides) >= 2:
        return "summit"
    if CONSULTATION.search(clause):
        return "consultation"
    if re.search(r"\bjoint (?:news|press) conference\b", clause, re.I) or (
        not names
        and (
            OTHER_KIND.search(clause)
            or set(sides) & {"UN Security Council", "International Monetary Fund", "World Bank"}
        )
    ):
        return "other"
    return "talks"


_PLACE_RUN = re.compile(r"[A-Z][\w.'’-]*(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w.'’-]*)*")


def _places_in(text: str) -> list[tuple[int, tuple[str | None, str]]]:
    found = []
    for run in _PLACE_RUN.finditer(text):
        words = run.group(0).split()
        # Try the whole run, then shorter prefixes ("Washington D.C." -> "Washington").
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size]).rstrip(".,")
            place = place_of(phrase)
            if place is not None and (size == len(words) or size >= 1):
                if size < len(words) and side_of(" ".join(words)) is None and len(words) > 2:
                    pass
                found.append((run.start(), (place.city, place.country)))
                break
    return found


def _location(clause: str, trigger: int) -> tuple[str | None, str] | None:
    """Where the clause says the meeting is: 'in/at <place>' or 'capital, <city>'."""
    best = None
    for match in re.finditer(
        r"\b(?:in|at|to)\s+(?:the\s+)?(?:[A-Z][a-z]+\s+capital,?\s+)?(?=[A-Z])", clause
    ):
        if clause[max(0, match.start() - 12) : match.start()].lower().strip().endswith("from"):
            continue
        tail = clause[match.end() : match.end() + 60]
        places = _places_in(tail)
        if not places or places[0][0] != 0:
            continue
        run = _PLACE_RUN.match(tail)
        if run and _is_sea_or_region(run.group(0)):
            continue
        place = places[0][1]
        if re.match(r"[^,;]{0,30}?\s+or\s+[A-Z]", tail[len(run.group(0)) if run else 0 :]):
            continue
        # "in Beijing, China" / "in Bali, Indonesia": the city is enough.
        candidate = (match.start(), place)
        if best is None or (best[0] < trigger <= candidate[0] and best[1][0] is None):
            best = candidate if best is None or place[0] or best[1][0] is None else best
    return best[1] if best else None


def _is_sea_or_region(phrase: str) -> bool:
    return bool(re.search(r"\b(?:Sea|Strait|Gulf|Ocean|Peninsula|Region|Province)\b", phrase))


def _visits(
    clause: str, names: list[str], ctx: Context
) -> list[tuple[str, tuple[str | None, str]]]:
    """(host country, place) for each place the clause says someone visits."""
    out: list[tuple[str, tuple[str | None, str]]] = []
    for match in VISIT.finditer(clause):
        tail = clause[match.end() : match.end() + 80]
        tail = re.split(r"[;:]|\bby\b|\bwhile\b|\bwhere\b|\bon\b|\bin (?=[a-z])", tail)[0]
        for _, place in _places_in(tail):
            country = place[1]
            if country in gazetteer().organisations:
                continue
            if not any(h == country for h, _ in out):
                out.append((country, place))
    return out


def _all_sides(clause: str) -> list[str]:
    found: list[str] = []
    for run in re.finditer(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*", clause):
        words = run.group(0).split()
        i = 0
        while i < len(words):
            for size in range(min(4, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + size])
                side = side_of(phrase)
                if side:
                    if side not in found:
                        found.append(side)
                    i += size - 1
                    break
            i += 1
        for piece in re.findall(r"[A-Z][\w.]*(?=-)|(?<=-)[A-Z][\w.]*", run.group(0)):
            side = side_of(piece) or {"Sino": "China", "Franco": "France"}.get(piece)
            if side and side not in found:
                found.append(side)
    return found


def _group_sides(clause: str) -> list[str]:
    """Sides named as groups: "Chinese officials", "officials from China and the US", "US-China"."""
    sides: list[str] = []

    def add(word: str) -> None:
        side = side_of(word) or {"sino": "China", "franco": "France"}.get(word.lower())
        if side and side not in sides:
            sides.append(side)

    adjective = r"([A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*)?)"
    for match in re.finditer(
        rf"{adjective}(?:\s+and\s+{adjective})?\s+(?:\w+\s+){{0,2}}?(?:{GROUP_NOUNS})\b", clause
    ):
        for group in match.groups():
            if group:
                add(group)
                for word in group.split():
                    add(word)
    for match in re.finditer(
        r"\b(?:between|from|with)\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)\s+and\s+(?:the\s+)?"
        r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)",
        clause,
    ):
        add(match.group(1))
        add(match.group(2))
    for match in re.finditer(
        r"^\s*(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s+and\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s+(?:are|will|to|have|had|held|agreed|were)\b",  # noqa: E501
        clause,
    ):
        add(match.group(1))
        add(match.group(2))
    for match in re.finditer(
        r"\b([A-Z][\w.]*)-([A-Z][\w.]*)\s+(?:\w+\s+)?(?:talks|summit|meeting|consultations?|"
        r"dialogue|parley|negotiations)\b",
        clause,
    ):
        add(match.group(1))
        add(match.group(2))
    for match in re.finditer(
        r"\b([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?:'s|’s)\s+(?:\w+\s+)?talks\s+with\s+(?:the\s+)?"
        r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)(?:\s+and\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*))?",  # noqa: E501
        clause,
    ):
        for group in match.groups():
            if group:
                add(group.split(" (")[0])
    return sides


def _event_sides(name: str) -> list[str]:
    sides: list[str] = []
    for match in re.finditer(r"\(([A-Z0-9-]+)\)|\b([A-Z][\w-]*)\b", name):
        side = side_of(match.group(1) or match.group(2))
        if side and side not in sides:
            sides.append(side)
    whole = side_of(re.sub(r"\s*\([^)]*\)|\s+(?:summit|conference)$", "", name, flags=re.I))
    if whole and whole not in sides:
        sides.insert(0, whole)
    return sides
