"""The scheduler reads and writes its job store off the event loop, and runs jobs on it."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot import scheduler as jobs
from tests.discord_emulator.harness import ADMIN, bot_config, newsroom, running_bot

SEEN: dict[str, list[int]] = {"job": []}


async def record_job() -> None:
    """A stored job (module-level, as the job store needs): notes the thread it ran in."""
    SEEN["job"].append(threading.get_ident())


async def wait_for(predicate, ceiling: float = 60.0) -> None:
    """Poll ``predicate`` until true (generous ceiling: the machine may be slow)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ceiling
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_job_store_work_is_off_the_loop_and_jobs_run_on_it(tmp_path):
    SEEN["job"].clear()
    scheduler = jobs.build_scheduler(f"sqlite:///{tmp_path / 'jobs.db'}", 60)
    store = scheduler._jobstores["default"]
    store_threads: list[int] = []
    for name in ("get_due_jobs", "update_job", "get_next_run_time"):
        original = getattr(store, name)

        def spy(*args, _original=original, **kwargs):
            store_threads.append(threading.get_ident())
            return _original(*args, **kwargs)

        setattr(store, name, spy)
    loop_thread = threading.get_ident()
    scheduler.start()
    try:
        scheduler.add_job(
            record_job,
            IntervalTrigger(hours=1, timezone=UTC),
            id="probe",
            next_run_time=datetime.now(UTC),
        )
        await wait_for(lambda: SEEN["job"])
        # The fired job's next run time is written back to the store, a day's hour later.
        await wait_for(
            lambda: (
                scheduler.get_job("probe").next_run_time > datetime.now(UTC) + timedelta(minutes=30)
            )
        )
        assert SEEN["job"] == [loop_thread]  # coroutine jobs run on the bot's loop
        assert store_threads, "the job store was never consulted"
        assert loop_thread not in store_threads  # due jobs read, run times written elsewhere
    finally:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)


async def test_a_wakeup_during_processing_is_not_lost(tmp_path):
    """Jobs added while the store thread is busy still run (the wakeup is redone after)."""
    SEEN["job"].clear()
    scheduler = jobs.build_scheduler(f"sqlite:///{tmp_path / 'jobs.db'}", 60)
    scheduler.start()
    try:
        for n in range(5):
            scheduler.add_job(
                record_job,
                IntervalTrigger(hours=1, timezone=UTC),
                id=f"probe{n}",
                next_run_time=datetime.now(UTC),
            )
        await wait_for(lambda: len(SEEN["job"]) == 5)
        await asyncio.sleep(0.05)
        assert len(SEEN["job"]) == 5  # each once
    finally:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)


async def test_setup_pause_and_resume_write_the_job_store_off_the_loop(monkeypatch, tmp_path):
    async with (
        newsroom(monkeypatch, channels=("news",)) as emulator,
        running_bot(bot_config(tmp_path)) as bot,
    ):
        store = bot.scheduler._jobstores["default"]
        loop_thread = threading.get_ident()
        calls: list[tuple[str, int]] = []
        for name in ("add_job", "update_job", "lookup_job"):
            original = getattr(store, name)

            def spy(*args, _name=name, _original=original, **kwargs):
                calls.append((_name, threading.get_ident()))
                return _original(*args, **kwargs)

            monkeypatch.setattr(store, name, spy)
        job_id = jobs.digest_job_id(emulator.guild)
        reply = await emulator.command(
            "parley setup",
            guild_id=emulator.guild,
            permissions=ADMIN,
            channel=emulator.news,
            time="08:00",
            timezone="UTC",
        )
        assert "Daily digest set" in reply["content"], reply
        assert bot.scheduler.get_job(job_id).next_run_time is not None
        await emulator.command("parley pause", guild_id=emulator.guild, permissions=ADMIN)
        assert bot.scheduler.get_job(job_id).next_run_time is None  # paused
        reply = await emulator.command("parley resume", guild_id=emulator.guild, permissions=ADMIN)
        assert "resumed" in reply["content"], reply
        assert bot.scheduler.get_job(job_id).next_run_time is not None
        written = [thread for name, thread in calls if name != "lookup_job"]
        assert written, "the commands wrote no job"
        assert loop_thread not in written
