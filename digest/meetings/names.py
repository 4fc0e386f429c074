"""People in an article: capitalised-name patterns, role titles, sides, and one canonical name each.

Mentions are found over the whole body so their offsets are global; a second pass merges
spellings (a first name two letters off, "FirstLast" written as one word) and expands
surname-only mentions to the fullest form the article gives (or a well-known one from the
shipped people table, which also corrects a misspelt well-known name).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from digest.meetings.budget import Budget
from digest.meetings.gazetteer import KnownPerson, gazetteer, is_major_place, place_of, side_of
from digest.meetings.roles import HONORIFICS, STOPWORDS, clean_role, role_after, title_word
from digest.titles import TITLES

_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_TOKEN = (
    rf"(?:[{_UPPER}][{_LOWER}]+(?:[-'’](?![sS]\b)[{_UPPER}]?[{_LOWER}]+)*"
    rf"|[{_UPPER}][{_LOWER}]+[{_UPPER}][{_LOWER}]+|[{_UPPER}]\.)"
)
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_PARTICLE = r"(?:de|da|van|von|bin|al|el|del|der|la|le|dos|du)"
# A middle initial, with or without its dot ("Ana J. Soto", "Ana J Soto" in house styles that
# drop the dots), only between two name words.
_INITIAL = rf"[{_UPPER}]\.?"
_RUN = re.compile(
    rf"(?<![\w-]){_TOKEN}(?:{_GAP}(?:{_PARTICLE}{_GAP}|{_INITIAL}{_GAP})?{_TOKEN})*(?![\w])"
)

NON_OFFICIAL_ROLES = (
    "spokes", "researcher", "professor", "analyst", "correspondent", "editor", "reporter",
    "aide", "observer", "economist", "expert", "journalist", "columnist", "scholar", "fellow",
)  # fmt: skip
HEAD_OF_STATE = ("president", "prime minister", "premier", "chancellor", "king", "queen",
                 "emperor", "leader", "sultan", "emir", "monarch", "crown prince")  # fmt: skip
# Titles that by themselves name the country (used only when the text gives no side).
ROLE_SIDES = {
    "secretary of state": "United States", "treasury secretary": "United States",
    "commerce secretary": "United States", "trade representative": "United States",
    "cia director": "United States", "house speaker": "United States", "sen.": "United States",
    "sens.": "United States", "senator": "United States", "chancellor of the exchequer":
    "United Kingdom", "foreign secretary": "United Kingdom", "state councilor": "China",
    "national security adviser": "United States",
}  # fmt: skip


@dataclass
class Mention:
    """One occurrence of a person's name in the body."""

    start: int
    end: int
    surface: str
    role: str | None = None
    side: str | None = None
    honorific: bool = False
    role_adjacent: bool = False  # the role is written right before the name
    name: str | None = None  # canonical name, filled by resolve()


@dataclass
class Person:
    """Everything the article says about one person."""

    name: str
    mentions: list[Mention] = field(default_factory=list)
    side: str | None = None
    roles: list[str] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        """The first role the article gives."""
        return self.roles[0] if self.roles else None

    @property
    def official(self) -> bool:
        """False for spokespeople, analysts and the like, who report rather than meet."""
        return not any(word in (r.lower()) for r in self.roles for word in NON_OFFICIAL_ROLES)

    @property
    def is_leader(self) -> bool:
        """True when a role marks a head of state or government."""
        for role in self.roles:
            low = role.lower()
            if "vice" in low or "deputy" in low or "exchequer" in low or "party" in low:
                continue
            if any(re.search(rf"\b{h}\b", low) for h in HEAD_OF_STATE):
                return True
        return False


_COMPOUND = re.compile(
    r"-(?:born|based|led|backed|owned|run|style|era|made|linked|related|bound|speaking|"
    r"funded|sponsored|controlled|affiliated|allied)$"
)


def _is_stop(token: str) -> bool:
    low = token.lower().rstrip(".")
    if _COMPOUND.search(low):  # "Lima-born", "Paris-based": descriptions, not names
        return True
    if low in STOPWORDS or low in HONORIFICS or token.isupper() and len(low) > 1:
        return True
    gaz = gazetteer()
    return low in gaz.role_heads or low in gaz.role_words


def _phrase_is_place(tokens: list[str]) -> bool:
    phrase = " ".join(tokens)
    return side_of(phrase) is not None or is_major_place(phrase)


# Share of the extraction budget that finding names may use (digest.meetings.budget).
MENTIONS_SHARE = 0.3


