"""The daily digest: from a period's articles to a ``Digest`` of ranked, summarised stories.

- Grouping: reports of one event become one story (``digest.stories.group_articles``).
- A story's summary comes from all its articles at once (digest.summarize.rank over their
  sentences together): a fact several outlets state is central, and the selection's redundancy
  check keeps it from being told twice.
- Ranking: more outlets, more recent (relative to ``now``), and matching a subscribed topic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlparse

import numpy as np

from digest.clean_headline import statement_headline
from digest.models import Article, Digest, SourceLink, Story
from digest.ranking import Params, profile, rank, select
from digest.rejoin import shown
from digest.sentences import split_sentences
from digest.stories import group_articles
from digest.terms import tfidf_rows

__all__ = ["build_digest", "importance"]

RECENCY_HALF_LIFE = timedelta(hours=24)
_FALLBACK_WORDS = 10


def build_digest(
    articles: Sequence[Article],
    *,
    now: datetime,
    since: datetime | None = None,
    sentences_per_story: int = 3,
    max_stories: int = 10,
    max_chars: int = 1024,
    topics: Sequence[str] = (),
    params: Params | None = None,
) -> Digest:
    """Group ``articles`` into stories, summarise each, and keep the ``max_stories`` most important.

    With ``since``, only articles that arrived after it count (their ingestion time, or their
    publication date when they carry no ingestion time). Each story's summary holds at most
    ``sentences_per_story`` sentences and ``max_chars`` characters (a Discord embed field);
    ``params`` picks the summariser's profile (by default digest.ranking.profile's for
    ``sentences_per_story``).
    """
    params = params or profile(sentences_per_story)
    kept = [a for a in articles if since is None or _arrived(a) is None or _arrived(a) >= since]
    groups = group_articles(_unique(kept))

    def summarised(indices: list[int]) -> list[Story]:
        chosen = [groups[i] for i in indices]
        return _stories(chosen, sentences_per_story, max_chars, topics, params)

    return Digest(
        generated_at=now,
        stories=_most_important(groups, summarised, max_stories, now, topics),
        since=since,
        article_count=len(kept),
    )


def _most_important(
    groups: list[list[Article]],
    summarised: Callable[[list[int]], list[Story]],
    max_stories: int,
    now: datetime,
    topics: Sequence[str],
) -> tuple[Story, ...]:
    """The ``max_stories`` most important stories, summarising only the groups that may be.

    Summaries (sentence splitting and scoring) are most of a digest's time, and a day of a busy
    server's news holds thousands of groups for ten places. A group's importance without its
    topics is known before its summary; topics can at most multiply it by 1 + 0.5 per topic.
    Groups are summarised best bound first until no group left could beat the last place: the
    same stories, in the same order (ties by group order), as summarising every group.
    """
    if max_stories < 1 or not groups:
        return ()
    bare = [importance(_bare_story(g), now=now) for g in groups]
    order = sorted(range(len(groups)), key=lambda i: -bare[i])  # stable: ties by group order
    bound = 1.0 + 0.5 * len(topics)
    stories: dict[int, Story] = {}
    scores: dict[int, float] = {}
    done = 0
    while done < len(order):
        batch = order[done : done + max_stories]
        for i, story in zip(batch, summarised(batch), strict=True):
            stories[i] = story
            scores[i] = importance(story, now=now, topics=topics)
        done += len(batch)
        if not topics:  # the bare importance is the importance: the first ones are the best
            break
        if done < len(order) and len(scores) >= max_stories:
            last_place = sorted(scores.values(), reverse=True)[max_stories - 1]
            if last_place > bare[order[done]] * bound:
                break
    best = sorted(stories, key=lambda i: (-scores[i], i))[:max_stories]
    return tuple(stories[i] for i in best)


def _bare_story(group: list[Article]) -> Story:
    """A group's story without its summary, headline or topics: enough for its importance."""
    dates = [a.published for a in group if a.published]
    return Story(
        title="",
        summary=(),
        # Outlets count by site or location only: no stand-in titles to make for every article.
        sources=tuple(SourceLink(title="", location=a.location, site=a.site) for a in group),
        published=max(dates) if dates else None,
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
        summary = tuple(shown(ranked.sentences[i]) for i in picked)
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
    vectors = tfidf_rows(texts)
    if vectors is None:
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
