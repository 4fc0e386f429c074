"""Load on the bot, against the strict local Discord: many digests due at once, many alerts.

200 guilds with a digest due the same minute, 5,000 topic subscriptions (25 members per guild,
one topic each: shipped tags and plain words), 10% of the subscribers with closed DMs, 1,000 new
articles, and members using slash commands (/subscriptions, /topics, /digest, 2 a second) while
it all runs. The emulator enforces Discord's documented rules (tests/discord_emulator) on the
real clock and prints, from Discord's side:

- every request valid: requests refused as malformed (400, a limit broken); should be 0;
- late first responses: slash commands whose first answer came after Discord's 3 s (404 10062);
- invalid requests: 401/403/429 answers, what Discord counts toward its ban at 10,000 per 10
  minutes, per 1,000 article deliveries (target < 1);
- digests posted once each: the outbox's messages are all in the channel, none twice;

and from the bot's process: when the last digest was posted (the scheduler spreads the guilds'
digests over the minute they chose, one second each, so ~58 s is that spread, not delivery
time; the time from each guild's second to its digest being posted is printed beside it), when
all alerts were delivered, the worst event-loop stall (a probe task sleeping 5 ms and recording
how late it wakes), the longest garbage collection and peak memory.

The emulator runs in a process of its own, as Discord would: its records of every message are
not in the heap the bot's garbage collector walks, and its work does not hold the bot's GIL.
Figures on the 2-core box, 7 Dec 2026, shared with other jobs (load average ~9), bot at afc8ecb:
0 malformed of 11,018 requests; 5 late first responses of 1,638 slash commands; 576 invalid
requests (285 closed DMs, 291 global 429s) = 0.43 per 1,000 of 1,345,079 article deliveries;
200 of 200 digests posted once, the last after 126.8 s (per digest p50 30 s from its own
second); alerts delivered after 790 s; worst event-loop stall 5.7 s (p99 21 ms) on that load.

    .venv/bin/python bench/bot_load.py [--guilds 200] [--subscriptions 5000] [--articles 1000]
        [--closed-dms 0.1] [--command-rate 2] [--trace-threads [--stall-ms 50]]

``--trace-threads`` says where each stall's time went, from outside the GIL
(bench/stall_sampler.py): the loop thread's CPU time and run delay (runnable, no core free), the
other threads and processes that ran, long pickles and garbage collections, and the loop's long
callbacks.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import json
import logging
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
import traceback
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stall_sampler import Events, LoopCallbacks, ThreadSampler, thread_names  # noqa: E402
from bot.app import ParleyBot  # noqa: E402
from bot.outbox import RetryPolicy  # noqa: E402
from bot.scheduler import digest_job_id, spread_second  # noqa: E402
from bot.settings import BotConfig  # noqa: E402
from bot.state import alerts as alert_state  # noqa: E402
from bot.state import digest_outbox as outbox_state  # noqa: E402
from bot.state import guilds as guild_state  # noqa: E402
from bot.state import subscriptions as subscription_state  # noqa: E402
from bot.state.records import POSTED, USER, GuildSettings, Subscription  # noqa: E402
from bot.tuning import Tuning  # noqa: E402
from digest.articles import article_from_text  # noqa: E402
from digest.config import DatabaseSettings, SourceSettings  # noqa: E402
from digest.store.articles import save_article  # noqa: E402
from tests.discord_emulator import Emulator  # noqa: E402
from tests.discord_emulator.limits import route_of  # noqa: E402

WORDS = [
    "tariffs", "election", "minister", "security", "trade", "talks", "summit", "china",
    "washington", "military", "president", "defense", "economy", "sanctions", "climate",
    "energy", "visit", "agreement", "cooperation", "beijing",
]  # fmt: skip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def anonymous_rss_mb() -> float:
    """Resident memory that is the process's own (heap), without file pages such as the
    database's memory map, which count in RSS but belong to the page cache."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


