"""Extractive TF-IDF summariser: verbatim sentences, in document order, within a budget.

The public face (``from digest import summarize``); the scoring lives in digest.ranking, imported
on first use so that importing ``digest`` stays cheap (numpy and scikit-learn take a while).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digest.ranking import Params

__all__ = ["summarize", "summarize_many"]


def summarize(
    text: str,
    sentences: int = 3,
    max_chars: int | None = None,
    *,
    title: str | None = None,
    params: Params | None = None,
) -> list[str]:
    """The best sentences of ``text``, verbatim and in document order, within a budget.

    A sentence opening with a dateline ("OSLO (Reuters) - ") is shown without it.
    At most ``sentences`` sentences and at most ``max_chars`` characters in all (counting one
    joining space between sentences), whichever is hit first; a sentence longer than the
    character budget is passed over for a shorter one. ``title`` (the headline), when known,
    steers the choice. Empty or stop-word-only text gives a short or empty list, never an
    error; ``sentences`` below 1 is a ValueError.
    """
    return summarize_many([text], sentences, max_chars, titles=[title], params=params)[0]


def summarize_many(
    texts: Sequence[str],
    sentences: int = 3,
    max_chars: int | None = None,
    *,
    titles: Sequence[str | None] | None = None,
    params: Params | None = None,
) -> list[list[str]]:
    """:func:`summarize` for many texts: one vectoriser pass for the batch, same results."""
    from digest.ranking import check_budget, profile, rank, select
    from digest.rejoin import shown
    from digest.sentences import split_sentences

    check_budget(sentences, max_chars)
    params = params or profile(sentences)
    ranked = rank([split_sentences(t) for t in texts], titles=titles, params=params)
    return [
        [shown(r.sentences[i]) for i in select(r, sentences, max_chars, params=params)]
        for r in ranked
    ]
