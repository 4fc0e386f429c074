"""General rules for people and meetings, on invented sentences (no evaluation text).

None of these names is in the shipped people table: a person is found by title, apposition,
role and demonym alone.
"""

from datetime import UTC, datetime

import pytest

from digest.meetings.cues import continuing
from digest.meetings.dedupe import Occasion, same_meeting
from digest.meetings.sides import event_sides
from digest.models import Article
from tests.invented_meetings import meetings


def people(meeting: dict) -> list[tuple[str, str | None]]:
    return [(p["name"], p["side"]) for p in meeting["participants"]]


def test_a_person_who_leads_or_represents_a_side_takes_that_side():
    found = meetings(
        "Kenyan Trade Minister Amos Kiptoo met Rolf Becker, who led the Norwegian "
        "delegation, in Nairobi on Monday."
    )
    assert len(found) == 1
    assert people(found[0]) == [("Amos Kiptoo", "Kenya"), ("Rolf Becker", "Norway")]
    assert found[0]["location"] == {"city": "Nairobi", "country": "Kenya"}
    found = meetings(
        "Amos Kiptoo, representing Kenya, held talks with Norwegian Foreign Minister "
        "Rolf Becker on Monday."
    )
    assert people(found[0]) == [("Amos Kiptoo", "Kenya"), ("Rolf Becker", "Norway")]


def test_separate_talks_with_several_counterparts_are_one_record_each():
    found = meetings(
        "Foreign Minister Rolf Becker of Norway held separate talks with Kenya's Amos Kiptoo "
        "and Chile's Ana Soto on Monday."
    )
    assert sorted(people(m)[1] for m in found) == [("Amos Kiptoo", "Kenya"), ("Ana Soto", "Chile")]
    assert all(people(m)[0] == ("Rolf Becker", "Norway") for m in found)


def test_talks_with_the_same_counterparts_on_one_occasion_stay_one_record():
    found = meetings(
        "Foreign Minister Rolf Becker of Norway held talks with Kenya's Amos Kiptoo "
        "and Chile's Ana Soto in Oslo on Monday."
    )
    assert len(found) == 1 and len(found[0]["participants"]) == 3


def test_a_second_meeting_verb_is_a_second_occasion_with_the_same_subject():
    found = meetings(
        "Chilean President Ana Soto is to hold discussions with Norway's Prime Minister "
        "Rolf Becker and meet King Harald of Norway during her stay in Oslo next week."
    )
    assert sorted(sorted(n for n, _ in people(m)) for m in found) == [
        ["Ana Soto", "King Harald"],
        ["Ana Soto", "Rolf Becker"],
    ]


def test_a_phone_conversation_is_a_call():
    found = meetings(
        "Kenyan President Amos Kiptoo had a 30-minute phone conversation with Chilean "
        "President Ana Soto on Thursday."
    )
    assert len(found) == 1 and found[0]["kind"] == "call" and found[0]["location"] is None


def test_surname_back_references_join_the_full_name():
    found = meetings(
        "Kenyan Foreign Minister Amos Kiptoo arrived in Oslo on Sunday.\n\n"
        "Kiptoo met Norwegian Prime Minister Rolf Becker on Monday to discuss trade."
    )
    assert [sorted(n for n, _ in people(m)) for m in found] == [["Amos Kiptoo", "Rolf Becker"]]
    assert found[0]["topics"] == ["trade"]


def test_same_meeting_is_one_pure_function_of_people_dates_and_kind():
    pair = frozenset({"amoskiptoo", "rolfbecker"})
    assert same_meeting(
        Occasion(pair, "2024-05-06", "talks"), Occasion(pair, "2024-05-07", "talks")
    )
    assert not same_meeting(
        Occasion(pair, "2024-05-06", "talks"), Occasion(pair, "2024-05-20", "talks")
    )
    assert not same_meeting(Occasion(pair, "2024-05", "visit"), Occasion(pair, "2024-05", "talks"))


