"""Quality harness for meeting extraction against gold JSON files (GUIDE.md §10).

    .venv/bin/python bench/meetings_eval.py ../shared/eval/meetings-dev [--articles seeds] [-v]
    .venv/bin/python bench/meetings_eval.py ../shared/eval/meetings-dev \
        ../shared/eval/meetings-corpus-gold=../shared/eval/meetings-corpus   # all 30, pooled

For every GOLD_DIR/<stem>.json the article <stem>.txt is read from --articles (default: the
repo's seeds/ folder) or from the folder written after "=" (GOLD_DIR=ARTICLES_DIR); several
gold folders are pooled into one set of figures. Each article is cleaned with digest.clean
(title, published, body) and run through extract_meetings. Predicted meetings are matched
to gold ones by participant overlap (normalised names) plus date compatibility at the gold
precision; gold meetings with no participants fall back on sides, location and kind.
Prints precision/recall/F1 for meetings and participants, topic F1, and date, city,
country, status and kind accuracy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from digest.articles import article_from_text
from digest.meetings import extract_meetings, meetings_json
from digest.reader import read_text_file

REPO = Path(__file__).resolve().parent.parent


def norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def names(meeting: dict) -> set[str]:
    return {norm(p["name"]) for p in meeting["participants"]}


def date_ok(gold: str | None, pred: str | None) -> bool:
    """Compare at the precision of the gold value; a null gold date wants a null prediction."""
    if gold is None:
        return pred is None
    return pred is not None and pred[: len(gold)] == gold


def date_compatible(gold: str | None, pred: str | None) -> bool:
    if gold is None or pred is None:
        return True
    n = min(len(gold), len(pred))
    return gold[:n] == pred[:n]


def pair_score(gold: dict, pred: dict) -> tuple | None:
    """A sortable match score, or None when the two cannot be the same meeting."""
    if not date_compatible(gold["date"], pred["date"]):
        return None
    gold_sides, pred_sides = set(gold["sides"]), set(pred["sides"])
    side_overlap = len(gold_sides & pred_sides)
    kind_same = gold["kind"] == pred["kind"]
    location_same = (gold["location"] or {}).get("country") == (pred["location"] or {}).get(
        "country"
    )
    if gold["participants"]:
        overlap = len(names(gold) & names(pred))
        if overlap == 0:
            return None
    else:
        if pred["participants"] and not kind_same:
            return None
        if side_overlap < min(2, len(gold_sides)) or not (location_same or kind_same):
            return None
        overlap = 0
    exact_date = gold["date"] == pred["date"]
    return (
        overlap,
        exact_date,
        kind_same,
        side_overlap,
        location_same,
        gold["status"] == pred["status"],
    )


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best-scoring pairs first."""
    scored = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            score = pair_score(g, p)
            if score is not None:
                scored.append((score, gi, pi))
    scored.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in scored:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def load_article(path: Path):
    raw = read_text_file(path)
    article = article_from_text(raw, str(path), datetime.now(UTC))
    if article is None:
        raise SystemExit(f"{path}: the cleaner found no story text")
    return article


def _show_pair(stem: str, g: dict, p: dict) -> None:
    print(f"  MATCH {stem[:4]} {sorted(names(g))}")
    for field in ("date", "status", "kind", "location"):
        if g[field] != p[field]:
            print(f"      {field}: gold={g[field]} pred={p[field]}")
    if names(g) != names(p):
        print(f"      people: gold={sorted(names(g))} pred={sorted(names(p))}")
    gt, pt = set(g["topics"]), set(p["topics"])
    if gt != pt:
        print(f"      topics: missing={sorted(gt - pt)} extra={sorted(pt - gt)}")


def evaluate(gold_dir: Path, articles_dir: Path, verbose: bool) -> dict[str, float]:
    return evaluate_many([(gold_dir, articles_dir)], verbose)


