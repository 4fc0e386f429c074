"""Summaries a reader trusts: whole datelines and quotes, no dangling or repeated sentences."""

import dataclasses

import pytest

from digest.antecedents import Needs, needs
from digest.facts import facts, same_facts
from digest.ranking import DEFAULT, SHORT, profile, rank, select
from digest.rejoin import shown
from digest.sentences import split_sentences
from digest.standalone import (
    CAPTION,
    COLON_END,
    GARBLED,
    LABELLED,
    LINKED,
    NO_COMMENT,
    UNENDED,
    VERBLESS,
    byline_author,
    cut_off_opening,
    refers_back,
    standalone_factor,
)
from digest.summarize import summarize
from digest.titles import TITLES, is_title


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("TOKYO (Reuters) - Japan's economy shrank. It was bad.", "TOKYO (Reuters) - Japan's"),
        ("WASHINGTON (AP) \u2014 The Senate voted. More later.", "WASHINGTON (AP) \u2014 The"),
        ("London (CNN) -- A man was arrested. Police said so.", "London (CNN) -- A man"),
    ],
)
def test_a_dateline_stays_with_its_sentence(text, first):
    sentences = split_sentences(text)
    assert len(sentences) == 2
    assert sentences[0].startswith(first)


@pytest.mark.parametrize(
    ("sentence", "seen"),
    [
        ("TOKYO (Reuters) - Japan's economy shrank.", "Japan's economy shrank."),
        ("(CNN)The man left.", "The man left."),
        ("WASHINGTON \u2014 The Senate voted.", "The Senate voted."),
        (
            "\u2013 US Secretary of State Antony Blinken left.",
            "US Secretary of State Antony Blinken left.",
        ),
        ("Talks (in Geneva) went on.", "Talks (in Geneva) went on."),
        ("NATO said so.", "NATO said so."),
        # An outlet's web name as its dateline, but not a company named in a sentence.
        ("ExampleNews.net - Flood waters closed the bridge.", "Flood waters closed the bridge."),
        (
            "Example.com \u2013 the largest online grocer \u2013 said it would cut jobs.",
            "Example.com \u2013 the largest online grocer \u2013 said it would cut jobs.",
        ),
    ],
)
def test_a_summary_shows_no_dateline(sentence, seen):
    assert shown(sentence) == seen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"We will win. We must fight," said Mr Smith. Then he left.',
            ['"We will win. We must fight," said Mr Smith.', "Then he left."],
        ),
        (
            'He said: "This is it. We go now." She agreed.',
            ['He said: "This is it. We go now."', "She agreed."],
        ),
        (
            '"We must act now." Smith said. Then more.',
            ['"We must act now." Smith said.', "Then more."],
        ),
        # An inch mark opens no quotation: nothing is joined for it.
        ("He is 6'2\" tall. He plays. Good.", ["He is 6'2\" tall.", "He plays.", "Good."]),
    ],
)
def test_a_quotation_stays_whole_and_with_its_attribution(text, expected):
    assert split_sentences(text) == expected


def test_rejoined_sentences_are_verbatim():
    text = 'BEIJING (Reuters) - Talks began. "We are ready. We came," the envoy said.\n\nMore.'
    for sentence in split_sentences(text):
        assert sentence in text


def test_one_list_of_titles():
    assert {"Gov", "Sgt", "Mr", "Dr", "Sen"} <= TITLES
    assert is_title("gov.") and is_title("Lt") and not is_title("Jr")
    assert split_sentences("Wisconsin Gov. Scott Walker spoke. Staff Sgt. Jo Lee left.") == [
        "Wisconsin Gov. Scott Walker spoke.",
        "Staff Sgt. Jo Lee left.",
    ]


