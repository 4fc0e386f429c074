"""Meeting extraction speed, apart from ingestion: how time grows with article length.

    .venv/bin/python bench/meetings_speed.py                 # 500..4000 paragraphs + corpus
    .venv/bin/python bench/meetings_speed.py --sizes 1000 2000 --repeat 1

Synthetic articles of N short paragraphs (each a meeting sentence naming officials, countries,
cities and dates, plus a filler sentence: the hostile case, many names and triggers) are run
through ``extract_meetings``. Printed: CPU seconds per size, and the ratio of each size's time to
the smallest one's against the ratio of their lengths (linear time gives equal ratios;
quadratic time gives the square). Then one huge article (15,000 paragraphs, ~3.2 MB) under the
default budget: how long it ran and how much it kept. Then the median extraction time per
article of the labelled
corpus in ../shared/eval (skipped when absent). All timings are in this one process, so the
ratios hold on a loaded machine even when the seconds do not.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.meetings import Budget, extract_meetings  # noqa: E402
from digest.models import Article  # noqa: E402

FIRST = ["Anna", "Marek", "Lucia", "Tomas", "Ingrid", "Rafael", "Keiko", "Omar", "Leila", "Piotr"]
LAST = ["Novak", "Hartmann", "Silva", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad"]
ROLES = ["Foreign Minister", "Prime Minister", "Defence Minister", "President", "Trade Minister"]
COUNTRIES = ["Brazil", "Kenya", "Norway", "Japan", "Poland", "Chile", "Egypt", "Canada"]
DEMONYMS = ["Brazilian", "Kenyan", "Norwegian", "Japanese", "Polish", "Chilean", "Egyptian"]
CITIES = ["Nairobi", "Oslo", "Tokyo", "Warsaw", "Santiago", "Cairo", "Ottawa", "Lisbon"]
DAYS = ["on Monday", "on Tuesday", "last week", "in March", "on May 3", "yesterday", "in 2019"]
TEMPLATES = [
    "{d1} {r1} {n1} met {r2} {n2} in {city} {day} to discuss trade and security.",
    "{n1}, the {d1} {r1}, held talks with his {d2} counterpart {n2} {day}.",
    "{d1} and {d2} officials will meet in {city} {day}, a ministry statement said.",
    "{n1} spoke by telephone with {n2} {day} about the economy.",
    "{r1} {n1} is to visit {country} {day} for talks with {r2} {n2}.",
]
FILLER = (
    "Analysts said the outcome would depend on parliament, and markets were calm as the "
    "budget debate went on into the evening."
)


def synthetic_article(paragraphs: int, seed: int = 7) -> Article:
    """An article of ``paragraphs`` short paragraphs, the same text for the same arguments."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        template = rng.choice(TEMPLATES)
        out.append(
            template.format(
                n1=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                n2=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                r1=rng.choice(ROLES),
                r2=rng.choice(ROLES),
                d1=rng.choice(DEMONYMS),
                d2=rng.choice(DEMONYMS),
                city=rng.choice(CITIES),
                country=rng.choice(COUNTRIES),
                day=rng.choice(DAYS),
            )
            + " "
            + FILLER
        )
    body = "\n\n".join(out)
    return Article(
        location=f"synthetic-{paragraphs}",
        body=body,
        content_hash=str(paragraphs),
        title="Ministers meet",
        published=datetime(2024, 5, 10, tzinfo=UTC),
    )


def timed(article: Article, repeat: int, seconds: float = float("inf")) -> tuple[float, int]:
    """Best-of-``repeat`` CPU seconds of this process for one extraction, and the meetings found.

    CPU time, not wall time: on a shared machine the wall clock also counts other programs.
    """
    best = float("inf")
    found = 0
    for _ in range(repeat):
        started = time.process_time()
        found = len(extract_meetings(article, budget=Budget(seconds=seconds)))
        best = min(best, time.process_time() - started)
    return best, found


def corpus_times(folder: Path) -> list[float]:
    """Extraction seconds for each labelled article in ``folder`` (cleaned as the eval does)."""
    from digest.articles import article_from_text
    from digest.reader import read_text_file

    times = []
    for path in sorted(folder.glob("*.txt")):
        article = article_from_text(read_text_file(path), str(path), datetime.now(UTC))
        if article is None:
            continue
        best, _ = timed(article, 3)
        times.append(best)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--huge", type=int, default=15000, help="paragraphs; 0 to skip")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/meetings-corpus")
    args = parser.parse_args(argv)
    extract_meetings(synthetic_article(5))  # load the tables before timing
    print("full extraction (no budget), CPU seconds of this process:")
    base: tuple[int, float] | None = None
    print(f"{'paragraphs':>10} {'KB':>6} {'CPU s':>8} {'meetings':>8} {'time x':>7} {'size x':>7}")
    for size in args.sizes:
        article = synthetic_article(size)
        seconds, found = timed(article, args.repeat)
        base = base or (size, seconds)
        print(
            f"{size:>10} {len(article.body) // 1024:>6} {seconds:>8.2f} {found:>8} "
            f"{seconds / base[1]:>7.2f} {size / base[0]:>7.2f}"
        )
    if args.huge:
        article = synthetic_article(args.huge)
        budget = Budget()
        started = time.process_time()
        found = len(extract_meetings(article, budget=budget))
        spent = time.process_time() - started
        where = (
            "read to the end"
            if budget.spent_at is None
            else (f"stopped at character {budget.spent_at:,} of {len(article.body):,}")
        )
        print(
            f"default budget ({budget.seconds:.0f} s) on {args.huge} paragraphs "
            f"({len(article.body) // 1024} KB): {spent:.2f} CPU s, {found} meetings kept, {where}"
        )
    if args.corpus.is_dir():
        times = corpus_times(args.corpus)
        print(
            f"corpus: {len(times)} articles, median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms per article"
        )
    else:
        print(f"corpus: {args.corpus} absent, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
