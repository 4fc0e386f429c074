"""Quality and speed of Parley's summariser against the classic extractive methods.

Run from the repository root (needs the `bench` extra: sumy, rouge-score):

    .venv/bin/python bench/summarize.py                 # full run, prints one table
    .venv/bin/python bench/summarize.py --limit 200     # quick look while iterating

Sets (../shared/eval/summaries/, see its README):
- bbc.jsonl: extractive references (unordered, glued): ROUGE against `reference_sents`, at
  (a) the reference's sentence count and (b) 3 sentences. `--bbc-split dev` is every article
  but each 5th, `holdout` every 5th (looked at only once the design was fixed); `all` (the
  default) reports the whole set and both halves from one run.
- cnndm.jsonl: human highlights, at 3 sentences; the `test` and `test-frank` rows are reported
  together, CNN rows and Daily Mail rows apart; `validation` (all CNN) is the tuning split
  (--tuning shows it instead of the test rows).

Methods: `ours` (what `summarize` uses: digest.ranking.profile, SHORT up to 3 sentences,
DEFAULT above; `--param` fixes one setting for every budget), `ours-news` (the older lead-heavy
NEWS profile, only with --methods), `ours-central` (CENTRAL_SHORT below in SHORT's place, only
with --methods), `lead` (first k), `tfidf-sum` (the foundation's plain
summariser), and sumy's LexRank, TextRank, LSA, Luhn, KL and SumBasic (English stemmer and
stop words). Only Parley's methods (`ours` and its alternative profiles) read the BBC headline
and show their sentences without a dateline (as the digest does); the table says so.

Every method gets the same sentences (digest.sentences.split_sentences). `art/s` is end to end,
text in, summary out (splitting included); `alone/s` is the method on already-split sentences.
`dangle%` and `repeat%` (see `readability`) say how often a summary holds a sentence pointing
back to one it left out, and two sentences saying the same thing. After the table: ours minus
each target baseline (TextRank, Luhn, LexRank and Lead on BBC; Lead-3 on CNN/DM) on R-1, R-2
and R-Lsum, with 95% paired bootstrap intervals; then one speed line, digest.summarize_many end
to end on the first 300 BBC articles in one process, timed in turns with sumy TextRank on the
same articles (so the ratio holds on a busy machine), and over 2 worker processes; then one
splitting line: digest.sentences' layer over syntok against plain syntok on the same articles
(ms per article, in turns), and how many articles get the same sentences from both.
sumy is fed our sentences through its document model with a plain regex word tokenizer (its own
Tokenizer would need NLTK data downloads).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import multiprocessing
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from nltk.stem import porter
from rouge_score import rouge_scorer, tokenize
from scipy import stats
from sklearn.feature_extraction.text import TfidfVectorizer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words
from syntok import segmenter
from syntok.tokenizer import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest.ranking import DEFAULT, NEWS, SHORT, Params, profile, rank, select  # noqa: E402
from digest.rejoin import shown  # noqa: E402
from digest.sentences import split_sentences, syntok_sentences  # noqa: E402
from digest.standalone import refers_back  # noqa: E402
from digest.summarize import summarize_many  # noqa: E402
from digest.terms import tokens  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries"
SPEED_SAMPLE = 300  # articles timed per set and budget
BATCH = 64  # articles per vectoriser pass for our method, as an ingestion batch would be
WORD = re.compile(r"\w+(?:['’]\w+)*")

# (sentences, title, k) -> indices of the summary's sentences, for a list of articles at once.
Method = Callable[[list[str], list[str | None], list[int]], list[list[int]]]


class _WordTokenizer:
    """What sumy's Sentence needs from a tokenizer, without NLTK data."""

    language = "english"

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(WORD.findall(sentence))

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)


# Issue #16's other 3-sentence profile: the added lead score kept to about the second sentence,
# no mmr factor (the overlap, same-fact and phrase tests already pass over what was said) and
# stand-alone penalties to the power 1.5. Tuned on BBC dev and CNN/DM validation (with the
# Daily Mail validation rows the README names) to meet BBC @3's targets, above Luhn and
# LexRank, with both CNN/DM parts still at or above Lead-3 there. It did not hold on the test
# rows: the Daily Mail part fell below Lead-3 and BBC @3 only tied Luhn on R-1 (README has the
# figures); blind editors preferred SHORT's summaries on 59 of the 99 development pages where
# the two differ. The digest keeps SHORT: human readers and references come first. Only the
# bench runs it (--methods ours-central), to show the trade.
CENTRAL_SHORT = dataclasses.replace(
    SHORT,
    lead=0.5,
    lead_decay=1.0,
    lead_add=2.5,
    lead_add_decay=1.2,
    mmr=0.0,
    standalone=1.5,
    same_facts=0.15,
)


