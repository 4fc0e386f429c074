"""The summariser's contract, its stand-alone penalties, and its redundancy check."""

from pathlib import Path

import numpy as np
import pytest

from digest import summarize
from digest.ranking import Ranked, rank, select
from digest.sentences import split_sentences, syntok_sentences
from digest.standalone import (
    ANAPHORIC,
    CAPTION,
    FRAGMENT,
    QUOTE_LEAD_IN,
    refers_back,
    standalone_factor,
)
from digest.summarize import summarize_many

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))

STORY = (
    "The city council approved a new budget for public transport on Monday. "
    "The budget adds forty electric buses to the city fleet next year. "
    "Council members debated the transport budget for six hours before the vote. "
    "Local bakeries reported a busy weekend. "
    "Electric buses will replace the oldest diesel buses in the fleet. "
    "The mayor said the transport budget was the largest in a decade."
)


def test_sentences_are_verbatim_and_in_document_order():
    text = SEEDS[1].read_text(encoding="utf-8")
    summary = summarize(text, sentences=4)
    assert len(summary) == 4
    for sentence in summary:
        assert sentence in text
    offsets = [text.index(s) for s in summary]
    assert offsets == sorted(offsets)


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_sentence_budget(count):
    assert len(summarize(STORY, sentences=count)) == count


def test_fewer_sentences_than_asked_returns_them_all():
    assert summarize("Only one sentence here.", sentences=3) == ["Only one sentence here."]
    assert summarize(STORY, sentences=50) == split_sentences(STORY)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "The. And it is. Of the, to be!"])
def test_empty_or_stop_word_only_text_never_raises(text):
    summary = summarize(text, sentences=2)
    assert len(summary) <= 2
    assert all(s in text for s in summary)


def test_character_budget_counts_joining_spaces():
    for budget in (60, 130, 200, 400):
        summary = summarize(STORY, sentences=10, max_chars=budget)
        assert summary, budget
        assert len(" ".join(summary)) <= budget


def test_a_sentence_longer_than_the_character_budget_is_passed_over():
    long_sentence = "Transport " * 30 + "budget grows."
    text = f"{long_sentence} The transport budget grows. Buses are electric."
    summary = summarize(text, sentences=2, max_chars=60)
    assert long_sentence.strip() not in summary
    assert summary and len(" ".join(summary)) <= 60
    assert summarize("One very long sentence about buses and budgets.", max_chars=10) == []


def test_whichever_budget_is_hit_first():
    assert len(summarize(STORY, sentences=1, max_chars=1024)) == 1
    assert len(" ".join(summarize(STORY, sentences=6, max_chars=90))) <= 90


def test_bad_sentence_count_is_a_clear_error():
    with pytest.raises(ValueError, match="sentences must be at least 1"):
        summarize(STORY, sentences=0)


def test_huge_input_stays_within_budget():
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SEEDS) * 20  # ~2,000 sentences
    summary = summarize(text, sentences=3, max_chars=1024)
    assert 1 <= len(summary) <= 3
    assert len(" ".join(summary)) <= 1024


def test_the_gist_beats_the_aside():
    summary = summarize(STORY, sentences=2)
    assert "Local bakeries reported a busy weekend." not in summary


def test_summarize_many_matches_one_at_a_time():
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert summarize_many(texts, sentences=3) == [summarize(t, sentences=3) for t in texts]


@pytest.mark.parametrize(
    ("sentence", "at_most"),
    [
        ("He added:", QUOTE_LEAD_IN),
        ("But the plan was rejected by the committee on Tuesday.", ANAPHORIC),
        ("They said it would be finished by next year at the latest.", ANAPHORIC),
        ("However, officials in the capital disagreed with the assessment.", ANAPHORIC),
        ("said the official, who declined to be named.", FRAGMENT),
        ('"We will not accept this deal under any circumstances.', FRAGMENT),
        ("(Photo : Getty Images)", CAPTION),
        ("Photo: Reuters", CAPTION),
        ("Read more: the full interview with the minister", CAPTION),
        ("By John Smith and Jane Doe", CAPTION),
        ("WASHINGTON —", CAPTION),
        ("London (CNN)", CAPTION),
        ("(Rolling Stone)", CAPTION),
        ("March 10, 2015 .", CAPTION),
        ("©2015 The Hollywood Reporter.", CAPTION),
        ("All rights reserved.", CAPTION),
        ("Scroll down for video", CAPTION),
        (
            "Antony Blinken, left, speaks with Wang Yi, right, during their meeting in Beijing.",
            CAPTION,
        ),
        ("Pictured: the minister arrives at the summit", CAPTION),
        ("Blinken meets Wang at Diaoyutai, Friday, April 26, 2024, in Beijing, China.", CAPTION),
    ],
)
def test_sentences_that_cannot_stand_alone_are_penalised(sentence, at_most):
    assert at_most < 1.0  # each kind is a real penalty
    assert standalone_factor(sentence) <= at_most


