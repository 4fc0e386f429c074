"""The topic vocabulary the bot offers and matches: shipped tags plus the config's extra words."""

from __future__ import annotations

import tomllib
from importlib import resources

from digest.alerts import Vocabulary
from digest.config import Config


def shipped_patterns() -> dict[str, tuple[str, ...]]:
    """Tag -> trusted regex patterns, from digest/data/topics.toml (shipped with Parley)."""
    text = resources.files("digest").joinpath("data/topics.toml").read_text(encoding="utf-8")
    tags = tomllib.loads(text).get("tags", {})
    return {tag: tuple(entry.get("patterns", ())) for tag, entry in tags.items()}


def load_vocabulary(config: Config) -> Vocabulary:
    """Shipped tags and the config's ``[topics] extra`` tags (plain words, matched whole)."""
    try:
        patterns = shipped_patterns()
    except FileNotFoundError:
        patterns = {}
    extra = {tag.lower(): tuple(words) for tag, words in config.topics.extra.items()}
    return Vocabulary(patterns=patterns, phrases=extra)
