"""Lookup speed on a synthetic database of meetings (default 100,000).

    .venv/bin/python bench/lookup.py [--meetings 100000] [--queries 400] [--db PATH] [--seed 7]
        [--reuse] [--repeat N]

Builds the database through the real store API (``save_meetings``), with Zipf-like
distributions: a few people, countries and topics appear in many meetings, most in few.
Then times typical lookups through ``search_meetings`` (first page of 20, with the total):
by person, by topic within a date range, and free text; and prints p50/p99 per kind of
lookup plus the database size. Target: p99 under 5 ms. "mean total" is the mean of
``MeetingPage.total``, which stops at the store's TOTAL_CAP (shown as "1000+").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from digest import store
from digest.meetings.gazetteer import gazetteer
from digest.meetings.topics import shipped_vocabulary
from digest.models import Article, Location, Meeting, Participant
from digest.store import meeting_search
from digest.store import meetings as meeting_store

FIRST = [
    "Anna",
    "Boris",
    "Chen",
    "Daniel",
    "Elena",
    "Fatima",
    "George",
    "Hiro",
    "Ivan",
    "Jamal",
    "Karin",
    "Li",
    "Maria",
    "Nikolai",
    "Olga",
    "Pierre",
    "Qin",
    "Rosa",
    "Sergei",
    "Tomas",
    "Umar",
    "Vera",
    "Wang",
    "Xavier",
    "Yuki",
    "Zhang",
    "Ahmed",
    "Beatriz",
    "Carlos",
    "Dmitri",
    "Emma",
    "Farid",
    "Giulia",
    "Hans",
    "Ines",
    "Jorge",
    "Kenji",
    "Lars",
    "Mehmet",
    "Nadia",
    "Omar",
    "Paulo",
    "Rania",
    "Sven",
    "Tariq",
]
LAST = [
    "Smith",
    "Ivanov",
    "Wang",
    "Garcia",
    "Muller",
    "Rossi",
    "Tanaka",
    "Kim",
    "Nowak",
    "Silva",
    "Haddad",
    "Petrov",
    "Dubois",
    "Jensen",
    "Okafor",
    "Singh",
    "Cohen",
    "Yilmaz",
    "Novak",
    "Larsen",
    "Moreau",
    "Kowalski",
    "Sato",
    "Park",
    "Nguyen",
    "Hassan",
    "Costa",
    "Fischer",
    "Romano",
    "Suzuki",
    "Lee",
    "Chen",
    "Liu",
    "Zhou",
    "Sun",
    "Ma",
    "Lin",
    "Huang",
    "Zhao",
    "Wu",
    "Xu",
    "Hu",
    "Gao",
    "Luo",
    "Zheng",
    "Liang",
    "Xie",
    "Tang",
]
ROLES = [
    "Foreign Minister", "President", "Prime Minister", "Defense Minister", "Secretary of State",
    "Trade Representative", "Finance Minister", "Ambassador", "Vice Foreign Minister",
]  # fmt: skip
KINDS = ["talks"] * 6 + ["summit", "call", "visit", "consultation", "other"]
STATUSES = ["held"] * 7 + ["planned"] * 2 + ["mentioned"] * 3
COMMON = [
    "trade",
    "security",
    "nuclear",
    "climate",
    "sanctions",
    "tariffs",
    "ceasefire",
    "border",
    "investment",
    "energy",
    "pipeline",
    "cooperation",
    "agreement",
    "treaty",
    "dialogue",
    "summit",
    "visit",
    "concerns",
    "pressure",
    "relations",
    "talks",
    "agenda",
    "weapons",
    "exports",
    "students",
    "fishing",
    "grain",
    "debt",
    "loans",
    "technology",
    "chips",
]
# A realistic vocabulary: a few common words and thousands of rarer ones (names, places, terms).
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "no",
    "ve",
    "zi",
    "pa",
    "do",
    "ri",
    "ta",
    "ne",
    "mo",
    "sa",
    "lu",
    "be",
    "ga",
    "fi",
]
WORDS = COMMON + sorted({"".join(random.Random(n).choices(_SYLLABLES, k=3)) for n in range(6000)})


def zipf_choice(rng: random.Random, items: list, s: float = 0.9):
    """One item, the n-th with weight 1/n^s (computed once per list via a cumulative table)."""
    table = _tables.get(id(items))
    if table is None:
        weights = [1 / (n + 1) ** s for n in range(len(items))]
        total = sum(weights)
        acc, table = 0.0, []
        for weight in weights:
            acc += weight / total
            table.append(acc)
        _tables[id(items)] = table
    x = rng.random()
    lo, hi = 0, len(table) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if table[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return items[lo]


_tables: dict[int, list[float]] = {}


def build(db_path: Path, count: int, rng: random.Random) -> dict:
    gaz = gazetteer()
    countries = sorted({place.country for place in gaz.places.values()})
    rng.shuffle(countries)
    cities = [(p.city, p.country) for p in gaz.places.values() if p.city]
    topics = list(shipped_vocabulary())
    rng.shuffle(topics)
    people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(countries), rng.choice(ROLES))
              for _ in range(30000)]  # fmt: skip
    people = list({name: (name, side, role) for name, side, role in people}.values())
    db = store.open_db(db_path)
    article = Article(location="bench://synthetic", body="", content_hash="")
    start_day = date(2000, 1, 1)
    batch: list[Meeting] = []
    started = time.perf_counter()
    for n in range(count):
        first = zipf_choice(rng, people)  # skewed: the most-met person is in ~1 meeting in 5
        others = [zipf_choice(rng, people) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        chosen = [first] + [p for p in others if p[1] != first[1] and p[0] != first[0]]
        if len(chosen) < 2:
            chosen.append(rng.choice([p for p in people[:200] if p[1] != first[1]]))
        day = start_day + timedelta(days=rng.randrange(26 * 365))
        precision = rng.random()
        when = (
            None
            if precision < 0.05
            else day.isoformat()[:7]
            if precision < 0.15
            else day.isoformat()
        )
        city, country = rng.choice(cities) if rng.random() < 0.8 else (None, None)
        tags = list({zipf_choice(rng, topics) for _ in range(rng.choice([0, 1, 2, 2, 3, 4]))})
        names = " and ".join(p[0] for p in chosen)
        words = " ".join(zipf_choice(rng, WORDS) for _ in range(8))
        batch.append(
            Meeting(
                status=rng.choice(STATUSES),
                kind=rng.choice(KINDS),
                evidence=f"{names} met in {city or 'the capital'} to discuss {words}.",
                date=when,
                date_text=None,
                location=Location(city, country) if country else None,
                participants=tuple(Participant(p[0], p[2], p[1]) for p in chosen),
                topics=tuple(tags),
                sides=tuple(dict.fromkeys(p[1] for p in chosen)),
            )
        )
        if len(batch) == 2000 or n == count - 1:
            meeting_store.save_meetings(db, article, batch)
            batch = []
    build_seconds = time.perf_counter() - started
    db.execute("analyze")
    db.execute("pragma wal_checkpoint(truncate)")
    return {"db": db, "people": people, "topics": topics, "build_s": build_seconds}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_lookups(db, label: str, calls: list[dict], repeat: int = 1) -> tuple:
    """(label, wall p50, wall p99, CPU p99, mean total, runs): CPU time is this thread's own
    work, so it shows what a loaded machine's scheduling adds to the wall-clock p99."""
    timings, cpu, totals = [], [], []
    for kwargs in calls * repeat:
        started, started_cpu = time.perf_counter(), time.thread_time()
        page = meeting_search.search_meetings(db, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        totals.append(page.total)
    p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
    return label, p50, p99, percentile(cpu, 0.99), statistics.mean(totals), len(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--db", type=Path, help="where to build it (default: a temp folder)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="time lookups on an existing --db, skip the build"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each kind's queries this many times"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    folder = None
    if args.db is None:
        folder = tempfile.TemporaryDirectory()
        args.db = Path(folder.name) / "lookup.db"
    if args.reuse and args.db.exists():
        db = store.open_db(args.db)
        topics = list(shipped_vocabulary())
        rng.shuffle(topics)
        built = {"db": db, "topics": topics, "build_s": 0.0}
    else:
        built = build(args.db, args.meetings, rng)
        db = built["db"]
    stored = meeting_search.count_meetings(db)
    size = os.path.getsize(args.db) + sum(
        os.path.getsize(p) for p in args.db.parent.glob(args.db.name + "-*")
    )
    print(
        f"built {stored:,} meetings (from {args.meetings:,} reports; the rest merged) "
        f"in {built['build_s']:.1f} s; database {size / 1e6:.1f} MB"
    )
    queries = args.queries
    # People are asked about as often as they meet: Zipf over the stored names, most-met first.
    known = meeting_search.people_with_prefix(db, "", limit=1_000_000)
    by_person = [{"person": zipf_choice(rng, known)} for _ in range(queries)]
    by_topic = []
    for _ in range(queries):
        year = rng.randrange(2000, 2025)
        by_topic.append(
            {"topic": zipf_choice(rng, built["topics"]), "since": f"{year}-01-01",
             "until": f"{year + rng.choice([0, 1, 2])}-12-31"}
        )  # fmt: skip
    used_topics = {t for t, _ in meeting_search.topic_counts(db)}
    by_topic = [q for q in by_topic if q["topic"] in used_topics]
    # Searches follow the words' own frequency: common words are searched more often.
    free_text = [
        {"text": rng.choice([zipf_choice(rng, WORDS), zipf_choice(rng, LAST),
                             f"{zipf_choice(rng, WORDS)} {zipf_choice(rng, WORDS)}"])}
        for _ in range(queries)
    ]  # fmt: skip
    common_text = [{"text": word} for word in COMMON[:10]] * max(1, queries // 40)
    cities = [p.city for p in gazetteer().places.values() if p.city]
    by_place = []
    for _ in range(queries):
        year = rng.randrange(2000, 2025)
        by_place.append({"place": rng.choice(cities), "since": str(year), "until": str(year + 1)})
    stored_places = {
        m.location.city
        for m in meeting_search.search_meetings(db, limit=100).meetings
        if m.location
    }
    by_place = [q for q in by_place if q["place"] in stored_places] or by_place[:0]
    header = f"{'lookup':<26}{'p50 ms':>9}{'p99 ms':>9}{'cpu p99':>9}{'mean total':>12}{'runs':>7}"
    print(header)
    for label, calls in (
        ("person", by_person),
        ("topic + date range", by_topic),
        ("place + date range", by_place),
        ("free text", free_text),
        ("free text, 10 commonest", common_text),
        ("person + topic + status", [
            {**p, "topic": zipf_choice(rng, sorted(used_topics)), "status": "held"}
            for p in by_person[: queries // 2]
        ]),
    ):  # fmt: skip
        try:
            row = time_lookups(db, label, calls, args.repeat)
        except Exception as error:  # noqa: BLE001 - a bench reports, it does not stop
            print(f"{label:<26} failed: {error}")
            continue
        print(f"{row[0]:<26}{row[1]:>9.2f}{row[2]:>9.2f}{row[3]:>9.2f}{row[4]:>12.0f}{row[5]:>7}")
    db.close()
    if folder is not None:
        folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
