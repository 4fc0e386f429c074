"""The gold JSON format (GUIDE.md §1): one object per article, with its meetings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digest.models import Article, Meeting


def article_stem(article: Article) -> str:
    """The article's file stem (or the last path piece of its URL)."""
    return Path(article.location.rstrip("/")).stem or article.location


def meeting_dict(meeting: Meeting) -> dict[str, Any]:
    """One meeting in the gold field order."""
    location = None
    if meeting.location is not None:
        location = {"city": meeting.location.city, "country": meeting.location.country}
    return {
        "date": meeting.date,
        "date_text": meeting.date_text,
        "status": meeting.status,
        "kind": meeting.kind,
        "location": location,
        "participants": [
            {"name": p.name, "role": p.role, "side": p.side} for p in meeting.participants
        ],
        "topics": list(meeting.topics),
        "evidence": meeting.evidence,
        "sides": list(meeting.sides),
    }


def meetings_json(article: Article, meetings: list[Meeting]) -> dict[str, Any]:
    """The gold-format object: article stem, published date, title, meetings."""
    return {
        "article": article_stem(article),
        "published": article.published.date().isoformat() if article.published else None,
        "title": article.title,
        "meetings": [meeting_dict(m) for m in meetings],
    }
