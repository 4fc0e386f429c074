"""The topic vocabulary: one type and one loader for meeting topics, alerts and autocomplete.

A tag is recognised by the regular expressions shipped in ``digest/data/topics.toml`` and by
plain words or phrases (the config's ``[topics] extra``, matched as whole words, never compiled
from user text as a regex). Meeting extraction tags sentences with it, alerts match articles
with it, and the bot offers its tags for autocomplete.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from digest.errors import ParleyError
from digest.meetings.gazetteer import side_of

WORD = re.compile(r"\w+")


class BadTopic(ParleyError):
    """A topic must be a tag, or a word or phrase of at most 100 characters."""


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A regex matching ``phrase``'s words, in order, as whole words.

    Any punctuation or space may separate them, so 'climate change' also finds 'climate-change'.
    """
    words = WORD.findall(phrase.lower())
    if not words:
        raise BadTopic(f"{phrase[:40]!r} has no words to look for")
    body = r"\W+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Topic tags and how to recognise each: shipped regex patterns and plain phrases.

    A tag with no shipped patterns is also recognised by its own name ("diplomacy track").
    Compiled matchers are built once per vocabulary, on first use.
    """

    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def tags(self) -> list[str]:
        """Every tag, sorted."""
        return sorted({*self.patterns, *self.phrases})

    def __contains__(self, topic: object) -> bool:
        return topic in self.patterns or topic in self.phrases

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def matcher(self, tag: str) -> re.Pattern[str]:
        """The one regex recognising ``tag``."""
        return self._matchers[tag]

    def tags_in(self, text: str) -> list[str]:
        """Tags that occur in ``text``, in vocabulary order."""
        # A tag's regex runs only when the text holds the literal start of one of its
        # branches (plain substring tests are far cheaper than a regex search per tag).
        low = text.lower()
        return [
            tag
            for tag in self._order
            if (
                (prefixes := self._prefixes[tag]) is None
                or any(prefix in low for prefix in prefixes)
            )
            and self._matchers[tag].search(text)
        ]

    @cached_property
    def _order(self) -> list[str]:
        return list(dict.fromkeys([*self.patterns, *self.phrases]))

    @cached_property
    def _parts(self) -> dict[str, list[str]]:
        parts: dict[str, list[str]] = {}
        for tag in self._order:
            shipped = [f"(?:{p})" for p in self.patterns.get(tag, ())]
            own = [rf"(?<![\w-])(?:{'|'.join(shipped)})(?![\w])"] if shipped else []
            words = [*self.phrases.get(tag, ())] + ([] if shipped else [tag])
            own += [phrase_pattern(w).pattern for w in words if WORD.search(w)]
            parts[tag] = own
        return parts

    @cached_property
    def _matchers(self) -> dict[str, re.Pattern[str]]:
        return {
            tag: re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)
            for tag, parts in self._parts.items()
        }

    @cached_property
    def _prefixes(self) -> dict[str, tuple[str, ...] | None]:
        """Per tag, the literal text every match starts with (one per branch), None if unknown."""
        out: dict[str, tuple[str, ...] | None] = {}
        for tag in self._order:
            branches = [b for p in self.patterns.get(tag, ()) for b in _branches(p)]
            words = [*self.phrases.get(tag, ())] + ([] if self.patterns.get(tag) else [tag])
            prefixes = [_literal_prefix(b) for b in branches]
            prefixes += [WORD.findall(w.lower())[0] for w in words if WORD.search(w)]
            out[tag] = None if any(not p for p in prefixes) else tuple(prefixes)
        return out


_LITERAL = re.compile(r"[a-z0-9 '\-]*")


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a regex ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    out, depth, start, escaped, in_class = [], 0, 0, False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:index])
            start = index + 1
    out.append(pattern[start:])
    return out


def _literal_prefix(branch: str) -> str:
    """The plain lower-case text a branch must start with ("" when it starts with a group)."""
    prefix = _LITERAL.match(branch).group(0)
    rest = branch[len(prefix) :]
    if rest[:1] in ("?", "*", "{"):
        prefix = prefix[:-1]  # the last character is optional
    return prefix.lower() if prefix.strip() else ""


@cache
def shipped_patterns() -> dict[str, tuple[str, ...]]:
    """Tag -> trusted regex patterns, as shipped in digest/data/topics.toml."""
    text = resources.files("digest").joinpath("data", "topics.toml").read_text(encoding="utf-8")
    tags = tomllib.loads(text)["tags"]
    return {tag: tuple(spec.get("patterns", [re.escape(tag)])) for tag, spec in tags.items()}


@cache
def shipped_vocabulary() -> Vocabulary:
    """The topic tags and patterns that ship with Parley."""
    return Vocabulary(patterns=shipped_patterns())


def extend_vocabulary(extra: Mapping[str, Iterable[str]]) -> Vocabulary:
    """The shipped vocabulary plus ``extra`` (tag -> words or phrases), e.g. from the config.

    This is the one loader: extraction, alerts and autocomplete all use what it returns.
    Config entries are plain words or phrases, matched as whole words (not regexes).
    """
    phrases = {
        tag.strip().lower(): tuple(p.strip() for p in words if p.strip())
        for tag, words in extra.items()
        if tag.strip()
    }
    return Vocabulary(patterns=shipped_patterns(), phrases=phrases)


def tag_text(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """Tags whose patterns occur in ``text``, in vocabulary order."""
    return (vocabulary or shipped_vocabulary()).tags_in(text)


def drop_own_sides(tags: Iterable[str], sides: Iterable[str], sentence: str = "") -> list[str]:
    """Remove country tags that name one of the meeting's own sides (GUIDE §9).

    A side whose own future or status the sentence says is at stake stays a topic: in
    "negotiations over the status of Ruritania" it is both at the table and the subject.
    """
    own = {s.lower() for s in sides}
    return [t for t in tags if (side_of(t) or "").lower() not in own or _is_subject(sentence, t)]


_AT_STAKE = r"(?:future|status|sovereignty|fate|independence|partition) (?:of|over) (?:the )?"


def _is_subject(sentence: str, tag: str) -> bool:
    return re.search(rf"\b{_AT_STAKE}{re.escape(tag)}\b", sentence, re.IGNORECASE) is not None
