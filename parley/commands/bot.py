"""``parley run``: start the Discord bot."""

from __future__ import annotations

import os
import sys

import click

TOKEN_HELP = (
    "DISCORD_TOKEN is not set, so the bot cannot log in to Discord.\n"
    "Create a bot at https://discord.com/developers/applications, copy its token, then:\n"
    "  export DISCORD_TOKEN='your-token'   # never put it in the config file or in git\n"
    "  parley run\n"
    "Without a token, `parley demo` shows the digest in this terminal."
)


@click.command()
def run() -> None:
    """Start the Discord bot (needs DISCORD_TOKEN in the environment)."""
    if not os.environ.get("DISCORD_TOKEN", "").strip():
        click.echo(TOKEN_HELP, err=True)
        sys.exit(2)
    click.echo("The Discord bot is not built yet.", err=True)
    sys.exit(2)


COMMANDS = [run]
