"""The bot's worker processes die with it, even when it is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import os, sys, time
from bot import work
pool = work.worker_pool(2)
futures = [pool.submit(work.warm_up) for _ in range(8)]
[f.result() for f in futures]
print("ready", flush=True)
time.sleep(600)
"""


def children_of(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (workers and multiprocessing's resource tracker)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_workers_die_when_the_bot_is_killed():
    bot = subprocess.Popen(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert bot.stdout.readline().strip() == "ready"
        workers = children_of(bot.pid)
        assert len(workers) >= 2  # two workers (and the resource tracker)
        os.kill(bot.pid, signal.SIGKILL)
        bot.wait()
        deadline = time.monotonic() + 60  # a ceiling, not a measurement
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in workers if alive(p)] == []
    finally:
        if bot.poll() is None:
            bot.kill()