def test_in_article_identity_uses_the_same_function_with_what_one_article_knows():
    pair = frozenset({"amoskiptoo", "rolfbecker"})
    held = Occasion(pair, "2024-05-06", "talks", status="held")
    # within one article, a day apart is two meetings, and a planned one is not the held one
    assert not same_meeting(held, Occasion(pair, "2024-05-07", "talks"), slack_days=0)
    assert not same_meeting(held, Occasion(pair, None, "talks", status="planned"))
    # a loose one-person mention joins the record that includes the person
    alone = frozenset({"amoskiptoo"})
    assert same_meeting(held, Occasion(alone, None, "talks", status="held", loose=True))
    assert not same_meeting(held, Occasion(alone, None, "talks", status="held"))
    # named events match by name, never a meeting of people
    summit = Occasion(frozenset(), "2024-05", "summit", event="the Harbour Summit")
    assert same_meeting(summit, Occasion(frozenset(), None, "summit", event="Harbour Summit"))
    assert not same_meeting(summit, held)
    # visits match visits to the same host only
    visit = Occasion(alone, "2024-05", "visit", visit_host="Chile")
    assert not same_meeting(visit, Occasion(alone, "2024-05", "visit", visit_host="Peru"))


def test_a_summit_named_with_its_year_is_dated_by_it():
    found = meetings("The plan was first outlined at the 2019 Lima Summit, officials said.")
    assert len(found) == 1
    meeting = found[0]
    assert (meeting["date"], meeting["status"], meeting["kind"]) == ("2019", "mentioned", "summit")
    assert found[0]["location"] == {"city": "Lima", "country": "Peru"}


def test_a_summit_of_industrialised_nations_is_the_group_of_seven():
    found = meetings(
        "Heads of government will gather for the Lima summit of industrialised democracies in June."
    )
    assert len(found) == 1 and "Group of Seven" in found[0]["sides"]
    assert found[0]["date"] == "2024-06" and found[0]["status"] == "planned"


def test_a_meeting_that_could_happen_is_not_a_meeting_but_a_could_elsewhere_is_harmless():
    assert (
        meetings(
            "The talks could pave the way for a summit between the Kenyan and Chilean presidents."
        )
        == []
    )
    found = meetings(
        "Kenyan President Amos Kiptoo, who could face elections soon, met Chilean President "
        "Ana Soto in Nairobi on Monday."
    )
    assert [sorted(n for n, _ in people(m)) for m in found] == [["Amos Kiptoo", "Ana Soto"]]


def test_no_plans_drops_a_meeting_only_when_it_governs_the_meeting_word():
    found = meetings(
        "Norwegian Prime Minister Rolf Becker has no plans to raise fishing quotas before his "
        "trip to Nairobi and Santiago next week."
    )
    assert sorted(m["location"]["country"] for m in found) == ["Chile", "Kenya"]
    assert all(m["kind"] == "visit" and m["status"] == "planned" for m in found)
    refused = "Norwegian Prime Minister Rolf Becker has no plans to meet Kenya's Amos Kiptoo."
    assert meetings(refused) == []


def test_sides_inferred_by_a_clause_leave_the_person_records_as_the_text_states_them():
    from digest.meetings.extract import extract_candidates

    article = Article(
        location="invented",
        body="Kenyan Trade Minister Amos Kiptoo met Energy Minister Ana Soto in Lima on "
        "Monday. Later Ana Soto met Rolf Becker, the Norwegian envoy, in Oslo.",
        content_hash="h", title=None, published=datetime(2024, 5, 10, tzinfo=UTC),
    )  # fmt: skip
    candidates, context = extract_candidates(article)
    assert context.people["Ana Soto"].side is None  # the text never states it
    assert context.side("Ana Soto") == "Peru"  # the host of a meeting in Lima
    assert [c.sides for c in candidates[:2]] == [["Kenya", "Peru"], ["Peru", "Norway"]]
    found = meetings(article.body)
    assert ("Ana Soto", "Peru") in people(found[0]) and ("Ana Soto", "Peru") in people(found[1])


def test_a_middle_initial_with_or_without_its_dot_is_part_of_the_name():
    found = meetings(
        "Kenyan President Amos K Kiptoo met Chilean Foreign Minister Ana J. Soto in Nairobi "
        "on Monday."
    )
    assert len(found) == 1
    assert people(found[0]) == [("Amos K Kiptoo", "Kenya"), ("Ana J. Soto", "Chile")]
    # a lone capital is not a name: "A Kenyan delegation" names nobody
    assert meetings("On Monday A Kenyan delegation met Chile's Ana Soto in Nairobi.")[0][
        "participants"
    ] == [{"name": "Ana Soto", "role": None, "side": "Chile"}]


