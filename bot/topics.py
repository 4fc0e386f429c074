"""The topic vocabulary the bot offers and matches: shipped tags plus the config's extra words."""

from __future__ import annotations

from digest.config import Config
from digest.meetings.topics import Vocabulary, extend_vocabulary


def load_vocabulary(config: Config) -> Vocabulary:
    """Shipped tags and the config's ``[topics] extra`` tags (plain words, matched whole).

    The same loader (``extend_vocabulary``) gives meeting extraction its vocabulary.
    """
    return extend_vocabulary(config.topics.extra)
