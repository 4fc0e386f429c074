"""The facts a sentence states, for judging redundancy on content rather than wording.

Two sentences can say the same thing in different words ("Ottawa and Canberra plan to hold
talks on Tuesday" / "Officials from Canada and Australia will sit down on Tuesday in
Ottawa"): they share under half of their words, yet name the same place and
the same day. ``facts`` collects what a reader would check: names (capitalised words inside
the sentence), days and months, and figures. The word lists are general English knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*|\d[\d,.:/]*")
_TIME = frozenset(
    (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "today", "yesterday", "tomorrow"),
    )
)
# Capitalised mid-sentence for grammar, not because they name something.
_NOT_NAMES = frozenset(
    ("i", "i'm", "i've", "i'd", "i'll", "mr", "mrs", "ms", "dr", "prof", "sir", "the", "a", "an")
)


def facts(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """(names, times): the names, and the days, months and figures, a sentence states.

    The first word is skipped (capitalised because it opens the sentence), and so is a word
    right after an opening bracket, quote or colon. Possessives and end dots are dropped.
    """
    names: set[str] = set()
    times: set[str] = set()
    previous = ""
    for i, match in enumerate(_TOKEN.finditer(sentence)):
        word = match.group().rstrip(".,").removesuffix("'s").removesuffix("’s")
        key = word.casefold()
        if word[:1].isdigit():
            times.add(word.replace(",", ""))
        elif key in _TIME:
            times.add(key)
        elif (
            i > 0
            and word[:1].isupper()
            and key not in _NOT_NAMES
            and previous not in {"(", '"', "“", ":", "‘"}
        ):
            names.add(key)
        after = sentence[match.end() : match.end() + 2].strip()
        previous = after[:1] if after else ""
    return frozenset(names), frozenset(times)


def same_facts(
    first: tuple[frozenset[str], frozenset[str]], second: tuple[frozenset[str], frozenset[str]]
) -> bool:
    """Whether two sentences (their ``facts``) state the same fact.

    They must share a name and a time or figure at least, and half of the facts of the one
    stating fewer.
    """
    names = first[0] & second[0]
    times = first[1] & second[1]
    if not names or not times:
        return False
    smaller = min(len(first[0]) + len(first[1]), len(second[0]) + len(second[1]))
    return len(names) + len(times) >= max(2, smaller / 2)


class SentenceFacts:
    """``facts`` of a text's sentences, by index, each worked out when first asked for.

    A summary compares only the sentences close to its few picks (digest.ranking): reading
    every sentence's facts up front was a third of the summariser's time.
    """

    def __init__(self, sentences: Sequence[str]) -> None:
        self._sentences = sentences
        self._known: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def __getitem__(self, index: int) -> tuple[frozenset[str], frozenset[str]]:
        found = self._known.get(index)
        if found is None:
            found = self._known[index] = facts(self._sentences[index])
        return found
