"""Where meetings are: qualified places, provinces and islands (invented sentences)."""

from digest.meetings.gazetteer import gazetteer
from digest.meetings.places import location_in, place_at
from tests.invented_meetings import meetings


def test_a_country_after_a_place_says_which_place_is_meant():
    # A town the gazetteer does not know is still placed in the country the text names.
    assert location_in("They met in Kivalo, Finland last week.", 0) == ("Kivalo", "Finland")
    # The country named after a place overrides a larger namesake elsewhere.
    assert location_in("talks in Valencia, Spain, on Monday", 0) == ("Valencia", "Spain")
    # A country followed by a verb is a speaker, not a qualifier.
    assert location_in("They met in Kivalo, Finland said on Monday.", 0) is None
    # Two countries in a row are a list, not a place and its country.
    assert place_at("Chile, Peru and Bolivia") == (5, (None, "Chile"))
    # A month or a title before a country is not a town, and a list of countries is a list.
    assert location_in("talks in December, Finland, Sweden and Norway agreed", 0) is None
    assert location_in("a letter to President Kiptoo, Kenya, on Monday", 0) is None
    assert location_in("met in Kivalo, Finland, Sweden and Norway", 0) is None
    assert location_in("talks in Lima, Chile and Bolivia", 0) == ("Lima", "Peru")
    # A capital needs no qualifier and keeps its own country.
    assert location_in("talks in Lima, Chile said", 0) == ("Lima", "Peru")


def test_provinces_and_islands_are_places_of_their_country():
    gaz = gazetteer()
    assert gaz.places["hokkaido"].country == "Japan"
    # Compass words alone are descriptions, and a name two countries share names neither.
    assert "central" not in gaz.regions
    assert "western" not in gaz.regions
    assert location_in("They met on the northern island of Hokkaido on Monday.", 0) == (
        "Hokkaido",
        "Japan",
    )
    assert location_in("The envoys met in the coastal city of Mombasa.", 0) == ("Mombasa", "Kenya")


def test_a_meeting_on_an_island_is_placed_there():
    found = meetings(
        "Kenyan Trade Minister Amos Kiptoo met Norwegian Foreign Minister Rolf Becker on "
        "the northern island of Hokkaido on Monday."
    )
    assert len(found) == 1
    assert found[0]["location"] == {"city": "Hokkaido", "country": "Japan"}


def test_an_official_residence_named_by_what_it_is_is_in_the_hosts_capital():
    found = meetings(
        "Kenyan President Amos Kiptoo received Norway's trade envoy, Rolf Becker, at the "
        "state house on Monday."
    )
    assert found[0]["location"] == {"city": "Nairobi", "country": "Kenya"}
    # The residence is the leader's, whoever is named first.
    found = meetings(
        "Norwegian Foreign Minister Rolf Becker met Kenyan President Amos Kiptoo at the "
        "presidential palace on Monday."
    )
    assert found[0]["location"] == {"city": "Nairobi", "country": "Kenya"}
    # Two leaders of two sides: whose palace is not said.
    found = meetings(
        "Norwegian President Rolf Becker met Kenyan President Amos Kiptoo at the "
        "presidential palace on Monday."
    )
    assert found[0]["location"] is None


def test_the_venue_talks_place_the_meeting_just_reported():
    text = (
        "Kenyan President Amos Kiptoo met Norwegian Prime Minister Rolf Becker on Monday. "
        "The White House talks dealt mostly with fishing quotas."
    )
    assert meetings(text)[0]["location"] == {"city": "Washington", "country": "United States"}
    # A venue talked about later, after an unrelated sentence gap, places nothing.
    far = text.replace(
        " The White",
        " Fishing quotas fell. Prices rose. Exports shrank. The White",
    )
    assert meetings(far)[0]["location"] is None
    # "The <Venue> talks" still to come are another meeting.
    coming = text.replace("dealt mostly with", "next month will deal with")
    assert meetings(coming)[0]["location"] is None


def test_the_dateline_covers_this_weeks_sessions_with_no_other_place():
    text = (
        "NAIROBI, May 8 - Trade ministers praised the plan at this week's meetings of the "
        "African Union and the World Bank."
    )
    found = meetings(text)
    assert found[0]["location"] == {"city": "Nairobi", "country": "Kenya"}
    found = meetings(text.replace("this week's", "last month's"))
    assert found[0]["location"] is None
