"""Rich rendering for people at a terminal (scripts use --format json instead)."""

from __future__ import annotations

from datetime import tzinfo

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from digest.models import Digest, Story


def _story_panel(number: int, story: Story, zone: tzinfo) -> Panel:
    body = Text()
    for sentence in story.summary:
        body.append(f"• {sentence}\n")
    for source in story.sources:
        when = f", {source.published.astimezone(zone):%Y-%m-%d}" if source.published else ""
        site = f"{source.site}: " if source.site else ""
        body.append(f"  ↳ {site}{source.title}{when}\n", style="dim")
        body.append(f"    {source.location}\n", style="dim cyan")
    return Panel(body, title=f"[bold]{number}. {escape(story.title)}", title_align="left")


def print_digest(console: Console, digest: Digest, zone: tzinfo) -> None:
    """Print a digest as one panel per story."""
    when = digest.generated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    console.rule(f"[bold]Parley digest[/] · {when} · {digest.article_count} articles")
    if digest.is_empty:
        console.print("Nothing new.")
        return
    console.print(Group(*(_story_panel(n, s, zone) for n, s in enumerate(digest.stories, 1))))
