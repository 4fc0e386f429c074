"""End to end against the local Discord: login, command sync, /parley setup and friends."""

from __future__ import annotations

import pytest

from bot.app import ParleyBot
from bot.state import guilds as guild_state
from tests.discord_emulator import Focused
from tests.discord_emulator.harness import ADMIN, bot_config, newsroom, running_bot, side_db


@pytest.fixture
async def emulator(monkeypatch):
    async with newsroom(monkeypatch, channels=("news", "general")) as emu:
        yield emu


async def test_login_syncs_every_command_globally(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        names = {c["name"] for c in emulator.global_commands}
        assert {"parley", "digest", "subscribe", "unsubscribe", "subscriptions", "topics"} <= names
        parley = emulator.registered("parley")
        assert parley["default_member_permissions"] == str(ADMIN)
        assert {o["name"] for o in parley["options"]} >= {"setup", "status", "pause", "source"}
        assert emulator.identifies == 1
        assert [g.name for g in bot.guilds] == ["Newsroom"]
        assert not emulator.unhandled


async def test_guild_sync_registers_in_dev_guilds_only(emulator, tmp_path):
    config = bot_config(tmp_path, sync="guild", dev_guild_ids=(emulator.guild,))
    async with running_bot(config):
        assert emulator.global_commands == []
        assert {c["name"] for c in emulator.guild_commands[emulator.guild]} >= {"parley", "digest"}
        reply = await emulator.command("topics", guild_id=emulator.guild)
        assert reply["embeds"][0]["title"].startswith("Topics")


def test_every_command_has_a_real_description(tmp_path):
    bot = ParleyBot(bot_config(tmp_path))

    async def load() -> None:
        from bot.app import EXTENSIONS

        for extension in EXTENSIONS:
            await bot.load_extension(extension)

    import asyncio

    asyncio.run(load())
    commands = list(bot.tree.walk_commands())
    assert len(commands) >= 10
    for command in commands:
        assert command.description and command.description != "…", command.qualified_name
    bot.db.close()


async def test_setup_schedules_the_guild_digest_in_its_zone(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        news = emulator.channel_id(emulator.guild, "news")
        reply = await emulator.command(
            "parley setup",
            guild_id=emulator.guild,
            permissions=ADMIN,
            channel=news,
            time="7:30",
            timezone="Europe/Berlin",
        )
        assert reply["flags"] & 64  # ephemeral
        assert "07:30 (Europe/Berlin)" in reply["content"]
        settings = guild_state.get_guild_settings(db, emulator.guild)
        assert (settings.channel_id, settings.time, settings.timezone) == (
            news,
            "07:30",
            "Europe/Berlin",
        )
        job = bot.scheduler.get_job(f"digest:{emulator.guild}")
        local = job.next_run_time.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
        assert (local.hour, local.minute) == (7, 30)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"time": "25:00"}, "not a time of day"),
        ({"time": "noon"}, "not a time of day"),
        ({"timezone": "Mars/Olympus"}, "not a time zone"),
    ],
)
async def test_setup_refuses_bad_values_ephemerally(emulator, tmp_path, options, message):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        news = emulator.channel_id(emulator.guild, "news")
        reply = await emulator.command(
            "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=news, **options
        )
        assert message in reply["content"]
        assert reply["flags"] & 64
        assert guild_state.get_guild_settings(db, emulator.guild) is None


async def test_admin_commands_are_hidden_and_checked(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        with pytest.raises(PermissionError):
            await emulator.interact("parley status", guild_id=emulator.guild, permissions=0)
        reply = await emulator.command("parley status", guild_id=emulator.guild, permissions=ADMIN)
        assert "/parley setup" in reply["content"]


async def test_timezone_autocomplete_offers_at_most_25(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)):
        news = emulator.channel_id(emulator.guild, "news")
        result = await emulator.command(
            "parley setup",
            guild_id=emulator.guild,
            permissions=ADMIN,
            channel=news,
            timezone=Focused("berl"),
        )
        assert [c["value"] for c in result["choices"]] == ["Europe/Berlin"]
        result = await emulator.command(
            "parley setup",
            guild_id=emulator.guild,
            permissions=ADMIN,
            channel=news,
            timezone=Focused("a"),
        )
        assert len(result["choices"]) == 25


async def test_pause_resume_and_status(emulator, tmp_path):
    async with running_bot(bot_config(tmp_path)) as bot:
        db = side_db(bot)
        news = emulator.channel_id(emulator.guild, "news")
        await emulator.command(
            "parley setup", guild_id=emulator.guild, permissions=ADMIN, channel=news
        )
        reply = await emulator.command("parley pause", guild_id=emulator.guild, permissions=ADMIN)
        assert "paused" in reply["content"]
        assert bot.scheduler.get_job(f"digest:{emulator.guild}").next_run_time is None
        status = await emulator.command("parley status", guild_id=emulator.guild, permissions=ADMIN)
        fields = {f["name"]: f["value"] for f in status["embeds"][0]["fields"]}
        assert fields["State"] == "paused"
        assert fields["Next digest"] == "none (paused)"
        await emulator.command("parley resume", guild_id=emulator.guild, permissions=ADMIN)
        assert bot.scheduler.get_job(f"digest:{emulator.guild}").next_run_time is not None
        assert not guild_state.get_guild_settings(db, emulator.guild).paused
