"""Find date expressions in a clause and resolve them against the article's own date.

A small resolver of our own (weekdays, month names, "last month", "yesterday", ...) rather
than dateparser: it is fast, knows the tense rules of the labelling guide, and returns
partial dates (``YYYY-MM``, ``YYYY``) when the text only gives a month or a year.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date, timedelta

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # noqa: E501
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a": 1, "several": None, "few": None,
}  # fmt: skip

# Ordered: the first pattern that matches a span wins; later patterns skip covered text.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "full",
        re.compile(
            rf"\b(?:(?:on|On)\s+)?(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"  # noqa: E501
        ),
    ),
    (
        "full",
        re.compile(
            rf"\b(?:(?:on|On)\s+)?(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b"  # noqa: E501
        ),
    ),
    ("month_year", re.compile(rf"\b(?:(?:in|In|since|Since|by|By)\s+)?(?:early|late|mid-?)?\s*{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b")),  # noqa: E501
    ("month_day", re.compile(rf"\b(?:(?:on|On)\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:pct|per|%|billion|million|mln|bln))")),  # noqa: E501
    ("month_day", re.compile(rf"\b(?:(?:on|On)\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\b")),  # noqa: E501
    ("rel_month", re.compile(rf"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate|[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil)\s+{_MONTH}(?!\s+\d)")),  # noqa: E501
    ("year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Uu]ntil)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*(?:pct|%|-))")),  # noqa: E501
    ("today", re.compile(r"\b(?:[Ll]ater |[Ee]arlier )?(?:[Tt]oday|[Tt]onight|this (?:morning|afternoon|evening))\b")),  # noqa: E501
    ("yesterday", re.compile(r"\b[Yy]esterday\b|\blast night\b")),
    ("tomorrow", re.compile(r"\b[Tt]omorrow\b")),
    ("weekend", re.compile(r"\b(?:[Oo]ver the|[Ll]ast|[Tt]his|[Nn]ext) weekend\b")),
    ("week", re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this)\s+week\b")),  # noqa: E501
    ("month", re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this)\s+month\b")),  # noqa: E501
    ("yearrel", re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this)\s+year\b")),  # noqa: E501
    ("ago", re.compile(r"\b(?:[Oo]ver |[Aa]bout |[Ss]ome )?(?P<n>\w+)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b")),  # noqa: E501
    (
        "weekday",
        re.compile(rf"\b(?:(?P<rel>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate)\s+)?{_WEEKDAY}(?:'s|’s)?(?:\s+(?:night|morning|afternoon|evening))?\b"),  # noqa: E501
    ),
    ("vague", re.compile(r"\b(?:at some point|some time|in the coming (?:days|weeks|months)|soon)\b")),  # noqa: E501
]  # fmt: skip


# Every date expression holds one of these words (or a year): the patterns run only on
# the stretches of text around them, a few per cent of a long article.
_KEYWORDS = frozenset(
    [*MONTHS, *WEEKDAYS, "today", "tonight", "tomorrow", "yesterday", "night", "weekend",
     "week", "month", "year", "ago", "soon", "time", "point", "coming", "morning",
     "afternoon", "evening", "days", "weeks", "months", "years"]
)  # fmt: skip
_WORDS = re.compile(r"[a-z]+|\d+")
_MARGIN = 40  # characters each side of a keyword: "about three weeks ago", "on Friday, May 3"


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around date keywords, merged, cut at spaces."""
    windows: list[tuple[int, int]] = []
    for word in _WORDS.finditer(text.lower()):
        token = word.group(0)
        if token in _KEYWORDS or (len(token) == 4 and token[:2] in ("19", "20")):
            low = text.rfind(" ", 0, max(0, word.start() - _MARGIN)) + 1
            high = text.find(" ", min(len(text), word.end() + _MARGIN))
            high = len(text) if high < 0 else high
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], high))
            else:
                windows.append((low, high))
    return windows


@dataclass(frozen=True)
class DateMention:
    """Date words found in a clause: where they are, what they say, and their resolved value."""

    text: str
    start: int
    end: int
    kind: str
    value: str | None
    past_cue: bool  # the words themselves place the date in the past ("last", "ago", a year)
    future_cue: bool


