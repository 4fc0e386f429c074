"""No route to Discord at start: one line, then retries with backoff until it answers; a wrong
token: one line and exit 1, never a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading

import discord.http
from click.testing import CliRunner

from bot.app import ParleyBot
from parley.cli import cli
from tests.discord_emulator.emulator import Emulator
from tests.discord_emulator.harness import FAST, bot_config, newsroom, running_bot, wait_until
from tests.discord_emulator.rest import API


def closed_port() -> int:
    """A local port nothing listens on (connections are refused: no route to Discord)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_no_route_at_start_is_retried_until_discord_answers(monkeypatch, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    async with newsroom(monkeypatch) as emu:
        monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}{API}")
        bot = ParleyBot(bot_config(tmp_path), tuning=FAST)
        task = asyncio.create_task(bot.start("test-token"))
        try:
            await wait_until(
                lambda: (
                    len([r for r in caplog.records if "cannot reach Discord" in r.getMessage()])
                    >= 3
                )
            )
            assert not task.done()  # still trying, not crashed
            unreachable = [r for r in caplog.records if "cannot reach Discord" in r.getMessage()]
            assert all(r.exc_info is None and "\n" not in r.getMessage() for r in unreachable)
            monkeypatch.setattr(discord.http.Route, "BASE", emu.url + API)  # the network is back
            await wait_until(bot.is_ready)
            reply = await emu.command("topics", guild_id=emu.guild)
            assert reply["embeds"][0]["title"].startswith("Topics")
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)


def test_cli_run_with_a_refused_token_prints_one_line(monkeypatch, tmp_path):
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    emu = asyncio.run_coroutine_threadsafe(Emulator().start(), loop).result(30)
    try:
        emu.patch_discord(monkeypatch)
        emu.fail("GET", r"^/users/@me$", 401)
        monkeypatch.setenv("DISCORD_TOKEN", "abc")
        monkeypatch.setenv("PARLEY_DB", str(tmp_path / "parley.db"))
        monkeypatch.delenv("PARLEY_CONFIG", raising=False)
        result = CliRunner().invoke(cli, ["run"])
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "refused the token" in lines[0]
    finally:
        asyncio.run_coroutine_threadsafe(emu.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


async def test_gateway_lookup_failing_at_start_is_retried(monkeypatch, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    async with newsroom(monkeypatch) as emu:
        emu.fail("GET", r"^/gateway/bot$", 503, times=2)  # logged in, then Discord falters
        async with running_bot(bot_config(tmp_path)):
            reply = await emu.command("topics", guild_id=emu.guild)
            assert reply["embeds"][0]["title"].startswith("Topics")
        retries = [r for r in caplog.records if "cannot reach Discord's gateway" in r.getMessage()]
        assert len(retries) == 2
