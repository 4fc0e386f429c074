"""The meetings extracted from an invented sentence, as the JSON a user would see."""

from datetime import UTC, datetime

from digest.meetings import extract_meetings, meetings_json
from digest.models import Article


def meetings(text: str) -> list[dict]:
    """Meetings of ``text`` read as an untitled article published on 10 May 2024."""
    article = Article(
        location="invented", body=text, content_hash="h", title=None,
        published=datetime(2024, 5, 10, tzinfo=UTC),
    )  # fmt: skip
    return meetings_json(article, extract_meetings(article))["meetings"]
