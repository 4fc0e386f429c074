"""Words of a text as scikit-learn's text vectorisers see them, without importing scikit-learn.

Importing scikit-learn pulls in scipy.stats and takes a second and ~60 MB before any work,
more than a whole digest then needs; every `parley digest` paid it. The same steps are done
here: lower-case, scikit-learn's token patterns, and its English stop-word list (the Glasgow
Information Retrieval Group's), read from the installed package's own file rather than copied.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

__all__ = [
    "RANKING_TOKENS",
    "STOP_WORDS",
    "VECTORIZER_TOKENS",
    "count_rows",
    "tfidf_rows",
    "tokens",
]

# digest.ranking's pattern (keeps "Obama's" whole) and scikit-learn's default (two characters+).
RANKING_TOKENS = re.compile(r"(?u)\b\w[\w'’]*\b")
VECTORIZER_TOKENS = re.compile(r"(?u)\b\w\w+\b")


def _stop_words() -> frozenset[str]:
    """sklearn.feature_extraction.text.ENGLISH_STOP_WORDS, read without importing sklearn."""
    spec = importlib.util.find_spec("sklearn")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "feature_extraction" / "_stop_words.py"
        if path.is_file():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", None) == "ENGLISH_STOP_WORDS" for t in node.targets
                ):
                    return frozenset(ast.literal_eval(node.value.args[0]))
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # layout changed: import

    return frozenset(ENGLISH_STOP_WORDS)


STOP_WORDS = _stop_words()


def tokens(text: str, pattern: re.Pattern[str] = RANKING_TOKENS) -> list[str]:
    """The text's lower-cased words that are not stop words, in order."""
    return [t for t in pattern.findall(text.lower()) if t not in STOP_WORDS]


def count_rows(
    texts: list[str], pattern: re.Pattern[str] = RANKING_TOKENS, *, sublinear: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """Term counts of every text as CSR arrays (indptr, columns, values) and the column count.

    One column per distinct term of the batch, rows sorted by column. With ``sublinear`` a
    count c is stored as 1 + log(c), as scikit-learn's ``sublinear_tf``. None when the batch
    holds no word but stop words.
    """
    term_ids: dict[str, int] = {}
    occurrences: list[int] = []
    lengths: list[int] = []
    for text in texts:  # tokens(), inlined: this loop runs for every sentence of a batch
        terms = [
            term_ids.setdefault(t, len(term_ids))
            for t in pattern.findall(text.lower())
            if t not in STOP_WORDS
        ]
        occurrences += terms
        lengths.append(len(terms))
    if not occurrences:
        return None
    bits = max(len(term_ids) - 1, 1).bit_length()
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    keys, counts = np.unique(
        (rows << bits) | np.asarray(occurrences, dtype=np.int64), return_counts=True
    )  # sorted by row, then column, like a CSR matrix with sorted indices
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys >> bits, minlength=len(texts)), out=indptr[1:])
    data = counts.astype(np.float64)
    if sublinear:
        np.log(data, out=data)
        data += 1.0
    return indptr, keys & ((1 << bits) - 1), data, len(term_ids)


def tfidf_rows(texts: list[str], *, sublinear: bool = False) -> sparse.csr_matrix | None:
    """scikit-learn's ``TfidfVectorizer(stop_words="english")`` of ``texts``: a CSR matrix.

    Smooth IDF, rows of unit length; None when no text holds a word but stop words (where
    scikit-learn raises).
    """
    from scipy import sparse  # only the callers that group articles need scipy

    counted = count_rows(texts, VECTORIZER_TOKENS, sublinear=sublinear)
    if counted is None:
        return None
    indptr, columns, data, width = counted
    df = np.bincount(columns, minlength=width)
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    data = data * idf[columns]
    row_of = np.repeat(np.arange(len(texts)), np.diff(indptr))
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=len(texts)))
    data /= np.where(norms == 0, 1.0, norms)[row_of]
    return sparse.csr_matrix((data, columns, indptr), shape=(len(texts), width))
