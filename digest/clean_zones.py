"""Ambiguous time-zone abbreviations in a page's date line, read by the page's country.

"9:40am IST" is India's time on an Indian page, Ireland's on an Irish one and Israel's on an
Israeli one; a date parser picks one reading for all pages. Here each ambiguous abbreviation
has its readings, each with the country that uses it; the page's own evidence (its site's
country domain, else which of those countries it names far more often) picks one. With no
clear evidence the time is dropped and the date kept, which is never wrong by a day's worth
of hours the way a wrong zone can be.

The readings are general knowledge of the abbreviations in use (the IANA time zone
database's abbreviations and the countries observing them); country names are the ISO 3166
short names, their usual demonyms and capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Reading:
    """One meaning of a zone abbreviation: its UTC offset and where it is used."""

    offset: str  # "+05:30"
    domains: tuple[str, ...]  # country-code top-level domains
    names: tuple[str, ...]  # words a page from there (or about there) uses


_INDIA = Reading("+05:30", ("in",), ("India", "Indian", "New Delhi", "Mumbai"))
_IRELAND = Reading("+01:00", ("ie",), ("Ireland", "Irish", "Dublin"))
_ISRAEL = Reading("+02:00", ("il",), ("Israel", "Israeli", "Jerusalem", "Tel Aviv"))
_US_CENTRAL = Reading("-06:00", ("us",), ("Chicago", "Texas", "Houston", "Dallas", "Minnesota"))
_CHINA = Reading("+08:00", ("cn",), ("China", "Chinese", "Beijing", "Shanghai"))
_CUBA = Reading("-05:00", ("cu",), ("Cuba", "Cuban", "Havana"))
_BRITAIN = Reading("+01:00", ("uk",), ("Britain", "British", "London", "England", "Scotland"))
_BANGLADESH = Reading("+06:00", ("bd",), ("Bangladesh", "Bangladeshi", "Dhaka"))
_US_PACIFIC = Reading("-08:00", ("us",), ("California", "Los Angeles", "Seattle", "Oregon"))
_PAKISTAN = Reading("+05:00", ("pk",), ("Pakistan", "Pakistani", "Islamabad", "Karachi"))
_US_MOUNTAIN = Reading("-07:00", ("us",), ("Colorado", "Denver", "Arizona", "Utah"))
_MALAYSIA = Reading("+08:00", ("my",), ("Malaysia", "Malaysian", "Kuala Lumpur"))
_ATLANTIC = Reading("-04:00", ("ca",), ("Nova Scotia", "Halifax", "Puerto Rico", "Atlantic"))
_ARABIA = Reading("+03:00", ("sa",), ("Saudi", "Riyadh", "Kuwait", "Qatar", "Bahrain"))
_GULF = Reading("+04:00", ("ae",), ("UAE", "Emirates", "Dubai", "Abu Dhabi", "Oman"))

AMBIGUOUS: dict[str, tuple[Reading, ...]] = {
    "IST": (_INDIA, _IRELAND, _ISRAEL),
    "CST": (_US_CENTRAL, _CHINA, _CUBA),
    "BST": (_BRITAIN, _BANGLADESH),
    "PST": (_US_PACIFIC, _PAKISTAN),
    "MST": (_US_MOUNTAIN, _MALAYSIA),
    "AST": (_ATLANTIC, _ARABIA),
    "GST": (_GULF,),  # also South Georgia's, which publishes no news
}
# After a time ("9:40am ist", "08:15 (BST)"), in any case.
_ABBREVIATION = re.compile(rf"(?<=[\dmM.])\s*\(?({'|'.join(AMBIGUOUS)})\b\)?", re.IGNORECASE)
# How far the most-named country must lead the next one for its reading to be taken.
_LEAD = 2
_TIME = re.compile(
    r"\b\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?\s*(?:[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?", re.I
)


def ambiguous_zone(text: str) -> str | None:
    """The ambiguous zone abbreviation a date line states, if any ("IST")."""
    match = _ABBREVIATION.search(text)
    return match.group(1).upper() if match else None


def resolve(text: str, site: str | None, page: Iterable[str]) -> tuple[str, timedelta | None]:
    """``text`` without its ambiguous zone, and the zone's UTC offset as the page reads it.

    With no evidence for one reading the time goes too and the offset is None: the date
    alone is kept. ``site`` is the site's name or domain where the page gives it; ``page``
    the lines that tell where the site is (its menus and footer).
    """
    zone = ambiguous_zone(text)
    if zone is None:
        return text, None
    reading = _by_domain(AMBIGUOUS[zone], site) or _by_mentions(AMBIGUOUS[zone], page)
    bare = _ABBREVIATION.sub(" ", text, count=1).strip(" ,;|-–—")
    if reading is not None:
        sign = -1 if reading.offset.startswith("-") else 1
        hours, minutes = reading.offset[1:].split(":")
        return bare, sign * timedelta(hours=int(hours), minutes=int(minutes))
    # No evidence: keep the date, drop the time and the zone.
    return _TIME.sub(" ", bare).strip(" ,;|-–—"), None


def _by_domain(readings: tuple[Reading, ...], site: str | None) -> Reading | None:
    if not site or "." not in site:
        return None
    tld = site.rsplit(".", 1)[1].casefold()
    found = [r for r in readings if tld in r.domains]
    return found[0] if len(found) == 1 else None


def _by_mentions(readings: tuple[Reading, ...], page: Iterable[str]) -> Reading | None:
    text = "\n".join(page)
    counts = []
    for reading in readings:
        pattern = r"\b(?:" + "|".join(re.escape(name) for name in reading.names) + r")\b"
        counts.append(len(re.findall(pattern, text)))
    ranked = sorted(zip(counts, range(len(readings)), strict=True), reverse=True)
    top = ranked[0][0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if top >= _LEAD and top >= _LEAD * runner_up:
        return readings[ranked[0][1]]
    return None
