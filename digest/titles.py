"""English title abbreviations written before a name ("Gov. Scott Walker", "Staff Sgt. Doe").

One list for every consumer (the sentence splitter, the meetings extractor and name finder),
from general knowledge of English news style (AP style's abbreviated titles before a name):
a full stop after one of these never ends a sentence. Without the stop, capitalised as
written. Not "Jr" or "Sr": they come after a name and often end a sentence.
"""

from __future__ import annotations

__all__ = ["CIVIL", "MILITARY", "TITLES", "is_title"]

# Forms of address and offices.
CIVIL = frozenset(
    {
        "Amb", "Atty", "Det", "Dr", "Gov", "Govs", "Insp", "Mr", "Mrs", "Ms", "Prof", "Rep",
        "Reps", "Rev", "Sen", "Sens", "St", "Supt",
    }
)  # fmt: skip
# Military and police ranks.
MILITARY = frozenset(
    {"Adm", "Brig", "Capt", "Cmdr", "Col", "Cpl", "Gen", "Lt", "Maj", "Pvt", "Sgt"}
)
TITLES = CIVIL | MILITARY
_LOWER = frozenset(t.lower() for t in TITLES)


def is_title(word: str) -> bool:
    """Whether ``word`` (with or without its full stop, any case) is one of the titles."""
    return word.rstrip(".").lower() in _LOWER