def test_what_a_sentence_needs():
    sentences = [
        "Foreign Minister Wang Yi met Secretary of State Antony Blinken in Beijing.",
        "The talks lasted five hours.",
        "Wang said the two sides had agreed to keep talking.",
        "He added that the meeting was useful.",
        '"We will not give in."',
        "Antony Blinken flew home on Saturday.",
        '"The visit was useful," he told reporters at the airport.',
        '"The visit was useful," Blinken told reporters at the airport.',
    ]
    opens_back = [refers_back(s) for s in sentences]
    opens_back[0] = False
    # A quote whose speaker is only "he" needs the sentence before it; one naming him by
    # surname needs only the sentence that introduced him.
    assert needs(sentences, opens_back) == [(), (), (0,), (2,), (3,), (), (5,), (0,)]
    # Read lazily, up to the sentence asked about, in any order: the same answers.
    lazy = Needs(sentences, opens_back)
    assert [lazy[i] for i in (3, 0, 5, 2, 4, 1)] == [(2,), (), (), (0,), (3,), ()]


def test_a_sentence_comes_with_what_it_refers_to_or_not_at_all():
    doc = [
        "Foreign Minister Wang Yi met Secretary of State Antony Blinken in Beijing on Friday.",
        "Markets in Asia were calm and trading was thin across the region.",
        "Wang said tariffs on electric cars and chips would harm trade between the two powers.",
        "Tariffs on electric cars and chips harm trade, exporters in both countries warned.",
    ]
    ranked = rank([doc], params=DEFAULT)[0]
    for budget in (1, 2, 3):
        picked = select(ranked, budget, params=DEFAULT)
        if 2 in picked:
            assert 0 in picked
        for i in picked:
            assert set(ranked.needs[i]) <= set(picked)


def test_no_two_picked_sentences_say_the_same_thing():
    doc = [
        "The summit between the two leaders will take place on Thursday in Washington.",
        "Officials said the summit between the two leaders will take place Thursday in Washington.",
        "Trade, security and climate are on the agenda, according to the foreign ministry.",
        "The leaders last met in Bali a year ago.",
    ]
    for params in (DEFAULT, SHORT):
        picked = select(rank([doc], params=params)[0], 3, params=params)
        assert not {0, 1} <= set(picked)
        assert len(picked) == 3


def test_the_facts_a_sentence_states():
    names, times = facts(
        "On Monday, Ms Okafor told the Lagos Assembly 42 bills were passed in May."
    )
    assert names == {"okafor", "lagos", "assembly"}
    assert times == {"monday", "42", "may"}
    assert facts("The vote is today.")[0] == frozenset()  # the opening capital names nothing


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (
            "Lisbon and Oslo are set to sign a fisheries accord on Tuesday after talks.",
            "Ministers from Portugal and Norway will meet on Tuesday in Oslo to sign it.",
            True,
        ),
        (
            "Lisbon and Oslo are set to sign a fisheries accord on Tuesday after talks.",
            "Fish prices in Oslo fell sharply last year, traders said.",
            False,  # a shared name, no shared day or figure
        ),
        (
            "The vote in Nairobi is on Friday, with 12 parties, 300 seats and 8 regions open.",
            "In Nairobi on Friday, Kenya's 2,000 observers and 47 counties wait for 9 results.",
            False,  # most of the shorter one's facts are its own
        ),
    ],
)
def test_same_facts(first, second, same):
    assert same_facts(facts(first), facts(second)) is same


def test_the_same_fact_in_other_words_is_not_picked_twice():
    doc = [
        "Lisbon and Oslo are set to sign a fisheries accord on Tuesday to end a dispute over cod.",
        "Ministers from Portugal and Norway will meet on Tuesday in Oslo to sign the new accord.",
        "The dispute began when quotas for cod in northern waters were cut by a fifth.",
        "Fishing crews in both countries have protested at ports for several weeks.",
    ]
    # A digest's short summary (SHORT) applies the test; longer budgets (DEFAULT) do not.
    assert SHORT.same_facts < 1.0 <= DEFAULT.same_facts
    ranked = rank([doc], params=SHORT)[0]
    # Under half of their words are shared: only the content test tells them apart.
    assert not _overlap_only(ranked, 0, 1)
    picked = select(ranked, 3, params=SHORT)
    assert not {0, 1} <= set(picked)
    assert len(picked) == 3


