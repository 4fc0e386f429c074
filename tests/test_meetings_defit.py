"""General rules that replaced rules fitted to single evaluation texts (invented sentences)."""

from digest.meetings.attach import _other_meeting
from digest.meetings.cues import EVENT, NEGATIVE, OTHER_KIND
from tests.invented_meetings import meetings


def test_a_stated_frequency_makes_contact_habitual():
    for clause in (
        "the two ministers meet annually to review the fishing accord",
        "Kenya and Chile hold semi-annual consultations on trade",
        "under the pact the finance ministers meet quarterly",
        "the biannual talks of the two navies",
        "monthly meetings of the joint commission",
    ):
        assert NEGATIVE.search(clause), clause
    # one occasion of a recurring event is still a meeting
    for clause in (
        "the annual summit opens in Lima next week",
        "the quarterly report",
        "ahead of this week's annual talks between the two navies",
        "next month's semi-annual consultations in Oslo",
        "at Monday's quarterly talks",
    ):
        assert not NEGATIVE.search(clause), clause
    text = (
        "Kenyan Foreign Minister Amos Kiptoo and Chilean Foreign Minister Ana Soto meet "
        "annually to review the fisheries accord."
    )
    assert meetings(text) == []
    found = meetings(
        "Kenyan Foreign Minister Amos Kiptoo met Chilean Foreign Minister Ana Soto in "
        "Nairobi on Monday."
    )
    assert len(found) == 1


def test_sessions_of_standing_bodies_by_their_kind_word():
    for clause in (
        "an emergency session of the Security Council",
        "a special session of the General Assembly",
        "the extraordinary session of the council",
    ):
        assert OTHER_KIND.search(clause), clause
    assert not OTHER_KIND.search("a photo session with reporters")


def test_a_sentence_about_another_meeting_gives_no_topics_to_the_one_followed():
    assert _other_meeting("The summit on fishing quotas was postponed until June.")
    assert _other_meeting("The two ministers meet annually to discuss tariffs.")
    assert _other_meeting("Their talks last year were about fishing rights.")
    assert not _other_meeting("Kiptoo said tariffs and fishing rights were discussed.")
    assert not _other_meeting("The tariffs were postponed.")  # no meeting word: about the talks
    found = meetings(
        "Kenyan Foreign Minister Amos Kiptoo met Chilean Foreign Minister Ana Soto in "
        "Nairobi on Monday. A planned summit on nuclear disarmament was postponed, "
        "Kiptoo said."
    )
    assert len(found) == 1
    assert "arms control" not in found[0]["topics"]


def test_a_meeting_of_a_group_is_an_event_without_special_cases():
    event = EVENT.search("He will attend the Oslo meeting of African foreign ministers.")
    assert event is not None and event.group("meeting_tail") == " of African foreign ministers"
    event = EVENT.search("He will attend the Oslo meeting of the oldest democracies.")
    assert event is not None and event.group("meeting_tail") == " of the oldest democracies"
    assert EVENT.search("He will attend the Oslo meeting on Monday.") is None


def test_no_plans_to_change_something_else_leaves_the_trip_a_trip():
    found = meetings(
        "Norwegian Prime Minister Rolf Becker has no plans to change his schedule: his "
        "visit to Nairobi starts on Monday."
    )
    assert [(m["kind"], m["location"]["country"]) for m in found] == [("visit", "Kenya")]


def test_a_capitalised_portfolio_before_a_title_belongs_to_the_title():
    found = meetings(
        "Kenyan Fisheries Minister Amos Kiptoo met Chilean Tourism and Culture Minister Ana "
        "Soto in Nairobi on Monday."
    )
    roles = [(p["name"], p["role"], p["side"]) for p in found[0]["participants"]]
    assert roles == [
        ("Amos Kiptoo", "Fisheries Minister", "Kenya"),
        ("Ana Soto", "Tourism and Culture Minister", "Chile"),
    ]
    # a name before "and" stays a name; a calendar word is no portfolio
    found = meetings(
        "On Monday Amos Kiptoo and Fisheries Minister Ana Soto of Chile met Norwegian "
        "Foreign Minister Rolf Becker in Oslo."
    )
    roles = [(p["name"], p["role"]) for p in found[0]["participants"]]
    assert roles == [("Ana Soto", "Fisheries Minister"), ("Rolf Becker", "Foreign Minister")]
    found = meetings(
        "Yesterday Fisheries Minister Ana Soto of Chile met Norwegian Foreign Minister Rolf "
        "Becker in Oslo."
    )
    assert found[0]["participants"][0]["role"] == "Fisheries Minister"


def test_the_people_table_follows_its_one_criterion():
    from collections import Counter

    from digest.meetings.gazetteer import _rows

    rows = _rows("people.tsv")
    criterion = {
        "United States", "United Kingdom", "France", "Germany", "Italy", "Japan", "Canada",
        "China", "Russia", "Soviet Union", "India", "United Nations", "NATO",
    }  # fmt: skip
    assert {row[1] for row in rows} <= criterion
    names = Counter(row[0] for row in rows)
    assert [n for n, count in names.items() if count > 1] == []
    surnames = Counter(a.lower() for row in rows if len(row) > 2 for a in row[2].split(";") if a)
    assert [s for s, count in surnames.items() if count > 1] == []
    # a surname alias never belongs to two people of the table
    last = Counter(row[0].split()[-1].lower() for row in rows)
    aliased = [row[2] for row in rows if len(row) > 2 and row[2]]
    assert all(last[alias.split()[-1].lower()] <= 1 for alias in aliased)


def test_a_person_outside_the_table_is_still_found_by_title_and_demonym():
    found = meetings(
        "Kenyan Foreign Minister Amos Kiptoo met Chilean President Ana Soto in Santiago on Monday."
    )
    assert [(p["name"], p["side"]) for p in found[0]["participants"]] == [
        ("Amos Kiptoo", "Kenya"),
        ("Ana Soto", "Chile"),
    ]


def test_a_short_surname_two_letters_off_is_another_person():
    from digest.meetings.names import known_person

    assert known_person("John Kelly") is None  # not John Kerry
    assert known_person("Mark Carter") is None  # not Mark Carney
    assert known_person("Jon Kerry").name == "John Kerry"  # a given name spelt otherwise
    assert known_person("Sergey Lavrov").name == "Sergei Lavrov"
    assert known_person("Frank-Walter Steinmeyer").name == "Frank-Walter Steinmeier"
    assert known_person("Antony Blinkin").name == "Antony Blinken"  # one slip
