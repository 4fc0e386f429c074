"""The topic vocabulary the bot offers and matches: shipped tags plus the config's extra words."""

from __future__ import annotations

from digest.alerts import Vocabulary
from digest.config import Config
from digest.meetings.topics import shipped_patterns


def load_vocabulary(config: Config) -> Vocabulary:
    """Shipped tags and the config's ``[topics] extra`` tags (plain words, matched whole)."""
    extra = {tag.lower(): tuple(words) for tag, words in config.topics.extra.items()}
    return Vocabulary(patterns=dict(shipped_patterns()), phrases=extra)
