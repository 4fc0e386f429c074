"""The gazetteer: countries and cities from maintained packages, general knowledge on top."""

from importlib import resources

import pytest

from digest.meetings.gazetteer import is_major_place, place_of, side_of
from digest.meetings.names import known_person


def test_every_shipped_table_states_where_its_entries_come_from():
    data = resources.files("digest").joinpath("data")
    for name in ("countries.tsv", "organisations.tsv", "people.tsv", "roles.tsv",
                 "stopwords.txt", "topics.toml"):  # fmt: skip
        header = "\n".join(
            line
            for line in data.joinpath(name).read_text(encoding="utf-8").splitlines()[:8]
            if line.startswith("#")
        ).lower()
        assert "general knowledge" in header, name


@pytest.mark.parametrize(
    ("name", "city", "country"),
    [
        ("Curitiba", "Curitiba", "Brazil"),  # a GeoNames city no table lists by hand
        ("Peking", "Beijing", "China"),  # a former name maps to the city's own name
        ("Bombay", "Mumbai", "India"),
        ("Hong Kong", "Hong Kong", "China"),  # GUIDE §7
        ("White House", "Washington", "United States"),  # a seat of government
    ],
)
def test_places_resolve_to_city_and_country(name, city, country):
    place = place_of(name)
    assert place is not None and (place.city, place.country) == (city, country)


@pytest.mark.parametrize(
    ("word", "side"),
    [
        ("Zambian", "Zambia"),  # demonym from countryinfo
        ("Kazakh", "Kazakhstan"),  # demonym the package lacks, from the supplement
        ("Nairobi", "Kenya"),  # a capital stands for its government
        ("Soviet", "Soviet Union"),  # a state the packages leave out
        ("South Korea", "South Korea"),
    ],
)
def test_sides_from_demonyms_capitals_and_names(word, side):
    assert side_of(word) == side


def test_a_small_city_named_like_a_person_does_not_block_a_name():
    assert place_of("Austin") is not None
    assert not is_major_place("Austin")
    assert is_major_place("Nairobi")


def test_a_misspelt_well_known_name_is_corrected_and_a_stranger_is_not():
    assert known_person("Anthony Blinken").name == "Antony Blinken"
    assert known_person("Francois Mitterand").name == "Francois Mitterrand"
    assert known_person("Anthony Smith") is None


def test_the_geonames_snapshot_is_what_the_installed_packages_give():
    from digest.meetings import world

    shipped = resources.files("digest").joinpath("data", world.SNAPSHOT).read_text("utf-8")
    assert shipped == world.snapshot_text(), "regenerate: python -m digest.meetings.world"
