"""The local Discord's gateway with the real discord.py client: sharding as Discord does it."""

from __future__ import annotations

import asyncio
import contextlib
import json

import aiohttp
import discord
import pytest

from tests.discord_emulator import Emulator, ManualClock
from tests.discord_emulator.harness import wait_until

BASE = (1_300_000_000_000_000_000 >> 22) << 22


def guild_ids(count):
    """Snowflakes that fall on shards 0, 1, 0, 1... of two ((id >> 22) % 2)."""
    return [BASE + n * (1 << 22) for n in range(count)]


@pytest.fixture
async def sharded(monkeypatch):
    emu = await Emulator(clock=ManualClock(), shard_count=2).start()
    emu.patch_discord(monkeypatch)
    emu.ids = [emu.add_guild(f"G{n}", guild_id=g) for n, g in enumerate(guild_ids(4))]
    try:
        yield emu
    finally:
        await emu.stop()


def intents():
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


@contextlib.asynccontextmanager
async def connected(client):
    task = asyncio.create_task(client.start("test-token"))
    try:
        await wait_until(lambda: client.is_ready() or task.done(), timeout=60)
        if task.done():
            task.result()
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


async def test_gateway_bot_recommends_the_configured_shards(sharded):
    url = f"{sharded.url}/api/v10/gateway/bot"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        body = await response.json()
    assert body["shards"] == 2 and body["url"] == sharded.gateway_url
    assert body["session_start_limit"]["max_concurrency"] == 1


async def test_each_shard_receives_only_its_guilds(sharded):
    async with connected(discord.AutoShardedClient(intents=intents())) as client:
        assert sorted(sharded.identified_shards) == [(0, 2), (1, 2)]
        assert {g.id for g in client.guilds} == set(sharded.ids)
        for session in sharded.sessions.values():
            created = [int(e["d"]["id"]) for e in session.events if e["t"] == "GUILD_CREATE"]
            assert created == sharded.guilds_of_shard(session.shard[0], 2) and len(created) == 2
        for guild in client.guilds:
            assert guild.shard_id == (guild.id >> 22) % 2


async def test_an_interaction_arrives_on_its_guilds_shard(sharded):
    seen = []

    class Client(discord.AutoShardedClient):
        async def on_interaction(self, interaction):
            seen.append((interaction.guild_id, self.get_guild(interaction.guild_id).shard_id))

    sharded.global_commands = [
        {"id": "1", "name": "ping", "description": "p", "type": 1, "application_id": "1"}
    ]
    async with connected(Client(intents=intents())):
        for guild_id in sharded.ids[:2]:
            await sharded.interact("ping", guild_id=guild_id)
        await wait_until(lambda: len(seen) == 2, timeout=30)
    assert seen == [(g, (g >> 22) % 2) for g in sharded.ids[:2]]
    for session in sharded.sessions.values():
        for event in session.events:
            if event["t"] == "INTERACTION_CREATE":
                assert (int(event["d"]["guild_id"]) >> 22) % 2 == session.shard[0]


async def test_an_unsharded_client_is_told_sharding_is_required(sharded):
    client = discord.Client(intents=intents())
    with pytest.raises(discord.ConnectionClosed) as refused:
        await asyncio.wait_for(client.start("test-token"), 60)
    await client.close()
    assert refused.value.code == 4011 and sharded.identifies == 0


async def test_an_invalid_shard_is_closed_with_4010(sharded):
    async with aiohttp.ClientSession() as http, http.ws_connect(sharded.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        await ws.send_str(json.dumps({"op": 2, "d": {"token": "t", "shard": [2, 2]}}))
        closed = await ws.receive()
    assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4010


async def test_discord_py_reads_discords_answers(monkeypatch):
    emu = await Emulator(clock=ManualClock()).start()
    emu.patch_discord(monkeypatch)
    guild = emu.add_guild("Newsroom", channels=("news", "closed"))
    client = discord.Client(intents=intents())
    try:
        await client.login("test-token")
        news = await client.fetch_channel(emu.channel_id(guild))
        with pytest.raises(discord.HTTPException) as too_long:
            await news.send("x" * 2001)
        assert too_long.value.status == 400 and too_long.value.code == 50035
        assert "content" in too_long.value.text and "2000 or fewer" in too_long.value.text
        with pytest.raises(discord.HTTPException) as too_big:
            await news.send(embeds=[discord.Embed(description="d" * 3001)] * 2)
        assert "Embed size exceeds maximum size of 6000" in too_big.value.text
        closed = emu.channel_id(guild, "closed")
        await emu.forbid_posting(closed)
        with pytest.raises(discord.Forbidden) as forbidden:
            await (await client.fetch_channel(closed)).send("digest")
        assert forbidden.value.code == 50013
        emu.fail("POST", r"/messages$", 429, retry_after=0.01)  # discord.py waits, then retries
        sent = await news.send("after a 429", nonce="n1")
        assert sent.content == "after a 429" and emu.invalid_requests() == 2
    finally:
        await client.close()
        await emu.stop()
