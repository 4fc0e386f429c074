"""The shipped tables the extractor reads: countries, places, organisations, people, role words.

Everything is loaded once from ``digest/data/`` (package data) and kept as plain lookups keyed
by the lower-cased surface form, so a rule asks "which country is 'Kazakh'?" in one dict hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Place:
    """A named place resolved to its country (``city`` is None for a region or a country)."""

    city: str | None
    country: str


@dataclass(frozen=True)
class KnownPerson:
    """A well-known official: canonical spelling and the side they represent."""

    name: str
    side: str


@dataclass
class Gazetteer:
    """Surface form (lower case) -> meaning, for every table the extractor uses."""

    sides: dict[str, str] = field(default_factory=dict)  # country/org name or alias -> side
    demonyms: dict[str, str] = field(default_factory=dict)  # "chinese" -> "China"
    places: dict[str, Place] = field(default_factory=dict)  # "astana" -> Astana, Kazakhstan
    organisations: set[str] = field(default_factory=set)  # canonical organisation names
    people: dict[str, KnownPerson] = field(default_factory=dict)  # alias -> person
    role_heads: set[str] = field(default_factory=set)
    role_words: set[str] = field(default_factory=set)
    upper_aliases: set[str] = field(default_factory=set)  # "un", "us": match only as "UN", "US"


def _rows(name: str) -> list[list[str]]:
    text = resources.files("digest").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


@cache
def gazetteer() -> Gazetteer:
    """The tables, loaded once per process."""
    gaz = Gazetteer()
    for row in _rows("countries.tsv"):
        row += [""] * (4 - len(row))
        country, aliases, demonyms, cities = row[:4]
        gaz.sides[country.lower()] = country
        gaz.places.setdefault(country.lower(), Place(None, country))
        for alias in _split(aliases):
            if alias.replace(".", "").isupper():
                gaz.upper_aliases.add(alias.lower())
            gaz.sides.setdefault(alias.lower(), country)
            if alias.lower() not in gaz.places:
                gaz.places[alias.lower()] = Place(None, country)
        for demonym in _split(demonyms):
            gaz.demonyms.setdefault(demonym.lower(), country)
        for city in _split(cities):
            if city.startswith("~"):  # a region: maps to the country only
                gaz.places[city[1:].lower()] = Place(None, country)
            elif "=" in city:  # a venue inside a city
                venue, _, host = city.partition("=")
                gaz.places[venue.strip().lower()] = Place(host.strip(), country)
            else:
                gaz.places[city.lower()] = Place(city, country)
    # A capital named as a city is a city, even where it is also a metonym for the country.
    for row in _rows("countries.tsv"):
        for city in _split(row[3] if len(row) > 3 else ""):
            if not city.startswith("~") and "=" not in city:
                gaz.places[city.lower()] = Place(city, row[0])
    for row in _rows("organisations.tsv"):
        row += [""] * (2 - len(row))
        name, aliases = row[:2]
        gaz.organisations.add(name)
        gaz.sides[name.lower()] = name
        for alias in _split(aliases):
            if alias.replace(".", "").replace("-", "").isalnum() and alias.upper() == alias:
                gaz.upper_aliases.add(alias.lower())
            gaz.sides[alias.lower()] = name
    for row in _rows("people.tsv"):
        row += [""] * (3 - len(row))
        name, side, aliases = row[:3]
        person = KnownPerson(name, side)
        gaz.people[name.lower()] = person
        for alias in _split(aliases):
            gaz.people[alias.lower()] = person
    for row in _rows("roles.tsv"):
        kind, words = row[0], _split(row[1])
        if kind == "head":
            gaz.role_heads.update(w.lower() for w in words)
        gaz.role_words.update(part.lower() for w in words for part in w.split())
    return gaz


def side_of(text: str) -> str | None:
    """The side a country/organisation name, alias, demonym or possessive names, if any."""
    gaz = gazetteer()
    key = text.strip().lower()
    for suffix in ("'s", "’s", "'", "’"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    key = key.rstrip(".,") if key not in gaz.sides else key
    if key in gaz.upper_aliases and not text.strip().rstrip(".,'’s").replace(".", "").isupper():
        return gaz.demonyms.get(key)
    return gaz.sides.get(key) or gaz.demonyms.get(key) or gaz.sides.get(key + ".")


def place_of(text: str) -> Place | None:
    """The place a name denotes (city or venue first, then country), if known."""
    gaz = gazetteer()
    key = text.strip().lower().rstrip(",")
    return gaz.places.get(key) or gaz.places.get(key.rstrip("."))
