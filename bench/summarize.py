"""Quality and speed of Parley's summariser against the classic extractive methods.

Run from the repository root (needs the `bench` extra: sumy, rouge-score):

    .venv/bin/python bench/summarize.py                 # full run, prints one table
    .venv/bin/python bench/summarize.py --limit 200     # quick look while iterating

Sets (../shared/eval/summaries/, see its README):
- bbc.jsonl: extractive references (unordered, glued): ROUGE against `reference_sents`, at
  (a) the reference's sentence count and (b) 3 sentences. `--bbc-split dev` is every article
  but each 5th, `holdout` every 5th (looked at only once the design was fixed), `all` both.
- cnndm.jsonl: human highlights, at 3 sentences; `test` and `test-frank` are reported,
  `validation` is the tuning split (shown with --tuning).

Every method gets the same sentences (digest.sentences.split_sentences), and its time includes
that splitting: articles/second are end to end, text in, summary out. sumy is fed our sentences
through its document model with a plain regex word tokenizer (its own Tokenizer would need
NLTK data downloads).
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from nltk.stem import porter
from rouge_score import rouge_scorer, tokenize
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest.ranking import DEFAULT, NEWS, Params, rank, select  # noqa: E402
from digest.sentences import split_sentences  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries"
BATCH = 64  # articles per vectoriser pass for our method, as an ingestion batch would be
WORD = re.compile(r"\w+(?:['’]\w+)*")

# (text, title, k) -> summary sentences, for a list of articles at once.
Method = Callable[[list[str], list[str | None], list[int]], list[list[str]]]


class _WordTokenizer:
    """What sumy's Sentence needs from a tokenizer, without NLTK data."""

    language = "english"

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(WORD.findall(sentence))

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)


def ours(params: Params = DEFAULT) -> Method:
    def run(texts, titles, ks):
        out = []
        for start in range(0, len(texts), BATCH):
            docs = [split_sentences(t) for t in texts[start : start + BATCH]]
            ranked = rank(docs, titles=titles[start : start + BATCH], params=params)
            for r, k in zip(ranked, ks[start : start + BATCH], strict=True):
                out.append([r.sentences[i] for i in select(r, k, params=params)])
        return out

    return run


def lead(texts, titles, ks):
    return [split_sentences(t)[:k] for t, k in zip(texts, ks, strict=True)]


def tfidf_sum(texts, titles, ks):
    """The foundation's plain summariser: sum of a sentence's TF-IDF weights."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = []
    for text, k in zip(texts, ks, strict=True):
        sents = split_sentences(text)
        try:
            matrix = TfidfVectorizer(stop_words="english").fit_transform(sents)
        except ValueError:
            out.append(sents[:k])
            continue
        scores = np.asarray(matrix.sum(axis=1)).ravel()
        out.append([sents[i] for i in sorted(np.argsort(-scores, kind="stable")[:k])])
    return out


def sumy_method(cls: type) -> Method:
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _WordTokenizer()

    def run(texts, titles, ks):
        out = []
        for text, k in zip(texts, ks, strict=True):
            sents = [Sentence(s, tokenizer) for s in split_sentences(text)]
            document = ObjectDocumentModel([Paragraph(sents)])
            out.append([str(s) for s in summarizer(document, k)] if sents else [])
        return out

    return run


METHODS: dict[str, Callable[[], Method]] = {
    "ours": ours,
    "ours-news": lambda: ours(NEWS),
    "lead": lambda: lead,
    "tfidf-sum": lambda: tfidf_sum,
    "lexrank": lambda: sumy_method(LexRankSummarizer),
    "textrank": lambda: sumy_method(TextRankSummarizer),
    "lsa": lambda: sumy_method(LsaSummarizer),
    "luhn": lambda: sumy_method(LuhnSummarizer),
    "kl": lambda: sumy_method(KLSummarizer),
    "sumbasic": lambda: sumy_method(SumBasicSummarizer),
}


class _CachedTokenizer:
    """rouge-score's default tokenizer with stemming, memoising the Porter stemmer."""

    def __init__(self) -> None:
        stemmer = porter.PorterStemmer()
        self.stem = functools.lru_cache(maxsize=None)(stemmer.stem)

    def tokenize(self, text: str) -> list[str]:
        return tokenize.tokenize(text, self)


