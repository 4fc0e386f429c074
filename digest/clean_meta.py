"""Title, publication date and site name of a scraped article, read from around its story.

``digest.clean`` finds where the story starts; the headline, byline and dateline sit just
above it. Dates far above the headline (a masthead clock) or inside the story (a caption's
"Tuesday, March 4, 2031") are not publication dates, so only the lines from just above the
headline down to the story's first paragraph are searched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol

from digest import clean_dates
from digest import clean_rules as rules
from digest import clean_zones as zones

# How far above the story a headline may sit (page dumps put share bars and galleries there).
_TITLE_REACH = 30
# A headline the page repeats (its title line) gains this; each line away from the story
# costs this much of the share of words it has in common with the story's opening.
_REPEAT_BONUS = 0.3
# Below this share of words in common with the story's opening, a line is not its headline.
_MIN_SHARED = 0.15
_DISTANCE_COST = 0.01
# How many lines at the top of a page may hold its masthead.
_MASTHEAD_REACH = 8

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"mon|tue|wed|thu|fri|sat|sun"
_DATE_LABEL = re.compile(
    r"^(?:(?:(?:last\s+)?updated|published|posted|first\s+published|modified|date|on)\b\s*:?\s*)+"
    r"|\s+by\s+[\w .'’-]{1,40}$",  # "Posted on March 3, 2021 by admin"
    re.I,
)
_DATE_TOKENS = re.compile(
    rf"\b(?:{_MONTH})\b\.?|\b(?:{_WEEKDAY})[a-z]*\b\.?|\b[ap]\.?m\b\.?|\b\d+(?:st|nd|rd|th)\b"
    r"|\d|\bat\b|\bof\b|[T:/.,\-–—•|()+\s]",
    re.I,
)
_HAS_MONTH = re.compile(rf"\b(?:{_MONTH})\b|\b\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}}(?!\d)", re.I)
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_MERIDIEM = re.compile(r"\d\s*[ap]\.?m\b", re.I)
_PARTS = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+(?=\D)")
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# A timestamp or its label makes a line a dateline, not a headline.
_STAMP = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}\b|\b(?:published|updated|posted|modified)\b|\bago$"
    rf"|\b(?:{_MONTH})\.?\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}\b|\b\d{{1,2}}\.?\s+(?:{_MONTH})\w*\s+(?:19|20)\d{{2}}\b",
    re.I,
)
# A full date (day, month and year) inside a short line makes it a dateline.
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_MONTH})\w*\.?,?\s+(?:19|20)\d{{2}}\b"
    r"|\b(?:19|20)\d{2}-\d{2}-\d{2}\b",
    re.I,
)
_DATED_LINE_WORDS = 16
_FRACTION = re.compile(r"(\d{1,2}:\d{2}:\d{2})\.\d+")

_DOMAIN_IN_LINE = re.compile(r"\b([A-Za-z][\w-]*(?:\.[\w-]+)*\.[A-Za-z]{2,6})\b")
_SITE_CLAIM = re.compile(r"©|\(c\)|copyright|all rights reserved|source\s*:", re.I)
_COMMON_HOSTS = re.compile(
    r"(?:^|\.)(?:twitter|facebook|instagram|youtube|google|t|x|telegram|whatsapp|linkedin|"
    r"pinterest|apple|tiktok)\.[a-z]+$",
    re.I,
)
_MASTHEAD = re.compile(r"^(?:The\s+)?[A-Za-z][A-Za-z.&'’ -]{1,40}$")
# A photo credit naming a person and the outlet they shoot for: "(Lena Marsh / Harbour Times)".
_OUTLET_CREDIT = re.compile(
    r"\(\s*([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2})\s*/\s*([A-Z][\w.&'’ -]{1,40}?)\s*\)"
)
# A wire dateline naming the agency: "Lisbon (AFP) –", "NAIROBI (Reuters) -".
_DATELINE_AGENCY = re.compile(r"^[A-Z][\w .,'’-]{1,40}?\(([A-Z][\w.& ]{1,20})\)\s*[-–—]")

_DATEPARSER_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "PREFER_DATES_FROM": "past",
}


class _Unit(Protocol):
    text: str
    bullet: bool
    kind: str
    raw: str
    caption: bool


def find_title(units: Sequence[_Unit], start: int) -> tuple[str | None, int | None]:
    """The headline above the story starting at ``start``, and where it first appears.

    Among the headline-shaped lines above the story, the one that shares the most words with
    the story's opening wins (a teaser for another story shares few), a line the page shows
    twice (its title line and its headline) gains, and nearness breaks ties. When exactly two
    headline-shaped lines sit together (headline, then a deck) the upper one does.
    """
    lead = _content_words(" ".join(_opening(units, start)))
    counts: dict[str, int] = {}
    for unit in units:
        key = unit.text.casefold()
        counts[key] = counts.get(key, 0) + 1
    best: tuple[float, int] | None = None
    for index in range(start - 1, max(-1, start - 1 - _TITLE_REACH), -1):
        unit = units[index]
        if not _is_headline(unit, allow_prose=True):
            continue
        words = _content_words(unit.text)
        shared = len(words & lead) / len(words) if words else 0.0
        repeated = counts[unit.text.casefold()] > 1
        score = shared + _REPEAT_BONUS * repeated - _DISTANCE_COST * (start - index)
        if shared < _MIN_SHARED and not repeated:
            continue  # shares nothing with the story: a teaser, a greeting, a menu
        if best is None or score > best[0]:
            best = (score, index)
    if best is None:
        # A long headline reads like prose, so the story's run may start with it.
        if start < len(units) and _is_headline(units[start], allow_prose=True):
            return units[start].text, start
        return None, None
    at = best[1]
    top = at
    while top > 0 and _is_headline(units[top - 1]):
        top -= 1
    bottom = at
    while bottom + 1 < start and _is_headline(units[bottom + 1]):
        bottom += 1
    if bottom - top == 1:
        at = top  # headline over a second headline or deck; a longer run is a list of links
    title = units[at].text
    key = title.casefold()
    first = next(i for i, unit in enumerate(units) if unit.text.casefold() == key)
    return title, first


def _opening(units: Sequence[_Unit], start: int) -> list[str]:
    """The story's first two paragraphs of running text."""
    found = [unit.text for unit in units[start:] if unit.kind == "prose"]
    return found[:2]