def find_mentions(text: str, budget: Budget | None = None) -> list[Mention]:
    """Candidate person mentions: capitalised runs with place, role and stop words removed.

    When ``budget`` runs out the rest of the text is not searched (its offset is recorded).
    """
    mentions: list[Mention] = []
    for run in _RUN.finditer(text):
        if budget is not None and budget.exhausted(run.start(), MENTIONS_SHARE):
            break
        tokens = [(m.group(0), run.start() + m.start()) for m in re.finditer(r"\S+", run.group(0))]
        flags = [False] * len(tokens)  # True = cannot be part of a name
        i = 0
        while i < len(tokens):
            for size in range(min(5, len(tokens) - i), 0, -1):
                words = [t for t, _ in tokens[i : i + size]]
                if _phrase_is_place(words):
                    for k in range(i, i + size):
                        flags[k] = True
                    i += size - 1
                    break
            else:
                flags[i] = _is_stop(tokens[i][0])
            i += 1
        segment: list[tuple[str, int]] = []
        for (token, offset), stop in [*zip(tokens, flags, strict=True), (("", -1), True)]:
            if not stop and not (_is_initial(token) and not segment):
                segment.append((token, offset))
                continue
            if segment:
                mentions.append(_mention(text, segment))
            segment = []
    return [m for m in mentions if m is not None]


def _is_initial(token: str) -> bool:
    return len(token.rstrip(".")) == 1


def _mention(text: str, segment: list[tuple[str, int]]) -> Mention:
    while segment and _is_initial(segment[-1][0]):
        segment = segment[:-1]  # a trailing initial is a sentence end, not a name part
    start = segment[0][1]
    end = segment[-1][1] + len(segment[-1][0])
    surface = " ".join(t for t, _ in segment)
    mention = Mention(start, end, surface)
    _describe(text, mention)
    return mention


_LED_BY = re.compile(
    r"\b(?:[Tt]he\s+)?((?!The\b)[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s+(?:team|mission|delegation)"
    r"\s*,?\s+(?:was\s+)?led\s+by\s+(?:[\w.'’-]+\s+){0,6}$"
)
_LEADS = re.compile(
    r",?\s+(?:who\s+(?:also\s+)?)?(?:represent(?:s|ed|ing)?|le(?:d|ads|ading)|head(?:s|ed|ing)?)"
    r"\s+(?:the\s+|a\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
)
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their"}
_WORD = re.compile(r"[\w.'’-]+|,")


_BOUNDARY = re.compile(r"[.;:!?\"“”(]\s|\n\s*\n")
# A full stop after a title (digest/titles.py, the one list) or a dotted initialism is no boundary.
_ABBREVIATIONS = {t.lower() for t in TITLES} | {"u.s", "u.n", "u.k", "d.c"}