def _overlap_only(ranked, a, b) -> bool:
    shared = float(ranked.terms[a] @ ranked.terms[b])
    return shared > 0.5 * max(ranked.terms[a].sum(), ranked.terms[b].sum())


@pytest.mark.parametrize(
    ("sentence", "factor"),
    [
        ("Higher costs, lower wages and rural hospitals.", VERBLESS),
        ("The board said rising costs would close rural hospitals.", 1.0),
        ("Ferries resume on Monday in the northern ports.", 1.0),  # not a list: spared
        ("Fishing quotas were cut in the Arctic OceanThe fleet stayed in port.", GARBLED),
        ("Ms Ode criticised the plan for its cost And to pensioners as well.", GARBLED),
        ("Ms Ode criticised the plan and its cost to pensioners as well.", 1.0),
        ("Prices of the PlayStation fell after WorldCom sold it.", 1.0),  # names in one word
        ("Officials at the Department Of Justice opened an inquiry.", 1.0),
        ("McDonald and MacArthur signed the letter on behalf of the group.", 1.0),
    ],
)
def test_garbled_and_verbless_pieces(sentence, factor):
    assert standalone_factor(sentence) == pytest.approx(factor)


def test_clean_sentences_win_over_garbled_and_verbless_ones():
    body = (
        "Farmers in the valley marched on the capital on Monday to demand cheaper fuel.\n\n"
        "Fuel prices, fertiliser costs and unpaid farm subsidies.\n\n"
        "The marchers demanded lower fuel prices And Its subsidies for farm machineryand seeds.\n\n"
        "Police said about two thousand farmers joined the march on fuel prices.\n\n"
        "The agriculture minister promised to meet farm leaders about fuel prices this week."
    )
    summary = summarize(body, sentences=3)
    assert summary[0].startswith("Farmers in the valley")
    assert not any(s.startswith(("Fuel prices,", "The marchers")) for s in summary)


def test_a_short_summary_keeps_the_lead_unless_it_is_furniture():
    body = (
        "Photo: Reuters\n\n"
        "The central bank raised interest rates by half a point on Tuesday to fight inflation.\n\n"
        + " ".join(
            f"Analyst {i} said inflation and interest rates would shape the economy this year."
            for i in range(12)
        )
    )
    summary = summarize(body, sentences=3)
    assert summary[0].startswith("The central bank raised")
    assert all(not s.startswith("Photo") for s in summary)
    assert profile(3) is SHORT and profile(4) is DEFAULT


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("By .", True),
        ("PUBLISHED: .", True),
        ("| . UPDATED: .", True),
        ("19:31 EST, 19 September 2013 .", True),
        ("Last updated at 5:15 PM on 3rd January 2012 .", True),
        (
            "Published on Monday, March 3, 2014 at 9.30am. Updated: 10:31 a.m. ET, Sept. 19, 2013.",
            True,
        ),
        ("Updated at 3pm.", True),
        ("At 10.30am the ferry left the harbour with 300 passengers.", False),
        ("The deal was signed on 19 September 2013.", False),
        ("Published in 2012, the report sold ten thousand copies.", False),
        ("On Monday .", False),  # no stamp word, time or full date: only a short piece
    ],
)
def test_page_time_stamps_and_bylines_are_furniture(sentence, furniture):
    assert (standalone_factor(sentence) <= CAPTION) is furniture


