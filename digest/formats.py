"""Digests as plain data, Markdown or text: for the terminal, files and scripts (not Discord)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from digest.models import Digest, SourceLink, Story
from digest.timeutil import to_iso


def _source_dict(source: SourceLink) -> dict[str, Any]:
    return {
        "title": source.title,
        "location": source.location,
        "site": source.site,
        "published": to_iso(source.published),
    }


def story_to_dict(story: Story) -> dict[str, Any]:
    """A JSON-ready view of one story."""
    return {
        "title": story.title,
        "summary": list(story.summary),
        "sources": [_source_dict(s) for s in story.sources],
        "article_ids": list(story.article_ids),
        "published": to_iso(story.published),
        "topics": list(story.topics),
    }


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    """A JSON-ready view of a digest."""
    return {
        "generated_at": to_iso(digest.generated_at),
        "since": to_iso(digest.since),
        "article_count": digest.article_count,
        "stories": [story_to_dict(s) for s in digest.stories],
    }


# A story of hundreds of similar articles lists its first few sources, then "+N more" (the
# JSON form keeps them all, for scripts).
SOURCES_SHOWN = 3


def shown_sources(story: Story, limit: int = SOURCES_SHOWN) -> tuple[list[SourceLink], int]:
    """The sources of ``story`` to list (its first ``limit``) and how many more it has."""
    sources = list(story.sources)
    return sources[:limit], max(0, len(sources) - limit)


def _more(count: int) -> list[str]:
    return [f"+{count} more source{'s' if count > 1 else ''}"] if count else []


def _source_label(source: SourceLink) -> str:
    return f"{source.site}: {source.title}" if source.site else source.title


def _when(digest: Digest, zone: tzinfo) -> str:
    return digest.generated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def digest_to_markdown(digest: Digest, zone: tzinfo) -> str:
    """The digest as a Markdown document, times shown in ``zone``."""
    lines = [f"# Parley digest, {_when(digest, zone)}", ""]
    if digest.is_empty:
        return "\n".join([*lines, "Nothing new."])
    for number, story in enumerate(digest.stories, start=1):
        lines += [f"## {number}. {story.title}", ""]
        lines += [" ".join(story.summary), ""]
        sources, more = shown_sources(story)
        lines += [f"- [{_source_label(s)}]({s.location})" for s in sources]
        lines += [f"- {line}" for line in _more(more)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def digest_to_text(digest: Digest, zone: tzinfo) -> str:
    """The digest as plain text, times shown in ``zone``."""
    lines = [f"Parley digest, {_when(digest, zone)}", ""]
    if digest.is_empty:
        return "\n".join([*lines, "Nothing new."])
    for number, story in enumerate(digest.stories, start=1):
        lines += [f"{number}. {story.title}", ""]
        lines += [f"   {sentence}" for sentence in story.summary]
        sources, more = shown_sources(story)
        lines += [f"   - {_source_label(s)} <{s.location}>" for s in sources]
        lines += [f"   {line}" for line in _more(more)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