def find_dates(text: str, anchor: date | None, tense: str | None = None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``anchor`` in the given tense.

    ``tense`` is "past", "future" or None; it decides which Friday "on Friday" means.
    """
    return DateIndex(text).within(0, len(text), anchor, tense)


class DateIndex:
    """Every date expression of a text, matched once; resolved per clause and tense on demand.

    Matching the whole article once (rather than each clause and window again) keeps date
    finding linear in the article's length.
    """

    def __init__(self, text: str) -> None:
        covered = bytearray(len(text) + 1)  # 1 where an earlier pattern already matched
        found: list[tuple[int, str, re.Match[str]]] = []
        windows = _windows(text)
        for kind, pattern in _PATTERNS:
            for low, high in windows:
                for match in pattern.finditer(text, low, high):
                    start, end = match.span()
                    if any(covered[start:end]) or _resolve(kind, match, None, None) is None:
                        continue
                    covered[start:end] = b"\x01" * (end - start)
                    found.append((start, kind, match))
        found.sort(key=lambda item: item[0])
        self._starts = [item[0] for item in found]
        self._found = found

    def within(
        self, start: int, end: int, anchor: date | None, tense: str | None
    ) -> list[DateMention]:
        """The expressions wholly inside text[start:end], offsets relative to ``start``."""
        out = []
        index = bisect_left(self._starts, start)
        while index < len(self._found) and self._starts[index] < end:
            _, kind, match = self._found[index]
            index += 1
            if match.end() > end:
                continue
            mention = _resolve(kind, match, anchor, tense)
            if mention is not None:
                out.append(replace(mention, start=mention.start - start, end=mention.end - start))
        return out


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _week_month(first: date, last: date) -> str | None:
    """YYYY-MM when the span falls within one month, else None."""
    if (first.year, first.month) == (last.year, last.month):
        return _month_value(first.year, first.month)
    return None


def _resolve(  # noqa: C901 - one branch per kind of expression reads best as a table
    kind: str, match: re.Match[str], anchor: date | None, tense: str | None
) -> DateMention | None:
    groups = match.groupdict()
    words = match.group(0)
    lower = words.lower()
    past = any(w in lower for w in ("last", "ago", "earlier", "yesterday", "since"))
    future = any(w in lower for w in ("next", "later", "tomorrow", "coming", "until"))
    value: str | None = None
    if kind == "full":
        try:
            value = date(
                int(groups["year"]), MONTHS[groups["month"].lower()], int(groups["day"])
            ).isoformat()
        except ValueError:
            return None
    elif kind == "month_year":
        value = _month_value(int(groups["year"]), MONTHS[groups["month"].lower()])
        past = past or (anchor is not None and value < _month_value(anchor.year, anchor.month))
    elif kind == "year":
        value = groups["year"]
        past = past or (anchor is not None and int(value) < anchor.year)
    elif kind == "month_day":
        month, day = MONTHS[groups["month"].lower()], int(groups["day"])
        if day > 31 or day < 1:
            return None
        if anchor is not None:
            value = _nearest_year(anchor, month, day, tense)
    elif kind == "rel_month":
        month = MONTHS[groups["month"].lower()]
        rel = groups["rel"].lower()
        if anchor is not None:
            value = _relative_month(anchor, month, rel, tense)
        past = past or rel == "last"
    elif kind == "today":
        value = anchor.isoformat() if anchor else None
    elif kind == "yesterday":
        value = (anchor - timedelta(days=1)).isoformat() if anchor else None
        past = True
    elif kind == "tomorrow":
        value = (anchor + timedelta(days=1)).isoformat() if anchor else None
        future = True
    elif kind == "weekend":
        if anchor is not None:
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7 or 7)
            if lower.startswith("next") or (lower.startswith("this") and tense == "future"):
                saturday = anchor + timedelta(days=(5 - anchor.weekday()) % 7 or 7)
            value = _week_month(saturday, saturday + timedelta(days=1))
    elif kind == "week":
        rel = groups["rel"].lower()
        if anchor is not None:
            monday = anchor - timedelta(days=anchor.weekday())
            if rel == "last":
                monday -= timedelta(days=7)
            elif rel == "next":
                monday += timedelta(days=7)
            value = _week_month(monday, monday + timedelta(days=6))
    elif kind == "month":
        rel = groups["rel"].lower()
        if anchor is not None:
            year, month = anchor.year, anchor.month
            if rel == "last":
                year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            elif rel == "next":
                year, month = (year, month + 1) if month < 12 else (year + 1, 1)
            value = _month_value(year, month)
    elif kind == "yearrel":
        rel = groups["rel"].lower()
        if anchor is not None:
            value = str(anchor.year + {"last": -1, "next": 1}.get(rel, 0))
    elif kind == "ago":
        value, past = _ago(groups, anchor), True
        if groups["n"].lower() not in _NUMBERS and not groups["n"].isdigit():
            return None
    elif kind == "weekday":
        rel = (groups.get("rel") or "").lower()
        if rel in ("early", "late"):
            rel = ""
        if anchor is not None:
            value = _weekday(anchor, WEEKDAYS[groups["weekday"].lower()], rel, tense)
        past = past or rel == "last"
    elif kind == "vague":
        value = None
    return DateMention(words, match.start(), match.end(), kind, value, past, future)


def _nearest_year(anchor: date, month: int, day: int, tense: str | None) -> str | None:
    try:
        candidate = date(anchor.year, month, day)
    except ValueError:
        return None
    # A date far on the wrong side of the anchor belongs to the neighbouring year.
    if tense != "future" and candidate > anchor + timedelta(days=60):
        candidate = candidate.replace(year=anchor.year - 1)
    elif tense == "future" and candidate < anchor - timedelta(days=60):
        candidate = candidate.replace(year=anchor.year + 1)
    return candidate.isoformat()


def _relative_month(anchor: date, month: int, rel: str, tense: str | None) -> str:
    year = anchor.year
    backward = rel == "last" or (rel in ("in", "since", "early", "late") and tense == "past")
    forward = rel == "next" or (rel in ("in", "by", "until", "early", "late") and tense == "future")
    if backward and (month > anchor.month or (rel == "last" and month == anchor.month)):
        year -= 1
    elif forward and (month < anchor.month or (rel == "next" and month == anchor.month)):
        year += 1
    return _month_value(year, month)


def _weekday(anchor: date, weekday: int, rel: str, tense: str | None) -> str:
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if rel == "last":
        return (anchor - timedelta(days=back or 7)).isoformat()
    if rel == "next":
        return (anchor + timedelta(days=ahead or 7)).isoformat()
    if tense == "future":
        return (anchor + timedelta(days=ahead or 7)).isoformat()
    if back == 6:
        # A bare weekday in the past tense a day after the stamp is not six days back (that
        # would be "last Tuesday"): wire stamps lag datelines east of them by a day (GUIDE §6).
        return (anchor + timedelta(days=1)).isoformat()
    return (anchor - timedelta(days=back)).isoformat()


def _ago(groups: dict[str, str], anchor: date | None) -> str | None:
    word = groups["n"].lower()
    count = int(word) if word.isdigit() else _NUMBERS.get(word)
    if anchor is None or count is None:
        return None
    unit = groups["unit"].rstrip("s")
    if unit == "day":
        return (anchor - timedelta(days=count)).isoformat()
    if unit == "week":
        # Resolve to a month only when the whole week around that point lies in one month.
        centre = anchor - timedelta(days=7 * count)
        return _week_month(centre - timedelta(days=3), centre + timedelta(days=3))
    if unit == "month":
        year, month = anchor.year, anchor.month - count
        while month < 1:
            year, month = year - 1, month + 12
        return _month_value(year, month)
    return str(anchor.year - count)


def precision(value: str | None) -> int:
    """How many of year, month, day a (partial) ISO date gives: 0 for None."""
    return 0 if not value else value.count("-") + 1


def compatible(first: str | None, second: str | None) -> bool:
    """True when two partial ISO dates can name the same day (None fits anything)."""
    if not first or not second:
        return True
    shorter = min(len(first), len(second))
    return first[:shorter] == second[:shorter]


def days_apart(first: str | None, second: str | None) -> int | None:
    """Days between two full ISO dates, None unless both are full dates."""
    if not first or not second or len(first) != 10 or len(second) != 10:
        return None
    return abs((date.fromisoformat(first) - date.fromisoformat(second)).days)