def ours(params: Params | None = None, short: Params = SHORT) -> Method:
    """Parley's summariser; without ``params``, each budget's profile (digest.ranking.profile,
    with ``short`` in SHORT's place)."""

    def run(docs, titles, ks):
        out: list[list[int] | None] = [None] * len(docs)
        by_profile: dict[Params, list[int]] = {}
        for i, k in enumerate(ks):
            chosen = params or profile(k)
            by_profile.setdefault(short if chosen is SHORT else chosen, []).append(i)
        for chosen, rows in by_profile.items():
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                ranked = rank(
                    [docs[i] for i in batch], titles=[titles[i] for i in batch], params=chosen
                )
                for i, r in zip(batch, ranked, strict=True):
                    out[i] = select(r, ks[i], params=chosen)
        return out

    run.shows = shown  # a summary leaves datelines out (digest.rejoin.shown)
    return run


def lead(docs, titles, ks):
    return [list(range(min(k, len(doc)))) for doc, k in zip(docs, ks, strict=True)]


def tfidf_sum(docs, titles, ks):
    """The foundation's plain summariser: sum of a sentence's TF-IDF weights."""
    out = []
    for sents, k in zip(docs, ks, strict=True):
        try:
            matrix = TfidfVectorizer(stop_words="english").fit_transform(sents)
        except ValueError:
            out.append(list(range(min(k, len(sents)))))
            continue
        scores = np.asarray(matrix.sum(axis=1)).ravel()
        out.append(sorted(int(i) for i in np.argsort(-scores, kind="stable")[:k]))
    return out


def sumy_method(cls: type) -> Method:
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = _WordTokenizer()

    def run(docs, titles, ks):
        out = []
        for doc, k in zip(docs, ks, strict=True):
            sents = [Sentence(s, tokenizer) for s in doc]
            document = ObjectDocumentModel([Paragraph(sents)])
            where = {id(s): i for i, s in enumerate(sents)}
            out.append(sorted(where[id(s)] for s in summarizer(document, k)) if sents else [])
        return out

    return run


