"""Words of official titles ("vice president", "foreign minister"), from data/roles.tsv.

One table for the meetings extractor (who holds which office) and the summariser (a sentence
that names a person by office alone points back to where they were named).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["office_heads", "office_words"]


@cache
def _table() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("digest").joinpath("data", "roles.tsv").read_text(encoding="utf-8")
    heads: set[str] = set()
    words: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, cell = (part.strip() for part in line.split("\t")[:2])
        entries = [entry.strip().lower() for entry in cell.split(";") if entry.strip()]
        if kind == "head":
            heads.update(entries)
        words.update(part for entry in entries for part in entry.split())
    return frozenset(heads), frozenset(words)


def office_heads() -> frozenset[str]:
    """The offices themselves, lower case ("president", "prime minister", "envoy")."""
    return _table()[0]


def office_words() -> frozenset[str]:
    """Every word of an office or of what qualifies one ("foreign", "deputy", "of")."""
    return _table()[1]
