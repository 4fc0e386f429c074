"""Where an event-loop stall's time went, measured from outside the GIL (bot_load --trace-threads).

A watchdog thread in the bot's process cannot see a stall caused by another thread holding the
GIL in one long C call (it needs the GIL to sample), nor one caused by the process waiting for a
core. This sampler runs in a process of its own and reads the kernel's per-thread counters every
few milliseconds: ``/proc/PID/task/TID/schedstat`` gives each thread's CPU time and its *run
delay* (time spent runnable, waiting for a core). For each stall window it then reports:

- the loop thread's CPU time and run delay: a run delay as long as the stall means the thread
  was ready but no core was free (the machine); little CPU and little run delay means it slept
  on a lock (the GIL), and then
- the other threads of the bot and its child processes (emulator, workers) that ran meanwhile,
  and the machine's busy share and runnable count (``/proc/stat``, ``/proc/loadavg``).

In the bot's process, ``trace_pickles`` and ``GcLog`` note the long (un)pickling of what crosses
to and from the worker processes and the long garbage collections, with their times.
"""

from __future__ import annotations

import bisect
import gc
import multiprocessing
import os
import threading
import time
from array import array
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _schedstat(path: str) -> tuple[int, int] | None:
    try:
        with open(path) as handle:
            cpu, delay, _ = handle.read().split()
        return int(cpu), int(delay)
    except (OSError, ValueError):
        return None


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _machine_busy() -> tuple[int, int]:
    """(busy ticks, all ticks) of the whole machine since boot."""
    with open("/proc/stat") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _runnable() -> int:
    with open("/proc/loadavg") as handle:
        return int(handle.read().split()[3].split("/")[0])


class _Series:
    """One thread's counters at the sweeps it was seen in."""

    def __init__(self) -> None:
        self.sweep, self.cpu, self.delay = array("q"), array("q"), array("q")

    def at(self, index: int, after: bool) -> tuple[int, int] | None:
        """Counters at the last sweep <= index (or the first >= index when ``after``)."""
        position = (
            bisect.bisect_left(self.sweep, index)
            if after
            else bisect.bisect_right(self.sweep, index) - 1
        )
        if position < 0 or position >= len(self.sweep):
            return None
        return self.cpu[position], self.delay[position]


def _sample(pipe: Connection, pid: int, every: float) -> None:
    times = array("d")
    busy, runnable = array("q"), array("q")
    threads: dict[str, _Series] = {}  # "pid/tid" -> series
    children: list[int] = []
    next_scan = 0.0
    while not pipe.poll():
        now = time.monotonic()
        if now >= next_scan:
            children, next_scan = _children(pid), now + 1.0
        index = len(times)
        times.append(now)
        busy.append(_machine_busy()[0])
        runnable.append(_runnable())
        for owner in (pid, *children):
            tasks = [owner] if owner != pid else _tasks(pid)
            for tid in tasks:
                path = f"/proc/{owner}/task/{tid}/schedstat"
                counters = _schedstat(path)
                if counters is None:
                    continue
                series = threads.setdefault(f"{owner}/{tid}", _Series())
                series.sweep.append(index)
                series.cpu.append(counters[0])
                series.delay.append(counters[1])
        time.sleep(max(0.0, every - (time.monotonic() - now)))
    names, windows = pipe.recv()
    pipe.send(_attribute(times, busy, runnable, threads, names, windows, pid))


def _tasks(pid: int) -> list[int]:
    try:
        return [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return []


def _attribute(
    times: array,
    busy: array,
    runnable: array,
    threads: dict[str, _Series],
    names: dict[str, str],
    windows: list[tuple[float, float, str]],
    pid: int,
) -> str:
    lines = []
    for start, end, label in windows:
        first = max(0, bisect.bisect_right(times, start) - 1)
        last = min(len(times) - 1, bisect.bisect_left(times, end))
        if last <= first:
            continue
        span = times[last] - times[first]
        machine = (busy[last] - busy[first]) / TICKS / span / (os.cpu_count() or 1)
        most = max(runnable[first : last + 1])
        lines.append(
            f"{label}: sampled {span * 1000:.0f} ms; machine {machine:.0%} busy, up to {most}"
            " runnable"
        )
        rows = []
        for key, series in threads.items():
            before, after = series.at(first, after=False), series.at(last, after=True)
            if before is None or after is None:
                continue
            cpu, delay = (after[0] - before[0]) / 1e6, (after[1] - before[1]) / 1e6
            name = names.get(key) or names.get(key.split("/")[0]) or key
            if cpu >= 5 or delay >= 5 or name == "loop":
                rows.append((-cpu, f"    {name:<28} cpu {cpu:6.0f} ms  run delay {delay:6.0f} ms"))
        lines += [text for _, text in sorted(rows)]
    return "\n".join(lines)


class ThreadSampler:
    """The sampling process: start it, then ``report`` the stall windows at the end."""

    def __init__(self, every: float = 0.005) -> None:
        self._pipe, child = multiprocessing.Pipe()
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=_sample, args=(child, os.getpid(), every), daemon=True
        )
        self._process.start()

    def report(self, names: dict[str, str], windows: list[tuple[float, float, str]]) -> str:
        """Per window (monotonic start, end, label): where the CPU and the waiting went."""
        self._pipe.send((names, windows))
        text = self._pipe.recv()
        self._process.join(10)
        return text


