"""digest/stories.py and digest/daily.py: grouping into stories, summaries, ranking."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.articles import article_from_text
from digest.clean_headline import statement_headline
from digest.daily import build_digest, importance
from digest.models import Article, SourceLink, Story
from digest.stories import group_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
BBC = ROOT.parent / "shared" / "eval" / "summaries" / "bbc.jsonl"
NOW = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)


def seed_articles() -> list[Article]:
    articles = []
    for number, path in enumerate(SEEDS, start=1):
        article = article_from_text(path.read_text(encoding="utf-8"), str(path), NOW)
        assert article is not None
        articles.append(
            Article(**{**article.__dict__, "id": number, "ingested_at": NOW - timedelta(hours=1)})
        )
    return articles


def article(body: str, location: str, **fields) -> Article:
    digest = hashlib.sha256(body.encode()).hexdigest()
    return Article(location=location, body=body, content_hash=digest, **fields)


def second_outlet(original: Article) -> Article:
    """The same report as another outlet would run it: paragraphs reordered, some sentences
    reworded or dropped, different furniture and headline."""
    paragraphs = [p for p in original.body.split("\n\n") if p.strip()]
    kept = paragraphs[1::2][::-1]  # half the paragraphs, in another order
    reworded = [p.replace(" said ", " told reporters ").replace("the two", "both") for p in kept]
    body = "\n\n".join([paragraphs[0], *reworded, "Reporting by our staff."])
    return article(
        body,
        "https://other.example/world/talks",
        title="Officials meet as talks open",
        site="Other Outlet",
        published=original.published,
        id=99,
    )


def test_the_five_seeds_are_five_stories():
    groups = group_articles(seed_articles())
    assert len(groups) == 5
    assert all(len(g) == 1 for g in groups)


@pytest.mark.parametrize("index", range(5))
def test_two_outlets_reporting_one_event_group_together(index):
    articles = seed_articles()
    copy = second_outlet(articles[index])
    groups = group_articles([*articles, copy])
    assert len(groups) == 5
    together = next(g for g in groups if copy in g)
    assert articles[index] in together


def test_reports_far_apart_in_time_are_different_events():
    original = seed_articles()[1]
    assert original.published is not None
    later = second_outlet(original)
    later = Article(**{**later.__dict__, "published": original.published + timedelta(days=60)})
    assert len(group_articles([original, later])) == 2


@pytest.mark.skipif(not BBC.exists(), reason="needs ../shared/eval/summaries/bbc.jsonl")
def test_duplicate_bbc_articles_group_together():
    rows = [json.loads(line) for line in BBC.open(encoding="utf-8")]
    by_body: dict[str, list[dict]] = {}
    for row in rows:
        by_body.setdefault(row["text"], []).append(row)
    pair = next(v for v in by_body.values() if len(v) == 2)
    others = [r for r in rows[:40] if r["text"] != pair[0]["text"]]
    articles = [
        article(r["text"] + f"\n\n{n}", r["id"], title=r["title"])  # distinct hashes
        for n, r in enumerate([*pair, *others])
    ]
    groups = group_articles(articles)
    assert any(articles[0] in g and articles[1] in g for g in groups)
    assert len(groups) >= len(others)


def test_a_story_from_two_outlets_repeats_no_sentence():
    articles = seed_articles()
    copy = second_outlet(articles[2])
    result = build_digest([articles[2], copy], now=NOW, sentences_per_story=5)
    assert len(result.stories) == 1
    story = result.stories[0]
    assert len(story.summary) == 5
    # Undo the copy's rewording: a fact told by both outlets must still appear once.
    plain = {
        s.replace(" told reporters ", " said ").replace("both", "the two") for s in story.summary
    }
    assert len(plain) == 5
    assert {s.location for s in story.sources} == {articles[2].location, copy.location}
    assert set(story.article_ids) == {articles[2].id, copy.id}


def test_identical_copies_from_two_outlets_are_told_once():
    body = SEEDS[1].read_text(encoding="utf-8")
    one = article(body, "https://a.example/1", site="A", id=1)
    two = article(body + "\n\nShare this story.", "https://b.example/2", site="B", id=2)
    story = build_digest([one, two], now=NOW).stories[0]
    assert len(story.summary) == len(set(story.summary))
    assert len(story.sources) == 2


def test_digest_of_the_seeds():
    articles = seed_articles()
    result = build_digest(articles, now=NOW, max_chars=1024, topics=["Beijing"])
    assert result.article_count == 5
    assert len(result.stories) == 5
    for story in result.stories:
        assert 1 <= len(story.summary) <= 3
        assert len(" ".join(story.summary)) <= 1024
        assert story.title
        assert len(story.sources) == 1
        body = next(a.body for a in articles if a.id in story.article_ids)
        assert all(s in body for s in story.summary)
    untitled = next(a for a in articles if a.title is None)
    link = next(s for st in result.stories for s in st.sources if s.location == untitled.location)
    # An untitled article's stand-in is a whole statement from its story, never cut mid-way.
    assert not link.title.endswith("…")
    assert link.title == statement_headline(untitled.body)
    assert " ".join(untitled.body.split()).startswith(link.title)
    beijing = [s for s in result.stories if "Beijing" in s.topics]
    assert beijing and result.stories[0] in beijing


def test_best_headline_among_outlets_is_picked():
    original = seed_articles()[4]
    copy = second_outlet(original)
    vague = Article(**{**copy.__dict__, "title": "Latest updates"})
    story = build_digest([vague, original], now=NOW).stories[0]
    assert story.title == original.title


def test_since_and_max_stories():
    articles = seed_articles()
    old = Article(**{**articles[0].__dict__, "ingested_at": NOW - timedelta(days=3)})
    result = build_digest([old, *articles[1:]], now=NOW, since=NOW - timedelta(days=1))
    assert result.article_count == 4
    assert old.id not in {i for s in result.stories for i in s.article_ids}
    assert len(build_digest(articles, now=NOW, max_stories=2).stories) == 2


def test_empty_digest():
    result = build_digest([], now=NOW)
    assert result.is_empty and result.article_count == 0


def story(outlets: int, hours_old: float, topics: tuple[str, ...] = ()) -> Story:
    sources = tuple(
        SourceLink(title="t", location=f"https://s{i}.example/x") for i in range(outlets)
    )
    return Story(
        title="t",
        summary=("s",),
        sources=sources,
        published=NOW - timedelta(hours=hours_old),
        topics=topics,
    )


@pytest.mark.parametrize(
    ("higher", "lower"),
    [
        (story(3, 5), story(1, 5)),  # more outlets
        (story(1, 2), story(1, 48)),  # more recent
        (story(1, 5, ("china",)), story(1, 5)),  # a subscribed topic
        (story(4, 6), story(1, 6, ("china",))),  # many outlets outweigh one topic
        (story(1, 1), story(2, 24 * 7)),  # a week-old story yields to today's
    ],
)
def test_story_ranking(higher, lower):
    assert importance(higher, now=NOW, topics=["china"]) > importance(
        lower, now=NOW, topics=["china"]
    )


def test_digest_ranks_many_outlets_first():
    articles = seed_articles()
    copy = second_outlet(articles[3])
    result = build_digest([*articles, copy], now=NOW)
    assert copy.id in result.stories[0].article_ids


def test_news_profile_digest_stays_within_budget():
    from digest.ranking import NEWS

    articles = seed_articles()
    result = build_digest(articles, now=NOW, params=NEWS, max_chars=300)
    assert len(result.stories) == 5
    for story in result.stories:
        assert len(" ".join(story.summary)) <= 300


@pytest.mark.skipif(not BBC.exists(), reason="needs ../shared/eval/summaries/bbc.jsonl")
@pytest.mark.parametrize("topics", [(), ("England",), ("England", "economy", "film")])
def test_top_stories_are_those_of_summarising_every_group(topics):
    # The digest summarises only the groups that can reach its top places; the places must be
    # the ones a digest of every group gives, in the same order.
    rows = [json.loads(line) for line in BBC.open(encoding="utf-8")][:300]
    articles = [
        article(
            r["text"],
            f"https://bbc.example/{i}",
            title=r["title"],
            site=f"outlet{i % 4}",
            published=NOW - timedelta(hours=i % 30),
            id=i,
        )
        for i, r in enumerate(rows)
    ]
    everything = build_digest(articles, now=NOW, topics=topics, max_stories=len(articles))
    for places in (1, 5, 10):
        top = build_digest(articles, now=NOW, topics=topics, max_stories=places)
        assert top.stories == everything.stories[:places]
    assert any(s.topics for s in everything.stories[:10]) == bool(topics)