class GcWatch:
    """The longest garbage collection while watching: one of the causes a stall can have."""

    def __init__(self) -> None:
        self.longest, self.generation, self._began = 0.0, -1, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        elif (took := time.perf_counter() - self._began) > self.longest:
            self.longest, self.generation = took, info["generation"]

    def start(self) -> None:
        gc.callbacks.append(self)

    def stop(self) -> None:
        gc.callbacks.remove(self)


class LoopProbe:
    """Sleeps ``interval`` in a loop; the worst lateness is the longest the loop was blocked."""

    def __init__(self, interval: float = 0.005, slow: float = 0.1) -> None:
        self.interval, self.worst, self._task = interval, 0.0, None
        self.threshold = slow
        self.lags: list[float] = []
        self.slow: list[tuple[float, float]] = []  # (seconds since start, lag) over threshold
        self.origin = self.beat = time.perf_counter()
        self.peak_anonymous = 0.0
        self.stacks: collections.Counter[str] = collections.Counter()  # --trace-stalls
        self._watching = False

    async def _run(self) -> None:
        while True:
            start = self.beat = time.perf_counter()
            await asyncio.sleep(self.interval)
            lag = time.perf_counter() - start - self.interval
            self.lags.append(lag)
            self.worst = max(self.worst, lag)
            if lag > self.threshold:
                self.slow.append((start - self.origin, lag))
            if len(self.lags) % 100 == 0:
                self.peak_anonymous = max(self.peak_anonymous, anonymous_rss_mb())

    def percentile(self, share: float) -> float:
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def start(self, trace: bool = False) -> None:
        self._task = asyncio.create_task(self._run())
        if trace:
            self._watching = True
            loop_thread = threading.get_ident()
            threading.Thread(target=self._watch, args=(loop_thread,), daemon=True).start()

    def stop(self) -> None:
        self._task.cancel()
        self._watching = False

    def _watch(self, loop_thread: int, every: float = 0.01) -> None:
        """Every 10 ms while the probe is over 100 ms late, note where the loop thread is.

        A stack inside the selector means the loop was waiting for the CPU or the GIL (other
        threads' innermost frames are noted then), anything else is work on the loop.
        """
        while self._watching:
            time.sleep(every)
            if time.perf_counter() - self.beat < 0.1 + self.interval:
                continue
            frames = sys._current_frames()
            where = traceback.format_stack(frames[loop_thread], limit=14)
            key = "".join(where)
            if "selectors.py" in where[-1]:
                names = {t.ident: t.name for t in threading.enumerate()}
                busy = [
                    f"{names.get(ident, ident)}: {traceback.format_stack(frame, limit=1)[0]}"
                    for ident, frame in frames.items()
                    if ident not in (loop_thread, threading.get_ident())
                ]
                key = "loop thread in the selector; other threads:\n" + "".join(busy)
            self.stacks[key] += 1

    def report_stacks(self, top: int = 6) -> None:
        """Print where the loop thread was during stalls, most sampled first."""
        total = sum(self.stacks.values())
        print(f"stall samples (every 10 ms while over 100 ms late): {total}")
        for key, count in self.stacks.most_common(top):
            print(f"--- {count} samples (~{count * 10} ms):\n{key}")