def _since_boundary(text: str) -> str:
    """The part of ``text`` after its last sentence or clause boundary (not after "U.S.")."""
    cut = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(0)[0] == ".":
            word = re.search(r"([\w.]+)$", text[: match.start()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        cut = match.end()
    return text[cut:]


def _describe(text: str, mention: Mention) -> None:
    """Fill the role and side of a mention from the words around it."""
    before = _since_boundary(text[max(0, mention.start - 160) : mention.start])
    tokens = _WORD.findall(before)
    gaz = gazetteer()
    role_tokens: list[str] = []
    side = None
    comma_start = bool(tokens) and tokens[-1] == ","
    if comma_start:
        tokens = tokens[:-1]
    closed = False
    i = len(tokens) - 1
    while i >= 0:
        raw = tokens[i]
        token = re.sub(r"^(?:then|ex|former)-", "", raw)
        low = token.lower()
        if low in ("former", "then", "late", "democratic", "republican", "acting"):
            i -= 1
            continue
        if low.rstrip(".") in HONORIFICS:
            mention.honorific = True
            i -= 1
            continue
        pair = f"{tokens[i - 1]} {token}" if i > 0 else ""
        size = 2 if pair and side_of(pair) else 1 if token[:1].isupper() and side_of(token) else 0
        if size:
            governed = i - size >= 0 and tokens[i - size].lower() in ("for", "to", "on", "the")
            if governed and tokens[i - size].lower() == "the":
                governed = i - size - 1 >= 0 and tokens[i - size - 1].lower() in ("for", "to")
            if governed and size == 1 and low in gaz.demonyms and role_tokens:
                governed = False  # "a dinner for Chilean President X": an adjective, his side
            if governed:  # "envoy to the African Union": the place is part of the title
                role_tokens[:0] = tokens[i - size + 1 : i + 1]
            else:
                side = side or side_of(pair if size == 2 else token)
            i -= size
            continue
        inner_the = low == "the" and i > 0 and tokens[i - 1].lower() == "of" and role_tokens
        if inner_the or (
            low not in _DETERMINERS and (low in gaz.role_words or low in gaz.role_heads)
        ):
            role_tokens.insert(0, token)
            i -= 1
            continue
        before = tokens[i - 1] if i > 0 else ""
        if title_word(token, before, role_tokens):  # "Fisheries Minister", "Tourism Minister"
            role_tokens.insert(0, token)
            i -= 1
            continue
        closed = low in ("the", "a", "an", "his", "her", "its", "their")
        break
    else:
        closed = True
    if comma_start and not closed:
        role_tokens = []
    role = clean_role(role_tokens)
    mention.role_adjacent = role is not None and not comma_start
    after = text[mention.end : mention.end + 160]
    if role is None:
        apposition = re.match(r",\s+(?:the\s+|a\s+)?((?:[^,.;()\n]|(?<=[A-Z])\.){2,90})", after)
        if apposition:
            role, side_after = role_after(apposition.group(1))
            side = side or side_after
    of_place = re.match(
        rf"\s+of\s+(?:the\s+)?([{_UPPER}][\w.]+(?:\s+[{_UPPER}][\w.]+){{0,2}})", after
    )
    if of_place and side is None:
        words = of_place.group(1).split()
        for size in range(len(words), 0, -1):
            phrase = " ".join(words[:size])
            place = place_of(phrase)
            found = side_of(phrase) or (place.country if place else None)
            if found:
                side = found
                break
    leads = _LEADS.match(after)
    if leads and side is None:  # "X, who led the Kenyan delegation", "Y, representing Chile"
        words = leads.group(1).split()
        for size in range(len(words), 0, -1):
            if (found := side_of(" ".join(words[:size]))) is not None:
                side = found
                break
    led = _LED_BY.search(text[max(0, mention.start - 120) : mention.start])
    if led:  # "the IMF mission, led by its deputy director Jane Doe": the team's side
        side = side_of(led.group(1)) or side
    mention.role = role
    mention.side = side


ROYAL_TITLES = {"king", "queen", "prince", "princess", "emperor", "empress", "sultan", "emir",
                "sheikh", "crown prince", "pope"}  # fmt: skip


def _title_before(mention: Mention) -> str | None:
    """The head title written right before the name ("President", "King"), lower case."""
    if not mention.role or not mention.role_adjacent:
        return None
    low = mention.role.lower()
    for title in sorted(ROYAL_TITLES, key=len, reverse=True):
        if low.endswith(title):
            return title
    return low.split()[-1] if low.split()[-1] in gazetteer().role_heads else None


def _split_camel(token: str, known_parts: set[str]) -> str:
    match = re.fullmatch(rf"([{_UPPER}][{_LOWER}]+)([{_UPPER}][{_LOWER}]+)", token)
    if match and (match.group(1) in known_parts or match.group(2) in known_parts):
        return f"{match.group(1)} {match.group(2)}"
    return token


def _close(first: str, second: str, surname: bool = False) -> bool:
    """Spelling variants: same initial and at most two edits apart.

    A surname under 8 letters allows one edit only: two edits in a short surname make another
    person ("Kelly" is not "Kerry", "Carter" not "Carney"), while given names are spelt many
    ways ("Sergei"/"Sergey"/"Sergay") and long surnames take slips ("Steinmeyer").
    """
    limit = 1 if surname and max(len(first), len(second)) < 8 else 2
    if first[:1] != second[:1]:
        return False
    if abs(len(first) - len(second)) > limit:
        return False
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1] <= limit


def known_person(surface: str) -> KnownPerson | None:
    """The well-known official a full name denotes, allowing an obvious misspelling.

    Exact first; then the same number of words, one of them exact and every other one
    within two edits of the table's spelling ("Jon"/"John", "Steinmeier"/"Steinmeyer").
    """
    gaz = gazetteer()
    exact = gaz.people.get(surface.lower())
    if exact is not None:
        return exact
    squeezed = _people_squeezed().get(_squeeze(surface))
    if squeezed is not None or " " not in surface:  # "Kim Jong-un" is "Kim Jong Un"
        return squeezed
    parts = surface.lower().split()
    for word in (parts[0], parts[-1]):
        for person in _people_by_word().get(word, ()):
            known = person.name.lower().split()
            last = len(known) - 1
            if len(known) == len(parts) and all(
                a == b or (len(b) > 3 and _close(a, b, surname=i == last))
                for i, (a, b) in enumerate(zip(parts, known, strict=True))
            ):
                return person
    return None


def _house_spelling(surface: str, known: str, words: Counter[str]) -> bool:
    """Whether ``surface`` is how the article spells ``known``, not a slip (GUIDE §8).

    A typo is written once among correct spellings; a transliteration ("Mikhailo"/"Mykhaylo")
    is the outlet's style, used every time: each word that differs from the table's spelling
    occurs at least twice in the article's names and more often than the table's word.
    """
    pairs = [
        (mine, table)
        for mine, table in zip(surface.split(), known.split(), strict=False)
        if mine != table
    ]
    return bool(pairs) and all(
        words[mine] >= 2 and words[mine] > words[table] for mine, table in pairs
    )


def _squeeze(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@cache
def _people_squeezed() -> dict[str, KnownPerson]:
    """Well-known people by name without spaces or hyphens (transliteration spacing varies)."""
    return {_squeeze(p.name): p for p in set(gazetteer().people.values())}


@cache
def _people_by_word() -> dict[str, list[KnownPerson]]:
    index: dict[str, list[KnownPerson]] = {}
    for person in set(gazetteer().people.values()):
        for word in {person.name.lower().split()[0], person.name.lower().split()[-1]}:
            index.setdefault(word, []).append(person)
    return index


def _last_before(starts: list[int], position: int) -> int:
    """The largest start before ``position`` (-1 when none); ``starts`` is sorted."""
    index = bisect_left(starts, position)
    return starts[index - 1] if index else -1


def resolve(mentions: list[Mention]) -> dict[str, Person]:
    """Give every mention a canonical name; return the people keyed by that name."""
    gaz = gazetteer()
    single_tokens = {m.surface for m in mentions if " " not in m.surface}
    for mention in mentions:
        if " " not in mention.surface:
            mention.surface = _split_camel(mention.surface, single_tokens)
    full = [m for m in mentions if " " in m.surface]
    counts = Counter(m.surface for m in full)
    canonical: dict[str, str] = {}
    by_last: dict[str, list[str]] = {}  # last word -> canonical full names
    words = Counter(word for m in mentions for word in m.surface.split())
    for surface, _ in counts.most_common():
        known = known_person(surface)
        # A spelling that differs only in spaces or hyphens is kept as written (GUIDE §8), and
        # so is the article's own transliteration (see _house_spelling); a slip is corrected.
        if (
            known is not None
            and _squeeze(known.name) != _squeeze(surface)
            and not _house_spelling(surface, known.name, words)
        ):
            canonical[surface] = known.name
            continue
        parts = surface.split()
        # Only names with the same last word can be spellings of one another.
        for other in by_last.get(parts[-1], ()):
            other_parts = other.split()
            if len(other_parts) == len(parts) and _close(other_parts[0], parts[0]):
                canonical[surface] = other
                break
        else:
            canonical[surface] = surface
            by_last.setdefault(parts[-1], []).append(surface)
    positions: dict[str, list[int]] = {}  # canonical name -> starts of its full mentions
    for mention in full:
        positions.setdefault(canonical[mention.surface], []).append(mention.start)
    by_word: dict[str, list[str]] = {}  # first or last word -> full names
    for name in positions:
        for word in dict.fromkeys((name.split()[0], name.split()[-1])):
            by_word.setdefault(word, []).append(name)
    for mention in mentions:
        if " " in mention.surface:
            mention.name = canonical[mention.surface]
            continue
        candidates = by_word.get(mention.surface, [])
        if candidates:
            best = max(len(positions[c]) for c in candidates)
            top = [c for c in candidates if len(positions[c]) == best]
            if len(top) > 1:  # the one written out most recently before this mention
                before = [(_last_before(positions[c], mention.start), c) for c in top]
                earlier = max(before)
                top = [earlier[1]] if earlier[0] >= 0 else top
            mention.name = top[0]
            continue
        known = gaz.people.get(mention.surface.lower())
        title = _title_before(mention)
        if title in ROYAL_TITLES:
            mention.name = f"{title.title()} {mention.surface}"
        elif known is not None:
            mention.name = known.name
        elif mention.honorific or title:
            mention.name = mention.surface
    people: dict[str, Person] = {}
    for mention in mentions:
        if mention.name is None:
            continue
        person = people.setdefault(mention.name, Person(mention.name))
        person.mentions.append(mention)
        if mention.role and mention.role not in person.roles:
            person.roles.append(mention.role)
    for person in people.values():
        sides = Counter(m.side for m in person.mentions if m.side)
        if sides:
            person.side = sides.most_common(1)[0][0]
        elif (known := known_person(person.name)) is not None:  # spelt as the text has it
            person.side = known.side
        else:
            for role in person.roles:
                if role.lower() in ROLE_SIDES:
                    person.side = ROLE_SIDES[role.lower()]
                    break
    return people
