"""Two processes' worth of shards on a sharded gateway: each guild answered by its own shard,
its digest posted once, by the one process that runs the jobs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.state import digest_outbox as outbox_state
from digest.pipeline import ingest_article
from tests.discord_emulator.harness import (
    ADMIN,
    FAST,
    bot_config,
    make_article,
    newsroom,
    running_bot,
    side_db,
    wait_until,
)

BODY = (
    "Negotiators from both countries met in Geneva on Tuesday to discuss tariffs on steel. "
    "The talks lasted six hours and ended without a joint statement."
)


async def test_two_shard_processes_post_each_guilds_digest_once(monkeypatch, tmp_path):
    async with newsroom(monkeypatch, shard_count=2) as emu:
        other = emu.add_guild("Second", guild_id=emu.guild + (1 << 22))  # the other shard
        guilds = {emu.guild: emu.news, other: emu.channel_id(other)}
        jobs = bot_config(tmp_path, shard_count=2, shard_ids=(0,), jobs=True)
        answers = bot_config(tmp_path, shard_count=2, shard_ids=(1,), jobs=False)
        if (emu.guild >> 22) % 2 == 1:  # whichever shard the first guild is on
            jobs, answers = (
                replace(jobs, bot=replace(jobs.bot, shard_ids=(1,))),
                replace(answers, bot=replace(answers.bot, shard_ids=(0,))),
            )
        quick = replace(FAST, reconcile_seconds=0.1)
        async with running_bot(jobs, tuning=quick) as a, running_bot(answers, tuning=quick) as b:
            assert sorted(s for s, _ in emu.identified_shards) == [0, 1]
            assert {g.id for g in a.guilds} | {g.id for g in b.guilds} == set(guilds)
            assert not {g.id for g in a.guilds} & {g.id for g in b.guilds}
            for guild_id, channel in guilds.items():  # each answered by its own shard
                reply = await emu.command(
                    "parley setup", guild_id=guild_id, permissions=ADMIN, channel=channel
                )
                assert "Daily digest set" in reply["content"], reply
            assert not b.scheduler.running  # only one process runs the jobs
            await wait_until(
                lambda: all(a.scheduler.get_job(f"digest:{g}") is not None for g in guilds)
            )
            db = side_db(a)
            ingest_article(db, make_article(1, "Steel tariff talks", BODY, a.now()))
            for guild_id in guilds:
                a.scheduler.modify_job(f"digest:{guild_id}", next_run_time=datetime.now(UTC))
            await wait_until(
                lambda: all(
                    (entry := outbox_state.latest_digest(db, g)) is not None
                    and entry.state == "posted"
                    for g in guilds
                )
            )
            for guild_id, channel in guilds.items():
                entry = outbox_state.latest_digest(db, guild_id)
                assert len(emu.messages_in(channel)) == len(entry.message_ids) == 1