METHODS: dict[str, Callable[[], Method]] = {
    "ours": ours,
    "ours-news": lambda: ours(NEWS),
    "ours-central": lambda: ours(short=CENTRAL_SHORT),
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


def rouge(summaries: list[list[str]], references: list[list[str]]) -> list[tuple[float, ...]]:
    """Per article: F1 (x100) of ROUGE-1, ROUGE-2 and ROUGE-Lsum (one sentence per line)."""
    out = []
    for summary, reference in zip(summaries, references, strict=True):
        scores = SCORER.score("\n".join(reference), "\n".join(summary))
        out.append(tuple(100 * scores[k].fmeasure for k in ("rouge1", "rouge2", "rougeLsum")))
    return out


def mean(rows: list[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(sum(column) / max(len(rows), 1) for column in zip(*rows, strict=True))


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


def best_time(run: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of a few runs: other processes on the machine only ever slow a run down."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def paired_interval(
    ours_scores: np.ndarray, baseline: np.ndarray, draws: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean of ``ours_scores - baseline`` (per article) and its 95% paired bootstrap interval.

    Articles are resampled with replacement, the same ones for both methods, so the interval
    says whether a margin of a few tenths is larger than what the choice of articles moves.
    """
    differences = np.asarray(ours_scores, dtype=float) - np.asarray(baseline, dtype=float)
    interval = stats.bootstrap(
        (differences,), np.mean, n_resamples=draws, method="percentile", random_state=seed
    ).confidence_interval
    return float(differences.mean()), float(interval.low), float(interval.high)


def evaluate(name, rows, ks, methods, use_titles, parts=None) -> tuple[list[tuple], dict]:
    """Run every method on ``rows``; one line per (part, method). ``parts`` maps a label to
    the row indices it averages over (default: one part, all rows). Also returns each part's
    per-article scores by method, for the margins.

    Speed is timed apart, best of 3 on the first SPEED_SAMPLE rows: articles/second end to
    end (sentence splitting + the method) and for the method alone on split sentences."""
    texts = [r["text"] for r in rows]
    titles = [r.get("title") if use_titles else None for r in rows]
    references = [r["reference_sents"] for r in rows]
    docs = [split_sentences(t) for t in texts]
    n = min(SPEED_SAMPLE, len(rows))
    split_time = best_time(lambda: [split_sentences(t) for t in texts[:n]])
    parts = {
        label: indices for label, indices in (parts or {name: range(len(rows))}).items() if indices
    }
    lines = {label: [] for label in parts}
    per_article: dict[str, dict[str, np.ndarray]] = {label: {} for label in parts}
    for method_name, method in methods.items():
        picked = method(docs, titles, ks)
        show = getattr(method, "shows", lambda sentence: sentence)
        summaries = [[show(doc[i]) for i in p] for doc, p in zip(docs, picked, strict=True)]
        scores = rouge(summaries, references)
        faults = [readability(doc, p) for doc, p in zip(docs, picked, strict=True)]
        core = best_time(lambda m=method: m(docs[:n], titles[:n], ks[:n]))
        end_to_end, alone = n / (split_time + core), n / core
        for label, indices in parts.items():
            part_scores = [scores[i] for i in indices]
            per_article[label][method_name] = np.array(part_scores)
            r1, r2, rl = mean(part_scores)
            dangling = sum(faults[i][0] for i in indices) / max(
                sum(len(picked[i]) for i in indices), 1
            )
            repeated = sum(faults[i][1] for i in indices) / max(len(indices), 1)
            lines[label].append(
                (label, method_name, len(indices), r1, r2, rl, end_to_end, alone)
                + (100 * dangling, 100 * repeated)
            )
        print(f"  {name:<22} {method_name:<12} {end_to_end:6.0f}/s", file=sys.stderr, flush=True)
    return [line for label in parts for line in lines[label]], per_article


# The baselines each set's targets are measured against (issue #16): Lead-3 on the human
# highlights; TextRank, Luhn, LexRank and Lead on BBC (TextRank not at 3 sentences).
TARGETS = {
    "bbc": ("textrank", "luhn", "lexrank", "lead"),
    "cnn": ("lead",),
    "dm": ("lead",),
    "cnndm": ("lead",),
}


def margins(per_article: dict[str, dict[str, np.ndarray]]) -> list[str]:
    """Per set and target baseline: ours minus it on R-1, R-2, R-Lsum, with 95% intervals."""
    out = []
    for label, by_method in per_article.items():
        for mine in ("ours", "ours-central"):
            for baseline in TARGETS[label.split("-")[0].split()[0]]:
                if mine not in by_method or baseline not in by_method or len(by_method[mine]) < 2:
                    continue  # (a part of one article, from a small --limit, has no interval)
                cells = []
                for index in range(3):
                    diff, low, high = paired_interval(
                        by_method[mine][:, index], by_method[baseline][:, index]
                    )
                    cells.append(f"{diff:+5.2f} [{low:+5.2f}, {high:+5.2f}]")
                out.append(f"{label:<22} {mine} - {baseline:<8} " + "  ".join(cells))
    return out


def readability(doc: list[str], picked: list[int]) -> tuple[int, bool]:
    """Picked sentences that refer back to a sentence not picked, and whether two picked
    sentences share more than half their words.

    Refers back: opens with a pronoun, a connective, a noun that only names what came before or
    a person named by office alone (digest.standalone.refers_back) while the sentence before it
    is not in the summary; ours is 0% by construction, as select never picks such a sentence
    alone. Words: lower-cased, stop words left out; two
    sentences share more than half when their common words are more than half of each one's.
    """
    chosen = set(picked)
    dangling = sum(1 for i in picked if i > 0 and i - 1 not in chosen and refers_back(doc[i]))
    words = [set(tokens(doc[i])) for i in picked]
    repeated = any(
        a and b and len(a & b) > 0.5 * max(len(a), len(b))
        for x, a in enumerate(words)
        for b in words[x + 1 :]
    )
    return dangling, repeated


def _summarise_chunk(
    job: tuple[list[str], list[str | None], int, Params | None],
) -> list[list[str]]:
    texts, titles, k, params = job
    return summarize_many(texts, k, titles=titles, params=params)


def best_times_interleaved(runs: list[Callable[[], object]], repeats: int = 5) -> list[float]:
    """The fastest time of each run, the runs taking turns: a slow spell on a shared machine
    then falls on every run alike instead of on whichever was timed during it."""
    times = [float("inf")] * len(runs)
    for _ in range(repeats):
        for i, run in enumerate(runs):
            start = time.perf_counter()
            run()
            times[i] = min(times[i], time.perf_counter() - start)
    return times


def speed_against_textrank(
    rows: list[dict], k: int, params: Params | None, workers: int = 2
) -> tuple:
    """Articles/second end to end: digest.summarize_many in one process, sumy TextRank
    (splitting included) timed in turns with it, then summarize_many over ``workers``.

    Text in, summary out, on the first SPEED_SAMPLE rows; the pool is started and warmed first
    (an ingestion worker would keep it), pickling is counted.
    """
    rows = rows[:SPEED_SAMPLE]
    texts, titles, ks = [r["text"] for r in rows], [r.get("title") for r in rows], [k] * len(rows)
    textrank = METHODS["textrank"]()
    ours_time, textrank_time = best_times_interleaved(
        [
            lambda: summarize_many(texts, k, titles=titles, params=params),
            lambda: textrank([split_sentences(t) for t in texts], titles, ks),
        ]
    )
    step = -(-len(rows) // workers)
    starts = range(0, len(rows), step)
    jobs = [(texts[i : i + step], titles[i : i + step], k, params) for i in starts]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_summarise_chunk, jobs, chunksize=1)  # warm: imports done in every worker
        multi = len(rows) / best_time(lambda: pool.map(_summarise_chunk, jobs, chunksize=1))
    return len(rows) / ours_time, len(rows) / textrank_time, multi


# As digest.sentences builds its own (syntok's abbreviations then hold the English titles it adds
# for the whole process, so both sides split with the same knowledge).
_SYNTOK_TOKENIZER = Tokenizer(replace_not_contraction=False)


def _plain_syntok(text: str) -> list[str]:
    """syntok's own sentences, paragraph by paragraph, without digest.sentences' shortcuts."""
    out = []
    for _, paragraph in segmenter.preprocess_with_offsets(text):
        for sentence in segmenter.segment(iter(list(_SYNTOK_TOKENIZER.tokenize(paragraph)))):
            if sentence:
                end = sentence[-1].offset + len(sentence[-1].value)
                piece = paragraph[sentence[0].offset : end].strip()
                if piece:
                    out.append(piece)
    return out


def splitter_against_plain_syntok(rows: list[dict]) -> tuple[float, float, int]:
    """Milliseconds per article: digest.sentences' layer over syntok (before re-joining) and
    plain syntok, timed in turns on the first SPEED_SAMPLE rows (best of 5 each); and
    how many of those articles get the very same sentences from both (issue #16 asked whether
    the layer earns its keep)."""
    texts = [r["text"] for r in rows[:SPEED_SAMPLE]]
    layer, plain = best_times_interleaved(
        [
            lambda: [syntok_sentences(t) for t in texts],
            lambda: [_plain_syntok(t) for t in texts],
        ]
    )
    same = sum(syntok_sentences(t) == _plain_syntok(t) for t in texts)
    return 1000 * layer / len(texts), 1000 * plain / len(texts), same


def parse_params(pairs: list[str]) -> Params:
    fields = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        current = getattr(DEFAULT, key)
        fields[key] = (
            (value.lower() in ("1", "true", "yes"))
            if isinstance(current, bool)
            else type(current)(float(value))
        )
    return Params(**{**DEFAULT.__dict__, **fields})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, help="first N articles of each set")
    parser.add_argument("--bbc-split", choices=["dev", "holdout", "all"], default="all")
    parser.add_argument("--sets", default="bbc,cnndm", help="comma list: bbc, cnndm")
    parser.add_argument(
        "--methods",
        default=",".join(m for m in METHODS if m not in ("ours-news", "ours-central")),
        help="comma list (ours-news and ours-central, alternative profiles, only when asked)",
    )
    parser.add_argument(
        "--tuning", action="store_true", help="cnndm: the validation split instead of the test ones"
    )
    parser.add_argument("--param", action="append", default=[], help="override: key=value")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"no evaluation data at {args.data}; pass --data")
    params = parse_params(args.param) if args.param else None
    methods = {
        name: (ours(params) if name == "ours" else METHODS[name]())
        for name in args.methods.split(",")
    }
    sets = args.sets.split(",")
    lines: list[tuple] = []
    per_article: dict[str, dict[str, np.ndarray]] = {}
    if "bbc" in sets:
        rows = bbc_rows(args.data, args.bbc_split)[: args.limit]
        at_ref = [len(r["reference_sents"]) for r in rows]
        for budget, ks in (("@ref", at_ref), ("@3", [3] * len(rows))):
            parts = {f"bbc-{args.bbc_split} {budget}": list(range(len(rows)))}
            if args.bbc_split == "all":  # dev and held-out halves of the same run, too
                parts[f"bbc-dev {budget}"] = [i for i in range(len(rows)) if i % 5 != 4]
                parts[f"bbc-holdout {budget}"] = [i for i in range(len(rows)) if i % 5 == 4]
            set_lines, set_scores = evaluate(f"bbc {budget}", rows, ks, methods, True, parts)
            lines += set_lines
            per_article |= set_scores
    if "cnndm" in sets and (args.data / "cnndm.jsonl").exists():
        cnndm = load(args.data / "cnndm.jsonl")
        splits = ["validation"] if args.tuning else ["test", "test-frank"]
        rows = [
            r for split in splits for r in [r for r in cnndm if r["split"] == split][: args.limit]
        ]
        name = "cnndm-validation" if args.tuning else "cnndm-test"
        # CNN rows and Daily Mail rows apart: their highlights lean on the lead very differently.
        parts = {
            f"cnn {name[6:]} @3": [i for i, r in enumerate(rows) if r["source"] == "cnn"],
            f"dm {name[6:]} @3": [i for i, r in enumerate(rows) if r["source"] == "dm"],
        }
        set_lines, set_scores = evaluate(f"{name} @3", rows, [3] * len(rows), methods, False, parts)
        lines += set_lines
        per_article |= set_scores
    speed_rows = None
    if "bbc" in sets and "ours" in methods:
        speed_rows = bbc_rows(args.data, args.bbc_split)[: args.limit]
        speeds = speed_against_textrank(speed_rows, 3, params)
        splitting = splitter_against_plain_syntok(speed_rows)
    header = ("set @ budget", "method", "n", "R-1", "R-2", "R-Lsum", "art/s", "alone/s")
    print(
        "\nROUGE F1 x100. BBC: only `ours*` reads the headline (sumy has no use for one); CNN/DM"
        " rows carry none.\n`ours*` shows sentences without their dateline (digest.rejoin.shown)."
        " dangle%: picked sentences pointing\nback (digest.standalone.refers_back) whose"
        " sentence before is not picked; repeat%: summaries holding two\nsentences that share"
        " more than half their words."
    )
    print(
        "\n{:<22} {:<12} {:>5} {:>6} {:>6} {:>6} {:>7} {:>8} {:>7} {:>7}".format(
            *header, "dangle%", "repeat%"
        )
    )
    for name, method_name, n, r1, r2, rl, speed, alone, dangle, repeat in lines:
        print(
            f"{name:<22} {method_name:<12} {n:>5} {r1:6.1f} {r2:6.1f} {rl:6.1f} "
            f"{speed:7.0f} {alone:8.0f} {dangle:7.2f} {repeat:7.2f}"
        )
    margin_lines = margins(per_article)
    if margin_lines:
        print(
            "\nMargins over the targets, mean per-article difference [95% paired bootstrap],"
            " R-1  R-2  R-Lsum:"
        )
        print("\n".join(margin_lines))
    if speed_rows is not None:
        single, textrank, multi = speeds
        print(
            f"\nsummarize_many end to end, first {min(SPEED_SAMPLE, len(speed_rows))} BBC articles"
            f" @3, timed in turns with TextRank (best of 5 each): 1 process {single:.0f} art/s,"
            f" TextRank {textrank:.0f} art/s ({single / textrank:.1f}x);"
            f" 2 worker processes {multi:.0f} art/s"
        )
        layer, plain, same = splitting
        print(
            f"sentence splitting, same articles: digest.sentences' layer {layer:.2f} ms/article,"
            f" plain syntok {plain:.2f} ms/article ({plain / layer:.1f}x slower);"
            f" the same sentences for {same} of {min(SPEED_SAMPLE, len(speed_rows))}"
        )


if __name__ == "__main__":
    main()