def test_a_byline_cut_into_pieces_never_leads_a_summary():
    body = (
        "By . Nora Quill, Transport Editor . PUBLISHED: . 19:31 EST, 19 September 2013 . | . "
        "UPDATED: . 19:32 EST, 19 September 2013 . The number of parking fines issued on a Sunday "
        "has doubled since a dozen towns introduced seven-day patrols. Figures show the fines went "
        "up by a third in a year across the towns. Scroll down for video . The towns say the "
        "patrols keep roads clear for residents and shoppers at weekends. Motoring groups said the "
        "fines were a tax on drivers who visit town centres on Sundays."
    )
    sentences = split_sentences(body)
    assert sentences[:2] == ["By .", "Nora Quill, Transport Editor ."]  # what the page gives
    ranked = rank([sentences], params=SHORT)[0]
    assert ranked.furniture is not None and ranked.furniture[:6].all()
    assert not ranked.furniture[6:8].any()
    summary = summarize(body, sentences=3)
    assert summary[0].startswith("The number of parking fines")
    assert not any(s.startswith(("By", "Nora", "PUBLISHED", "|", "19:3")) for s in summary)
    # A name line counts as the byline's author only right after a bare "By".
    assert byline_author("By .", "Nora Quill, Transport Editor .")
    assert not byline_author("The minister spoke.", "Nora Quill, Transport Editor .")
    assert not byline_author("By .", "Nora Quill said the fines were unfair.")


@pytest.mark.parametrize(
    ("sentence", "furniture"),
    [
        ("Updated Mar 3, 7:05 PM;", True),  # a stamp without its year
        ("Posted 3 March, 18:05 GMT", True),
        ("SPRINGFIELD, Ill.", True),  # a dateline cut from its sentence
        ("ZURICH, SWITZERLAND", True),
        ("What Does The New Tariff Mean?", True),  # a heading in title case
        ("He was sentenced on Friday, March 7, 2031, to ten years in prison.", False),
        ("Ada Okafor Won The Final.", False),  # a full stop: a sentence, not a heading
        ("Residents get their water from a well here.", False),  # no prompt to follow a link
        ("Pre-Flight Checks", True),  # a short heading without an end mark
        ("You can read the full list of winners here.", True),  # a link's prompt
        ("The talks were held here.", False),
        ("The minister added: The talks will go on.", False),  # a speaker's lead-in
        ("Talks resume on March 10 in Geneva.", False),
        ("Okafor said on Tuesday that talks would resume.", False),
        ("Lagos, the largest city, was calm.", False),
        ("Click the photo to see the full standings.", True),  # a prompt to work the page
        ("Swipe left for more pictures.", True),
        ("Tap water in the city is safe to drink again, officials said.", False),
        ("\u25b6 Tap the image to play the video.", True),  # after a mark
        ("Tap to pay on phones launched in the UK on Tuesday.", False),  # about the gesture
        ("Click the link in the email and you could lose your savings, police warned.", False),
        ("Swipe right culture has changed dating, a study of 10,000 adults found.", False),
        ("Ranked #1 #2 #3.", False),  # rankings, not hashtags
        ("Clicks on the council's adverts fell by a third.", False),
        ("https://example.com/news/2031/03/bridge", True),  # a bare web address
        ("Tickets: www.example.org/tickets", True),  # with a short label
        ("#bridge #floods #springfield #news", True),  # a run of hashtags
        ("The campaign used #NoBridgeTolls to reach drivers across the county.", False),
    ],
)
def test_stamps_datelines_headings_and_captions_are_furniture(sentence, furniture):
    assert (standalone_factor(sentence) <= CAPTION) is furniture


@pytest.mark.parametrize(
    ("sentence", "factor"),
    [
        ("Ada Okafor, the minister who is leading the talks for the government", UNENDED),
        ("The ministry declined to comment.", NO_COMMENT),
        (
            "A spokeswoman for the airline did not immediately respond to a request for comment.",
            NO_COMMENT,
        ),
        # Long enough to say more than that: no penalty.
        (
            "The ministry declined to comment on the talks but said the border would reopen "
            "on Monday for trucks carrying food.",
            1.0,
        ),
        ('"The border reopens on Monday," the ministry said.', 1.0),
        ("Seven questions the ministers will face at the summit:", COLON_END),
        ("Happy ending: The rescued dog went home on Sunday.", LABELLED),  # a caption's label
        ("Mr Okafor: I did nothing wrong.", 1.0),  # a speaker, not a label
        # An address inside a sentence reads as a call to visit, rarely as the news.
        ("The council posted the full list of closed roads at www.example.gov on Monday.", LINKED),
    ],
)
def test_unended_lines_and_no_comment_sentences_weigh_less(sentence, factor):
    assert standalone_factor(sentence) == pytest.approx(factor)


