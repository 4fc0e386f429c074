"""The clean command: what Parley reads from one page (title, publication date, site, body)."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def clean(file: Path, fmt: str) -> None:
    """Print what Parley reads from a page: title, publication date, site and story text.

    Shows why a source summarises badly: a wrong headline, a missing date, furniture left in
    the body or story text lost. Captions and credits set aside are listed in text format.
    """
    from digest.clean import clean_article
    from digest.reader import read_text_file
    from digest.timeutil import to_iso

    cleaned = clean_article(read_text_file(file))
    published = to_iso(cleaned.published)
    if fmt == "json":
        payload = {
            "title": cleaned.title,
            "published": published,
            "site": cleaned.site,
            "body": cleaned.body,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if cleaned.title:
        click.echo(f"Title:     {cleaned.title}")
    else:
        from digest.clean_headline import statement_headline

        stand_in = statement_headline(cleaned.body)
        click.echo(f"Title:     (none found; from the story: {stand_in or 'none'})")
    click.echo(f"Published: {published or '(no date stated)'}")
    click.echo(f"Site:      {cleaned.site or '(not named)'}")
    words = len(cleaned.body.split())
    paragraphs = len(cleaned.body.split("\n\n")) if cleaned.body else 0
    click.echo(f"Body:      {paragraphs} paragraphs, {words} words")
    if cleaned.captions:
        click.echo(f"Set aside: {len(cleaned.captions)} captions, credits or embeds")
    click.echo()
    click.echo(cleaned.body or "(no story text found)")


COMMANDS = [clean]
