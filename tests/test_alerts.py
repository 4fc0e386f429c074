"""digest/alerts.py: topic matching as whole words. Plain functions."""

from __future__ import annotations

import pytest

from digest.alerts import (
    BadTopic,
    TopicMatcher,
    Vocabulary,
    normalize_topic,
    phrase_pattern,
)
from digest.models import Article


def article(n: int, title: str, body: str = "") -> Article:
    return Article(f"https://a.example/{n}", body, f"h{n}", title=title, id=n)


@pytest.mark.parametrize(
    ("topic", "text", "matches"),
    [
        ("war", "The war in the east", True),
        ("war", "Software and warfare", False),
        ("war", "WAR!", True),
        ("climate change", "climate-change talks", True),
        ("climate change", "climate  \n change", True),
        ("climate change", "change the climate", False),
        ("c++", "written in C++ today", True),  # escaped, not a regex
        ("c++", "written in c today", True),  # '+' is not a word character: whole word 'c'
        ("a.b", "axb", False),
        ("(", "anything", None),
        ("u.s.", "the U.S. said", True),
        ("eu", "Europe", False),
    ],
)
def test_phrase_matching_is_whole_words_never_regex(topic, text, matches):
    if matches is None:
        with pytest.raises(BadTopic):
            phrase_pattern(topic)
        return
    matcher = TopicMatcher([topic])
    assert bool(matcher.matches(article(1, text))) is matches


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("  Steel   Tariffs ", "steel tariffs"), ("NUCLEAR", "nuclear"), ("c++", "c++")],
)
def test_normalize_topic(raw, stored):
    assert normalize_topic(raw) == stored


@pytest.mark.parametrize("raw", ["", "   ", "?!*", "x" * 101])
def test_normalize_topic_refuses_unusable_text(raw):
    with pytest.raises(BadTopic):
        normalize_topic(raw)


def test_tags_use_their_patterns_and_extra_phrases():
    vocabulary = Vocabulary(
        patterns={"arms sales": (r"arms sales?", r"weapons sales?")},
        phrases={"chips": ("semiconductor", "chip")},
    )
    matcher = TopicMatcher(["arms sales", "chips"], vocabulary)
    assert matcher.matches(article(1, "New weapons sale approved")) == {"arms sales"}
    assert matcher.matches(article(2, "Semiconductor exports", "A chip plant")) == {"chips"}
    assert matcher.matches(article(3, "Chipmunks escape")) == set()


def test_one_vocabulary_type_serves_extraction_alerts_and_autocomplete():
    from digest.meetings.topics import Vocabulary as MeetingsVocabulary
    from digest.meetings.topics import extend_vocabulary, tag_text

    vocabulary = extend_vocabulary({"Chips": ["semiconductor", "chip makers"]})
    assert Vocabulary is MeetingsVocabulary
    assert "chips" in vocabulary.tags and "trade" in vocabulary.tags  # autocomplete offers both
    sentence = "They discussed tariffs on semiconductor exports."
    assert {"chips", "trade"} <= set(tag_text(sentence, vocabulary))  # meeting topics
    article = Article(location="x", body=sentence, content_hash="h", id=1)
    assert TopicMatcher(["chips", "trade"], vocabulary).matches(article) == {"chips", "trade"}


@pytest.mark.parametrize(
    "text",
    [
        "The ministers discussed nuclear arms control and a missile treaty.",
        "Talks covered Russian gas, Iranian oil and the South China Sea.",
        "They agreed on debt relief, writing off $2 billion of debts, and AI safety.",
        "Sino-Japanese relations and cross-strait tension were on the agenda.",
        "Nothing here is a topic at all, said the spokesman.",
    ],
)
def test_the_prefilter_finds_exactly_what_each_tag_regex_finds(text):
    from digest.meetings.topics import shipped_vocabulary

    vocabulary = shipped_vocabulary()
    expected = [tag for tag in vocabulary if vocabulary.matcher(tag).search(text)]
    assert vocabulary.tags_in(text) == expected


def test_an_alert_on_a_tag_also_fires_on_the_tags_own_name():
    from digest.meetings.topics import shipped_vocabulary

    article = Article(location="x", body="A new security law was passed.", content_hash="h", id=1)
    assert TopicMatcher(["security"], shipped_vocabulary()).matches(article) == {"security"}