_STOP_LIST = (
    "the a an of to in on at for with by from and or but as is are was were be has have had "
    "will would says said that this its it his her their after over into about amid than"
)
_STOP = frozenset(_STOP_LIST.split())
_TOKEN = re.compile(r"[^\W_]{2,}")


def _content_words(text: str) -> set[str]:
    """Content words cut to their first four letters, a crude stem.

    "Norwegian" meets "Norway" and "negotiated" meets "negotiate"; enough for a headline's words.
    """
    return {w[:4] for w in (t.casefold() for t in _TOKEN.findall(text)) if w not in _STOP}


def find_published(
    units: Sequence[_Unit],
    title_at: int | None,
    start: int,
    site: str | None = None,
    around: Sequence[str] = (),
) -> datetime | None:
    """The publication date stated between the headline and the story's first paragraph.

    An ambiguous zone ("IST") is read by the page's country (``site``'s domain, else the
    countries named in ``around``, the page's lines outside the story), or the time is
    dropped and the date kept.

    The search starts just above the headline (wire copy puts its header date there) and
    stops at the first paragraph of running text; a lead photo's caption does not stop it,
    because pages often put the byline and date under the lead photo.
    """
    if title_at is None:
        first = max(0, start - 3)
    else:
        # Date and byline lines right above the headline belong to it ("04-FEB-1991", "By X").
        first = title_at
        while first > 0 and title_at - first < 3 and _is_meta(units[first - 1]):
            first -= 1
    candidates: list[str] = []
    for index in range(first, len(units)):
        unit = units[index]
        if index >= start and unit.kind == "prose" and not unit.caption:
            break
        stated = _date_in(unit.text)
        if stated and not _is_clock(unit):
            candidates.append(stated)
    # "Updated ..." only when the page gives nothing else.
    candidates.sort(key=lambda text: text.lower().startswith(("updated", "last updated")))
    for text in candidates:
        stated = _DATE_LABEL.sub("", text).strip()
        offset = None
        if zones.ambiguous_zone(stated):
            # Parsed as UTC without the zone, then moved by the zone's offset as read.
            stated, offset = zones.resolve(stated, site, around)
        moment = _parse_date(stated)
        if moment is not None and offset is not None:
            moment -= offset
        if moment is not None:
            return moment
    return None


def find_site(units: Sequence[_Unit], title_at: int | None, start: int) -> str | None:
    """The source site's name where the page gives it: copyright line, masthead, credit."""
    return (
        _site_from_domain(units)
        or _site_from_masthead(units, start if title_at is None else title_at)
        or _site_from_credit(units, title_at, start)
        or _site_from_dateline(units, start)
    )


def _is_headline(unit: _Unit, allow_prose: bool = False) -> bool:
    return (
        not unit.bullet
        and unit.kind not in ("caption", "furniture", "section_end", "aside")
        and rules.looks_like_headline(unit.text)
        and not _is_date_line(unit.text)
        and not _STAMP.search(unit.text)
        and (allow_prose or unit.kind != "prose")
    )


def content_words(text: str) -> set[str]:
    """Content words cut to their first four letters (see ``_content_words``)."""
    return _content_words(text)


@lru_cache(maxsize=2048)
def states_date(text: str) -> bool:
    """True for a line that states a date (a dateline, a byline with a date part).

    "Posted by Priya Nair on March 9, 2031, 8:15 AM EST" too: a short line naming a full date.
    """
    return _date_in(text) is not None or (
        rules.words(text) <= _DATED_LINE_WORDS and _FULL_DATE.search(text) is not None
    )


