"""Where a meeting is, and where a visit goes: place names in a clause, via the gazetteer."""

from __future__ import annotations

import re

from digest.meetings.gazetteer import gazetteer, place_of, side_of, stopwords

PlaceRef = tuple[str | None, str]  # (city or None, country)

_PLACE_RUN = re.compile(r"[A-Z][\w.'’-]*(?:[ \t]+(?:of[ \t]+the[ \t]+|of[ \t]+)?[A-Z][\w.'’-]*)*")
_NOT_A_VENUE = re.compile(r"\b(?:Sea|Strait|Gulf|Ocean|Peninsula|Region|Province|Straits)\b")
# Visits to these are sightseeing or a visit to one's own people, not a visit (GUIDE §3).
_NOT_VISITED = re.compile(
    r"\b(?:shrine|tomb|temple|grave|memorial|museum|prison|base|troops|forces|factory|"
    r"plant|school|hospital|church|mosque|cathedral)\b",
    re.IGNORECASE,
)
VISIT = re.compile(
    r"\b(?:(?:state |official |secret |surprise |working )?visit(?:ed|s|ing)?(?: to)?|"
    r"trip to|mission to|stops? in|tour of|went to|travell?ed to|"
    r"(?:will |to |would )?travel to|travels to|travell?ing to|(?:flew|flies|fly) to|"
    r"(?:envoy|envoys|delegation|emissary) to)\s+",
    re.IGNORECASE,
)


def historical(country: str, year: int | None) -> str:
    """The side's name at the time: Moscow in 1987 is in the Soviet Union (general knowledge)."""
    if year is not None and year < 1992 and country in ("Russia", "Ukraine", "Belarus"):
        return "Soviet Union"
    if year is not None and year < 1990 and country == "Germany":
        return "West Germany"
    if year is not None and year < 1993 and country == "European Union":
        return "European Community"  # the EU's name until the Maastricht treaty (1993)
    return country


def place_at(text: str) -> tuple[int, PlaceRef] | None:
    """The place named by the capitalised run at the start of ``text``, with the run's length."""
    run = _PLACE_RUN.match(text)
    if not run:
        return None
    words = run.group(0).split()
    if _NOT_A_VENUE.search(run.group(0)):
        return None
    qualified = _qualified(text, run.end())
    if qualified is not None:
        return qualified
    for size in range(len(words), 0, -1):
        phrase = " ".join(words[:size]).rstrip(".,")
        place = place_of(phrase)
        if place is not None:
            return len(" ".join(words[:size])), (place.city, place.country)
    return None


_COUNTRY_AFTER = re.compile(r",[ \t]+([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})")
# What may follow the country: the clause goes on with punctuation or a time or place phrase,
# not a verb or a list ("talks in Lima, Chile said", "in Lima, Chile and Bolivia").
_AFTER_COUNTRY = re.compile(
    r"\s*(?:[,.;:)!?]|$|(?:on|in|last|next|this|earlier|later|at|for|to|with)\b)"
)


def _could_be_a_town(name: str) -> bool:
    """No word of the name is a calendar, title or function word (stopwords, role words)."""
    gaz = gazetteer()
    stop = stopwords()
    return not any(
        w.lower() in stop or w.lower() in gaz.role_words or w.lower() in gaz.role_heads
        for w in name.split()
    )


def _qualified(text: str, end: int) -> tuple[int, PlaceRef] | None:
    """A place followed by its country ("<Place>, <Country>"): the place in that country.

    "in Springfield, Ruritania" is the Ruritanian place even if a larger Springfield lies
    elsewhere, and a town the gazetteer does not know is still placed in that country.
    """
    name = text[:end].rstrip(".,")
    after = _COUNTRY_AFTER.match(text, end)
    known = place_of(name)
    if after is None or (known is not None and known.city is None):
        return None  # "Chile, Peru": a list of countries
    if known is None and not _could_be_a_town(name):
        return None  # "in December, Chile ...", "to President Soto, Chile ..."
    words = after.group(1).split()
    for size in range(len(words), 0, -1):
        phrase = " ".join(words[:size]).rstrip(".")
        length = after.start(1) + len(phrase)
        country = gazetteer().sides.get(phrase.lower())
        listed = _COUNTRY_AFTER.match(text, length)  # "A, Chile, Peru and Bolivia": a list
        if listed and (gazetteer().sides.get(listed.group(1).split()[0].lower()) is not None):
            return None
        if country in gazetteer().countries and _AFTER_COUNTRY.match(text, length):
            return length, (known.city if known and known.country == country else name, country)
    return None