def test_a_dateline_places_the_story_s_own_meetings_that_name_no_other_place():
    held = meetings(
        "NAIROBI, May 10 - A meeting of Chilean Foreign Minister Ana Soto and Norwegian "
        "Foreign Minister Rolf Becker on the sidelines of a trade forum failed to agree on "
        "fishing quotas, diplomats said."
    )
    assert [(m["status"], m["date"], m["location"]) for m in held] == [
        ("held", "2024-05-10", {"city": "Nairobi", "country": "Kenya"})
    ]
    planned = meetings(
        "NAIROBI, May 10 - Kenyan Trade Minister Amos Kiptoo is expected to see Norwegian "
        "Foreign Minister Rolf Becker to discuss fishing quotas."
    )
    assert [(m["status"], m["location"]) for m in planned] == [
        ("planned", {"city": "Nairobi", "country": "Kenya"})
    ]
    elsewhere = meetings(
        "NAIROBI, May 10 - Kenyan Trade Minister Amos Kiptoo will meet Norwegian Foreign "
        "Minister Rolf Becker in Oslo to discuss fishing quotas."
    )
    assert elsewhere[0]["location"] == {"city": "Oslo", "country": "Norway"}


def test_a_title_with_security_in_it_is_not_the_security_topic():
    titled = meetings(
        "Kenyan President Amos Kiptoo met Rolf Becker, Norway's special envoy for peace and "
        "security affairs, in Nairobi on Monday to discuss fishing."
    )
    assert "security" not in titled[0]["topics"]
    subject = meetings(
        "Kenyan President Amos Kiptoo met Norwegian envoy Rolf Becker in Nairobi on Monday "
        "to discuss regional security."
    )
    assert "security" in subject[0]["topics"]


def test_people_of_a_meeting_on_the_sidelines_of_an_event_attend_the_event():
    found = meetings(
        "NAIROBI, May 10 - A Chilean-Norwegian meeting on the sidelines of the Nairobi Summit "
        "ended without a deal on fishing quotas, officials said.\n\n"
        "Chilean President Ana Soto and Norwegian Prime Minister Rolf Becker took part in the "
        "meeting."
    )
    summit = [m for m in found if m["kind"] == "summit" and not m["participants"]]
    assert summit == []  # every record of that sentence names who took part
    names = [sorted(p["name"] for p in m["participants"]) for m in found]
    assert names == [["Ana Soto", "Rolf Becker"]] * 2


def test_the_noun_call_with_its_date_or_owner_is_a_call():
    found = meetings(
        "Lawmakers asked about Kiptoo's April 25 call when Kenyan President Amos Kiptoo asked "
        "Chilean President Ana Soto for help with the inquiry."
    )
    assert [(m["kind"], m["date"]) for m in found] == [("call", "2024-04-25")]
    assert sorted(p["name"] for p in found[0]["participants"]) == ["Amos Kiptoo", "Ana Soto"]
    # the verb and "a call for" are not calls
    assert (
        meetings("Kenyan President Amos Kiptoo renewed a call for Chile's Ana Soto to quit.") == []
    )


def test_a_meeting_named_only_as_a_prospect_is_not_a_meeting_unless_dated_or_placed():
    assert (
        meetings(
            "Kenyan President Amos Kiptoo appeared to open a door to talks with Chilean "
            "President Ana Soto, analysts said."
        )
        == []
    )
    found = meetings(
        "Kenyan President Amos Kiptoo's trip should lay the foundations for a summit "
        "with Chilean President Ana Soto in Santiago next month."
    )
    assert [(m["status"], m["date"]) for m in found if m["kind"] == "summit"] == [
        ("planned", "2024-06")
    ]


def test_an_unnamed_envoy_sent_by_a_country_is_that_country_s_visit():
    found = meetings(
        "Kenyan Foreign Minister Amos Kiptoo noted that Chile, Peru's closest partner, had "
        "dispatched a delegation to Lima, saying Kenya was watching closely."
    )
    assert [(m["kind"], m["sides"], m["participants"]) for m in found] == [
        ("visit", ["Chile", "Peru"], [])
    ]
    assert found[0]["location"] == {"city": "Lima", "country": "Peru"}


def test_a_point_about_one_person_goes_to_their_smallest_meeting():
    # Talks with one counterpart, then a banquet with two others: what the visitor raised
    # belongs to the talks, not to the larger gathering mentioned last.
    found = meetings(
        "Peruvian Prime Minister Carla Huaman held talks with Chilean President Tomas Rivera "
        "in Lima on Monday. Rivera later met Peruvian President Ana Quispe and Peruvian Vice "
        "President Luis Mamani at a state banquet. "
        "Rivera raised human rights and the fight against terrorism."
    )
    by_size = sorted(found, key=lambda m: len(m["participants"]))
    assert [len(m["participants"]) for m in by_size] == [2, 3]
    assert set(by_size[0]["topics"]) == {"human rights", "terrorism"}
    assert by_size[1]["topics"] == []


