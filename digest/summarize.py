"""Extractive TF-IDF summariser: verbatim sentences, in document order."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from digest.sentences import split_sentences


def summarize(text: str, sentences: int = 3) -> list[str]:
    """The ``sentences`` highest-scoring sentences of ``text``, verbatim and in order."""
    candidates = split_sentences(text)
    if len(candidates) <= sentences:
        return candidates
    try:
        matrix = TfidfVectorizer(stop_words="english").fit_transform(candidates)
    except ValueError:  # empty vocabulary: only stop words
        return candidates[:sentences]
    scores = np.asarray(matrix.sum(axis=1)).ravel()
    chosen = sorted(np.argsort(-scores, kind="stable")[:sentences])
    return [candidates[i] for i in chosen]
