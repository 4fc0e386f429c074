"""The ``parley`` command line: a thin layer over the same digest/ calls the bot uses."""

from __future__ import annotations

import logging
import sqlite3
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
    """Entry point: every error becomes a one-line message and exit status 1, not a traceback.

    Run with -v to see the traceback of an error Parley did not expect.
    """
    try:
        status = cli.main(standalone_mode=False)  # a command's Exit(n) comes back as n
        if isinstance(status, int) and status:
            sys.exit(status)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.UsageError as error:
        # One line, the same for every command and option: what is wrong and where to look.
        where = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
        click.echo(f"Error: {one_line(error.format_message())}{where}", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        click.echo(f"Error: {one_line(error.format_message())}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except ParleyError as error:
        click.echo(f"Error: {one_line(str(error))}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted: what was stored before stays stored.", err=True)
        sys.exit(130)
    except sqlite3.Error as error:
        from digest.store import explain_sqlite_error

        reason = explain_sqlite_error(error) or f"database error: {error}"
        click.echo(f"Error: {one_line(reason)}", err=True)
        sys.exit(1)
    except Exception as error:
        if "-v" in sys.argv[1:] or "--verbose" in sys.argv[1:]:
            raise
        click.echo(
            f"Error: unexpected {type(error).__name__}: {one_line(str(error))} "
            "(run with -v to see where; please report it)",
            err=True,
        )
        sys.exit(1)


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters: a message never floods a terminal."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
