"""Whom to tell of new articles: subscriptions (users and roles) matched against their topics.

Which topics an article matches is news (``digest.alerts.TopicMatcher``); turning matches into
one delivery per guild, user or role and article is the bot's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.state.records import AlertDelivery, Subscription
from digest.alerts import TopicMatcher, Vocabulary
from digest.models import Article


def who_to_tell(
    articles: Sequence[Article],
    subscriptions: Sequence[Subscription],
    vocabulary: Vocabulary | None = None,
) -> list[AlertDelivery]:
    """One delivery per (guild, user or role, article) whose topics the article matches.

    When an article matches several topics a subscriber follows, the first in sorted order is
    named, so the outcome does not depend on set order.
    """
    by_topic: dict[str, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        by_topic[subscription.topic].append(subscription)
    if not by_topic or not articles:
        return []
    matcher = TopicMatcher(by_topic, vocabulary)
    deliveries: list[AlertDelivery] = []
    for article in articles:
        assert article.id is not None, "alerts are computed for stored articles"
        told: set[tuple[int, str, int]] = set()
        for topic in sorted(matcher.matches(article)):
            for sub in by_topic[topic]:
                key = (sub.guild_id, sub.kind, sub.target_id)
                if key not in told:
                    told.add(key)
                    deliveries.append(
                        AlertDelivery(sub.guild_id, sub.kind, sub.target_id, article.id, topic)
                    )
    return deliveries