def make_articles(count: int, now: datetime) -> list:
    """``count`` distinct articles built from the seed texts (sentences reshuffled, numbered)."""
    rng = random.Random(7)
    seeds = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = article_from_text(path.read_text(encoding="utf-8"), str(path), now)
        if article is not None:
            seeds.append(article)
    made = []
    for n in range(count):
        seed = seeds[n % len(seeds)]
        sentences = [s for s in seed.body.split(". ") if s]
        rng.shuffle(sentences)
        body = ". ".join(sentences[: max(3, len(sentences) * 2 // 3)]) + f". Report {n}."
        made.append(
            type(seed)(
                location=f"https://bench.example/{n}",
                body=body,
                content_hash=f"bench-{n}",
                title=f"{seed.title or 'Story'} ({n})",
                published=now,
                site=f"site{n % 40}.example",
                ingested_at=now,
            )
        )
    return made


class EmulatorProcess:
    """The strict emulator in a process of its own: Discord's work and memory are not the bot's.

    (In a thread of the bot's process, its records of every message sent were part of the
    heap the bot's garbage collector walks, and its CPU work held the bot's GIL.) Its clock is
    the real one: the 3-second deadline of a first response is measured as Discord measures it.
    """

    def __init__(self, guilds: int) -> None:
        self._pipe, child = multiprocessing.Pipe()
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(target=_serve_emulator, args=(child, guilds), daemon=True)
        self._process.start()
        self.url, self.gateway_url, self.channels = self._pipe.recv()
        self.guild_ids = list(self.channels)

    def ask(self, order: str, argument: object = None) -> object:
        """Send an order to the emulator's process and return its answer."""
        self._pipe.send((order, argument))
        return self._pipe.recv()

    def stop(self) -> None:
        self._pipe.send(("stop", None))
        self._process.join(10)


async def _users(emulator: Emulator, guild_ids: list[int], users: list[int], rate: float) -> None:
    """Members using slash commands while the burst runs: ``rate`` commands a second."""
    rng = random.Random(11)
    commands = ("subscriptions", "topics", "digest")
    while True:
        guild_id = rng.choice(guild_ids)
        command = commands[rng.randrange(len(commands))]
        await emulator.interact(command, guild_id=guild_id, user_id=rng.choice(users))
        await asyncio.sleep(1 / rate)


def _report(emulator: Emulator, channels: dict[int, int]) -> dict:
    """What Discord saw: refusals by status and code, invalid requests, interactions' timing,
    and each digest channel's messages (with duplicates: the same content posted twice)."""
    refused: dict[str, int] = {}
    for method, path, status, body in emulator.refusals:
        code = body.get("code") if isinstance(body, dict) else None
        scope = " global" if isinstance(body, dict) and body.get("global") else ""
        key = f"{' '.join(route_of(method, path))} -> {status}{scope}" + (
            f" ({code})" if code else ""
        )
        refused[key] = refused.get(key, 0) + 1
    first = [i.first_latency for i in emulator.interactions.values() if i.first_latency]
    per_channel = {}  # guild: [(message id, what it shows)] in its digest channel
    for guild_id, channel_id in channels.items():
        per_channel[guild_id] = [
            (int(m["id"]), m["content"] + json.dumps(m["embeds"], sort_keys=True))
            for m in emulator.messages_in(channel_id)
        ]
    return {
        "requests": len(emulator.requests),
        "bad_bodies": sum(1 for *_, status, _ in emulator.refusals if status == 400),
        "refused": refused,
        "invalid": emulator.invalid.total,
        "invalid_by_status": dict(emulator.invalid.by_status),
        "interactions": len(emulator.interactions),
        "answered": sum(1 for i in emulator.interactions.values() if i.responses),
        "late": len(emulator.late_first_responses()),
        "first_latencies": sorted(first),
        "per_channel": per_channel,
        "messages": len(emulator.messages),
        "pings": sum(1 for m in emulator.messages if m["mention_everyone"] or m["mention_roles"]),
    }


def _serve_emulator(pipe: Connection, guilds: int) -> None:
    async def serve() -> None:
        emulator = Emulator()
        ids = [emulator.add_guild(f"Guild {i}") for i in range(guilds)]
        await emulator.start()
        channels = {guild_id: emulator.channel_id(guild_id) for guild_id in ids}
        pipe.send((emulator.url, emulator.gateway_url, channels))
        loop = asyncio.get_running_loop()
        traffic: asyncio.Task | None = None
        while True:
            order, argument = await loop.run_in_executor(None, pipe.recv)
            if order == "close_dms":
                emulator.closed_dms.update(argument)
                pipe.send(len(emulator.closed_dms))
            elif order == "users":
                users, rate = argument
                traffic = asyncio.create_task(_users(emulator, ids, users, rate))
                pipe.send(True)
            elif order == "report":
                if traffic is not None:
                    traffic.cancel()
                    await asyncio.sleep(4)  # answers to the last commands arrive (or are late)
                pipe.send(_report(emulator, channels))
            else:
                break
        await emulator.stop()

    asyncio.run(serve())


def _at(seconds: float | None) -> str:
    return "(not done)" if seconds is None else f"{seconds:.2f}s"


def _quantile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


async def main(
    guilds: int,
    subscriptions: int,
    articles: int,
    cpu_workers: int,
    trace: bool,
    closed_share: float = 0.1,
    command_rate: float = 2.0,
    give_up: float = 1800.0,
    threads: bool = False,
    stall_ms: float = 100.0,
) -> None:
    if trace:
        asyncio.get_running_loop().slow_callback_duration = 0.05
    import discord.gateway
    import discord.http
    import yarl

    host = EmulatorProcess(guilds)
    discord.http.Route.BASE = host.url + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(host.gateway_url)
    workdir = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    config = BotConfig(
        database=DatabaseSettings(path=str(workdir / "parley.db")),
        sources=SourceSettings(folders=()),
    )
    tuning = Tuning(
        guild_ready_timeout=0.5,
        retry=RetryPolicy(attempts=5, first_delay=0.1),
        alert_seconds=3600,
        ingest_seconds=3600,
        cpu_workers=cpu_workers,
    )
    bot = ParleyBot(config, tuning=tuning)
    runner = asyncio.create_task(bot.start("bench-token"))
    started = time.perf_counter()
    while not bot.is_ready():
        await asyncio.sleep(0.01)
    print(f"ready with {len(bot.guilds)} guilds in {time.perf_counter() - started:.2f}s")

    now = bot.now()
    due = now.replace(second=0, microsecond=0)
    for guild_id in host.guild_ids:
        settings = GuildSettings(guild_id, host.channels[guild_id], due.strftime("%H:%M"), "UTC")
        await bot.db.run(guild_state.save_guild_settings, settings, now)
        await bot.schedule_guild(settings)  # as /parley setup does (the reconcile job knows it)
    topics = [*bot.vocabulary.tags, *WORDS]
    per_guild = subscriptions // guilds
    user = 10_000
    users = []
    for index, guild_id in enumerate(host.guild_ids):
        for member in range(per_guild):
            user += 1
            users.append(user)
            topic = topics[(index * per_guild + member) % len(topics)]
            await bot.db.run(
                subscription_state.add_subscription, Subscription(guild_id, USER, user, topic), now
            )
    closed = [u for u in users if u % round(1 / closed_share) == 0] if closed_share else []
    host.ask("close_dms", closed)
    await bot.run_alerts()  # sets the cursor: only what arrives next is news
    made = make_articles(articles, now)
    t = time.perf_counter()
    for article in made:  # stored directly: meeting extraction at ingestion is not measured here
        await bot.db.run(save_article, article)
    followed = await bot.db.run(subscription_state.all_subscriptions)
    print(
        f"{guilds} guilds, {len(followed)} subscriptions, "
        f"{articles} articles stored in {time.perf_counter() - t:.2f}s (setup, not measured)"
    )

    # Every digest due in the same minute: the jobs are moved while the scheduler is paused
    # (harness work, not measured), then the burst starts with the probe watching.
    bot.scheduler.pause()
    fire = datetime.now(UTC)
    for guild_id in host.guild_ids:
        # The minute they chose, each at its own spread second, as the real trigger fires them.
        at = fire + timedelta(seconds=spread_second(guild_id))
        bot.scheduler.modify_job(digest_job_id(guild_id), next_run_time=at)
    sampler = ThreadSampler() if threads else None
    events, callbacks = Events(), LoopCallbacks()
    if threads:
        events.start()
        callbacks.start()
    probe = LoopProbe(slow=stall_ms / 1000)
    probe.start(trace)
    collections = GcWatch()
    collections.start()
    rss_before = peak_rss_mb()
    start = probe.origin = time.perf_counter()
    bot.scheduler.resume()
    host.ask("users", (users, command_rate))
    alerts = asyncio.create_task(bot.run_alerts())
    digests_done = alerts_done = None
    while digests_done is None or alerts_done is None:
        await asyncio.sleep(0.05)
        posted = await bot.db.run(outbox_state.count_digests, POSTED)
        if digests_done is None and posted == len(host.guild_ids):
            digests_done = time.perf_counter() - start
            print(f"  digests done at +{digests_done:.2f}s", flush=True)
        if alerts_done is None and alerts.done():
            alerts.result()
            alerts_done = time.perf_counter() - start
            print(f"  alerts done at +{alerts_done:.2f}s", flush=True)
        if time.perf_counter() - start > give_up:
            print(f"  gave up after {give_up:.0f}s: what is done so far is reported", flush=True)
            break
    probe.stop()
    collections.stop()
    events.stop()
    deliveries = alert_state.delivered_alerts
    told = sum([len(await bot.db.run(deliveries, g)) for g in host.guild_ids])
    pending = len(await bot.db.run(alert_state.pending_alerts))
    seen = host.ask("report")
    once, delivery, digest_messages = 0, [], 0
    for guild_id in host.guild_ids:
        entry = await bot.db.run(outbox_state.latest_digest, guild_id)
        if entry is None:  # not even recorded before the give-up
            continue
        posted = seen["per_channel"][guild_id]
        ours = {shown for message_id, shown in posted if message_id in entry.message_ids}
        copies = [m for m, shown in posted if shown in ours and m not in entry.message_ids]
        landed = sum(1 for m, _ in posted if m in entry.message_ids)
        if entry.state == POSTED and landed == len(entry.message_ids) and not copies:
            once += 1
        digest_messages += landed
        due = fire + timedelta(seconds=spread_second(guild_id))
        if entry.posted_at is not None:
            delivery.append((entry.posted_at - due).total_seconds())
    dms = seen["messages"] - digest_messages
    latencies = seen["first_latencies"]
    print()
    print(f"== Discord's view (strict local Discord, {seen['requests']} requests) ==")
    print(
        f"every request valid: {seen['bad_bodies']} of {seen['requests']} requests refused as "
        "malformed (400: a limit of Discord's broken; should be 0)"
    )
    print(f"  all refusals by status (code): {seen['refused'] or 'none'}")
    print(
        f"late first responses: {seen['late']} of {seen['interactions']} slash commands sent "
        f"during the burst ({command_rate}/s) answered after Discord's 3 s (404 10062; should "
        f"be 0); {seen['answered']} answered; first answer p50 "
        f"{_quantile(latencies, 0.5) * 1000:.0f} ms, worst {_quantile(latencies, 1) * 1000:.0f} ms"
    )
    per_thousand = 1000 * seen["invalid"] / told if told else float("nan")
    print(
        f"invalid requests: {seen['invalid']} (401/403/429, what Discord counts toward its "
        f"10,000 per 10 minutes; {seen['invalid_by_status']}) = {per_thousand:.2f} per 1,000 "
        f"article deliveries ({told}); {len(closed)} of {len(users)} subscribers "
        f"({closed_share:.0%}) have closed DMs"
    )
    print(
        f"digests posted once each: {once} of {guilds} (every message the outbox recorded is "
        "in the channel, and no other message there shows the same thing)"
    )
    print(f"pings: {seen['pings']} messages would ping a role or @everyone")
    print()
    print("== Timing (the bot's process) ==")
    print(
        f"all {guilds} digests posted after {_at(digests_done)} ({digest_messages} messages): "
        "that is the scheduler spreading guilds over the minute they chose (each at its own "
        "second, guild_id % 60), not delivery time; from its second to posted, a digest took "
        f"p50 {statistics.median(delivery):.2f}s, worst {max(delivery):.2f}s"
        if delivery
        else "no digest posted"
    )
    print(
        f"all alerts delivered after {_at(alerts_done)}: {told} article deliveries in "
        f"{dms} direct or channel messages, {pending} pending"
    )
    print(
        f"worst event-loop stall: {probe.worst * 1000:.0f} ms (the longest a 5 ms sleep of a "
        f"probe task overslept: how long the bot could not read the gateway; p99 "
        f"{probe.percentile(0.99) * 1000:.0f} ms, p50 {probe.percentile(0.5) * 1000:.1f} ms; "
        f"{len(probe.slow)} stalls over {stall_ms:.0f} ms)"
    )
    for at, lag in sorted(probe.slow, key=lambda item: -item[1])[:8]:
        print(f"  stall of {lag * 1000:.0f} ms at +{at:.2f}s")
    print(
        f"longest garbage collection: {collections.longest * 1000:.0f} ms "
        f"(generation {collections.generation})"
    )
    print(
        f"peak RSS: {peak_rss_mb():.0f} MB (before the burst: {rss_before:.0f} MB; the bot's "
        "process only: the emulator and the CPU worker processes are not counted), of which "
        f"the process's own memory (anonymous, without the database's mapped file pages) "
        f"peaked at {probe.peak_anonymous:.0f} MB"
    )
    if trace:
        probe.report_stacks()
    if sampler is not None:
        print(f"garbage collections: {events.collections() or 'none over 2 ms'}")
        print(f"stalls over {stall_ms:.0f} ms, from outside the GIL (per-thread schedstat):")
        processes = {host._process.pid: "emulator process"}
        processes |= {pid: "worker process" for pid in (bot._cpu._processes if bot._cpu else {})}
        windows = []
        for at, lag in probe.slow:
            begin = probe.origin + at
            windows.append(
                (begin, begin + probe.interval + lag, f"stall {lag * 1000:.0f} ms at +{at:.2f}s")
            )
        names = thread_names(threading.main_thread().ident, processes)
        report = sampler.report(names, windows).split("\n")
        for line in report:
            print(line)
            if line.startswith("stall ") and (
                found := [w for w in windows if w[2] == line.split(":")[0]]
            ):
                print("\n".join(events.during(found[0][0], found[0][1])))
                print("\n".join(callbacks.during(found[0][0], found[0][1])))
    alerts.cancel()
    await bot.close()
    runner.cancel()
    host.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=200)
    parser.add_argument("--subscriptions", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--cpu-workers", type=int, default=2, help="0: threads instead")
    parser.add_argument("--give-up", type=float, default=1800.0, help="seconds, then report")
    parser.add_argument("--closed-dms", type=float, default=0.1, help="share of subscribers")
    parser.add_argument(
        "--command-rate", type=float, default=2.0, help="slash commands a second in the burst"
    )
    parser.add_argument(
        "--trace-stalls", action="store_true", help="log each loop step slower than 50 ms"
    )
    parser.add_argument(
        "--trace-threads",
        action="store_true",
        help="per stall: each thread's CPU and run delay (kernel counters), long pickles and GCs",
    )
    parser.add_argument("--stall-ms", type=float, default=100.0, help="a stall is over this")
    options = parser.parse_args()
    if options.trace_stalls:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    asyncio.run(
        main(
            options.guilds,
            options.subscriptions,
            options.articles,
            options.cpu_workers,
            options.trace_stalls,
            options.closed_dms,
            options.command_rate,
            options.give_up,
            options.trace_threads,
            options.stall_ms,
        ),
        debug=options.trace_stalls,
    )
