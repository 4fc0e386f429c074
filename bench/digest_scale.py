"""`parley digest` at scale: wall time and peak memory against the number of stored articles.

Run from the repository root (needs ../shared/eval/summaries):

    .venv/bin/python bench/digest_scale.py                      # 400, 800, 1,600, 3,275 articles
    .venv/bin/python bench/digest_scale.py --counts 3275 --repeats 3
    .venv/bin/python bench/digest_scale.py --counts 3275 --against ../main   # before/after

The store is a fresh SQLite file per count, filled through digest.store with the first N texts
of the BBC and CNN/DailyMail evaluation sets (BBC first; BBC headlines kept, CNN/DM texts
untitled), their publication times spread over one day so that none falls outside the
grouping's date window. Each run is the real command, ``python -m parley digest``, in a child
process: its wall time (imports included, as a user waits for it) and its peak resident memory
(ru_maxrss of the child), and its CPU seconds (user + system), which a loaded machine
inflates far less than the wall time. The best of ``--repeats`` runs is reported, since other
processes on a shared machine only ever slow a run down. The last columns say how CPU time and
memory grow from the previous count: a ratio near the count's ratio is linear growth.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest import store  # noqa: E402
from digest.models import Article  # noqa: E402
from digest.store.articles import save_article  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "summaries"
NOW = datetime(2024, 5, 7, 6, 0, tzinfo=UTC)


def texts(data: Path) -> list[tuple[str | None, str]]:
    """(title, body) of every evaluation text, BBC first, then CNN/DailyMail."""
    out: list[tuple[str | None, str]] = []
    for name, titled in (("bbc.jsonl", True), ("cnndm.jsonl", False)):
        with (data / name).open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                out.append((row.get("title") if titled else None, row["text"]))
    return out


def fill(path: Path, rows: list[tuple[str | None, str]]) -> int:
    """Store ``rows`` as articles published over the day before NOW; the count stored."""
    db = store.open_db(path)
    step = timedelta(days=1) / max(len(rows), 1)
    stored = 0
    for i, (title, body) in enumerate(rows):
        when = NOW - timedelta(days=1) + i * step
        digest = hashlib.sha256(body.encode()).hexdigest()
        article = Article(
            location=f"bench://{i}",
            body=body,
            content_hash=digest,
            title=title,
            published=when,
            site=f"outlet{i % 7}",
            ingested_at=when,
        )
        stored += save_article(db, article).is_new
    db.close()
    return stored


def run_digest(path: Path, project: Path = ROOT) -> tuple[float, float, float]:
    """Wall and CPU seconds and peak RSS (MB) of one ``parley digest`` in a fresh process."""
    env = {**os.environ, "PARLEY_DB": str(path), "PYTHONPATH": str(project)}
    env.pop("PARLEY_CONFIG", None)
    code = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run([sys.executable, '-m', 'parley', 'digest'],"
        " capture_output=True, text=True)\n"
        "wall = time.perf_counter() - start\n"
        "if done.returncode: sys.exit(done.stderr)\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)\n"
    )
    # A wrapper process per run, so that RUSAGE_CHILDREN holds this one run only.
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=project, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"parley digest failed: {done.stderr.strip()}")
    wall, cpu, rss = done.stdout.split()
    return float(wall), float(cpu), float(rss)


def main(argv: list[str] | None = None) -> None:
    """Fill a store per count and time ``parley digest`` over it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--counts", default="400,800,1600,3275")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout (e.g. main's) run in turns on the same stores, for a ratio",
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"no evaluation data at {args.data}; pass --data")
    rows = texts(args.data)
    print(
        f"{'articles':>8} {'stored':>7} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}"
        f" {'x CPU':>6} {'x mem':>6}"
    )
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(c) for c in args.counts.split(",")):
            path = Path(tmp) / f"parley-{count}.db"
            stored = fill(path, rows[:count])
            runs, others = [], []
            for _ in range(args.repeats):  # in turns: a slow spell falls on both alike
                runs.append(run_digest(path))
                if args.against:
                    others.append(run_digest(path, args.against))
            wall = min(w for w, _, _ in runs)
            cpu = min(c for _, c, _ in runs)
            rss = min(r for _, _, r in runs)
            growth = ""
            if previous:
                growth = f" {cpu / previous[0]:6.2f} {rss / previous[1]:6.2f}"
            print(f"{count:>8} {stored:>7} {wall:7.2f} {cpu:6.2f} {rss:8.0f}{growth}", flush=True)
            if others:
                print(
                    f"{'':>8} {'against':>7} {min(o[0] for o in others):7.2f}"
                    f" {min(o[1] for o in others):6.2f} {min(o[2] for o in others):8.0f}",
                    flush=True,
                )
            previous = (cpu, rss)
    started = time.strftime("%H:%M:%S")
    print(f"(finished {started}; best of {args.repeats} runs each; shared machine)")


if __name__ == "__main__":
    main()
