from datetime import UTC, datetime, timedelta

import pytest

from digest.errors import BadQuery
from digest.models import Article
from digest.store import articles as article_store

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def make(location: str, body: str, *, title: str = "A title", at: datetime = NOW) -> Article:
    from digest.articles import content_hash

    return Article(
        location=location,
        body=body,
        content_hash=content_hash(body),
        title=title,
        published=at - timedelta(hours=3),
        site="Example News",
        ingested_at=at,
    )


def test_saving_round_trips_every_field(db):
    article = make("/news/a.txt", "Leaders met in Geneva on Monday to talk about trade.")
    result = article_store.save_article(db, article)
    assert result.is_new
    stored = article_store.get_article(db, result.article.id)
    assert stored.body == article.body
    assert stored.published == article.published
    assert stored.published.tzinfo is not None
    assert stored.site == "Example News"


def test_same_location_or_same_content_is_stored_once(db):
    first = article_store.save_article(db, make("/a.txt", "Story one body."))
    same_path = article_store.save_article(db, make("/a.txt", "Story one body, edited."))
    same_text = article_store.save_article(db, make("/copy.txt", "  story ONE   body. "))
    assert first.is_new and not same_path.is_new and not same_text.is_new
    assert same_text.article.id == first.article.id
    assert article_store.count_articles(db) == 1


def test_articles_since_takes_only_later_ingestions(db):
    article_store.save_article(db, make("/old.txt", "Old news.", at=NOW - timedelta(days=2)))
    article_store.save_article(db, make("/new.txt", "New news.", at=NOW))
    since = NOW - timedelta(days=1)
    assert [a.location for a in article_store.articles_since(db, since)] == ["/new.txt"]
    assert len(article_store.articles_since(db, None)) == 2


def test_naive_datetimes_are_refused(db):
    naive = make("/n.txt", "Body.").__class__(
        location="/n.txt",
        body="Body.",
        content_hash="x",
        ingested_at=datetime(2024, 1, 1),  # noqa: DTZ001
    )
    with pytest.raises(ValueError, match="naive"):
        article_store.save_article(db, naive)


def test_full_text_search_finds_by_title_and_body(db):
    geneva = make("/1.txt", "Talks on climate finance.", title="Geneva talks")
    article_store.save_article(db, geneva)
    article_store.save_article(db, make("/2.txt", "Trade tariffs rose again.", title="Tariffs"))
    assert [h.article.location for h in article_store.search_articles(db, "geneva")] == ["/1.txt"]
    assert [h.article.location for h in article_store.search_articles(db, "tariff")] == ["/2.txt"]
    hits = article_store.search_articles(db, '"climate finance"')
    assert hits and "[climate finance]" in hits[0].snippet


@pytest.mark.parametrize("query", ['"unbalanced', "AND(", "*", "   ", "talks AND", "(trade"])
def test_malformed_search_is_a_clear_bad_query(db, query):
    article_store.save_article(db, make("/1.txt", "Talks on trade."))
    with pytest.raises(BadQuery) as error:
        article_store.search_articles(db, query)
    message = str(error.value)
    assert "sqlite" not in message.lower()
    assert "search" in message.lower()