def test_web_furniture_never_leads_a_summary():
    body = (
        "Click the photo to see the flood in pictures.\n\n"
        "https://example.com/news/2031/03/springfield-floods\n\n"
        "Flood waters closed the main bridge in Springfield on Tuesday as the river rose to a "
        "record height.\n\n"
        "Crews stacked sandbags along the river through the night.\n\n"
        "#floods #springfield #bridge #river\n\n"
        "The city said the bridge would stay shut until the river falls below flood stage."
    )
    summary = summarize(body, sentences=3)
    assert summary[0].startswith("Flood waters closed the main bridge")
    assert not any(s.startswith(("Click", "https", "#")) for s in summary)


def test_a_cut_dateline_never_leads_and_its_sentence_does():
    body = (
        "SPRINGFIELD, Ill.\n\n"
        "\u2014 Flood waters closed the main bridge in Springfield on Tuesday as the river rose "
        "to a record height.\n\n"
        "Crews stacked sandbags along the river through the night.\n\n"
        "The city said the bridge would stay shut until the river falls below flood stage."
    )
    summary = summarize(body, sentences=3)
    assert summary[0].startswith("Flood waters closed the main bridge")
    assert not any("SPRINGFIELD" in s for s in summary)


@pytest.mark.parametrize(
    ("text", "first", "seen"),
    [
        (
            "ST. ALBANS, Vt. (AP) \u2014 A bridge closed on Monday. Crews were sent.",
            "ST. ALBANS, Vt. (AP) \u2014 A bridge closed on Monday.",
            "A bridge closed on Monday.",
        ),
        (
            "Springfield, Ill. \u2014 The river rose to a record. Crews were sent.",
            "Springfield, Ill. \u2014 The river rose to a record.",
            "The river rose to a record.",
        ),
        (
            "The fair runs Oct. 5\u20137 in Springfield. Tickets are free.",
            "The fair runs Oct. 5\u20137 in Springfield.",
            "The fair runs Oct. 5\u20137 in Springfield.",
        ),
    ],
)
def test_a_dateline_or_date_cut_at_its_abbreviation_is_one_sentence(text, first, seen):
    sentences = split_sentences(text)
    assert sentences[0] == first and len(sentences) == 2
    assert shown(sentences[0]) == seen


def test_a_quantifier_before_a_capitalised_noun_is_not_a_name():
    sentences = [
        "Many Norwegians said in a survey that they trusted the new plan.",
        "Norwegians rejected the earlier plan in a second survey.",
        "Ada Okafor spoke to the assembly.",
        "Okafor said the vote was final.",
    ]
    assert needs(sentences, [False] * 4) == [(), (), (), (2,)]


def test_a_bare_surname_is_found_after_a_middle_initial_in_a_possessive_and_with_an_apostrophe():
    sentences = [
        "The writer Nora M. Quill died in 2006.",
        "Quill wrote ten novels.",
        "The agency hired Ada Okafor as an adviser.",
        "(Okafor\u2019s clients include two airlines.)",
        "Sean O\u2019Dwyer spoke first.",
        "O\u2019Dwyer then left the room.",
    ]
    assert needs(sentences, [False] * 6) == [(), (0,), (), (2,), (), (4,)]


