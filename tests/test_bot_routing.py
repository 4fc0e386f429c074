"""bot/routing.py: whom to tell of which article, once per guild, target and article."""

from __future__ import annotations

from bot.routing import who_to_tell
from bot.state.records import ROLE, USER, Subscription
from digest.models import Article


def article(n: int, title: str, body: str = "") -> Article:
    return Article(f"https://a.example/{n}", body, f"h{n}", title=title, id=n)


def test_who_to_tell_once_per_target_and_article():
    subs = [
        Subscription(1, USER, 10, "tariffs"),
        Subscription(1, USER, 10, "steel"),  # same user, two topics, one article
        Subscription(1, ROLE, 20, "steel"),
        Subscription(2, USER, 10, "steel"),  # same user, another guild: told there too
        Subscription(1, USER, 11, "floods"),
    ]
    articles = [article(1, "Steel tariffs rise"), article(2, "Floods", "Rain and floods")]
    deliveries = who_to_tell(articles, subs)
    assert sorted((d.guild_id, d.kind, d.target_id, d.article_id, d.topic) for d in deliveries) == [
        (1, ROLE, 20, 1, "steel"),
        (1, USER, 10, 1, "steel"),
        (1, USER, 11, 2, "floods"),
        (2, USER, 10, 1, "steel"),
    ]


def test_who_to_tell_with_nothing():
    assert who_to_tell([], [Subscription(1, USER, 1, "x")]) == []
    assert who_to_tell([article(1, "x")], []) == []