def thread_names(loop_thread: int, processes: dict[int, str]) -> dict[str, str]:
    """'pid/tid' (and 'pid' for child processes) -> a readable name, the loop thread as 'loop'."""
    pid = os.getpid()
    names = {
        f"{pid}/{t.native_id}": ("loop" if t.ident == loop_thread else t.name)
        for t in threading.enumerate()
    }
    names |= {str(child): name for child, name in processes.items()}
    return names


class Events:
    """Long (un)pickling and garbage collections in the bot's process, with their times."""

    def __init__(self, threshold: float = 0.002) -> None:
        self.threshold = threshold
        self.noting = True
        self.items: list[tuple[float, float, str]] = []  # (start, seconds, what)
        self._gc_began = 0.0

    def _note(self, began: float, what: Callable[[], str]) -> None:
        took = time.perf_counter() - began
        if self.noting and took >= self.threshold:
            self.items.append((began, took, what()))

    def start(self) -> None:
        """Wrap ForkingPickler (what crosses pipes and queues) and watch the collector."""
        loads, dumps = ForkingPickler.loads, ForkingPickler.dumps.__func__
        events = self

        def timed_loads(data: bytes, *args: object, **kwargs: object) -> object:
            began = time.perf_counter()
            value = loads(data, *args, **kwargs)
            size = len(data)
            thread = threading.current_thread().name
            events._note(began, lambda: f"loads {size:,} B -> {type(value).__name__} in {thread}")
            return value

        def timed_dumps(cls: type, obj: object, protocol: int | None = None) -> memoryview:
            began = time.perf_counter()
            data = dumps(cls, obj, protocol)
            thread = threading.current_thread().name
            name = type(obj).__name__
            events._note(began, lambda: f"dumps {len(data):,} B <- {name} in {thread}")
            return data

        ForkingPickler.loads = staticmethod(timed_loads)
        ForkingPickler.dumps = classmethod(timed_dumps)
        gc.callbacks.append(self._gc)

    def stop(self) -> None:
        """Stop noting (the report's own work after the burst is not the bot's)."""
        self.noting = False

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            generation = info["generation"]
            self._note(self._gc_began, lambda: f"gc generation {generation}")

    def collections(self) -> str:
        """Garbage collections over the threshold: how many per generation, the longest."""
        found: dict[str, list[float]] = {}
        for _, took, what in self.items:
            if what.startswith("gc "):
                found.setdefault(what, []).append(took)
        return "; ".join(
            f"{what}: {len(times)} over {self.threshold * 1000:.0f} ms, longest"
            f" {max(times) * 1000:.0f} ms"
            for what, times in sorted(found.items())
        )

    def during(self, start: float, end: float) -> list[str]:
        """The events that overlap [start, end]."""
        return [
            f"    +{(began - start) * 1000:5.0f} ms  {took * 1000:6.1f} ms  {what}"
            for began, took, what in self.items
            if began < end and began + took > start
        ]


class LoopCallbacks:
    """Each event-loop callback's wall and CPU time (the loop thread's own), the long ones named.

    A stall whose loop thread had CPU time was work on the loop: one long callback, or many
    short ones run in the same turn before the probe's. Per 10 ms bucket: callbacks run and
    their CPU; callbacks over ``threshold`` are kept with what they were.
    """

    def __init__(self, threshold: float = 0.005) -> None:
        self.threshold = threshold
        self.long: list[tuple[float, float, float, str]] = []  # (start, wall, cpu, what)
        self.origin = time.perf_counter()
        self.count, self.cpu = array("q"), array("d")

    def start(self) -> None:
        """Wrap asyncio's Handle._run (every callback and task step goes through it)."""
        import asyncio.events

        run = asyncio.events.Handle._run
        watch = self

        def timed(handle: asyncio.events.Handle) -> None:
            began, cpu = time.perf_counter(), time.thread_time()
            run(handle)
            wall, used = time.perf_counter() - began, time.thread_time() - cpu
            bucket = int((began - watch.origin) * 100)
            while len(watch.count) <= bucket:
                watch.count.append(0)
                watch.cpu.append(0.0)
            watch.count[bucket] += 1
            watch.cpu[bucket] += used
            if wall >= watch.threshold:
                watch.long.append((began, wall, used, _describe(handle)))

        asyncio.events.Handle._run = timed

    def during(self, start: float, end: float) -> list[str]:
        """Callbacks in [start, end]: how many, their CPU, and the long ones."""
        first, last = int((start - self.origin) * 100), int((end - self.origin) * 100) + 1
        count = sum(self.count[first:last])
        cpu = sum(self.cpu[first:last])
        lines = [f"    loop callbacks: {count}, CPU {cpu * 1000:.0f} ms"]
        lines += [
            f"    +{(began - start) * 1000:5.0f} ms  wall {wall * 1000:6.1f} ms  cpu"
            f" {used * 1000:6.1f} ms  {what}"
            for began, wall, used, what in self.long
            if began < end and began + wall > start
        ]
        return lines


def _describe(handle: object) -> str:
    callback = getattr(handle, "_callback", None)
    owner = getattr(callback, "__self__", None)
    if owner is not None and hasattr(owner, "get_coro"):
        coro = owner.get_coro()
        frame = getattr(coro, "cr_frame", None)
        where = (
            f" (now at {frame.f_code.co_filename.split('/')[-1]}:{frame.f_lineno})" if frame else ""
        )
        return f"task {getattr(coro, '__qualname__', coro)}{where}"
    return getattr(callback, "__qualname__", repr(callback))
