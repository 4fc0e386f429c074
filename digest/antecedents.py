"""Which earlier sentences a sentence needs beside it to make sense in a summary.

A summary is read without the article around it, so a sentence is picked only together with
what it points back to (digest.ranking.select), or not at all:
- one opening with a pronoun or connective ("He said…", "But…"), a noun that only names what
  came before ("The move…") or a person named by office alone ("The former vice president
  had…"; digest.standalone.refers_back) needs the sentence before it;
- a quotation with no speaker of its own ('"We will not give in."') needs the sentence before
  it, which names the speaker or leads in to the quote;
- a bare surname ("Okafor said") needs the sentence that introduced the person in full ("Nigerian
  Foreign Minister Ada Okafor"), unless it names them in full itself.
All rules are about English news prose in general, none about a particular text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

__all__ = ["Needs", "needs"]

# A capitalised word (Jean-Luc, O'Brien, McDonald); a possessive "'s" is not part of it.
_WORD = r"[A-Z](?:[a-z]*['’][A-Z][a-z]+|[a-z]+(?:-[A-Z]?[a-z]+)?)"
# A person's full name: two or three capitalised words, maybe a middle initial ("Nora M.
# Quill") or a particle ("Ursula von der Leyen").
_NAME = re.compile(
    rf"\b{_WORD}(?:\s[A-Z]\.)?"
    rf"(?:\s(?:(?:von|van|de|der|den|da|di|le|la|bin|al)\s){{0,2}}{_WORD}){{1,2}}\b"
)
_CAPITALISED = re.compile(rf"\b{_WORD}\b")
# Speech verbs: a quote with one of these outside its quotation marks carries its speaker.
_SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|asked|asks|explained|insisted|warned|wrote|"
    r"stated|argued|claimed|noted|declared|replied|announced"
)
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERBS}|according\sto)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
# A speaker given only as a pronoun, before or after the speech verb ("she said", "said he").
_PRONOUN_SPEAKER = re.compile(
    rf"\b(?:(?:he|she|they|we|i)\s+(?:{_SPEECH_VERBS})|(?:{_SPEECH_VERBS})\s+(?:he|she|they))\b",
    re.IGNORECASE,
)
# Quantifiers and determiners that open a sentence before a capitalised noun ("Most
# Norwegians", "Many Republicans"): such a pair is a group of people, not a name.
_DETERMINERS = frozenset(
    {
        "All", "Any", "Both", "Each", "Every", "Few", "Many", "Most", "Much", "No", "Other",
        "Several", "Some", "Such",
    }
)  # fmt: skip
# Capitalised words that open or fill sentences without being a person: calendar words and
# forms of address (general knowledge of English); a word in this set never needs an intro.
_NOT_A_NAME = frozenset(
    {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "The", "This", "That", "These", "Those", "He", "She",
        "They", "We", "It", "I", "You", "His", "Her", "Their", "Our", "But", "And", "Or", "So",
        "Yet", "If", "When", "While", "After", "Before", "Mr", "Mrs", "Ms", "Dr", "Sir", "Dame",
        "Lord", "Lady", "President", "Minister", "Prime", "Secretary", "Senator", "Governor",
        "General", "Chief", "Officials", "Police", "North", "South", "East", "West", "New",
        "Old", "United", "National", "International",
    }
)  # fmt: skip


def needs(sentences: Sequence[str], opens_back: Sequence[bool]) -> list[tuple[int, ...]]:
    """For each sentence, the indices of earlier sentences it needs (ascending, maybe none).

    ``opens_back[i]`` says whether sentence i opens with a pronoun or connective (and has a
    sentence before it in its own article); callers pass digest.standalone's reading.
    """
    return list(_each_need(sentences, opens_back))


class Needs:
    """:func:`needs`, read up to the furthest sentence asked for and no further.

    A short summary asks about a few sentences near the opening: the rest of a long article
    need not be read for names.
    """

    def __init__(self, sentences: Sequence[str], opens_back: Sequence[bool]) -> None:
        self._found: list[tuple[int, ...]] = []
        self._rest = _each_need(sentences, opens_back)

    def __getitem__(self, index: int) -> tuple[int, ...]:
        while len(self._found) <= index:
            self._found.append(next(self._rest))
        return self._found[index]


def _each_need(sentences: Sequence[str], opens_back: Sequence[bool]) -> Iterator[tuple[int, ...]]:
    """The needs of each sentence in turn (see :func:`needs`)."""
    introduced: dict[str, int] = {}  # a name's word -> sentence where the full name first came
    for i, sentence in enumerate(sentences):
        wanted: set[int] = set()
        if i > 0 and (opens_back[i] or _bare_quote(sentence)):
            wanted.add(i - 1)
        words = _CAPITALISED.findall(sentence)
        if len(words) > 1:  # only a sentence with two capitalised words can hold a full name
            full_words: set[str] = set()
            for match in _NAME.finditer(sentence):
                name = [w for w in match.group().split() if w[:1].isupper()]
                if name[0] in _DETERMINERS:
                    continue
                full_words.update(name)
                for word in (name[0], name[-1]):
                    if word not in _NOT_A_NAME:
                        introduced.setdefault(word, i)
        else:
            full_words = set()
        if introduced:
            for word in words:
                first = introduced.get(word)
                if first is not None and first < i and word not in full_words:
                    wanted.add(first)
        yield tuple(sorted(wanted))


def _bare_quote(sentence: str) -> bool:
    """A quotation whose speaker is not named in it.

    Quote marks around nearly all of it and no speaker outside ('"We will not give in."'), or
    only a pronoun for the speaker ('"We will not give in," she said.').
    """
    if not sentence.startswith(('"', "“")):
        return False
    text = sentence.strip()
    if not text.startswith(('"', "“")):
        return False
    outside = _QUOTED.sub(" ", text)
    if _PRONOUN_SPEAKER.search(outside):
        return True
    return len(outside.split()) <= 3 and _SPEECH.search(outside) is None
