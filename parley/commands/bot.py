"""``parley run``: start the Discord bot."""

from __future__ import annotations

import logging
import sys

import click

from bot.token import read_token
from parley.context import CliState, pass_state

TOKEN_HELP = (
    "DISCORD_TOKEN is not set, so the bot cannot log in to Discord.\n"
    "Create a bot at https://discord.com/developers/applications, copy its token, then:\n"
    "  export DISCORD_TOKEN='your-token'   # never put it in the config file or in git\n"
    "  parley run\n"
    "(or put the token alone in an untracked file and set PARLEY_TOKEN_FILE to its path).\n"
    "Without a token, `parley demo` shows the digest in this terminal."
)


@click.command()
@pass_state
def run(state: CliState) -> None:
    """Start the Discord bot (needs DISCORD_TOKEN in the environment)."""
    token = read_token()
    if token is None:
        click.echo(TOKEN_HELP, err=True)
        sys.exit(2)
    import discord

    from bot.app import run_bot  # discord.py loads only when the bot really starts

    root = logging.getLogger()
    root.setLevel(min(root.level, logging.INFO))  # connection, guilds and job runs are news
    try:
        run_bot(state.config, token)
    except discord.LoginFailure:
        click.echo(
            "Discord refused the token (401): check DISCORD_TOKEN or PARLEY_TOKEN_FILE "
            "(the bot's token from the developer portal, not the client secret).",
            err=True,
        )
        sys.exit(1)
    except discord.PrivilegedIntentsRequired as error:
        click.echo(f"Discord refused to connect: {error}", err=True)
        sys.exit(1)


COMMANDS = [run]
