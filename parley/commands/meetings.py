"""Meeting commands: extract (one article file), meetings (lookups), people, topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from digest.models import Article, Meeting
from digest.timeutil import to_iso, utc_now
from parley.context import CliState, pass_state
from parley.options import DATE, PAGE, DateValue, choice, limit_option

FORMAT = choice("text", "json")
STATUSES = ("held", "planned", "mentioned")  # as digest.store.meetings.STATUSES


def _describe(meeting: Meeting) -> list[str]:
    """A meeting as a few plain-text lines."""
    where = ""
    if meeting.location is not None:
        where = ", ".join(p for p in (meeting.location.city, meeting.location.country) if p)
    head = f"{meeting.date or 'date unknown'}  {meeting.status} {meeting.kind}"
    if meeting.id is not None:
        head = f"#{meeting.id}  {head}"
    if where:
        head += f"  in {where}"
    lines = [head]
    people = [
        f"{p.name} ({', '.join(x for x in (p.role, p.side) if x)})" if p.role or p.side else p.name
        for p in meeting.participants
    ]
    lines.append("    who: " + ("; ".join(people) if people else "unnamed officials"))
    lines.append("    sides: " + (", ".join(meeting.sides) or "-"))
    if meeting.topics:
        lines.append("    topics: " + ", ".join(meeting.topics))
    lines.append(f"    \u201c{meeting.evidence}\u201d")
    if meeting.sources:
        lines.append(f"    sources: {len(meeting.sources)}")
        for source in meeting.sources:
            lines.append(f"      - {source.title} ({source.location})")
    return lines


def _stored_dict(meeting: Meeting) -> dict[str, Any]:
    from digest.meetings.json_format import meeting_dict

    return {
        "id": meeting.id,
        **meeting_dict(meeting),
        "sources": [
            {
                "title": s.title,
                "location": s.location,
                "site": s.site,
                "published": to_iso(s.published),
            }
            for s in meeting.sources
        ],
    }


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, default="json", show_default=True)
@pass_state
def extract(state: CliState, file: Path, fmt: str) -> None:
    """Print the meetings one article file reports (the gold JSON format by default)."""
    from digest.articles import article_from_text
    from digest.meetings import extract_meetings, meetings_json
    from digest.meetings.topics import extend_vocabulary
    from digest.reader import read_text_file

    article = article_from_text(read_text_file(file), str(file), utc_now())
    if article is None:  # no story text: an empty record, still in the gold shape
        article = Article(location=str(file), body="", content_hash="")
        found: list[Meeting] = []
    else:
        vocabulary = extend_vocabulary(state.config.topics.extra)
        found = extract_meetings(article, vocabulary)
    if fmt == "json":
        click.echo(json.dumps(meetings_json(article, found), indent=2, ensure_ascii=False))
        return
    click.echo(f"{file.name}: {len(found)} meeting(s)")
    for meeting in found:
        click.echo("\n".join(_describe(meeting)))


@click.command()
@click.option("--person", help="Someone who took part (full name or surname).")
@click.option("--country", "side", help="A side: country or organisation (China, EU, ...).")
@click.option("--place", help="Where it took place: a city or a country.")
@click.option("--topic", help="A topic tag (see `parley topics`).")
@click.option("--since", type=DATE, help="On or after this date (2024-05-01, 2024-05, yesterday).")
@click.option("--until", type=DATE, help="On or before this date (2024-05-31, 2024, today).")
@click.option("--query", "text", help='Full-text search in the evidence ("phrases", OR, NOT).')
@click.option("--status", type=choice(*STATUSES), help="held, planned or mentioned.")
@limit_option(20, 100, "Meetings per page")
@click.option("--page", type=PAGE, default=1, show_default=True, help="Which page (from 1).")
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@pass_state
def meetings(
    state: CliState,
    person: str | None,
    side: str | None,
    place: str | None,
    topic: str | None,
    since: DateValue | None,
    until: DateValue | None,
    text: str | None,
    status: str | None,
    limit: int,
    page: int,
    fmt: str,
) -> None:
    """Look up stored meetings, newest first: who met whom, where, when, about what."""
    from digest.store.meeting_search import search_meetings

    result = search_meetings(
        state.db,
        person=person,
        side=side,
        place=place,
        topic=topic,
        since=since.iso if since else None,
        until=until.iso if until else None,
        text=text,
        status=status,
        limit=limit,
        offset=(page - 1) * limit,
    )
    if fmt == "json":
        payload = {
            "total": result.total,
            "total_capped": result.total_capped,  # total is a lower bound: more match
            "page": page,
            "limit": limit,
            "meetings": [_stored_dict(m) for m in result.meetings],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not result.meetings:
        click.echo("No meeting matches." if result.total == 0 else "No meetings on this page.")
        return
    for meeting in result.meetings:
        click.echo("\n".join(_describe(meeting)))
    pages = (result.total + limit - 1) // limit
    first = result.offset + 1
    more = "+" if result.total_capped else ""  # the store stops counting past a cap
    click.echo(
        f"\n{first}-{result.offset + len(result.meetings)} of {result.total}{more} "
        f"(page {page} of {pages}{more})"
    )


@click.command()
@click.argument("prefix", default="")
@limit_option(25, 500, "Names")
@pass_state
def people(state: CliState, prefix: str, limit: int) -> None:
    """List people seen in meetings whose name (or surname) starts with PREFIX."""
    from digest.store.meeting_search import people_with_prefix

    names = people_with_prefix(state.db, prefix, limit=limit)
    if not names:
        click.echo(f"No one whose name starts with {prefix!r}.")
    for name in names:
        click.echo(name)


@click.command()
@pass_state
def topics(state: CliState) -> None:
    """List the topic tags of stored meetings, with how many meetings have each."""
    from digest.store.meeting_search import topic_counts

    counts = topic_counts(state.db)
    if not counts:
        click.echo("No meetings stored yet: ingest some articles first.")
    for tag, count in counts:
        click.echo(f"{count:6d}  {tag}")


COMMANDS = [extract, meetings, people, topics]
