"""Live-source ingestion speed: feeds and pages served locally, polled end to end.

Run from the repository root:

    .venv/bin/python bench/ingest.py                    # 50 feeds x 40 items
    .venv/bin/python bench/ingest.py --feeds 10 --items 10   # quick look

A server subprocess (stdlib ThreadingHTTPServer) serves N RSS feeds of M items each and one
article page per item: ~90 KB of HTML like a news site's (navigation, inline CSS and
scripts, teasers, comments, footer) around a ~700-word story with meeting sentences,
gzip-compressed when asked, with an ETag on each feed. The client is Parley's own polling
round (``poll_due_sources``: fetch -> extract -> clean -> store -> post-store steps such as
meetings) on a fresh SQLite file, with the config defaults except ``backlog`` (take every
item on the first poll) and the server's host:port allowed.

    .venv/bin/python bench/ingest.py --compare main     # the same, then main's code, as a ratio
    .venv/bin/python bench/ingest.py --hostile          # hostile feeds: time and memory each

Rounds: 1) first poll, every item new; 2) the same feeds, unchanged, with conditional GET
(each feed a 304); 3) the same again with the validators forgotten (each feed downloaded
and parsed, every item already seen) - the difference is what conditional GET saves.
Reported: articles/second, CPU seconds per article (this process, all threads; the server
runs in its own process), peak RSS, and the worst event-loop stall while polling.

``--compare REF`` checks REF out in a temporary git worktree and runs the first round with
both codes, alternating (this tree, REF, REF, this tree with ``--repeat 2``), each in its own
process against its own server, and prints the speed ratio: the machine's load changes
between runs, so the ratio is the figure to quote. ``--hostile`` runs bench/hostile_feeds.py.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EPOCH = datetime(2024, 5, 6, 6, 0, tzinfo=UTC)
PEOPLE = [
    "Olaf Scholz",
    "Emmanuel Macron",
    "Giorgia Meloni",
    "Pedro Sanchez",
    "Antony Blinken",
    "Wang Yi",
    "Sergey Lavrov",
    "Ursula von der Leyen",
    "Jens Stoltenberg",
    "Rishi Sunak",
]
CITIES = ["Berlin", "Paris", "Rome", "Madrid", "Brussels", "Geneva", "Vienna", "Warsaw"]
TOPICS = [
    "trade",
    "energy security",
    "migration",
    "defence spending",
    "climate finance",
    "grain exports",
    "chip supply chains",
    "sanctions",
]
FILLER = (
    "government officials said the agreement would take effect next year after parliament "
    "approves the budget while critics warned that costs could rise further as markets "
    "reacted calmly to the announcement on Tuesday and analysts expect more talks"
)
WORDS = FILLER.split()


def story_text(seed: int) -> tuple[str, list[str]]:
    """A headline and ~700 words of paragraphs, unique per seed."""
    rng = random.Random(seed)
    a, b = rng.sample(PEOPLE, 2)
    city, topic = rng.choice(CITIES), rng.choice(TOPICS)
    title = f"{a} and {b} discuss {topic} in {city} (report {seed})"
    paragraphs = [
        f"{a} met {b} in {city} on Monday to discuss {topic}, officials said, "
        f"in talks that lasted {rng.randint(2, 9)} hours.",
        f"The two leaders will meet again in {rng.choice(CITIES)} next month, "
        f"according to a statement released after the meeting.",
    ]
    for _ in range(12):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 60))]
        words[0] = words[0].capitalize()
        paragraphs.append(" ".join(words) + f" ({rng.randint(1, 10**6)}).")
    return title, paragraphs


def page_html(feed: int, item: int) -> bytes:
    """A news page of realistic size and shape around one story."""
    title, paragraphs = story_text(feed * 1000 + item)
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(80))
    teasers = "".join(
        f'<li><a href="/story/{feed}/{i}"><img src="/img/{i}.jpg" alt="">Teaser headline {i} '
        f"about something else entirely</a><span>2 hours ago</span></li>"
        for i in range(25)
    )
    comments = "".join(
        f'<div class="comment"><b>reader{i}</b><p>I think this is {WORDS[i % len(WORDS)]}.</p>'
        f"<a href='#'>Reply</a> <a href='#'>Report</a></div>"
        for i in range(30)
    )
    style = "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(900))
    script = json.dumps(
        {"ads": [{"slot": i, "sizes": [[300, 250], [728, 90]]} for i in range(300)]}
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    published = (EPOCH - timedelta(minutes=item)).isoformat()
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Bench Herald</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Bench Herald">
<meta property="article:published_time" content="{published}">
<style>{style}</style><script>window.__ADS__={script};</script></head>
<body><header><a href="/">Bench Herald</a><nav><ul>{nav}</ul></nav>
<form><input name="q" placeholder="Search"></form></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter · {published}</p>
<figure><img src="/img/lead.jpg"><figcaption>Photo: Agency</figcaption></figure>
{body}<p>Share this article: Facebook Twitter Email</p></article>
<aside><h2>Most read</h2><ul>{teasers}</ul></aside>
<section id="comments"><h2>Comments</h2>{comments}</section></main>
<footer><ul>{nav}</ul><p>© 2024 Bench Herald. All rights reserved.</p></footer>
<script>(function(){{var x=1;}})();</script></body></html>"""
    return html.encode()


