"""digest.terms gives the words, counts and TF-IDF of scikit-learn's vectorisers."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from digest.terms import STOP_WORDS, count_rows, tfidf_rows, tokens

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def test_stop_words_are_scikit_learns():
    assert frozenset(ENGLISH_STOP_WORDS) == STOP_WORDS


@pytest.mark.parametrize("sublinear", [False, True])
def test_tfidf_matches_scikit_learn(sublinear):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] + ["The and of", "Talks, talks; TALKS."]
    ours = tfidf_rows(texts, sublinear=sublinear)
    reference = TfidfVectorizer(stop_words="english", sublinear_tf=sublinear).fit_transform(texts)
    assert ours is not None
    assert ours.shape[0] == reference.shape[0]
    # Columns are numbered differently; the similarities between texts must agree.
    assert np.allclose((ours @ ours.T).toarray(), (reference @ reference.T).toarray())
    assert ours.nnz == reference.nnz


def test_stop_words_only():
    assert count_rows(["the and of", "it is"]) is None
    assert tfidf_rows(["the and of"]) is None


def test_counts_and_tokens():
    indptr, columns, data, width = count_rows(
        ["Talks talks Obama's talks", "obama's"], sublinear=False
    )
    assert tokens("The Talks of Obama's aides") == ["talks", "obama's", "aides"]
    assert width == 2
    assert list(indptr) == [0, 2, 3]
    assert sorted(data[:2]) == [1.0, 3.0]
