"""The trade-off behind issue #3's two quality targets, on the tuning splits only.

BBC's references are machine-made and reward central sentences (TextRank's choice); CNN/DM's
human highlights reward the opening (Lead-3). This sweeps one knob of digest.ranking.Params
(the lead weight by default) and prints, for each value, our margin over TextRank on BBC dev
(ROUGE-2, both budgets) and over Lead-3 on CNN/DM validation (ROUGE-1 and ROUGE-2, @3). A
setting meets both targets when every margin is positive.

    .venv/bin/python bench/summary_tradeoff.py                        # lead weight
    .venv/bin/python bench/summary_tradeoff.py --knob long_words --values 0,25,35,50

Never reads the BBC held-out fifth nor the CNN/DM test rows.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from summarize import (
    DATA,
    DEFAULT,
    METHODS,
    bbc_rows,
    lead,
    load,
    mean,
    ours,
    rouge,
    split_sentences,
)


def scores(method, sets) -> dict[str, tuple[float, ...]]:  # noqa: ANN001
    """Mean ROUGE-1 and ROUGE-2 of ``method`` on every (name, docs, titles, ks, refs) set."""
    out = {}
    for name, docs, titles, ks, refs in sets:
        show = getattr(method, "shows", lambda sentence: sentence)
        picked = method(docs, titles, ks)
        summaries = [[show(doc[i]) for i in p] for doc, p in zip(docs, picked, strict=True)]
        out[name] = mean(rouge(summaries, refs))[:2]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--knob", default="lead", help="a digest.ranking.Params field")
    parser.add_argument("--values", default="0,0.25,0.5,1,2,4,10")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"no evaluation data at {args.data}; pass --data")
    bbc = bbc_rows(args.data, "dev")
    cnndm = [r for r in load(args.data / "cnndm.jsonl") if r["split"] == "validation"]
    bbc_docs = [split_sentences(r["text"]) for r in bbc]
    bbc_titles = [r["title"] for r in bbc]
    bbc_refs = [r["reference_sents"] for r in bbc]
    cnn_docs = [split_sentences(r["text"]) for r in cnndm]
    sets = [
        ("bbc @ref", bbc_docs, bbc_titles, [len(r) for r in bbc_refs], bbc_refs),
        ("bbc @3", bbc_docs, bbc_titles, [3] * len(bbc), bbc_refs),
        (
            "cnndm @3",
            cnn_docs,
            [None] * len(cnndm),
            [3] * len(cnndm),
            [r["reference_sents"] for r in cnndm],
        ),
    ]
    textrank = scores(METHODS["textrank"](), sets[:2])
    lead3 = scores(lead, sets[2:])["cnndm @3"]
    print(
        f"baselines: TextRank BBC dev R-2 @ref {textrank['bbc @ref'][1]:.2f}, "
        f"@3 {textrank['bbc @3'][1]:.2f}; Lead-3 CNN/DM validation R-1/R-2 "
        f"{lead3[0]:.2f}/{lead3[1]:.2f}"
    )
    print(
        f"\n{args.knob:>10}  {'BBC @ref R-2':>12} {'BBC @3 R-2':>11} {'CNN R-1':>8} {'CNN R-2':>8}"
    )
    print(f"{'':>10}  {'(vs TextRank, points)':>24} {'(vs Lead-3, points)':>17}")
    for value in (float(v) for v in args.values.split(",")):
        params = dataclasses.replace(DEFAULT, **{args.knob: value})
        ours_scores = scores(ours(params), sets)
        margins = (
            ours_scores["bbc @ref"][1] - textrank["bbc @ref"][1],
            ours_scores["bbc @3"][1] - textrank["bbc @3"][1],
            ours_scores["cnndm @3"][0] - lead3[0],
            ours_scores["cnndm @3"][1] - lead3[1],
        )
        both = "  both met" if min(margins) > 0 else ""
        marker = " (DEFAULT)" if value == getattr(DEFAULT, args.knob) else ""
        print(
            f"{value:>10g}  {margins[0]:+12.2f} {margins[1]:+11.2f} {margins[2]:+8.2f} "
            f"{margins[3]:+8.2f}{both}{marker}",
            flush=True,
        )


if __name__ == "__main__":
    main()