def test_a_short_summary_keeps_the_opening_who_and_where_that_shares_few_words():
    # The second sentence names who and where: few words in common with the rest, so little
    # centrality, but human highlights keep it; SHORT's lead_add lets it stand.
    sentences = [
        "The city council voted on Tuesday to close the old river bridge to traffic after "
        "engineers found cracks.",
        "Mayor Ada Okafor, who chairs the council, said repairs at Lowfield would start in March "
        "and last a year.",
    ]
    sentences += [
        f"Engineers said the cracks in the bridge piers had grown over {n} years of heavy traffic."
        for n in ("two", "three", "four", "five", "six")
    ]
    sentences += [
        f"Drivers on the {side} side of the river will have to use the ring road while the "
        "bridge is closed."
        for side in ("north", "south", "east", "west")
    ]
    sentences += [
        f"Shops near the bridge said the closure would cost them {share} of their trade."
        for share in ("half", "a third", "a quarter")
    ]
    body = " ".join(sentences)
    assert SHORT.lead_add > 0
    assert summarize(body, 3)[:2] == sentences[:2]
    without = summarize(body, 3, params=dataclasses.replace(SHORT, lead_add=0.0))
    assert sentences[1] not in without


def test_an_added_lead_score_kept_to_the_second_sentence_passes_over_a_side_detail_after_it():
    # SHORT spreads its added lead score over about three sentences, so a side detail in third
    # place stands; kept to about the second (bench/summarize.py's ours-central, issue #16),
    # the story's substance further on wins.
    sentences = [
        "The city council voted on Tuesday to close the old river bridge to traffic after "
        "engineers found cracks.",
        "Mayor Ada Okafor, who chairs the council, said repairs to the bridge at Lowfield would "
        "start in March and last a year.",
        "A brass band played by the old bridge as councillors arrived for the meeting.",
        "Shops near the market reported a busy morning.",
        "Rain is expected later in the week.",
        "A new bakery opened on the high street last month.",
        "Engineers found the cracks in the bridge piers after years of heavy traffic.",
        "Traffic will cross the river on the ring road while the bridge is closed.",
    ]
    assert select(rank([sentences], params=SHORT)[0], 3, params=SHORT) == [0, 1, 2]
    kept = dataclasses.replace(SHORT, lead_add_decay=1.2)
    assert select(rank([sentences], params=kept)[0], 3, params=kept) == [0, 1, 6]


def test_a_person_named_by_office_alone_comes_only_with_the_sentence_naming_them():
    sentences = [
        "The stakes are high for every candidate ahead of Tuesday's debate in Springfield.",
        "They are highest for Ada Okafor, who led the field a month ago.",
        "The former governor had a clear lead in the state polls, but has dropped in recent "
        "polls among young voters and rural voters.",
        "Young voters and rural voters said the race in the state polls is as open as ever.",
        "Rural voters in the state polls said they want to hear about roads.",
        "Young voters in the state polls said they want to hear about rents.",
    ]
    assert refers_back(sentences[2])
    picked = select(rank([sentences], params=SHORT)[0], 2, params=SHORT)
    assert picked == [0, 3]  # "The former governor" needs Okafor's sentence, and 2 leave no room


