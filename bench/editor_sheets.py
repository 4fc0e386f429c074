"""Sheets for a blind editor comparison of summaries: Parley, Lead-3 and TextRank per page.

    .venv/bin/python bench/editor_sheets.py OUT [--pages DIR ...] [--seed 7]
    .venv/bin/python bench/editor_sheets.py OUT --score RANKS.json [RANKS.json ...]

Every page (a raw text file, e.g. ../shared/eval/cleaning/pages or the seeds, or an ``.html``
page, read as an article URL's page is: trafilatura, then the cleaner) is cleaned by
``digest.clean.clean_article`` and split by ``digest.sentences.split_sentences``, as the
digest does. Three summaries of 3 sentences are made from the same sentences:
- Parley: ``digest.summarize`` with the page's headline, 3 sentences (a digest shows the same
  for a one-article story with a headline; an untitled story's digest moves the lead into the
  headline it makes, which a sheet does not show);
- Lead-3: the first three sentences;
- TextRank: sumy's TextRank, given the same sentences.
All three are shown without datelines (``digest.rejoin.shown``), so an editor cannot tell them
apart by that. The order of the three is shuffled per page with a seeded generator.

Writes ``OUT/sheets/NNN.md`` (the page's headline and cleaned story, then summaries A, B, C)
and ``OUT/key.json`` (which letter is which method; editors must not read it). Editors get
``bench/editor_brief.md`` with their share of the sheets (copied away from the key). An
editor writes ``RANKS.json``: ``{"NNN": ["B", "A", "C"], ...}`` or ``{"NNN": {"rank": [...], "why":
"..."}}``, best first (ties are not allowed).
``--score`` prints each method's mean rank and Parley's wins and losses against each other
method, with a paired sign test, overall and per folder of pages. Sheets where Parley's
summary is the same as the other method's are left out of that pair's wins and losses (an
editor must still order them, by a coin's worth of difference).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from digest.clean import clean_article  # noqa: E402
from digest.reader import read_text_file  # noqa: E402
from digest.rejoin import shown  # noqa: E402
from digest.sentences import split_sentences  # noqa: E402
from digest.sources.reading import extract_clean  # noqa: E402
from digest.summarize import summarize  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_PAGES = [SHARED / "eval" / "cleaning" / "pages", SHARED / "seeds"]
METHODS = ("parley", "lead3", "textrank")
STORY_CHARS = 9000  # an editor reads the story's start; longer stories are cut with a mark


def summaries(title: str | None, body: str) -> dict[str, list[str]]:
    """The three summaries of one cleaned story, each as shown sentences."""
    from summarize import sumy_method  # bench/summarize.py; needs the bench extra
    from sumy.summarizers.text_rank import TextRankSummarizer

    sentences = split_sentences(body)
    textrank = sumy_method(TextRankSummarizer)([sentences], [title], [3])[0]
    return {
        "parley": summarize(body, 3, 1024, title=title),
        "lead3": [shown(s) for s in sentences[:3]],
        "textrank": [shown(sentences[i]) for i in textrank],
    }


def read_page(path: Path) -> tuple[str | None, str]:
    """A page's headline and story as the digest reads it: a raw text file through the
    cleaner; an HTML page (``.html``) as an article URL's page (trafilatura, then the cleaner)."""
    if path.suffix == ".html":
        page = extract_clean(path.read_bytes(), f"https://{path.stem}/")
        return (page.title, page.text) if page else (None, "")
    cleaned = clean_article(read_text_file(path))
    return cleaned.title, cleaned.body


def write_sheets(out: Path, folders: list[Path], seed: int) -> int:
    """One sheet per page with a story; returns how many were written."""
    rng = random.Random(seed)
    (out / "sheets").mkdir(parents=True, exist_ok=True)
    key: dict[str, dict] = {}
    number = 0
    for folder in folders:
        for path in sorted([*folder.glob("*.txt"), *folder.glob("*.html")]):
            title, body = read_page(path)
            if not body.strip():
                continue
            made = summaries(title, body)
            if len({tuple(s) for s in made.values()}) < 2:
                continue  # all three the same: nothing to compare
            number += 1
            name = f"{number:03d}"
            order = list(METHODS)
            rng.shuffle(order)
            letters = dict(zip("ABC", order, strict=True))
            same = [m for m in METHODS[1:] if made[m] == made["parley"]]
            key[name] = {
                "page": str(path),
                "folder": folder.name,
                "letters": letters,
                "same_as_parley": same,
            }
            story = body
            if len(story) > STORY_CHARS:
                story = story[:STORY_CHARS] + "\n\n[… the story goes on]"
            lines = [f"# Sheet {name}", "", f"## Headline: {title or '(none)'}", ""]
            lines += ["## Story", "", story, "", "## Summaries", ""]
            for letter, method in letters.items():
                lines += [f"### {letter}", ""]
                lines += [f"- {s}" for s in made[method]] or ["(empty)"]
                lines.append("")
            (out / "sheets" / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    (out / "key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
    return number


def score(out: Path, ranks_paths: list[Path]) -> list[str]:
    """Mean ranks and Parley's wins/losses, overall and per folder."""
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    ranks: dict[str, list[str]] = {}
    for path in ranks_paths:  # one file per editor; an entry is an order or {"rank": order}
        for name, entry in json.loads(path.read_text(encoding="utf-8")).items():
            ranks[name] = entry["rank"] if isinstance(entry, dict) else entry
    groups: dict[str, list[tuple[dict[str, int], list[str]]]] = {"all": []}
    for name, order in ranks.items():
        letters = key[name]["letters"]
        rank = {letters[letter]: i + 1 for i, letter in enumerate(order)}
        row = (rank, key[name]["same_as_parley"])
        groups["all"].append(row)
        groups.setdefault(key[name]["folder"], []).append(row)
    lines = []
    for group, rows in groups.items():
        means = {m: sum(r[m] for r, _ in rows) / len(rows) for m in METHODS}
        line = f"{group} ({len(rows)} sheets): mean rank " + ", ".join(
            f"{m} {means[m]:.2f}" for m in METHODS
        )
        for other in METHODS[1:]:
            differ = [r for r, same in rows if other not in same]
            wins = sum(r["parley"] < r[other] for r in differ)
            losses = len(differ) - wins
            p = stats.binomtest(wins, len(differ)).pvalue if differ else 1.0
            line += f"; vs {other} {wins} wins / {losses} losses (sign test p={p:.3f})"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=Path, action="append")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--score", type=Path, nargs="+", help="editors' RANKS.json files")
    args = parser.parse_args(argv)
    if args.score:
        print("\n".join(score(args.out, args.score)))
        return
    count = write_sheets(args.out, args.pages or DEFAULT_PAGES, args.seed)
    print(f"{count} sheets in {args.out / 'sheets'}; the key is {args.out / 'key.json'}")


if __name__ == "__main__":
    main()