def test_the_article_own_transliteration_of_a_known_name_is_kept_a_slip_is_not():
    # GUIDE §8: "Sergey" used throughout is the outlet's transliteration; "Sergay" written once
    # among "Sergei" is a typo. Either way the table still gives the side.
    found = meetings(
        "Sergey Lavrov met Kenyan Foreign Minister Amos Kiptoo in Nairobi on Monday. "
        "Sergey Lavrov said the talks went well. Kiptoo thanked Lavrov."
    )
    assert people(found[0]) == [("Sergey Lavrov", "Russia"), ("Amos Kiptoo", "Kenya")]
    found = meetings(
        "Sergay Lavrov met Kenyan Foreign Minister Amos Kiptoo in Nairobi on Monday. "
        "Sergei Lavrov said the talks went well. Sergei Lavrov thanked Kiptoo."
    )
    assert people(found[0]) == [("Sergei Lavrov", "Russia"), ("Amos Kiptoo", "Kenya")]


def test_words_of_an_organisation_name_are_not_topics():
    found = meetings(
        "Kenyan President Amos Kiptoo met Norwegian Prime Minister Rolf Becker at a forum of "
        "the Organisation for Economic Co-operation and Development in Lima on Monday. "
        "They discussed fisheries."
    )
    assert "economy" not in found[0]["topics"]
    # A topic about the organisation itself still holds on its abbreviation.
    found = meetings(
        "Kenyan President Amos Kiptoo met Norwegian Prime Minister Rolf Becker in Lima on "
        "Monday. They discussed Kenya joining the World Trade Organization."
    )
    assert found[0]["topics"] == ["wto membership"]


def test_a_second_meeting_verb_keeps_the_subject_but_not_the_first_counterpart():
    found = meetings(
        "The Kenyan President Amos Kiptoo will hold talks with Norwegian Prime Minister Rolf "
        "Becker in Oslo on Tuesday and meet King Osric and Queen Maren during the visit."
    )
    names = sorted(sorted(p["name"] for p in m["participants"]) for m in found)
    assert names == [
        ["Amos Kiptoo", "King Osric", "Queen Maren"],
        ["Amos Kiptoo", "Rolf Becker"],
    ]


def test_mentions_of_one_running_negotiation_are_one_record_dated_by_its_start():
    found = meetings(
        "NAIROBI, May 10 - Negotiations between Kenya and the International Monetary Fund "
        "over a new loan have stalled, officials said. Rolf Becker, who heads the IMF "
        "delegation, said the team would wrap up its negotiations with Kenya on May 17. The "
        "IMF delegation opened its current negotiations with Kenya in Nairobi on April 29."
    )
    assert [(m["status"], m["date"], people(m)) for m in found] == [
        ("held", "2024-04-29", [("Rolf Becker", "International Monetary Fund")])
    ]
    assert set(found[0]["sides"]) == {"Kenya", "International Monetary Fund"}


def test_talks_under_way_between_other_sides_are_another_negotiation():
    found = meetings(
        "Kenya's talks with Uganda on a new pipeline have stalled, officials said. Separately, "
        "Chile's talks with Peru on fishing rights have made progress, a Chilean official said."
    )
    assert sorted(tuple(sorted(m["sides"])) for m in found) == [
        ("Chile", "Peru"),
        ("Kenya", "Uganda"),
    ]


def test_talks_planned_for_later_are_not_a_running_negotiation():
    found = meetings(
        "Kenya's talks with Uganda on a pipeline have stalled, officials said. Kenyan and "
        "Ugandan ministers will hold new talks in Kampala in June."
    )
    assert sorted((m["status"], m["date"]) for m in found) == [
        ("held", None),
        ("planned", "2024-06"),
    ]


def test_the_team_led_by_a_person_gives_the_person_its_side():
    found = meetings(
        "NAIROBI, May 10 - The IMF delegation, led by deputy director Rolf Becker, will wrap up "
        "its negotiations with Kenya on May 17."
    )
    assert [people(m) for m in found] == [[("Rolf Becker", "International Monetary Fund")]]


def test_a_summit_named_by_its_city_is_the_summit_of_the_group_the_text_names():
    found = meetings(
        "Finance ministers of the Group of Seven will hold talks on currencies next week. "
        "Officials said the plan awaits approval at the Nairobi Summit in July."
    )
    assert [(m["kind"], m["sides"], m["location"]) for m in found] == [
        ("summit", ["Group of Seven"], {"city": "Nairobi", "country": "Kenya"})
    ]


