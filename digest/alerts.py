"""Topic alerts, as plain logic: which topics an article matches (whom to tell is the bot's).

A topic is either a tag of the topic vocabulary (``digest.meetings.topics.Vocabulary``, the one
type extraction and autocomplete use too) or a word or phrase a user typed, matched
case-insensitively as WHOLE words in an article's title and text. User text is never compiled
as a regular expression: it is split into words and each word is escaped, so ``c++`` or ``(``
are harmless and ``war`` does not match ``software``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from digest.meetings.topics import WORD, BadTopic, Vocabulary, phrase_pattern
from digest.models import Article

__all__ = ["BadTopic", "TopicMatcher", "Vocabulary", "normalize_topic", "phrase_pattern"]

MAX_TOPIC_CHARS = 100


def normalize_topic(text: str) -> str:
    """The stored form of a topic: trimmed, single-spaced, lower case; BadTopic when unusable."""
    topic = " ".join(text.split()).lower()
    if not topic or len(topic) > MAX_TOPIC_CHARS or not WORD.search(topic):
        raise BadTopic(
            f"{text[:40]!r} is not a usable topic: give a tag from /topics, or a word or "
            f"phrase of at most {MAX_TOPIC_CHARS} characters"
        )
    return topic


class TopicMatcher:
    """Which of a fixed set of topics an article matches; built once, used on many articles."""

    def __init__(self, topics: Iterable[str], vocabulary: Vocabulary | None = None) -> None:
        vocabulary = vocabulary or Vocabulary()
        self._tags: dict[str, re.Pattern[str]] = {}
        self._phrases: dict[str, tuple[frozenset[str], re.Pattern[str]]] = {}
        for topic in set(topics):
            if topic in vocabulary:
                # An alert on a tag also fires on the tag's own name ("security").
                own = phrase_pattern(topic).pattern
                tag = vocabulary.matcher(topic).pattern
                self._tags[topic] = re.compile(f"{tag}|{own}", re.IGNORECASE)
            else:
                words = frozenset(WORD.findall(topic.lower()))
                self._phrases[topic] = (words, phrase_pattern(topic))

    def matches(self, article: Article) -> set[str]:
        """The topics ``article`` matches, by its title and text."""
        text = f"{article.title or ''}\n{article.body}"
        words = set(WORD.findall(text.lower()))
        found = {
            topic
            for topic, (needed, pattern) in self._phrases.items()
            if needed <= words and pattern.search(text)  # cheap word check first
        }
        found.update(topic for topic, pattern in self._tags.items() if pattern.search(text))
        return found
