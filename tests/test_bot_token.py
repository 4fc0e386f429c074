"""The token: from the environment or an untracked file, never printed, never logged."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from bot.token import Token, read_token
from digest.errors import ConfigError
from parley.cli import cli
from tests.discord_emulator import Emulator
from tests.discord_emulator.harness import bot_config, running_bot


def test_token_from_environment_wins(tmp_path):
    secret = tmp_path / "token.txt"
    secret.write_text("from-file\n")
    env = {"DISCORD_TOKEN": " from-env ", "PARLEY_TOKEN_FILE": str(secret)}
    assert read_token(env) == Token("from-env")
    assert read_token({"PARLEY_TOKEN_FILE": str(secret)}) == Token("from-file")
    assert read_token({}) is None


@pytest.mark.parametrize("content", [None, ""])
def test_bad_token_file_says_what_to_do(tmp_path, content):
    path = tmp_path / "token.txt"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError, match="PARLEY_TOKEN_FILE"):
        read_token({"PARLEY_TOKEN_FILE": str(path)})


def test_token_hides_itself():
    token = Token("super-secret")
    assert "super-secret" not in repr(token) and "super-secret" not in f"{token}"


def test_run_without_token_exits_2_with_help(monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("PARLEY_TOKEN_FILE", raising=False)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 2
    assert "DISCORD_TOKEN is not set" in result.output


async def test_the_token_never_reaches_the_logs(monkeypatch, tmp_path, caplog):
    emulator = await Emulator().start()
    emulator.patch_discord(monkeypatch)
    emulator.add_guild()
    caplog.set_level(logging.DEBUG)
    try:
        async with running_bot(bot_config(tmp_path)):
            pass
    finally:
        await emulator.stop()
    assert "connected as parley" in caplog.text
    assert "test-token" not in caplog.text