def test_the_city_in_an_event_name_is_its_venue_not_a_side():
    assert event_sides("Nairobi Summit") == []
    assert event_sides("Kenya Summit") == ["Kenya"]
    assert event_sides("ASEAN Summit") == ["Association of Southeast Asian Nations"]


def test_meetings_of_two_organisations_are_a_session_of_both():
    found = meetings(
        "WASHINGTON, May 10 - Kenyan Finance Minister Amos Kiptoo met Chilean Finance Minister "
        "Ana Soto today. Both are in town this week for the spring meetings of the International "
        "Atomic Energy Agency and the World Trade Organization."
    )
    sessions = [m for m in found if not m["participants"]]
    assert [(m["kind"], m["sides"], m["date"]) for m in sessions] == [
        ("other", ["International Atomic Energy Agency", "World Trade Organization"], "2024-05")
    ]


def test_portfolios_listed_before_a_title_are_not_topics():
    text = (
        "Chilean President Ana Soto, accompanied by her agriculture, fisheries and health {}, "
        "will "
        "hold talks with Kenyan President Amos Kiptoo in Nairobi on Monday."
    )
    assert [m["topics"] for m in meetings(text.format("ministers"))] == [[]]
    assert set(meetings(text.format("experts"))[0]["topics"]) >= {"agriculture", "health"}


def test_an_international_conference_hosting_sideline_talks_is_an_event_of_its_own():
    found = meetings(
        "Chilean Foreign Minister Ana Soto will see her Peruvian counterpart, Luis Mamani, "
        "in Lima on Friday, her ministry said, at the margins of an international conference "
        "on fisheries."
    )
    assert sorted((m["kind"], m["status"], m["date"], len(m["participants"])) for m in found) == [
        ("other", "planned", "2024-05-17", 2),
        ("talks", "planned", "2024-05-17", 2),
    ]
    # with no sides of its own and no meeting on its sidelines, it is not a meeting
    assert meetings("Experts met at an international conference on fisheries in Lima.") == []


def test_leaders_who_meet_ahead_of_a_summit_attend_it_ministers_are_not_implied():
    text = (
        "Kenyan {0} Amina Otieno met Ghanaian {1} Kofi Mensah in Nairobi on Monday. The Nairobi "
        "talks on roads came ahead of an African Union summit, opening in Addis Ababa on Friday."
    )
    found = meetings(text.format("President", "President"))
    summit = [m for m in found if m["status"] == "planned"]
    assert [(people(m), m["sides"]) for m in summit] == [
        (
            [("Amina Otieno", "Kenya"), ("Kofi Mensah", "Ghana")],
            ["African Union", "Kenya", "Ghana"],
        )
    ]
    found = meetings(text.format("Foreign Minister", "Foreign Minister"))
    assert [m["participants"] for m in found if m["status"] == "planned"] == [[]]


def test_entering_a_union_is_membership():
    found = meetings(
        "Italian Prime Minister Carla Rossi met German Chancellor Hans Weber in Paris on Monday "
        "to talk about Serbia entering the EU."
    )
    assert "eu membership" in found[0]["topics"]


def test_the_press_present_with_a_weekday_is_a_coming_meeting():
    # published on Friday 10 May 2024
    found = meetings("Kenyan President Amos Kiptoo meets Chilean President Ana Soto on Wednesday.")
    assert [(m["status"], m["date"]) for m in found] == [("planned", "2024-05-15")]
    found = meetings("Kenyan President Amos Kiptoo met Chilean President Ana Soto on Wednesday.")
    assert [(m["status"], m["date"]) for m in found] == [("held", "2024-05-08")]
    # a trip that starts on a weekday is the coming visit its talks belong to
    found = meetings(
        "NAIROBI, May 10 - Kenyan President Amos Kiptoo leaves Wednesday on a visit to Lima. "
        "Kiptoo will hold talks with Peruvian President Luis Mamani there on Thursday."
    )
    assert [(m["kind"], m["status"], m["location"]) for m in found] == [
        ("summit", "planned", {"city": "Lima", "country": "Peru"})
    ]


def test_a_call_named_by_its_owner_takes_only_that_phrase_s_people_and_date():
    found = meetings(
        "Kenyan President Amos Kiptoo spoke by phone with Chilean President Ana Soto on May 2. "
        "A report published on Tuesday quotes three officials, including a diplomat who "
        "said Kiptoo's call with Soto had gone badly."
    )
    assert [(m["kind"], m["status"], m["date"], len(m["participants"])) for m in found] == [
        ("call", "mentioned", "2024-05-02", 2)
    ]


