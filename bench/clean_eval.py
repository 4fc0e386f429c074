"""Body-extraction quality of the cleaner on ../shared/eval/cleaning, with the set's own scorer.

    .venv/bin/python bench/clean_eval.py [--set ../shared/eval/cleaning] [--worst 15]
                                         [--titles] [--compare] [--dump predictions.json]

Every ``pages/<id>.txt`` is cleaned with ``digest.clean.clean_article``; the bodies are scored
by the set's ``score.py`` (word 4-gram shingles, each page normalised, precision/recall/F1 from
the means), imported from the set itself so the figures are the benchmark's. Prints the
figures, the CPU time per page (median and mean of the cleaning call only; the machine may be
shared, so read them as orders of magnitude), and the pages with the lowest F1.

``--titles`` checks headlines against the gold titles of the meetings sets (the corpus pages
and the seeds) and against the cleaning set's URL slugs, and publication dates against the
dates in the URLs. ``--compare`` adds, on the same
text: the whole page unchanged (the recall ceiling), jusText's paragraph classification and
trafilatura's extraction (each line of the dump given to them as one paragraph).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

from digest.clean import clean_article
from digest.reader import read_text_file

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SET = REPO.parent / "shared" / "eval" / "cleaning"


def load_scorer(folder: Path) -> ModuleType:
    """The set's own score.py, imported as a module (its page_counts is the metric)."""
    spec = importlib.util.spec_from_file_location("cleaning_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def figures(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision, recall and F1 from the means of per-page normalised counts (score.py's way)."""
    tp, fp, fn = (sum(r[i] for r in rows) / len(rows) for i in range(3))
    p = tp / (tp + fp) if tp else 0.0
    r = tp / (tp + fn) if tp else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def page_f1(counts: tuple[float, float, float]) -> tuple[float, float, float]:
    tp, fp, fn = counts
    if not tp:
        return 0.0, 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)