def location_in(clause: str, trigger: int) -> PlaceRef | None:
    """Where the clause says the meeting is: 'in/at <place>', 'capital, <city>', '<Venue> talks'.

    A place offered as one of alternatives ("in Lima or Quito") gives no location,
    and "from <place>" is where someone came from, not where they met.
    """
    best: tuple[int, PlaceRef] | None = None
    pattern = (
        r"\b(?:in|at|to)\s+(?:the\s+)?(?:[A-Z][a-z]+\s+capital,?\s+)?(?=[A-Z])|"
        r"\b(?:in|at|to|on)\s+the\s+(?:[a-z][\w-]*\s+){0,3}?(?:island|city|town|province|"
        r"region|port|capital|state)\s+of\s+(?=[A-Z])"  # "on the northern island of X"
    )
    for match in re.finditer(pattern, clause):
        if clause[max(0, match.start() - 12) : match.start()].lower().strip().endswith("from"):
            continue
        found = place_at(clause[match.end() : match.end() + 60])
        if found is None:
            continue
        length, place = found
        rest = clause[match.end() + length : match.end() + length + 40]
        if re.match(r"[^,;]{0,30}?\s+or\s+[A-Z]", rest):
            continue
        if best is None or (best[1][0] is None and place[0] is not None):
            best = (match.start(), place)
    if best is None:
        venue = re.search(
            r"\b[Tt]he\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:talks|meeting|summit)\b", clause
        )
        if venue:
            found = place_at(venue.group(1))
            if found and found[1][0] is not None:
                return found[1]
    return best[1] if best else None


# "arrived in Lima on Monday for a state visit": where a visitor arrives is the visit's place.
_ARRIVED_FOR_VISIT = re.compile(
    r"\barriv(?:ed|es|ing|e) in\s+(?=[A-Z])(?=.{0,80}\bvisit\b)", re.IGNORECASE | re.DOTALL
)


def visited_places(clause: str) -> list[tuple[int, PlaceRef]]:
    """(position of the visit word, place) for each place the clause says is visited.

    "visit to Lima, Quito and Cusco, Peru" gives two places (one per country).
    """
    out: list[tuple[int, PlaceRef]] = []
    for match in [*VISIT.finditer(clause), *_ARRIVED_FOR_VISIT.finditer(clause)]:
        tail = clause[match.end() : match.end() + 120]
        if _NOT_VISITED.search(tail[:60].split(",")[0]):
            continue
        position = 0
        hosts: set[str] = set()
        while True:
            tail_here = re.sub(r"^(?:the\s+)", "", tail[position:])
            skipped = len(tail[position:]) - len(tail_here)
            found = place_at(tail_here)
            if found is None:
                break
            length, place = found
            if place[1] not in hosts and place[1] not in gazetteer().organisations:
                hosts.add(place[1])
                out.append((match.start(), place))
            position += skipped + length
            joiner = re.match(r",?\s+and\s+|,\s+", tail[position:])
            if not joiner:
                break
            position += joiner.end()
    return out


def all_sides(clause: str) -> list[str]:
    """Every country or organisation the clause names, including "US-China" halves."""
    found: list[str] = []
    for run in re.finditer(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*", clause):
        words = run.group(0).split()
        i = 0
        while i < len(words):
            for size in range(min(4, len(words) - i), 0, -1):
                side = side_of(" ".join(words[i : i + size]))
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
