"""From raw text to an Article record: clean, fingerprint, stamp."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from digest.clean import clean_article
from digest.models import Article


def content_hash(body: str) -> str:
    """A fingerprint of the story text that ignores case and whitespace differences."""
    normalised = re.sub(r"\s+", " ", body).strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def article_from_text(raw: str, location: str, now: datetime) -> Article | None:
    """Clean ``raw`` into an Article ingested at ``now``; None when no story text remains."""
    cleaned = clean_article(raw)
    if not cleaned.body.strip():
        return None
    return Article(
        location=location,
        body=cleaned.body,
        content_hash=content_hash(cleaned.body),
        title=cleaned.title,
        published=cleaned.published,
        site=cleaned.site,
        ingested_at=now,
        captions=cleaned.captions,
    )
