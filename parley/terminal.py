"""Rich rendering for people at a terminal (scripts use --format json instead)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from digest.formats import shown_sources
from digest.models import Digest, Meeting, Story


def _story_panel(number: int, story: Story, zone: tzinfo) -> Panel:
    body = Text()
    for sentence in story.summary:
        body.append(f"• {sentence}\n")
    sources, more = shown_sources(story)
    for source in sources:
        when = f", {source.published.astimezone(zone):%Y-%m-%d}" if source.published else ""
        site = f"{source.site}: " if source.site else ""
        body.append(f"  ↳ {site}{source.title}{when}\n", style="dim")
        body.append(f"    {source.location}\n", style="dim cyan")
    if more:
        body.append(f"  +{more} more source{'s' if more > 1 else ''}\n", style="dim")
    return Panel(body, title=f"[bold]{number}. {escape(story.title)}", title_align="left")


def print_digest(console: Console, digest: Digest, zone: tzinfo) -> None:
    """Print a digest as one panel per story."""
    when = digest.generated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    console.rule(f"[bold]Parley digest[/] · {when} · {digest.article_count} articles")
    if digest.is_empty:
        console.print("Nothing new.")
        return
    console.print(Group(*(_story_panel(n, s, zone) for n, s in enumerate(digest.stories, 1))))


def _place(meeting: Meeting) -> str:
    if meeting.location is None:
        return ""
    return ", ".join(p for p in (meeting.location.city, meeting.location.country) if p)


def print_meetings(console: Console, meetings: Sequence[Meeting], total: int) -> None:
    """Print meetings as one table, newest first, saying how many more there are."""
    table = Table(title=f"Meetings ({total} stored)", show_lines=True, title_justify="left")
    for column in ("#", "date", "what", "where", "who", "topics"):
        table.add_column(column, overflow="fold")
    for meeting in meetings:
        who = "\n".join(
            f"{p.name} ({p.side})" if p.side else p.name for p in meeting.participants
        ) or ", ".join(meeting.sides)
        table.add_row(
            str(meeting.id or ""),
            meeting.date or "?",
            f"{meeting.status} {meeting.kind}",
            _place(meeting),
            who,
            ", ".join(meeting.topics),
        )
    console.print(table)
    if total > len(meetings):
        console.print(f"… and {total - len(meetings)} more: parley meetings --page 2")
