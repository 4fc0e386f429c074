"""Grouping articles into stories: reports of one event, told by one or more outlets.

TF-IDF cosine similarity of whole articles (headline and body), average-link clustering, and
never across more than ``max_gap`` between two publication dates: two meetings of the same
officials years apart are different events however alike they read. The daily digest built
from these groups is ``digest.daily``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from digest.models import Article
from digest.terms import tfidf_rows

__all__ = ["DEFAULT_THRESHOLD", "MAX_GAP", "group_articles"]

DEFAULT_THRESHOLD = 0.3  # cosine similarity at which two articles report the same event
MAX_GAP = timedelta(days=4)  # publication dates further apart than this: different events
_BLOCK = 512  # articles per block of the similarity product


def group_articles(
    articles: Sequence[Article], threshold: float = DEFAULT_THRESHOLD, max_gap: timedelta = MAX_GAP
) -> list[list[Article]]:
    """Articles about the same event, grouped: TF-IDF cosine, average link, dates within reach.

    Groups come in order of their first article; articles keep their order within a group.
    """
    if len(articles) < 2:
        return [list(articles)] if articles else []
    texts = [f"{a.title or ''}\n{a.body}" for a in articles]
    vectors = tfidf_rows(texts, sublinear=True)
    if vectors is None:  # no words at all: nothing to tell the articles apart by
        return [[a] for a in articles]
    stamps = np.array([a.published.timestamp() if a.published else np.nan for a in articles])
    labels = np.arange(len(articles))
    next_label = len(articles)
    # Average linkage merges two clusters only when some pair across them is nearer than the
    # threshold, so every group lies inside one connected part of the "near pairs" graph: each
    # part is clustered on its own, with the same result as clustering all articles at once
    # and without the n x n matrices (a day of a busy server's news: 3,000+ articles).
    for members in _near_components(vectors, stamps, threshold, max_gap):
        part = vectors[members]
        similarity = (part @ part.T).toarray()
        distance = 1.0 - np.clip(similarity, 0.0, 1.0)
        # Articles published too far apart must not meet: make them maximally distant, which
        # average linkage then keeps apart unless the rest of both groups is near-identical.
        distance[_far(stamps[members], max_gap)] = 2.0
        np.fill_diagonal(distance, 0.0)
        part_labels = _average_link(distance, 1 - threshold)
        labels[members] = next_label + part_labels
        next_label += int(part_labels.max()) + 1
    groups: dict[int, list[Article]] = {}
    for label, article in zip(labels, articles, strict=True):
        groups.setdefault(int(label), []).append(article)
    return list(groups.values())


def _average_link(distance: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage clusters (labels from 0) merged while their distance is below ``threshold``.

    scipy's linkage, cut as scikit-learn's AgglomerativeClustering(distance_threshold=...) cuts
    it: as many clusters as merges at or above the threshold, plus one.
    """
    tree = linkage(squareform(distance, checks=False), method="average")
    clusters = int(np.count_nonzero(tree[:, 2] >= threshold)) + 1
    return fcluster(tree, clusters, criterion="maxclust") - 1


def _far(stamps: np.ndarray, max_gap: timedelta) -> np.ndarray:
    """Pairs of articles published more than ``max_gap`` apart (never pairs with no date)."""
    with np.errstate(invalid="ignore"):
        return np.abs(stamps[:, None] - stamps[None, :]) > max_gap.total_seconds()


def _near_components(
    vectors: sparse.csr_matrix, stamps: np.ndarray, threshold: float, max_gap: timedelta
) -> list[np.ndarray]:
    """Indices of each connected part (two or more articles) of the graph of near pairs.

    Near: closer than the clustering's distance threshold and published within ``max_gap``.
    Similarities are taken a block of rows at a time, so memory stays linear in the articles.
    """
    n = vectors.shape[0]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for start in range(0, n, _BLOCK):
        block = (vectors[start : start + _BLOCK] @ vectors.T).tocoo()
        # The clustering's own test, distance below the threshold, on the same arithmetic.
        near = (1.0 - np.clip(block.data, 0.0, 1.0)) < 1 - threshold
        r, c = block.row[near] + start, block.col[near]
        with np.errstate(invalid="ignore"):
            near_in_time = ~(np.abs(stamps[r] - stamps[c]) > max_gap.total_seconds())
        rows.append(r[near_in_time])
        cols.append(c[near_in_time])
    graph = sparse.coo_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n, n),
    )
    count, component = connected_components(graph, directed=False)
    sizes = np.bincount(component, minlength=count)
    order = np.argsort(component, kind="stable")
    parts = np.split(order, np.cumsum(sizes)[:-1])
    return [part for part in parts if len(part) > 1]
