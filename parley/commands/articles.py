"""Article commands: ingest, digest, summarize, search, demo."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from parley.context import CliState, pass_state
from parley.options import DATE, DateValue, choice, limit_option

if TYPE_CHECKING:
    from rich.console import Console

    from digest.models import Digest

# Heavy libraries (scikit-learn, dateparser, rich) are imported inside the commands that need
# them, so `parley --help` and quick commands start fast.

PROGRESS_FROM = 20  # files; below this a progress bar is only noise
DEMO_MEETINGS = 25


def run_ingest(state: CliState, paths: list[str], console: Console) -> bool:
    """Ingest files and folders, printing counts and each skip once with its reason.

    Returns False when an input named in ``paths`` (not a file found in a folder) could not
    be read: the command then exits with status 1.
    """
    from rich.progress import Progress

    from digest.meetings.topics import extend_vocabulary
    from digest.pipeline import ingest_files, iter_text_files
    from digest.timeutil import utc_now

    now = utc_now()
    vocabulary = extend_vocabulary(state.config.topics.extra)
    files = list(iter_text_files(paths))
    if len(files) >= PROGRESS_FROM:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Ingesting", total=len(files))
            report = ingest_files(
                state.db, files, now, lambda _: progress.advance(task), vocabulary
            )
    else:
        report = ingest_files(state.db, files, now, vocabulary=vocabulary)
    repaired = f" ({report.repaired} earlier article(s) completed)" if report.repaired else ""
    console.print(report.summary() + repaired, markup=False)
    for outcome in report.outcomes:
        if outcome.status == "skipped":
            console.print(
                f"  skipped: {outcome.reason}", markup=False, style="yellow", soft_wrap=True
            )
    named = {str(Path(p).absolute()) for p in paths if not Path(p).is_dir()}
    named |= {str(Path(p).resolve()) for p in paths if not Path(p).is_dir()}
    return not any(
        outcome.status == "skipped" and outcome.location.split("#")[0] in named
        for outcome in report.outcomes
    )


@click.command()
@click.argument("paths", nargs=-1, required=True)
@pass_state
def ingest(state: CliState, paths: tuple[str, ...]) -> None:
    """Read article text files (or folders of them), feed URLs and page URLs into the database."""
    from rich.console import Console

    from parley.commands.sources import is_url, refuse_unsupported_urls, run_ingest_urls

    refuse_unsupported_urls(paths)  # before anything is read: a file: URL is not a path
    files = [p for p in paths if not is_url(p)]
    all_read = True
    if files:
        all_read = run_ingest(state, files, Console())
    if len(files) < len(paths):
        run_ingest_urls(state, [p for p in paths if is_url(p)], Console())
    if not all_read:
        raise click.exceptions.Exit(1)


def current_digest(state: CliState, since: datetime | None, now: datetime) -> Digest:
    """The digest of articles ingested after ``since``, built with the configured sizes."""
    from digest.daily import build_digest
    from digest.store import articles as article_store

    settings = state.config.digest
    return build_digest(
        article_store.articles_since(state.db, since),
        now=now,
        since=since,
        sentences_per_story=settings.sentences_per_story,
        max_stories=settings.stories_per_digest,
    )


FORMAT = choice("text", "markdown", "json")


@click.command()
@click.option(
    "--since", type=DATE, help="Only articles ingested after this (e.g. 2024-05-01, yesterday)."
)
@click.option("--format", "fmt", type=FORMAT, default="text", show_default=True)
@pass_state
def digest(state: CliState, since: DateValue | None, fmt: str) -> None:
    """Print the digest of stored articles."""
    from digest.formats import digest_to_dict, digest_to_markdown, digest_to_text
    from digest.timeutil import utc_now

    now = utc_now()
    result = current_digest(state, since.moment if since else None, now)
    zone = state.config.zone
    if fmt == "json":
        click.echo(json.dumps(digest_to_dict(result), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(digest_to_markdown(result, zone), nl=False)
    else:
        click.echo(digest_to_text(result, zone), nl=False)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sentences", "-n", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--format", "fmt", type=choice("text", "json"), default="text")
def summarize(file: Path, sentences: int, fmt: str) -> None:
    """Summarise one article file in a few of its own sentences."""
    from digest.clean import clean_article
    from digest.reader import read_text_file
    from digest.summarize import summarize as summarize_text

    cleaned = clean_article(read_text_file(file))
    picked = summarize_text(cleaned.body, sentences=sentences, title=cleaned.title)
    if fmt == "json":
        payload = {"file": str(file), "title": cleaned.title, "summary": picked}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(picked))


@click.command()
@click.argument("query")
@limit_option(10, 200, "Articles")
@click.option("--format", "fmt", type=choice("text", "json"), default="text")
@pass_state
def search(state: CliState, query: str, limit: int, fmt: str) -> None:
    """Full-text search over stored articles (words, "phrases", AND/OR/NOT, prefix*)."""
    from digest.store import articles as article_store
    from digest.store.fts import shown
    from digest.timeutil import to_iso

    hits = article_store.search_articles(state.db, query, limit=limit)
    if fmt == "json":
        rows = [
            {
                "id": h.article.id,
                "title": h.article.title,
                "location": h.article.location,
                "published": to_iso(h.article.published),
                "snippet": h.snippet,
            }
            for h in hits
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo(f"No article matches {shown(query)}.")
    for hit in hits:
        click.echo(f"[{hit.article.id}] {hit.article.title or '(untitled)'}")
        click.echo(f"    {hit.snippet}")
        click.echo(f"    {hit.article.location}")


@click.command()
@pass_state
def demo(state: CliState) -> None:
    """The main job on the defaults: ingest the seed articles, print the digest and meetings."""
    from rich.console import Console

    from digest.store.meeting_search import search_meetings
    from digest.timeutil import utc_now
    from parley.terminal import print_digest, print_meetings

    console = Console()
    folders = [f for f in state.config.sources.folders if Path(f).exists()]
    if not folders:
        raise click.ClickException(
            f"none of the source folders {list(state.config.sources.folders)} exists here; "
            "run this from the Parley checkout, or set [sources] folders in the config"
        )
    run_ingest(state, folders, console)
    now = utc_now()
    print_digest(console, current_digest(state, None, now), state.config.zone)
    page = search_meetings(state.db, limit=DEMO_MEETINGS)
    print_meetings(console, page.meetings, page.total)
    console.print(f"Database: {state.config.database_path.resolve()}")


COMMANDS = [ingest, digest, summarize, search, demo]
