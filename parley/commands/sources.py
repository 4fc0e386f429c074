"""Live-source commands: ``parley sources`` (list, add, remove, resume) and ``parley poll``.

``run_ingest_urls`` serves ``parley ingest URL...``.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from digest.timeutil import to_iso, utc_now
from parley.context import CliState, pass_state
from parley.options import choice

# digest.sources (httpx, feedparser, trafilatura) and rich load inside the commands that use
# them: `parley --help` and the other commands start without them.
if TYPE_CHECKING:
    from rich.console import Console

    from digest.sources import ItemsIngested, SourceError
    from digest.store.sources import Source

# Schemes people paste that are not web addresses; written without "//" they would otherwise
# pass for file names (data:, mailto:). Anything else with "://" is a URL too.
OTHER_SCHEMES = frozenset({"file", "ftp", "ftps", "sftp", "gopher", "data", "mailto",
                           "javascript", "about", "news", "tel", "urn", "ws", "wss"})  # fmt: skip
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def is_url(argument: str) -> bool:
    """True when a command-line argument is a URL of any scheme rather than a file path."""
    text = argument.strip()
    found = SCHEME.match(text)
    if found is None or len(found.group(1)) == 1 or Path(text).exists():  # C:\ is a path
        return False
    return "://" in text or found.group(1).lower() in OTHER_SCHEMES


def refuse_unsupported_urls(arguments: Sequence[str]) -> None:
    """A one-line ClickException (exit 1), before anything is read, for a URL not fetchable."""
    from digest.sources import SourceError
    from digest.sources.urls import check_url

    for argument in arguments:
        if is_url(argument):
            try:
                check_url(argument)
            except SourceError as error:
                raise click.ClickException(str(error)) from None


def _cut_note(url: str, result: ItemsIngested) -> str:
    return (
        f"  {url}: {len(result.deferred)} items left unread ({result.cut}); "
        "run the same command again to read them"
    )


def run_ingest_urls(state: CliState, urls: Sequence[str], console: Console) -> None:
    """Fetch feed and page URLs once and store what is new, within one round's budget.

    Prints counts, then one line per failure and per feed a budget cut short.
    """
    from digest.sources import Fetcher, ItemsIngested, Round, SourceError, ingest_url

    refuse_unsupported_urls(urls)
    now = utc_now()
    settings = state.config.sources

    async def ingest_all() -> list[ItemsIngested | SourceError]:
        round_ = Round.start(settings)
        async with Fetcher.from_settings(settings) as fetcher:
            results: list[ItemsIngested | SourceError] = []
            for url in urls:
                try:
                    budget = round_.feed_budget(settings)
                    results.append(await ingest_url(state.db, fetcher, url, now, budget))
                except SourceError as error:
                    results.append(error)
            return results

    results = asyncio.run(ingest_all())
    done = [r for r in results if isinstance(r, ItemsIngested)]
    total = sum(done, ItemsIngested())
    console.print(
        f"{len(total.new_article_ids)} new, {total.duplicates} duplicate, "
        f"{total.skipped} skipped from {len(done)} of {len(urls)} URLs"
    )
    for url, result in zip(urls, results, strict=True):
        if isinstance(result, SourceError):
            console.print(f"  failed: {result}", markup=False, style="yellow", soft_wrap=True)
        elif result.deferred:
            console.print(_cut_note(url, result), markup=False, style="yellow", soft_wrap=True)
        if isinstance(result, ItemsIngested) and result.warning:
            console.print(f"  warning: {url}: {result.warning}", markup=False, soft_wrap=True)
    if not done:
        raise click.ClickException("no URL could be read")


def _when(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _source_dict(source: Source) -> dict:
    return {
        "url": source.url,
        "kind": source.kind,
        "origin": source.origin,
        "title": source.title,
        "status": source.status,
        "last_success": to_iso(source.last_success),
        "last_error": source.last_error,
        "last_error_at": to_iso(source.last_error_at),
        "consecutive_failures": source.consecutive_failures,
        "next_poll": to_iso(source.next_poll),
        "paused": source.paused,
    }


STATUS_STYLE = {"ok": "green", "done": "green", "new": "cyan", "failing": "yellow", "paused": "red"}


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=choice("text", "json"), default="text")
@pass_state
@click.pass_context
def sources(ctx: click.Context, state: CliState, fmt: str) -> None:
    """List feeds and pages with their health (config sources are registered first)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    from digest.sources import list_sources, sync_config_sources

    sync_config_sources(state.db, state.config.sources, utc_now())
    found = list_sources(state.db)
    if fmt == "json":
        click.echo(json.dumps([_source_dict(s) for s in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(
            "No sources yet: add feeds under [sources] in the config or `parley sources add URL`."
        )
        return
    zone = state.config.zone
    table = Table("status", "kind", "source", "last success", "failures", "next poll", "last error")
    # A URL wraps onto more lines instead of being cut to "http://12…" in a narrow terminal.
    table.columns[2].overflow = "fold"
    table.columns[2].min_width = 24
    table.columns[6].overflow = "fold"
    for s in found:
        table.add_row(
            f"[{STATUS_STYLE[s.status]}]{s.status}[/]",
            s.kind,
            s.url + (f"\n[dim]{s.title}[/]" if s.title else ""),
            _when(s.last_success, zone),
            str(s.consecutive_failures),
            _when(s.next_poll, zone),
            s.last_error or "",
        )
    Console().print(table)


@sources.command("add")
@click.argument("url")
@click.option("--kind", type=choice("feed", "page"), help="Skip detection (no fetch).")
@pass_state
def sources_add(state: CliState, url: str, kind: str | None) -> None:
    """Add a feed or page (fetched once to tell which, unless --kind says)."""
    from digest.sources import register_source
    from digest.store.sources import get_source

    known = get_source(state.db, url.strip())
    if known is not None:
        click.echo(f"{known.kind} {known.url} was already a source: nothing changed")
        return
    added = asyncio.run(register_source(state.db, url, utc_now(), kind, state.config.sources))
    source, first = added.source, added.first_poll
    if added.found_on:
        click.echo(f"{added.found_on} is a web page; it announces the feed {source.url}")
    if first is None:
        click.echo(f"{source.kind} {source.url}: {source.status}, polled at the next `parley poll`")
        return
    click.echo(
        f"feed {source.url}: {first.new_items} items, {len(first.new_article_ids)} stored now "
        f"(backlog {state.config.sources.backlog}), the rest marked as read; "
        "new items are read from the next `parley poll`"
    )
    if first.notice:
        click.echo(f"  {first.notice}")


@sources.command("remove")
@click.argument("url")
@pass_state
def sources_remove(state: CliState, url: str) -> None:
    """Forget a source (the articles it brought stay)."""
    from digest.sources import remove_source

    remove_source(state.db, url)
    click.echo(f"Removed {url}")


@sources.command("resume")
@click.argument("url")
@pass_state
def sources_resume(state: CliState, url: str) -> None:
    """Put a paused source back in the polling round."""
    from digest.sources import resume_source

    source = resume_source(state.db, url, utc_now())
    click.echo(f"Resumed {source.url}")


@click.command()
@pass_state
def poll(state: CliState) -> None:
    """Poll every source that is due now (config sources are registered first)."""
    from rich.console import Console

    from digest.sources import list_sources, poll_due_sources, sync_config_sources

    settings = state.config.sources
    now = utc_now()
    sync_config_sources(state.db, settings, now)
    report = asyncio.run(poll_due_sources(state.db, settings, now))
    console = Console()
    if not report.outcomes:
        upcoming = [s.next_poll for s in list_sources(state.db) if s.next_poll and not s.paused]
        after = (
            f"; the next is due at {_when(min(upcoming), state.config.zone)}" if upcoming else ""
        )
        console.print(f"No source is due{after}.")
        return
    console.print(
        f"{len(report.outcomes)} sources polled: {len(report.new_article_ids)} new articles, "
        f"{len(report.failed)} failed"
    )
    for outcome in report.outcomes:
        if outcome.error:
            console.print(
                f"  {outcome.status}: {outcome.error}", markup=False, style="yellow", soft_wrap=True
            )
        elif outcome.notice:
            console.print(f"  {outcome.notice}", markup=False, soft_wrap=True)


COMMANDS = [sources, poll]