def test_a_later_mention_of_the_same_day_meeting_naming_fewer_people_is_the_same_meeting():
    found = meetings(
        "Kenyan Trade Minister Amos Kiptoo described a May 2 meeting in Lima with Chilean "
        "Trade Minister Ana Soto and Peruvian Trade Minister Luis Mamani. A second official "
        "recalled that the May 2 meeting ended when Soto raised tariffs with Mamani."
    )
    assert [(m["date"], len(m["participants"])) for m in found] == [("2024-05-02", 3)]
    first = Occasion(frozenset({"a", "b"}), "2024-05-02", "talks", status="mentioned")
    fewer = Occasion(
        frozenset({"b"}), "2024-05-02", "talks", status="mentioned", back_reference=True
    )
    assert same_meeting(first, fewer)
    # without "the May 2 meeting", a same-day record of fewer people may be another meeting
    assert not same_meeting(
        first, Occasion(frozenset({"b"}), "2024-05-02", "talks", status="mentioned")
    )
    assert not same_meeting(first, Occasion(frozenset({"b"}), "2024-05-02", "call", status="held"))
    # across articles (no status) the people must still agree
    assert not same_meeting(
        Occasion(frozenset({"a", "b"}), "2024-05-02", "talks"),
        Occasion(frozenset({"b"}), "2024-05-02", "talks"),
    )


def test_an_unnamed_delegation_s_visit_is_its_country_s_visit():
    found = meetings("Chinese officials will visit Nairobi next week to discuss a railway loan.")
    assert [(m["kind"], m["status"], m["sides"], m["participants"]) for m in found] == [
        ("visit", "planned", ["China", "Kenya"], [])
    ]


def test_met_a_on_one_day_and_b_on_another_is_two_meetings():
    text = (
        "Kenyan Foreign Minister Amos Kiptoo met Chilean Foreign Minister Ana Soto {}and Peruvian "
    )
    text += "Foreign Minister Luis Mamani on Tuesday."
    found = meetings(text.format("on Monday "))
    assert [(m["date"], [p for p, _ in people(m)]) for m in found] == [
        ("2024-05-06", ["Amos Kiptoo", "Ana Soto"]),
        ("2024-05-07", ["Amos Kiptoo", "Luis Mamani"]),
    ]
    # one date for both counterparts: one occasion
    assert [len(m["participants"]) for m in meetings(text.format(""))] == [3]


def test_called_with_a_person_as_its_object_is_a_phone_call():
    for text in (
        "Kenyan President Amos Kiptoo called Chilean President Ana Soto on Tuesday.",
        "Kenyan President Amos Kiptoo called his Chilean counterpart, Ana Soto, on Tuesday.",
    ):
        assert [(m["kind"], m["date"]) for m in meetings(text)] == [("call", "2024-05-07")]
    for text in (
        "Kenyan President Amos Kiptoo called Chilean demands unfair on Tuesday.",
        "Kenyan President Amos Kiptoo called Chilean President Ana Soto a liar on Tuesday.",
        "Kenyan President Amos Kiptoo called Chilean President Ana Soto's plan unfair on Monday.",
        "Kenyan President Amos Kiptoo called on Chile to lift its tariffs.",
    ):
        assert meetings(text) == []


def test_ministers_of_a_group_gathered_somewhere_are_the_group_s_talks():
    found = meetings("Foreign ministers of the G20 gathered in Lima on Wednesday.")
    assert [(m["kind"], m["sides"], m["date"]) for m in found] == [
        ("talks", ["Group of 20"], "2024-05-08")
    ]


def test_the_two_leaders_are_the_pair_just_named():
    found = meetings(
        "Kenyan President Amos Kiptoo met Chilean President Ana Soto in Lima on Monday. "
        "The two leaders also spoke by phone on Thursday."
    )
    assert [(m["kind"], m["date"], [p for p, _ in people(m)]) for m in found] == [
        ("summit", "2024-05-06", ["Amos Kiptoo", "Ana Soto"]),
        ("call", "2024-05-09", ["Amos Kiptoo", "Ana Soto"]),
    ]
    # two people of one side are not a pair of sides
    found = meetings(
        "Kenyan President Amos Kiptoo thanked Kenyan Finance Minister Rose Wanjiru on Monday. "
        "The two leaders also spoke by phone on Thursday."
    )
    assert found == []