def feed_xml(port: int, feed: int, items: int) -> bytes:
    entries = "".join(
        f"""<item><title>{story_text(feed * 1000 + i)[0]}</title><guid>bench-{feed}-{i}</guid>
<link>http://localhost:{port}/story/{feed}/{i}?utm_source=rss</link>
<description>Summary of story {feed}-{i}.</description>
<pubDate>{format_datetime(EPOCH - timedelta(minutes=i))}</pubDate></item>"""
        for i in range(items)
    )
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed {feed}</title>
<link>http://localhost:{port}/</link>{entries}</channel></rss>""".encode()


def serve(items: int) -> None:
    """The server subprocess: prints its port, then serves until killed."""
    stats = {"requests": 0, "not_modified": 0, "bytes": 0}
    cache: dict[str, tuple[bytes, bytes]] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts == ["stats"]:
                return self._send(200, json.dumps(stats).encode(), "application/json", count=False)
            if parts[0] == "feed":
                feed = int(parts[1].removesuffix(".xml"))
                etag = f'"feed-{feed}-v1"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", "", etag=etag)
                body = feed_xml(self.server.server_address[1], feed, items)
                return self._send(200, body, "application/rss+xml", etag=etag)
            if parts[0] == "story":
                key = self.path
                if key not in cache:
                    raw = page_html(int(parts[1]), int(parts[2]))
                    cache[key] = (raw, gzip.compress(raw, 6))
                raw, packed = cache[key]
                if "gzip" in self.headers.get("Accept-Encoding", ""):
                    return self._send(200, packed, "text/html; charset=utf-8", encoding="gzip")
                return self._send(200, raw, "text/html; charset=utf-8")
            return self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, ctype: str, etag: str | None = None,
                  encoding: str | None = None, count: bool = True) -> None:  # fmt: skip
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            if count:
                with lock:
                    stats["requests"] += 1
                    stats["not_modified"] += status == 304
                    stats["bytes"] += len(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


async def loop_stall_watch(stop: asyncio.Event, worst: list[float]) -> None:
    """Record the longest delay of a 10 ms tick: how long the event loop was blocked."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        worst[0] = max(worst[0], time.perf_counter() - started - 0.01)


async def timed_round(db, settings, now):  # noqa: ANN001, ANN201
    from digest.sources import poll_due_sources

    stop, worst = asyncio.Event(), [0.0]
    watcher = asyncio.create_task(loop_stall_watch(stop, worst))
    wall, cpu = time.perf_counter(), time.process_time()
    report = await poll_due_sources(db, settings, now)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stop.set()
    await watcher
    return report, wall, cpu, worst[0]


class StageTimer:
    """Wall time per call of one function (count, total, worst), wrapped in place."""

    def __init__(self, module, name: str) -> None:  # noqa: ANN001
        self.count, self.total, self.worst = 0, 0.0, 0.0
        inner = getattr(module, name)

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                self.count, self.total = self.count + 1, self.total + spent
                self.worst = max(self.worst, spent)

        setattr(module, name, timed)

    def __str__(self) -> str:
        mean = 1000 * self.total / max(self.count, 1)
        return f"{mean:.1f} ms mean, {1000 * self.worst:.0f} ms worst over {self.count} calls"


def server_stats(port: int) -> dict:
    return httpx.get(f"http://127.0.0.1:{port}/stats", timeout=5).json()


def compare(args: argparse.Namespace) -> None:
    """Round 1 with this tree's code and with REF's, alternating; the ratio of their speeds."""
    import shutil

    base = Path(tempfile.mkdtemp(prefix="parley-bench-base-"))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                    args.compare], check=True, capture_output=True)  # fmt: skip
    try:
        order = [ROOT, base] + ([base, ROOT] if args.repeat > 1 else [])
        runs: dict[Path, list[dict]] = {ROOT: [], base: []}
        for code in order:
            done = subprocess.run(
                [sys.executable, __file__, "--json", "--code", str(code),
                 "--feeds", str(args.feeds), "--items", str(args.items)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            row = json.loads(done.stdout.strip().splitlines()[-1])
            runs[code].append(row)
            label = "this tree" if code == ROOT else args.compare
            print(f"{label:>10}: {row['new']} new in {row['wall']:.1f} s = {row['rate']:.1f} "
                  f"articles/s, CPU {row['cpu_ms']:.1f} ms/article, peak RSS "
                  f"{row['peak_mb']:.0f} MB, {row['requests']} requests", flush=True)  # fmt: skip

        def mean(code: Path, key: str) -> float:
            return sum(r[key] for r in runs[code]) / len(runs[code])

        speed = mean(ROOT, "rate") / mean(base, "rate")
        print(f"ratio this tree / {args.compare}: speed {speed:.2f}x"
              f", CPU per article {mean(ROOT, 'cpu_ms') / mean(base, 'cpu_ms'):.2f}x"
              f", peak RSS {mean(ROOT, 'peak_mb') / mean(base, 'peak_mb'):.2f}x")  # fmt: skip
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--per-host", type=int, default=None, help="default: the config's")
    parser.add_argument("--compare", metavar="REF", help="also run REF's code; print the ratio")
    parser.add_argument("--repeat", type=int, default=2, help="--compare: runs per code (1-2)")
    parser.add_argument("--hostile", nargs="*", metavar="CASE", help="hostile feeds (all: none)")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-hostile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hostile-case", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.code:  # another checkout's code (for --compare); ahead of the editable install
        sys.path.insert(0, args.code)
    if args.serve:
        return serve(args.items)
    import hostile_feeds

    if args.serve_hostile:
        return hostile_feeds.serve()
    if args.hostile_case:
        return hostile_feeds.run_case(args.hostile_case, args.port)
    if args.hostile is not None:
        names = args.hostile or list(hostile_feeds.CASES)
        return hostile_feeds.run_all(sys.executable, __file__, names)
    if args.compare:
        return compare(args)

    from digest import store
    from digest.config import SourceSettings
    from digest.store import sources as source_store

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--items", str(args.items)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(server.stdout.readline())
        host = f"localhost:{port}"
        # Throughput, not the budgets (--hostile measures those): on a loaded machine the
        # feed's 60 s would cut some of the 40 items each of 8 feeds fetch from one host.
        # Only where the budgets exist (--compare also runs code from before them).
        roomy = {"feed_seconds": 3600.0, "round_seconds": 3600.0}
        known = {f.name for f in dataclasses.fields(SourceSettings)}
        settings = SourceSettings(
            feeds=tuple(f"http://{host}/feed/{f}.xml" for f in range(args.feeds)),
            backlog=args.items,
            allowed_hosts=(host,),
            **{name: value for name, value in roomy.items() if name in known},
        )
        if args.per_host:
            settings = SourceSettings(**{**settings.__dict__, "per_host": args.per_host})
        sample = page_html(0, 0)
        print(f"{args.feeds} feeds x {args.items} items; pages {len(sample) / 1000:.0f} KB HTML "
              f"({len(gzip.compress(sample, 6)) / 1000:.0f} KB gzipped); per-host limit "
              f"{settings.per_host}")  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            db = store.open_db(Path(tmp) / "bench.db")
            from digest.sources import sync_config_sources

            sync_config_sources(db, settings, EPOCH)
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            from digest.sources import reading

            # Where the time goes: page extraction and meeting extraction run in a worker
            # thread, storing (articles and meetings) on the event loop.
            extract = StageTimer(reading, "extract_clean")
            prepare = StageTimer(reading, "prepare_article")
            ingest = StageTimer(reading, "store_prepared")

            report, wall, cpu, stall = asyncio.run(timed_round(db, settings, EPOCH))
            first = server_stats(port)
            new = len(report.new_article_ids)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"round 1 (first poll): {new} new articles in {wall:.1f} s = "
                  f"{new / wall:.1f} articles/s; CPU {cpu:.1f} s = {1000 * cpu / max(new, 1):.1f} "
                  f"ms/article; {first['requests']} requests, {first['bytes'] / 1e6:.1f} MB; "
                  f"failed sources {len(report.failed)}; "
                  f"worst loop stall {1000 * stall:.0f} ms")  # fmt: skip
            if args.json:
                import digest

                row = {
                    "new": new,
                    "wall": wall,
                    "rate": new / wall,
                    "peak_mb": peak,
                    "cpu_ms": 1000 * cpu / max(new, 1),
                    "requests": first["requests"],
                }
                print(json.dumps({**row, "code": digest.__file__}))  # fmt: skip
                return
            print(f"peak RSS {peak:.0f} MB (before the round {rss_before:.0f} MB)")
            print(f"  extract + clean (worker thread): {extract}")
            print(f"  meeting extraction (worker thread): {prepare}")
            print(f"  store article + meetings (event loop): {ingest}")

            later = EPOCH + timedelta(minutes=settings.poll_minutes)
            report, wall2, cpu2, stall2 = asyncio.run(timed_round(db, settings, later))
            second = server_stats(port)
            req2, bytes2 = second["requests"] - first["requests"], second["bytes"] - first["bytes"]
            print(f"round 2 (unchanged, conditional GET): {len(report.outcomes)} feeds, "
                  f"{second['not_modified'] - first['not_modified']} answered 304, "
                  f"{req2} requests, {bytes2 / 1e3:.1f} KB, {1000 * wall2:.0f} ms wall, "
                  f"{1000 * cpu2:.0f} ms CPU")  # fmt: skip

            for source in source_store.all_sources(db):
                source_store.save_source(db, source.__class__(**{
                    **source.__dict__, "etag": None, "last_modified": None}))  # fmt: skip
            later = later + timedelta(minutes=settings.poll_minutes)
            report, wall3, cpu3, stall3 = asyncio.run(timed_round(db, settings, later))
            third = server_stats(port)
            req3, bytes3 = third["requests"] - second["requests"], third["bytes"] - second["bytes"]
            print(f"round 3 (unchanged, validators forgotten): {len(report.outcomes)} feeds, "
                  f"{req3} requests, {bytes3 / 1e3:.1f} KB, {1000 * wall3:.0f} ms wall, "
                  f"{1000 * cpu3:.0f} ms CPU, {len(report.new_article_ids)} new")  # fmt: skip
            print(f"conditional GET saves {(bytes3 - bytes2) / 1e3:.1f} KB "
                  f"({100 * (1 - bytes2 / max(bytes3, 1)):.0f}%) and "
                  f"{1000 * (cpu3 - cpu2):.0f} ms CPU per unchanged round")  # fmt: skip
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