def evaluate_many(folders: list[tuple[Path, Path]], verbose: bool) -> dict[str, float]:
    keys = "m_tp m_fp m_fn p_tp p_fp p_fn t_tp t_fp t_fn date city country status kind matched"
    totals = dict.fromkeys(keys.split(), 0)
    elapsed = 0.0
    pairs_of_paths = [
        (gold_path, articles_dir)
        for gold_dir, articles_dir in folders
        for gold_path in sorted(gold_dir.glob("*.json"))
    ]
    for gold_path, articles_dir in pairs_of_paths:
        gold_doc = json.loads(gold_path.read_text(encoding="utf-8"))
        article_path = articles_dir / f"{gold_path.stem}.txt"
        if not article_path.exists():
            print(f"skip {gold_path.stem}: no {article_path}", file=sys.stderr)
            continue
        article = load_article(article_path)
        started = time.perf_counter()
        meetings = extract_meetings(article)
        elapsed += time.perf_counter() - started
        pred_doc = meetings_json(article, meetings)
        gold, pred = gold_doc["meetings"], pred_doc["meetings"]
        pairs = match(gold, pred)
        totals["m_tp"] += len(pairs)
        totals["m_fp"] += len(pred) - len(pairs)
        totals["m_fn"] += len(gold) - len(pairs)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            common = len(names(g) & names(p))
            totals["p_tp"] += common
            totals["p_fp"] += len(names(p)) - common
            totals["p_fn"] += len(names(g)) - common
            gt, pt = set(g["topics"]), set(p["topics"])
            totals["t_tp"] += len(gt & pt)
            totals["t_fp"] += len(pt - gt)
            totals["t_fn"] += len(gt - pt)
            totals["date"] += date_ok(g["date"], p["date"])
            gl, pl = g["location"] or {}, p["location"] or {}
            totals["city"] += gl.get("city") == pl.get("city")
            totals["country"] += gl.get("country") == pl.get("country")
            totals["status"] += g["status"] == p["status"]
            totals["kind"] += g["kind"] == p["kind"]
            totals["matched"] += 1
            if verbose:
                _show_pair(gold_path.stem, g, p)
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                totals["p_fp"] += len(names(p))
                if verbose:
                    people = [x["name"] for x in p["participants"]]
                    print(
                        f"  EXTRA {gold_path.stem[:4]} {p['status']} {p['kind']} {p['date']} "
                        f"{people} {p['sides']} :: {p['evidence'][:160]}"
                    )
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                totals["p_fn"] += len(names(g))
                if verbose:
                    people = [x["name"] for x in g["participants"]]
                    print(
                        f"  MISSED {gold_path.stem[:4]} {g['status']} {g['kind']} {g['date']} "
                        f"{people} :: {g['evidence'][:160]}"
                    )
    n = totals["matched"] or 1
    mp, mr, mf = prf(totals["m_tp"], totals["m_fp"], totals["m_fn"])
    pp, pr, pf = prf(totals["p_tp"], totals["p_fp"], totals["p_fn"])
    tp_, tr, tf = prf(totals["t_tp"], totals["t_fp"], totals["t_fn"])
    return {
        "meetings_p": mp, "meetings_r": mr, "meetings_f1": mf,
        "participants_p": pp, "participants_r": pr, "participants_f1": pf,
        "topics_p": tp_, "topics_r": tr, "topics_f1": tf,
        "date_acc": totals["date"] / n, "city_acc": totals["city"] / n,
        "country_acc": totals["country"] / n, "status_acc": totals["status"] / n,
        "kind_acc": totals["kind"] / n, "matched": totals["matched"],
        "gold": totals["m_tp"] + totals["m_fn"], "predicted": totals["m_tp"] + totals["m_fp"],
        "extract_ms_total": elapsed * 1000,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dirs", nargs="+", help="GOLD_DIR or GOLD_DIR=ARTICLES_DIR")
    parser.add_argument("--articles", type=Path, default=REPO / "seeds")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    folders = []
    for spec in args.gold_dirs:
        gold, _, articles = spec.partition("=")
        folders.append((Path(gold), Path(articles) if articles else args.articles))
    r = evaluate_many(folders, args.verbose)
    print(
        f"meetings      P {r['meetings_p']:.3f}  R {r['meetings_r']:.3f}  "
        f"F1 {r['meetings_f1']:.3f}   (gold {r['gold']}, predicted {r['predicted']}, "
        f"matched {r['matched']})"
    )
    print(
        f"participants  P {r['participants_p']:.3f}  R {r['participants_r']:.3f}  "
        f"F1 {r['participants_f1']:.3f}"
    )
    print(f"topics        P {r['topics_p']:.3f}  R {r['topics_r']:.3f}  F1 {r['topics_f1']:.3f}")
    print(
        f"accuracy on matched meetings: date {r['date_acc']:.3f}  city {r['city_acc']:.3f}  "
        f"country {r['country_acc']:.3f}  status {r['status_acc']:.3f}  kind {r['kind_acc']:.3f}"
    )
    print(f"extraction time: {r['extract_ms_total']:.1f} ms total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
