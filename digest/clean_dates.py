"""Date lines in other languages ("quinta-feira, 7 de março de 2030 às 09:45").

The words come from dateparser's own translation data (month and weekday names, the little
words it skips, am/pm), so every language dateparser reads is covered and no word is chosen
here. A line is a date line in a language when it names one of that language's months and
every other word in it is one of that language's date words.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

# dateparser's keys for the months and weekdays in each language's data.
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_OTHER_KEYS = ("skip", "pertain", "am", "pm")
# A word: letters, with inner hyphens or apostrophes ("segunda-feira", "d'octobre").
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Word -> languages naming a month with it, and word -> languages using it in dates."""
    from dateparser.data import date_translation_data

    months: dict[str, set[str]] = {}
    dated: dict[str, set[str]] = {}
    for module in pkgutil.iter_modules(date_translation_data.__path__):
        info = importlib.import_module(f"{date_translation_data.__name__}.{module.name}").info
        language = module.name
        if language == "en":
            continue  # English date lines are read by clean_meta's own patterns
        for key in (*_MONTHS, *_WEEKDAYS, *_OTHER_KEYS):
            for entry in info.get(key) or ():
                for word in _WORD.findall(entry.casefold()):
                    dated.setdefault(word, set()).add(language)
                    # Only whole month names (3+ letters) make a date: a lone abbreviation
                    # in some language is too often an ordinary word in another.
                    if key in _MONTHS and len(word) >= 3:
                        months.setdefault(word, set()).add(language)
    return (
        {word: frozenset(langs) for word, langs in months.items()},
        {word: frozenset(langs) for word, langs in dated.items()},
    )


@lru_cache(maxsize=4096)
def date_languages(text: str) -> tuple[str, ...]:
    """The languages (dateparser's codes) in which ``text`` is a date; empty when none.

    Every word must be a date word of the language and one must name its month ("novembre"
    is French, Italian and Catalan alike); numbers and punctuation are free (the caller checks
    that there is a year).
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return ()
    months, dated = _vocabulary()
    named = set().union(*(months.get(word, frozenset()) for word in words))
    for word in words:
        named &= dated.get(word, frozenset())
        if not named:
            return ()
    return tuple(sorted(named))
