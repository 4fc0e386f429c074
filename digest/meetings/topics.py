"""Topic tags for a meeting, from the shipped vocabulary (``digest/data/topics.toml``).

Each tag lists regular expressions; config may add tags or patterns through ``vocabulary``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from digest.meetings.gazetteer import side_of

Vocabulary = dict[str, list[re.Pattern[str]]]


def _compile(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    # One alternation per tag: a single regex search per tag and sentence.
    joined = "|".join(f"(?:{p})" for p in patterns)
    return [re.compile(rf"(?<![\w-])(?:{joined})(?![\w])", re.IGNORECASE)] if joined else []


@cache
def shipped_patterns() -> dict[str, tuple[str, ...]]:
    """Tag -> trusted regex patterns, as shipped in digest/data/topics.toml (alerts use them)."""
    text = resources.files("digest").joinpath("data", "topics.toml").read_text(encoding="utf-8")
    tags = tomllib.loads(text)["tags"]
    return {tag: tuple(spec.get("patterns", [re.escape(tag)])) for tag, spec in tags.items()}


@cache
def shipped_vocabulary() -> Vocabulary:
    """The topic tags and patterns that ship with Parley, compiled."""
    return {tag: _compile(patterns) for tag, patterns in shipped_patterns().items()}


def extend_vocabulary(extra: Mapping[str, Iterable[str]]) -> Vocabulary:
    """The shipped vocabulary plus ``extra`` (tag -> words or phrases), e.g. from the config.

    Config entries are plain words or phrases, matched as whole words (not regexes).
    """
    vocabulary = dict(shipped_vocabulary())
    for tag, phrases in extra.items():
        tag = tag.strip().lower()
        words = [re.escape(p.strip()) for p in phrases if p.strip()] or [re.escape(tag)]
        vocabulary[tag] = [*vocabulary.get(tag, []), *_compile(words)]
    return vocabulary


def tag_text(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """Tags whose patterns occur in ``text``, in vocabulary order."""
    vocabulary = vocabulary or shipped_vocabulary()
    return [tag for tag, patterns in vocabulary.items() if any(p.search(text) for p in patterns)]


def drop_own_sides(tags: Iterable[str], sides: Iterable[str]) -> list[str]:
    """Remove country tags that name one of the meeting's own sides (GUIDE §9)."""
    own = {s.lower() for s in sides}
    return [t for t in tags if (side_of(t) or "").lower() not in own]