def test_a_sentence_referring_back_is_relieved_once_the_one_before_it_is_picked():
    sentences = ["Minister Ana Ruiz met the union.", "She promised a new deal.", "Rain fell."]
    scores = np.array([1.0, 0.5, 0.55])  # "She ..." carries its ANAPHORIC penalty
    vectors = np.eye(3)
    plain = Ranked(sentences, scores, np.zeros((3, 3)), vectors)
    relieved = Ranked(sentences, scores, np.zeros((3, 3)), vectors, np.array([1, 1 / 0.8, 1]))
    assert select(plain, 2) == [0, 2]
    assert select(relieved, 2) == [0, 1]  # 0.5 / 0.8 > 0.55 once its antecedent is in
    assert relieved.scores[1] == 0.5  # selection works on a copy: ranking again gives the same


def test_relief_applies_only_after_the_sentence_before_in_the_same_article():
    first = ["Ana Ruiz met the union leaders in Madrid.", "She promised a new deal on pay."]
    second = ["They said talks would go on.", "Union leaders welcomed the promise of a deal."]
    [story] = rank([first + second], positions=[[0, 1, 0, 1]])
    assert refers_back(first[1]) and refers_back(second[0])
    assert story.relief is not None
    assert story.relief[1] == pytest.approx(1 / ANAPHORIC)  # follows its own antecedent
    assert story.relief[2] == 1.0  # opens another outlet's article: nothing before it
    assert story.relief[0] == story.relief[3] == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "The city council approved a new budget for public transport on Monday.",
        '"We will not accept this deal," the minister said on Tuesday.',
        "China and the United States will hold security talks in Washington on Thursday.",
        "Talks resume on March 10, 2015 in Geneva.",
        "Washington (CNN) officials met the envoy on Monday.",
    ],
)
def test_sentences_that_stand_alone_are_not_penalised(sentence):
    assert standalone_factor(sentence) == 1.0


def test_penalised_sentence_loses_to_a_plain_one():
    text = (
        "The council approved the transport budget on Monday.\n\n"
        "He added:\n\n"
        "The transport budget adds electric buses to the council fleet.\n\n"
        "But the transport budget also adds electric buses to the council fleet."
    )
    summary = summarize(text, sentences=2)
    assert "He added:" not in summary
    assert not any(s.startswith("But") for s in summary)


def test_repeated_sentence_is_told_once():
    text = STORY + " " + STORY.replace("Local bakeries reported a busy weekend. ", "")
    summary = summarize(text, sentences=4)
    assert len(summary) == len(set(summary))


def test_repeated_stop_word_sentence_is_told_once():
    assert summarize("It is. It is. It is.", sentences=3) == ["It is."]


def _syntok_plain(text: str) -> list[str]:
    """The splitter without its shortcuts: every paragraph through syntok token by token."""
    from syntok import segmenter
    from syntok.tokenizer import Tokenizer

    tokenizer = Tokenizer(replace_not_contraction=False)
    out = []
    for _, paragraph in segmenter.preprocess_with_offsets(text):
        for sentence in segmenter.segment(tokenizer.tokenize(paragraph)):
            if sentence:
                last = sentence[-1]
                piece = paragraph[sentence[0].offset : last.offset + len(last.value)].strip()
                if piece:
                    out.append(piece)
    return out


