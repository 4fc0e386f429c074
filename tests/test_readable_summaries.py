"""Summaries a reader trusts: whole datelines and quotes, no dangling or repeated sentences."""

import pytest

from digest.antecedents import needs
from digest.ranking import DEFAULT, SHORT, profile, rank, select
from digest.rejoin import shown
from digest.sentences import split_sentences
from digest.standalone import refers_back
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
    ]
    opens_back = [refers_back(s) for s in sentences]
    opens_back[0] = False
    assert needs(sentences, opens_back) == [(), (), (0,), (2,), (3,), ()]


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