def justext_body(raw: str) -> str:
    """jusText's good paragraphs, each line of the text dump given to it as a paragraph."""
    import html

    import justext

    lines = [html.escape(line.strip()) for line in raw.splitlines() if line.strip()]
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(page, justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def trafilatura_body(raw: str) -> str:
    """trafilatura's main text, each line of the text dump given to it as a paragraph."""
    import html

    import trafilatura

    lines = [html.escape(line.strip()) for line in raw.splitlines() if line.strip()]
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>"
    return trafilatura.extract(page, include_comments=False, include_tables=True) or ""


def run(pages: dict[str, str], extract: Callable[[str], str]) -> tuple[dict[str, str], list[float]]:
    """Bodies by page id, and the seconds each extraction took."""
    bodies: dict[str, str] = {}
    seconds: list[float] = []
    for key, raw in pages.items():
        began = time.process_time()
        bodies[key] = extract(raw)
        seconds.append(time.process_time() - began)
    return bodies, seconds


def report(
    name: str,
    truth: dict[str, dict],
    bodies: dict[str, str],
    seconds: list[float],
    scorer: ModuleType,
    worst: int,
) -> None:
    rows = {
        key: scorer.page_counts(gold["articleBody"], bodies.get(key, ""))
        for key, gold in truth.items()
    }
    p, r, f = figures(list(rows.values()))
    median = statistics.median(seconds) * 1000
    mean = statistics.fmean(seconds) * 1000
    print(
        f"{name:<28} pages {len(rows)}  precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}"
        f"  CPU ms/page median {median:.1f} mean {mean:.1f}"
    )
    if worst:
        print(f"  worst {worst} by F1 (id  F1  P  R  words kept/true):")
        ranked = sorted(rows, key=lambda key: page_f1(rows[key])[2])
        for key in ranked[:worst]:
            pp, rr, ff = page_f1(rows[key])
            kept = len(bodies.get(key, "").split())
            true = len(truth[key]["articleBody"].split())
            print(f"    {key}  {ff:.3f}  {pp:.3f}  {rr:.3f}  {kept}/{true}")


SLUG_WORD = re.compile(r"[a-z]{3,}")


def slug_agreement(truth: dict[str, dict], titles: dict[str, str | None]) -> None:
    """How often the headline found shares half its words with the page's URL slug.

    Only pages whose URL path carries a slug of four or more words count; a proxy for the
    right headline, since the set has no gold titles.
    """
    agree = counted = missing = 0
    for key, gold in truth.items():
        slug = set(SLUG_WORD.findall(urlparse(gold["url"]).path.casefold())) - {
            "html",
            "htm",
            "php",
        }
        if len(slug) < 4:
            continue
        counted += 1
        title = titles.get(key)
        if not title:
            missing += 1
            continue
        words = set(SLUG_WORD.findall(title.casefold()))
        agree += bool(words) and len(words & slug) >= 0.5 * min(len(words), len(slug))
    print(f"headline agrees with the URL slug on {agree}/{counted} pages ({missing} without one)")


URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")


def date_agreement(truth: dict[str, dict], dates: dict[str, datetime | None]) -> None:
    """How often the publication date found is the date in the page's URL (/2019/11/18/).

    Only pages whose URL carries a full date count; a day either side is agreement (the
    page's time zone may move the date).
    """
    agree = counted = missing = 0
    for key, gold in truth.items():
        match = URL_DATE.search(urlparse(gold["url"]).path)
        if not match:
            continue
        with suppress(ValueError):
            stated = date(*(int(part) for part in match.groups()))
            counted += 1
            found = dates.get(key)
            if found is None:
                missing += 1
            else:
                agree += abs((found.date() - stated).days) <= 1
    print(
        f"publication date agrees with the URL's date on {agree}/{counted} pages"
        f" ({missing} without one)"
    )


def title_check(pairs: list[tuple[Path, Path]]) -> None:
    """Headlines against the gold titles of the meetings sets (corpus pages and seeds)."""
    right = 0
    for gold_path, page in pairs:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        cleaned = clean_article(read_text_file(page))
        ok = " ".join((cleaned.title or "").split()) == " ".join((gold.get("title") or "").split())
        right += ok
        if not ok:
            print(f"    {page.name}: {cleaned.title!r} (gold {gold.get('title')!r})")
    print(f"titles right {right}/{len(pairs)}")


def gold_pairs(gold_dir: Path, pages_dir: Path) -> list[tuple[Path, Path]]:
    """(gold JSON, page) pairs where both exist."""
    pairs = []
    for gold in sorted(gold_dir.glob("*.json")):
        page = pages_dir / f"{gold.stem}.txt"
        if page.is_file():
            pairs.append((gold, page))
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the cleaning set's folder")
    parser.add_argument("--worst", type=int, default=15, help="how many worst pages to list")
    parser.add_argument("--compare", action="store_true", help="other extractors too")
    parser.add_argument("--dump", type=Path, help="write the cleaner's bodies as score.py input")
    parser.add_argument(
        "--titles", action="store_true", help="also headlines against the meetings sets' gold"
    )
    args = parser.parse_args()
    if not (args.set / "ground-truth.json").is_file():
        sys.exit(f"no cleaning set at {args.set} (ground-truth.json missing)")
    scorer = load_scorer(args.set)
    truth = json.loads((args.set / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {key: read_text_file(args.set / "pages" / f"{key}.txt") for key in sorted(truth)}
    clean_article(next(iter(pages.values())))  # imports and caches outside the timing
    bodies, seconds = run(pages, lambda raw: clean_article(raw).body)
    report("Parley clean_article", truth, bodies, seconds, scorer, args.worst)
    if args.dump:
        predictions = {key: {"articleBody": body} for key, body in bodies.items()}
        args.dump.write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
    if args.titles:
        cleaned = {key: clean_article(raw) for key, raw in pages.items()}
        slug_agreement(truth, {key: page.title for key, page in cleaned.items()})
        date_agreement(truth, {key: page.published for key, page in cleaned.items()})
        evals = args.set.parent
        pairs = gold_pairs(evals / "meetings-corpus-gold", evals / "meetings-corpus")
        pairs += gold_pairs(evals / "meetings-dev", REPO / "seeds")
        title_check(pairs)
    if args.compare:
        whole, whole_seconds = run(pages, lambda raw: raw)
        report("whole text", truth, whole, whole_seconds, scorer, 0)
        justext_bodies, justext_seconds = run(pages, justext_body)
        report("jusText on the text's lines", truth, justext_bodies, justext_seconds, scorer, 0)
        trafilatura_bodies, trafilatura_seconds = run(pages, trafilatura_body)
        report(
            "trafilatura on the lines", truth, trafilatura_bodies, trafilatura_seconds, scorer, 0
        )


if __name__ == "__main__":
    main()
