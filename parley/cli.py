"""The ``parley`` command line: a thin layer over the same digest/ calls the bot uses."""

from __future__ import annotations

import logging
import sys

import click

from digest.errors import ParleyError
from parley.commands import articles, bot, clean
from parley.commands import meetings as meeting_commands
from parley.commands import sources as source_commands
from parley.context import CliState


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="PARLEY_CONFIG",
    help="TOML config file (default: $PARLEY_CONFIG, else built-in defaults).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what happens, for debugging.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Parley reads the news: digests, meetings and topic alerts, in Discord or here."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = CliState(config_path=config_path)


for command in (
    *articles.COMMANDS,
    *clean.COMMANDS,
    *bot.COMMANDS,
    *source_commands.COMMANDS,
    *meeting_commands.COMMANDS,
):
    cli.add_command(command)


def main() -> None:
    """Entry point: ParleyError becomes a one-line message and exit status 1, not a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except ParleyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
