"""From articles to a digest: group reports of one event, summarise each group, rank the stories.

- Grouping: TF-IDF cosine similarity of whole articles (headline and body), average-link
  clustering, and never across more than ``max_gap`` between two publication dates — two
  meetings of the same officials years apart are different events however alike they read.
- A story's summary comes from all its articles at once (digest.summarize.rank over their
  sentences together): a fact several outlets state is central, and the selection's redundancy
  check keeps it from being told twice.
- Ranking: more outlets, more recent (relative to ``now``), and matching a subscribed topic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlparse

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from digest.clean_headline import statement_headline
from digest.models import Article, Digest, SourceLink, Story
from digest.ranking import DEFAULT, Params, rank, select
from digest.sentences import split_sentences

__all__ = ["DEFAULT_THRESHOLD", "build_digest", "group_articles", "importance"]

DEFAULT_THRESHOLD = 0.3  # cosine similarity at which two articles report the same event
MAX_GAP = timedelta(days=4)  # publication dates further apart than this: different events
RECENCY_HALF_LIFE = timedelta(hours=24)
_FALLBACK_WORDS = 10


def group_articles(
    articles: Sequence[Article], threshold: float = DEFAULT_THRESHOLD, max_gap: timedelta = MAX_GAP
) -> list[list[Article]]:
    """Articles about the same event, grouped: TF-IDF cosine, average link, dates within reach.

    Groups come in order of their first article; articles keep their order within a group.
    """
    if len(articles) < 2:
        return [list(articles)] if articles else []
    texts = [f"{a.title or ''}\n{a.body}" for a in articles]
    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
        similarity = (vectors @ vectors.T).toarray()
    except ValueError:  # no words at all: nothing to tell the articles apart by
        similarity = np.zeros((len(articles), len(articles)))
    distance = 1.0 - np.clip(similarity, 0.0, 1.0)
    # Articles published too far apart must not meet: make them maximally distant, which
    # average linkage then keeps apart unless the rest of both groups is near-identical.
    stamps = np.array([a.published.timestamp() if a.published else np.nan for a in articles])
    with np.errstate(invalid="ignore"):
        far = np.abs(stamps[:, None] - stamps[None, :]) > max_gap.total_seconds()
    distance[far] = 2.0
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1 - threshold
    ).fit_predict(distance)
    groups: dict[int, list[Article]] = {}
    for label, article in zip(labels, articles, strict=True):
        groups.setdefault(int(label), []).append(article)
    return list(groups.values())


def build_digest(
    articles: Sequence[Article],
    *,
    now: datetime,
    since: datetime | None = None,
    sentences_per_story: int = 3,
    max_stories: int = 10,
    max_chars: int = 1024,
    topics: Sequence[str] = (),
    params: Params = DEFAULT,
) -> Digest:
    """Group ``articles`` into stories, summarise each, and keep the ``max_stories`` most important.

    With ``since``, only articles that arrived after it count (their ingestion time, or their
    publication date when they carry no ingestion time). Each story's summary holds at most
    ``sentences_per_story`` sentences and ``max_chars`` characters (a Discord embed field);
    ``params`` picks the summariser's profile (digest.ranking.DEFAULT or NEWS).
    """
    kept = [a for a in articles if since is None or _arrived(a) is None or _arrived(a) >= since]
    groups = group_articles(_unique(kept))
    stories = _stories(groups, sentences_per_story, max_chars, topics, params)
    ranked = sorted(stories, key=lambda s: -importance(s, now=now, topics=topics))
    return Digest(
        generated_at=now,
        stories=tuple(ranked[:max_stories]),
        since=since,
        article_count=len(kept),
    )


def importance(story: Story, *, now: datetime, topics: Sequence[str] = ()) -> float:
    """How high a story goes in the digest: outlets x recency x subscribed topics.

    Outlets count by site (or web host, or location), with diminishing returns; recency halves
    every day since publication (a story with no date sits at one half-life); each subscribed
    topic the story matches adds half again.
    """
    outlets = {_outlet(s) for s in story.sources}
    if story.published is None:
        recency = 0.5
    else:
        age = max(now - story.published, timedelta(0))
        recency = 0.5 ** (age / RECENCY_HALF_LIFE)
    matched = sum(1 for t in story.topics if t in topics)
    return (1.0 + math.log(len(outlets) or 1)) * (0.25 + recency) * (1.0 + 0.5 * matched)


def _stories(
    groups: list[list[Article]],
    sentences: int,
    max_chars: int,
    topics: Sequence[str],
    params: Params,
) -> list[Story]:
    """One Story per group; all groups' sentences are scored in one vectoriser pass."""
    docs: list[list[str]] = []
    positions: list[list[int]] = []
    titles: list[str | None] = []
    for group in groups:
        doc: list[str] = []
        pos: list[int] = []
        for article in group:
            article_sentences = split_sentences(article.body)
            doc += article_sentences
            pos += range(len(article_sentences))
        docs.append(doc)
        positions.append(pos)
        titles.append(_headline(group))
    stories = []
    for group, title, ranked in zip(
        groups, titles, rank(docs, titles=titles, positions=positions, params=params), strict=True
    ):
        picked = select(ranked, sentences, max_chars, params=params)
        summary = tuple(ranked.sentences[i] for i in picked)
        headline = title or _first_words(summary[0] if summary else group[0].body)
        text = f"{headline}\n{' '.join(summary)}"
        dates = [a.published for a in group if a.published]
        stories.append(
            Story(
                title=headline,
                summary=summary,
                sources=tuple(_source(a) for a in group),
                article_ids=tuple(a.id for a in group if a.id is not None),
                published=max(dates) if dates else None,
                topics=tuple(t for t in topics if _mentions(text, t)),
            )
        )
    return stories


def _headline(group: list[Article]) -> str | None:
    """The title that best stands for the group: closest to all the group's text."""
    titles = [a.title for a in group if a.title and a.title.strip()]
    if len(titles) < 2:
        return titles[0] if titles else None
    texts = titles + [" ".join(a.body for a in group)]
    try:
        vectors = TfidfVectorizer(stop_words="english").fit_transform(texts)
    except ValueError:
        return titles[0]
    scores = (vectors[:-1] @ vectors[-1].T).toarray().ravel()
    return titles[int(np.argmax(scores))]


def _source(article: Article) -> SourceLink:
    return SourceLink(
        title=article.title or _first_words(article.body),
        location=article.location,
        site=article.site,
        published=article.published,
    )


def _first_words(text: str) -> str:
    # An untitled article's headline: its first sentence or main clause, never cut mid-way.
    statement = statement_headline(text)
    if statement:
        return statement
    words = text.split()
    if len(words) <= _FALLBACK_WORDS:
        return " ".join(words) or "(untitled)"
    return " ".join(words[:_FALLBACK_WORDS]) + "…"


def _outlet(source: SourceLink) -> str:
    if source.site:
        return source.site.casefold()
    host = urlparse(source.location).netloc
    return (host or source.location).casefold()


def _mentions(text: str, topic: str) -> bool:
    words = topic.split()
    if not words:
        return False
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _arrived(article: Article) -> datetime | None:
    return article.ingested_at or article.published


def _unique(articles: list[Article]) -> list[Article]:
    """One article per content hash (the store already ensures it; callers may not)."""
    seen: set[str] = set()
    out = []
    for article in articles:
        if article.content_hash not in seen:
            seen.add(article.content_hash)
            out.append(article)
    return out
