"""TF-IDF vectors of an article's sentences, for digest.ranking (numpy).

A batch of articles is tokenised and counted in one pass (``count``, digest.terms); each
article's rows are then turned into unit-length TF-IDF vectors with the IDF taken over that
article alone (its sentences are the documents), so a text's summary never depends on what
else is in the batch (``article_vectors``). Unlike digest.terms.tfidf_rows, whose IDF spans
the whole batch (for grouping articles), the vectors here are dense over the few hundred terms
one article uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digest.terms import count_rows

__all__ = ["Rows", "article_vectors", "count"]


@dataclass(frozen=True)
class Rows:
    """Sparse rows (CSR arrays), sliced without scipy's per-slice overhead."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int  # columns: distinct terms of the batch

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (len(self.indptr) - 1, self.width)

    @property
    def nnz(self) -> int:
        """Stored values: the (sentence, term) pairs with a count."""
        return int(self.indptr[-1] - self.indptr[0])

    def __getitem__(self, rows: slice) -> Rows:
        indptr = self.indptr[rows.start : rows.stop + 1]
        first, last = indptr[0], indptr[-1]
        return Rows(indptr - first, self.indices[first:last], self.data[first:last], self.width)


def count(flat: list[str], *, sublinear: bool) -> Rows | None:
    """Term counts for every sentence of the batch, tokenised once for all (digest.terms).

    None when the whole batch holds nothing but stop words.
    """
    counted = count_rows(flat, sublinear=sublinear)
    if counted is None:
        return None
    indptr, columns, data, width = counted
    return Rows(indptr, columns, data, width)


def article_vectors(
    block: Rows | None, title_counts: Rows | None, n: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """Unit TF-IDF vectors of an article's ``n`` sentences, and of its headline if given.

    ``block`` holds the article's rows of ``count``, ``title_counts`` its headline's row; the
    IDF is scikit-learn's smooth one over the article's sentences. With no term at all, every
    sentence gets a zero vector (one column) and there is no headline vector.
    """
    if block is None or block.nnz == 0:
        return np.zeros((n, 1)), None
    tf, title = _local_dense(block, title_counts)
    df = np.count_nonzero(tf, axis=0)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0  # scikit-learn's smooth IDF, per article
    vectors = tf * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    if title is not None:
        title = title * idf
        title /= np.linalg.norm(title) or 1.0
    return vectors, title


def _local_dense(block: Rows, title_counts: Rows | None) -> tuple[np.ndarray, np.ndarray | None]:
    """A block's sparse rows as a dense matrix over the terms it uses (a few hundred)."""
    # np.unique's own overhead was most of this function's time on a few hundred columns.
    ordered = np.sort(block.indices)
    columns = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    inverse = np.searchsorted(columns, block.indices)
    dense = np.zeros((block.shape[0], len(columns)))
    rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
    dense[rows, inverse] = block.data
    title = None
    if title_counts is not None and title_counts.nnz:
        title = np.zeros(len(columns))
        where = np.searchsorted(columns, title_counts.indices)
        hit = (where < len(columns)) & (
            columns[np.minimum(where, len(columns) - 1)] == title_counts.indices
        )
        title[where[hit]] = title_counts.data[hit]
    return dense, title