def test_talks_under_way_are_told_by_their_own_verb_not_by_a_later_clause():
    assert continuing("the negotiations with ministers have dragged on", "held")
    assert continuing("the ongoing talks with the fund", "held") == (True, False)
    assert continuing("will wrap up its negotiations on May 17", "planned") == (True, True)
    assert continuing("After talks with Chile, Kenya has agreed to cut tariffs", "held") == (
        False,
        False,
    )
    assert continuing("New talks have been scheduled for June", "held") == (False, False)


def test_a_would_in_what_was_reported_after_a_meeting_does_not_make_it_planned():
    found = meetings(
        "Kenyan President Amos Kiptoo told reporters after meeting Chilean President Ana Soto "
        "that trade would grow."
    )
    assert [m["status"] for m in found] == ["held"]


def test_sides_named_as_the_subject_pair_and_ministers_of_one_union():
    found = meetings("The European Union and China held their annual summit in Lima on Friday.")
    assert [m["sides"] for m in found] == [["European Union", "China"]]
    found = meetings("Ministers from the 27 EU member states met in Lima on Tuesday.")
    assert [(m["kind"], m["sides"], m["date"]) for m in found] == [
        ("talks", ["European Union"], "2024-05-07")
    ]


def test_an_organisation_s_own_people_meeting_staff_is_not_a_session():
    assert meetings("NATO Secretary General Rolf Becker gathered staff in Lima on Monday.") == []
    assert meetings("IMF economists met on Monday to review the forecast.") == []


def test_a_leader_s_ministers_who_hold_talks_are_the_named_ministers_of_those_portfolios():
    text = (
        "Kenyan President Amos Kiptoo will be joined by his finance and energy ministers, "
        "who will meet their Chilean counterparts."
    )
    named = " Kenyan Finance Minister Rose Wanjiru is expected to discuss debt."
    assert [(people(m), m["sides"]) for m in meetings(text + named)] == [
        ([("Rose Wanjiru", "Kenya")], ["Kenya", "Chile"])
    ]
    # none of them named: the two sides' talks, the leader is not among them
    assert [(m["participants"], m["sides"]) for m in meetings(text)] == [([], ["Kenya", "Chile"])]


def test_travel_to_a_place_is_a_visit_by_its_near_subject_only():
    found = meetings("Kenyan Foreign Minister Amos Kiptoo will travel to Lima next week.")
    assert [(m["kind"], m["status"], m["sides"]) for m in found] == [
        ("visit", "planned", ["Kenya", "Peru"])
    ]
    quoted = '"I have signed with Kenyan President Amos Kiptoo," said Soto, who will travel '
    quoted += "to Lima."
    assert meetings(quoted) == []


def test_a_demonym_after_for_is_the_person_s_side_not_part_of_a_title():
    found = meetings(
        "Kenyan President Amos Kiptoo hosted a dinner for Chilean President Ana Soto on Monday."
    )
    assert [people(m) for m in found] == [[("Amos Kiptoo", "Kenya"), ("Ana Soto", "Chile")]]


def test_arriving_somewhere_for_a_visit_is_a_visit_there_covered_by_its_coming_talks():
    found = meetings("Chilean President Ana Soto arrived in Nairobi on Monday for a state visit.")
    assert [(m["kind"], m["location"], m["date"]) for m in found] == [
        ("visit", {"city": "Nairobi", "country": "Kenya"}, "2024-05-06")
    ]
    assert meetings("Chilean President Ana Soto arrived in Nairobi from Lima on Monday.") == []
    text = (
        "Kenyan envoy Amos Kiptoo arrived in Chile on Wednesday for a visit. Kiptoo is scheduled "
        "to hold talks with Chilean Foreign Minister Ana Soto on {}."
    )
    # talks a few days into the visit are its meeting; talks weeks later belong to another trip
    assert [m["kind"] for m in meetings(text.format("Monday"))] == ["talks"]
    assert [m["kind"] for m in meetings(text.format("May 30"))] == ["visit", "talks"]


def test_who_attends_an_event_takes_part_in_it():
    found = meetings("Kenyan President Amos Kiptoo will attend the G20 summit in Lima next month.")
    assert [(people(m), m["sides"]) for m in found] == [
        ([("Amos Kiptoo", "Kenya")], ["Group of 20", "Kenya"])
    ]