TRICKY = [
    'He said: "Mr. Smith paid $1.5bn." Then he left... And Dr. J. R. Doe (pictured) nodded.',
    "The U.S. economy grew 3.1% in Q2. No. 10 said so; analysts disagreed! Really?",
    "It ended on 3 Jan. 2005. Sales (up 5%) rose. Others fell (see below).",
    'A one-sentence paragraph with "quotes" ends here."\n\nSecond paragraph.)\n\n  ',
    "Words\u200bjoined by a zero-width space. Next one.",
    "no terminal at all in this paragraph\n\nI. Roman numeral. II. Another one.",
    # Plain prose, sure splits, and short brackets syntok skips mid-sentence.
    'Profits rose 76% to $1.13bn (£600m) in 2004. The firm said so." Its rival fell.',
    "It ended in 2005. May was quiet. Sales (up 5%). Then (a) b. Police (BBC) said. No. 10 spoke.",
    "A said (see p. 5) that. (Opening bracket) sentence. Two (x) (y) groups. End (-.) here.",
    "He left; she came; The end! Really? \"Yes.\" 'No.' Mr. Smith met Dr. Jones etc. and went.",
    "Long (a bracket that runs on and on well past fifty characters in all) here. Next.",
    "Unclosed (bracket. Next one) here. And (% odd) ones. Last [square] one.",
    "Wisconsin Gov. Scott Walker met Staff Sgt. Ann Lee. Rep. Bo Li came. It was Gov. Brown.",
]


def test_english_titles_do_not_end_a_sentence():
    text = (
        "Wisconsin Gov. Scott Walker met Staff Sgt. John Doe and Lt. Col. Ann Lee. "
        "The Rev. Al Green spoke. It ended with Martin Luther King Jr. Then all left."
    )
    assert split_sentences(text) == [
        "Wisconsin Gov. Scott Walker met Staff Sgt. John Doe and Lt. Col. Ann Lee.",
        "The Rev. Al Green spoke.",
        "It ended with Martin Luther King Jr.",
        "Then all left.",
    ]


@pytest.mark.parametrize("text", [*TRICKY, *(p.read_text(encoding="utf-8") for p in SEEDS)])
def test_splitter_shortcuts_give_syntoks_sentences(text):
    assert syntok_sentences(text) == _syntok_plain(text)


def test_splitter_shortcuts_give_syntoks_sentences_on_random_paragraphs():
    import random

    rng = random.Random(7)
    words = ["the", "Said", "3.5", "$1.13bn", "US", "I", "No", "Mr", "etc", "2004", "May", "é"]
    words += ["Gov", "people's", "-", "—", "%", "“Hi”", "'q'", ".", "...", ";", "e.g.", "end.The"]
    tails = ["", "", "", ".", "!", "?", ";", ",", '."', ".)", ")", ".'", "...", "?!", ":"]
    spaces = [" "] * 8 + ["\n", "\xa0", "\u3000", "\x1c", "\u200b"]
    for _ in range(1500):
        parts = []
        for _ in range(rng.randint(1, 14)):
            word = rng.choice(words)
            if rng.random() < 0.15:
                word = "(" + " ".join(rng.choices(words, k=rng.randint(0, 4))) + ")"
            parts.append(rng.choice(["", "", "", '"', "(", "£"]) + word + rng.choice(tails))
        text = "".join(part + rng.choice(spaces) for part in parts)
        assert syntok_sentences(text) == _syntok_plain(text), text


def test_the_opening_counts_for_more_in_a_long_article():
    from digest.ranking import SHORT, rank

    opening = "The council approved the transport budget for electric buses on Monday."
    filler = [f"Item {i} of the report covers topic{i} and subject{i}." for i in range(60)]

    def lead_advantage(n: int) -> float:
        doc = [opening, *filler[: n - 2], opening.replace("Monday", "Tuesday")]
        scores = rank([doc], params=SHORT)[0].scores
        return float(scores[0] / scores[-1])

    assert lead_advantage(10) > 1.0
    assert lead_advantage(40) > 1.5 * lead_advantage(10)


def test_run_ons_lose_and_figures_gain_against_the_same_text_without_those_factors():
    from dataclasses import replace

    from digest.ranking import DEFAULT, rank

    run_on = "The council approved the transport budget " + "and the bus plan " * 12 + "today."
    doc = [
        "The council approved the transport budget for electric buses on Monday.",
        "The council approved 40 electric buses for the transport budget.",
        run_on,
        "The council debated the transport budget and the electric buses for hours.",
    ]
    plain = replace(DEFAULT, long_words=0.0, number=1.0)
    with_factors, without = rank([doc])[0].scores, rank([doc], params=plain)[0].scores
    ratio = with_factors / without
    assert len(run_on.split()) > DEFAULT.long_words
    assert ratio[2] == pytest.approx(DEFAULT.long_words / len(run_on.split()))
    assert ratio[1] == pytest.approx(DEFAULT.number)
    assert ratio[0] == pytest.approx(1.0)
    assert ratio[3] == pytest.approx(1.0)