def is_anchor_headline(unit: _Unit) -> bool:
    """True for a headline-shaped line (a capital first, no closing stop) over a date line."""
    return (
        not unit.bullet
        and unit.kind in ("short", "sentence", "prose")
        and 2 <= rules.words(unit.text) <= 30
        and unit.text[:1].isupper()
        and not unit.text.rstrip("\"'”’").endswith((".", ":", ",", ";", "…"))
        and not rules.is_furniture(unit.text)
        and not rules.is_byline(unit.text)
        and not _STAMP.search(unit.text)
    )


def is_header_line(text: str) -> bool:
    """True for a byline or a line stating a date: what sits over a story's first paragraph."""
    return rules.is_byline(text) or _date_in(text) is not None


def _is_meta(unit: _Unit) -> bool:
    return rules.is_byline(unit.text) or _date_in(unit.text) is not None


_DATED_LINE_CHARS = 200


@lru_cache(maxsize=2048)
def _date_in(text: str) -> str | None:
    """The date a line states when the line is a date, or a byline with a date part."""
    if _is_date_line(text):
        return text
    if len(text) > _DATED_LINE_CHARS:  # a paragraph of prose: no byline is this long
        return None
    # "By Priya Nair | March 9, 2031 | 08:15 BST": keep the parts that are dates or times.
    parts = [part for part in _PARTS.split(text) if _is_dateish(part)]
    joined = " ".join(parts)
    return joined if parts and _is_date_line(joined) else None


def _is_date_line(text: str) -> bool:
    if len(text) > 70 or not _HAS_YEAR.search(text):
        return False
    if _HAS_MONTH.search(text) and _is_dateish(text):
        return True
    # In another language: "quinta-feira, 7 de março de 2030 às 09:45".
    return bool(clean_dates.date_languages(_DATE_LABEL.sub("", text)))


def _is_dateish(text: str) -> bool:
    """Only date and time words and numbers, plus at most a time zone ("CST", "ist")."""
    return (
        any(c.isdigit() for c in text) and len(_DATE_TOKENS.sub("", _DATE_LABEL.sub("", text))) <= 4
    )


def _is_clock(unit: _Unit) -> bool:
    """A live clock shows seconds on a 12-hour dial; a real timestamp does not."""
    return bool(_SECONDS.search(unit.text) and _MERIDIEM.search(unit.text))


@lru_cache(maxsize=1024)
def _parse_date(text: str) -> datetime | None:
    if _ISO.match(text):
        # ISO 8601 needs no guessing, and dateparser costs ~10 ms a call.
        with suppress(ValueError):  # an impossible date ("2023-02-30") goes to dateparser
            moment = datetime.fromisoformat(text)
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    import dateparser  # slow to import; only pages with a date line pay for it

    text = _FRACTION.sub(r"\1", text.replace("•", " ").replace("|", " "))
    moment = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    foreign = clean_dates.date_languages(text) if moment is None else ()
    if foreign:
        moment = dateparser.parse(text, languages=list(foreign), settings=_DATEPARSER_SETTINGS)
    return moment


def _site_from_domain(units: Sequence[_Unit]) -> str | None:
    standalone = None
    for unit in units:
        text = unit.text
        claim = _SITE_CLAIM.search(text) or rules.is_reprint_notice(text)
        if claim and rules.words(text) <= 25:
            for match in _DOMAIN_IN_LINE.finditer(text):
                if not _COMMON_HOSTS.search(match.group(1)):
                    return match.group(1)
        elif standalone is None and rules.words(text) == 1:
            match = _DOMAIN_IN_LINE.fullmatch(text)
            if match and not _COMMON_HOSTS.search(text):
                standalone = text
    return standalone


def _site_from_masthead(units: Sequence[_Unit], before: int) -> str | None:
    for unit in units[: min(before, _MASTHEAD_REACH)]:
        text = unit.text
        if unit.bullet or unit.kind == "furniture" or not _MASTHEAD.match(text):
            continue
        n = rules.words(text)
        if text.isupper() and 2 <= n <= 4:
            return text.title()
        if text.startswith("The ") and 2 <= n <= 4 and all(w[:1].isupper() for w in text.split()):
            return text
    return None


def _site_from_credit(units: Sequence[_Unit], title_at: int | None, start: int) -> str | None:
    first = start if title_at is None else title_at
    for unit in units[first : start + 1]:
        for match in _OUTLET_CREDIT.finditer(unit.raw):
            if not re.search(r"photo|image|file|pic", match.group(1), re.I):
                return match.group(2).strip()
    return None


def _site_from_dateline(units: Sequence[_Unit], start: int) -> str | None:
    if start < len(units):
        match = _DATELINE_AGENCY.match(units[start].text)
        if match:
            return match.group(1).strip()
    return None