@pytest.mark.parametrize(
    "sentence",
    [
        "The five met again in Paris on Monday.",
        "Both men denied the charges on Tuesday.",
        "Nor did the ministers agree on a date.",
        "Such a move would need a vote in parliament.",
        "The same is true of the northern border.",
        "The latter was fined on Friday.",
        "Despite this, the talks went on.",
        "After that, the minister left the hall.",
        "The former vice president had a clear lead in the state.",  # named by office alone
        "The minister, who arrived on Monday, said the talks would go on.",
        "The finance minister says the budget will balance.",
        "The move comes as prices rise across the region.",  # a noun naming what was said
        "According to the statement, the talks will resume in May.",
    ],
)
def test_a_group_named_before_or_a_word_pointing_back_points_back(sentence):
    assert refers_back(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The former airport will become a park.",
        "Norway won the final on Sunday.",
        "Despite thick fog, the race went ahead.",
        "After thirty years, the bridge closed.",
        "The sameness of the two plans surprised the judges.",
        "The president of the bank said rates would rise.",  # the office described in full
        "The Prime Minister Ada Okafor flew to Lagos.",  # the name follows
        "The new President, Ada Okafor, has said so.",
        "The former chief financial officer at Example Corp admitted fraud.",
        "The ministry said the talks would go on.",
        "The decision-making process took a year.",
        "The attackers fled before the police arrived.",
        "The ruling party won 60% of the vote.",
        "The attack on the embassy killed 12 people.",  # the noun says what it is
        "The threat of a rail strike has receded.",
        "The same-sex marriage bill passed on Thursday.",
        "Despite this year's floods, the harvest was good.",
        "The official figures show inflation fell in May.",  # an office word as an adjective
        "The general elections were held in 2031.",
    ],
)
def test_words_that_only_look_like_pointing_back_do_not(sentence):
    assert not refers_back(sentence)


def test_a_colon_dateline_or_speaker_is_neither_a_caption_label_nor_cut():
    for sentence in (
        "LAGOS: Nearly 40 fishermen returned home on Wednesday after the strike.",
        "OKAFOR: We will not give in.",
    ):
        assert standalone_factor(sentence) == 1.0
        assert shown(sentence) == sentence


def test_a_short_summary_never_repeats_a_run_of_the_leads_words():
    phrase = "a resolution to the border dispute and the likely end of the blockade"
    sentences = [
        f"Ministers of the two countries met in Geneva on Monday as talks pushed for {phrase}.",
        "Traders at the crossing said lorries had queued for a week.",
        "State television in both capitals showed footage of ministers, generals, envoys and "
        f"aides arriving at the lakeside hotel, where negotiators worked through the night on "
        f"{phrase}.",
        "Farmers on both sides have lost crops to the closure.",
        "Prices of bread and fuel in the border towns have doubled.",
    ]
    ranked = rank([sentences], params=SHORT)[0]
    assert SHORT.phrase and 2 not in select(ranked, 3, params=SHORT)
    without = dataclasses.replace(SHORT, phrase=0)
    assert 2 in select(rank([sentences], params=without)[0], 3, params=without)


def test_a_text_that_lost_its_start_does_not_lead_with_the_cut():
    body = (
        "She added that the bakery would open again in the spring.\n\n"
        "A fire closed the oldest bakery in Lowfield on Monday after an oven overheated.\n\n"
        "The owner said the fire had destroyed the kitchen but not the shop.\n\n"
        "Neighbours collected money on Tuesday to help pay for the repairs."
    )
    summary = summarize(body, sentences=3)
    assert summary[0].startswith("A fire closed the oldest bakery")
    assert not any(s.startswith("She added") for s in summary)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Did he win? NO. He lost by ten votes.", 3),  # an answer in capitals stays a sentence
        ("She paused. Silence. \u2014 then the crowd erupted.", 3),  # no place before the dash
    ],
)
def test_real_sentences_are_not_joined_as_datelines(text, pieces):
    assert len(split_sentences(text)) == pieces


def test_a_dash_after_two_names_is_not_a_dateline():
    sentence = "Apple, Google \u2014 and two other firms \u2014 face new rules."
    assert shown(sentence) == sentence


def test_a_numbered_compound_does_not_point_back():
    assert not refers_back("The two-day summit opened in Lagos on Monday.")


def test_a_feature_opening_with_a_pronoun_is_not_a_lost_start():
    assert not cut_off_opening("She was 17 when she left home for the capital.")
    assert cut_off_opening("She also said the bakery would open again.")


def test_a_long_run_of_capitals_after_a_comma_is_read_in_linear_time():
    # Each word may be cut at any capital: a pattern that re-cuts them never ends on this.
    assert standalone_factor("Lagos, " + "A" * 3000 + "!") > 0