def test_a_country_reporting_a_contact_is_the_side_of_its_unqualified_official():
    text = (
        "Kenyan President Amos Kiptoo stayed in his palace on Tuesday. Norway said Mr Kiptoo "
        "had assured President Rolf Becker by telephone of his safety on Wednesday."
    )
    found = meetings(text)
    assert len(found) == 1
    assert people(found[0]) == [("Amos Kiptoo", "Kenya"), ("Rolf Becker", "Norway")]
    assert found[0]["kind"] == "call"
    # Without a reporting country the official has no side, and no meeting is made up.
    assert meetings(text.replace("Norway said", "Aides said")) == []


def test_talks_take_the_people_said_to_represent_the_sides_in_the_next_sentences():
    text = (
        "Talks on the border dispute open in Lima later today. Chilean envoy Ana Soto will "
        "represent Chile, while Peru is represented by its Deputy Foreign Minister Rui Costa. "
        "Bolivia is represented by its ambassador, Luis Arce Mora."
    )
    found = meetings(text)
    assert len(found) == 1
    assert people(found[0]) == [
        ("Ana Soto", "Chile"),
        ("Rui Costa", "Peru"),
        ("Luis Arce Mora", "Bolivia"),
    ]
    assert found[0]["status"] == "planned"
    assert found[0]["location"] == {"city": "Lima", "country": "Peru"}
    # One side's representative alone is not a meeting.
    assert meetings(text.split(" while")[0] + ".") == []
    # Too far from the talks, the representatives are about something else.
    far = text.replace(
        " Chilean envoy", " Fish prices fell. Ports closed. Rain came. Wind rose. Chilean envoy"
    )
    assert meetings(far) == []


def test_a_side_whose_future_is_at_stake_is_also_the_topic():
    from digest.meetings.topics import drop_own_sides

    assert drop_own_sides(["turkey", "trade"], ["Turkey", "Chile"], "talks on trade") == ["trade"]
    kept = drop_own_sides(["turkey"], ["Turkey"], "a dispute over the status of Turkey's ports")
    assert kept == ["turkey"]


def test_a_meeting_during_the_visit_takes_the_visits_date():
    text = (
        "Kenyan President Amos Kiptoo begins a three-day state visit to Norway on Tuesday. "
        "Kenyan Trade Minister Ruth Wanjiru will hold talks with Norwegian Fisheries Minister "
        "Rolf Becker during the visit."
    )
    talks = [m for m in meetings(text) if m["kind"] != "visit"]
    assert people(talks[0]) == [("Ruth Wanjiru", "Kenya"), ("Rolf Becker", "Norway")]
    assert talks[0]["date"] == "2024-05-14"
    assert talks[0]["status"] == "planned"
    # Not said to be during the visit: the talks keep no date.
    talks = [m for m in meetings(text.replace(" during the visit", "")) if m["kind"] != "visit"]
    assert talks[0]["date"] is None


def test_summit_holders_are_named_as_organisations_not_as_common_words():
    from digest.meetings.sides import summit_holders

    assert summit_holders("Shares in Commonwealth Bank rose before the Nairobi Summit.") == []
    assert summit_holders("The Arab league of voters in Boston met on Monday.") == []
    assert summit_holders("Leaders of the Commonwealth met in Kigali.") == ["Commonwealth"]
    assert summit_holders("The Organization of American States met.") == [
        "Organization of American States"
    ]


@pytest.mark.parametrize(
    "phrase",
    [
        "the summit was cancelled", "they called off the talks", "plans were scrapped",
        "the visit was shelved", "a scuttled trip", "talks were postponed", "she refused to meet",
        "he rejected the offer", "they declined to attend", "rebuffed an approach",
        "snubbed the host", "a boycott of the talks", "has no plans to meet him",
        "she wanted to meet", "he wants to visit", "would like to meet", "hopes to meet",
        "wishes to see", "they may meet", "whether they meet", "a request for talks",
        "the proposal for a summit", "the invitation for talks", "they meet regularly",
        "routinely speak", "every year they gather", "once a month", "twice a year",
        "meet annually", "the ministers meet quarterly", "semi-annual consultations",
        "yearly talks", "monthly meetings", "weekly calls", "frequent contacts",
        "periodic consultations", "many meetings", "multiple summits", "several talks",
        "numerous visits", "countless calls", "back and forth", "agreed to begin talks",
    ],
)  # fmt: skip
def test_every_branch_of_the_negative_cues_passes_their_word_filter(phrase):
    from digest.meetings.cues import _NEGATIVE, NEGATIVE

    assert _NEGATIVE.search(phrase.upper())  # the phrase is one of the pattern's own
    assert NEGATIVE.search(phrase.upper())  # and the cheap filter lets it through
    assert NEGATIVE.search("Ministers met in Oslo on Monday.") is None