SCORER = rouge_scorer.RougeScorer(
    ["rouge1", "rouge2", "rougeLsum"], use_stemmer=True, tokenizer=_CachedTokenizer()
)


def rouge(summaries: list[list[str]], references: list[list[str]]) -> tuple[float, ...]:
    """Mean F1 (x100) of ROUGE-1, ROUGE-2 and ROUGE-Lsum (one sentence per line)."""
    totals = [0.0, 0.0, 0.0]
    for summary, reference in zip(summaries, references, strict=True):
        scores = SCORER.score("\n".join(reference), "\n".join(summary))
        for i, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
            totals[i] += scores[key].fmeasure
    return tuple(100 * t / max(len(summaries), 1) for t in totals)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def bbc_rows(data: Path, split: str) -> list[dict]:
    rows = load(data / "bbc.jsonl")
    if split == "dev":
        return [r for i, r in enumerate(rows) if i % 5 != 4]
    if split == "holdout":
        return [r for i, r in enumerate(rows) if i % 5 == 4]
    return rows


def evaluate(name, rows, ks, methods, use_titles) -> list[tuple]:
    texts = [r["text"] for r in rows]
    titles = [r.get("title") if use_titles else None for r in rows]
    references = [r["reference_sents"] for r in rows]
    lines = []
    for method_name, method in methods.items():
        start = time.perf_counter()
        summaries = method(texts, titles, ks)
        elapsed = time.perf_counter() - start
        r1, r2, rl = rouge(summaries, references)
        lines.append((name, method_name, len(rows), r1, r2, rl, len(rows) / elapsed))
        print(
            f"  {name:<22} {method_name:<10} R-2 {r2:5.1f}  {len(rows) / elapsed:6.0f}/s",
            file=sys.stderr,
            flush=True,
        )
    return lines


def parse_params(pairs: list[str]) -> Params:
    fields = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        current = getattr(DEFAULT, key)
        fields[key] = (
            (value.lower() in ("1", "true", "yes")) if isinstance(current, bool) else float(value)
        )
    return Params(**{**DEFAULT.__dict__, **fields})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, help="first N articles of each set")
    parser.add_argument("--bbc-split", choices=["dev", "holdout", "all"], default="all")
    parser.add_argument("--sets", default="bbc,cnndm", help="comma list: bbc, cnndm")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma list")
    parser.add_argument("--tuning", action="store_true", help="also report cnndm validation")
    parser.add_argument("--param", action="append", default=[], help="override: key=value")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"no evaluation data at {args.data}; pass --data")
    params = parse_params(args.param)
    methods = {
        name: (ours(params) if name == "ours" else METHODS[name]())
        for name in args.methods.split(",")
    }
    sets = args.sets.split(",")
    lines: list[tuple] = []
    if "bbc" in sets:
        rows = bbc_rows(args.data, args.bbc_split)[: args.limit]
        at_ref = [len(r["reference_sents"]) for r in rows]
        label = f"bbc-{args.bbc_split}"
        lines += evaluate(f"{label} @ref", rows, at_ref, methods, True)
        lines += evaluate(f"{label} @3", rows, [3] * len(rows), methods, True)
    if "cnndm" in sets and (args.data / "cnndm.jsonl").exists():
        cnndm = load(args.data / "cnndm.jsonl")
        splits = ["test", "test-frank"] + (["validation"] if args.tuning else [])
        for split in splits:
            rows = [r for r in cnndm if r["split"] == split][: args.limit]
            lines += evaluate(f"cnndm-{split} @3", rows, [3] * len(rows), methods, False)
    header = ("set @ budget", "method", "n", "R-1", "R-2", "R-Lsum", "art/s")
    print("\n{:<22} {:<10} {:>5} {:>6} {:>6} {:>6} {:>7}".format(*header))
    for name, method_name, n, r1, r2, rl, speed in lines:
        print(f"{name:<22} {method_name:<10} {n:>5} {r1:6.1f} {r2:6.1f} {rl:6.1f} {speed:7.0f}")


if __name__ == "__main__":
    main()
