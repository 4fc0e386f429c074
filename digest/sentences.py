"""Sentence splitting, with syntok (a maintained segmenter), shared by every consumer."""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex
from syntok import segmenter
from syntok._segmentation_states import State
from syntok.tokenizer import Token, Tokenizer

from digest.rejoin import rejoin
from digest.titles import TITLES

# English titles (digest.titles), most missing from syntok's abbreviations (mostly German and
# Spanish ones), without which "Wisconsin Gov. Scott Walker" and "Staff Sgt. John Doe" are cut
# after the title: 155 false cuts in the 1,237 CNN/DM texts, none in the BBC ones. Added to
# syntok's own set, which its state machine reads at every decision, so syntok and the shortcuts
# below (_NOT_PLAIN) agree. syntok offers no other hook; pyproject pins it below 1.5.
ENGLISH_TITLES = TITLES
State.abbreviations = State.abbreviations | ENGLISH_TITLES

# segmenter.analyze() pads each paragraph with as many spaces as its offset in the document,
# which makes long texts quadratic; tokenising paragraph by paragraph gives the same sentences.
_TOKENIZER = Tokenizer(replace_not_contraction=False)

# syntok only ever splits at a terminal (".", "!", "?", ";", "..." and kin) or at an opening
# bracket. A paragraph with neither, except for a closing run of terminals, closing brackets
# and quotes glued to its end, is one sentence: syntok's state machine (most of the splitting
# time, token by token) has nothing to decide there. The zero-width space counts as a space
# for syntok but not for str.strip(), so a paragraph holding one takes the full path.
_TRAILER = "".join(
    sorted(State.terminals - {"..."} | State.closing_brackets | State.closing_quotes)
)
_TRAILING_RUN = re.compile(f"[{re.escape(_TRAILER)}]+$")
_DECIDES = State.terminals | State.closing_brackets | State.closing_quotes | State.opening_brackets
_BRACKET = re.compile("[" + re.escape("".join(sorted(State.opening_brackets))) + "\u200b]")
_HOT = re.compile("[" + re.escape("".join(sorted(_DECIDES - {"..."}))) + "]")
_DECISION_POINT = re.compile(
    "[" + re.escape("".join(sorted(State.terminals - {"..."} | State.opening_brackets))) + "\u200b]"
)

# Plain prose: every terminal either sits inside a word ("3.5", "bbc.co.uk"; syntok's tokenizer
# keeps those whole) or closes a word before a space, optionally with one closing quote. A
# paragraph with anything else (ellipses, brackets, "end.Next", unicode terminals...) is
# _UNSAFE and goes through syntok. `regex` as in syntok, so that \s is the same whitespace.
_TERMINALS = "".join(sorted(State.terminals - {"..."}))
_QUOTES = "\"'\u201d\u2019"
_UNSAFE = regex.compile(
    "(?<![0-9A-Za-z])[" + regex.escape(_TERMINALS) + "]"
    "|[" + regex.escape(_TERMINALS.translate({ord(c): None for c in ".!?;"})) + "]"
    "|[" + regex.escape("".join(sorted(State.closing_brackets))) + "]"
    "|;(?!\\s|\\Z)"
    "|(?<=[a-z])[.!?](?=[A-Z])"
    "|[.!?](?![0-9A-Za-z]|[" + _QUOTES + "]?(?:\\s|\\Z))"
)
_END = regex.compile("(?<!\\S)\\S*?[.!?;][" + _QUOTES + "]?(?=\\s|\\Z)")
_SPACES = regex.compile("\\s*")
_ALNUM = re.compile("[^\\W_]")  # exactly str.isalnum, as syntok's tokenizer tests it
# What may open the next sentence (not lower-case, not a terminal, bracket or inner punctuation).
_NEXT_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\"'\u201c\u2018\u00a3$\u20ac-\u2013\u2014")
_MONTH_START = re.compile("|".join(sorted(State.months, key=len, reverse=True)))
_NOT_PLAIN = State.abbreviations | State.roman_numerals | {"no", "No", "NO"}
_SURE_END = regex.compile("(?<=[0-9A-Za-z])[.!?;][" + _QUOTES + "]?(?=\\s)")
_LAST_SPACE = regex.compile("(?r)\\s")
_BRACKETS = "".join(sorted(State.opening_brackets | State.closing_brackets))
# Plain `re` where a pattern is only literal characters: the same matches, and `regex` scans
# for a character class an order of magnitude slower (a tenth of the splitting time here).
_ANY_BRACKET = re.compile("[" + re.escape(_BRACKETS) + "]")
# "(...)" after a space, at most 50 characters (so at most 50 tokens: syntok looks that far for
# the closing bracket) and under its 70-character skipping length, with no bracket inside.
_SHORT_GROUP = regex.compile("(?<=\\s)\\([^" + regex.escape(_BRACKETS) + "\\u200b]{0,48}\\)")
_BRACKET_NEXT = regex.compile("\\s*[" + regex.escape("".join(sorted(State.opening_brackets))) + "]")
_BARE_BRACKET = regex.compile(
    "(?<!\\S)[^\\s0-9A-Za-z]*[" + regex.escape(_BRACKETS) + "][^\\s0-9A-Za-z]*(?!\\S)"
)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, each copied verbatim (whitespace-trimmed) from ``text``.

    syntok gives token offsets into the original string, so each sentence is a slice of
    the input rather than a re-joined token list: summaries stay verbatim. A dateline stays
    with its sentence and a quotation with its attribution (digest.rejoin).
    """
    sentences: list[str] = []
    for _, paragraph in segmenter.preprocess_with_offsets(text):
        sentences += rejoin(paragraph, _syntok_pieces(paragraph))
    return sentences


def syntok_sentences(text: str) -> list[str]:
    """The sentences syntok alone finds (English titles added), before any re-joining."""
    sentences: list[str] = []
    for _, paragraph in segmenter.preprocess_with_offsets(text):
        sentences += _syntok_pieces(paragraph)
    return sentences


def _syntok_pieces(paragraph: str) -> list[str]:
    """The sentences syntok finds in one paragraph, through the shortcuts below where they apply."""
    pieces: list[str] = []
    start = 0
    for end, after in _sure_splits(paragraph):
        _split_paragraph(paragraph[start:end], pieces)
        start = after
    _split_paragraph(paragraph[start:], pieces)
    return pieces


def _split_paragraph(paragraph: str, sentences: list[str]) -> None:
    """Append a paragraph's (or a stretch of it between sure splits') sentences."""
    stripped = paragraph.strip()
    if not stripped:
        return
    body = _TRAILING_RUN.sub("", stripped)
    if body and not _DECISION_POINT.search(body):
        sentences.append(stripped)
        return
    if _BRACKET.search(paragraph):
        if _one_sentence_around_brackets(stripped):
            sentences.append(stripped)
            return
        if (spans := _bracket_spans(paragraph)) is None:
            tokens = list(_TOKENIZER.tokenize(paragraph))
        else:
            tokens = _merge_plain_runs(_tokenize_near_decisions(paragraph, spans), paragraph, spans)
    elif (plain := _plain_sentences(paragraph)) is not None:
        sentences += plain
        return
    else:
        tokens = _merge_plain_runs(_tokenize_near_decisions(paragraph), paragraph)
    for sentence in segmenter.segment(iter(tokens)):
        if not sentence:
            continue
        start = sentence[0].offset
        end = sentence[-1].offset + len(sentence[-1].value)
        piece = paragraph[start:end].strip()
        if piece:
            sentences.append(piece)


def _one_sentence_around_brackets(text: str) -> bool:
    """Whether syntok keeps this text (stripped, holding a bracket) as one sentence.

    True when its only terminals are inside words or in the closing run, and each bracket opens
    a short (...) stretch, without brackets inside, after at least two chunks and not followed
    by another bracket: syntok then reaches each "(" mid-sentence and skips to its ")" without
    a decision, and never finds a place to split.
    """
    if "\u200b" in text or any(len(m.group()) > 1 for m in _BARE_BRACKET.finditer(text)):
        return False  # a bracket glued to symbols only is no bracket token
    groups = list(_SHORT_GROUP.finditer(text))
    if not groups:
        return False
    blanked = text
    for group in groups:
        if len(Tokenizer._spaces.findall(text, 0, group.start())) < 2:  # noqa: SLF001
            return False
        if _BRACKET_NEXT.match(text, group.end()):
            return False
        blanked = blanked[: group.start()] + " " * len(group.group()) + blanked[group.end() :]
    closing_run = _TRAILING_RUN.search(text)
    body = blanked[: closing_run.start()] if closing_run else blanked
    return not (_ANY_BRACKET.search(body) or _UNSAFE.search(body) or _END.search(body))


def _sure_splits(paragraph: str) -> list[tuple[int, int]]:
    """(end, next start) of the splits syntok surely makes, whatever the rest of the paragraph.

    A plain word, a terminal (maybe a closing quote), a space and a capital or a quote: syntok
    splits there when it reaches that terminal as a decision, which it does unless a bracketed
    stretch it skips swallows it, so only places outside every bracket count. syntok then starts
    afresh, and nothing before reads past that point (its look-ahead stays inside brackets
    closed before it), so each stretch between sure splits is a paragraph of its own.
    """
    if "\u200b" in paragraph:
        return []
    brackets = [
        (m.start(), m.group() in State.opening_brackets) for m in _ANY_BRACKET.finditer(paragraph)
    ]
    if brackets and any(len(m.group()) > 1 for m in _BARE_BRACKET.finditer(paragraph)):
        return []  # a bracket in a chunk without letters or digits is no bracket token
    splits: list[tuple[int, int]] = []
    depth = b = 0
    for end in _SURE_END.finditer(paragraph):
        while b < len(brackets) and brackets[b][0] < end.start():
            depth += 1 if brackets[b][1] else -1
            if depth < 0:
                return splits
            b += 1
        if depth:
            continue
        after = _SPACES.match(paragraph, end.end()).end()
        if after == len(paragraph):
            break
        if paragraph[after] not in _NEXT_STARTS:
            continue
        chunk_start = _LAST_SPACE.search(paragraph, 0, end.start())
        chunk_start = chunk_start.end() if chunk_start else 0
        span_start = _ALNUM.search(paragraph, chunk_start, end.start()).start()
        if _plain_word(paragraph[span_start : end.start()], paragraph, after):
            splits.append((end.end(), after))
    return splits


def _plain_word(span: str, paragraph: str, after: int) -> bool:
    """Whether syntok splits after this alphanumeric span's last token, whatever comes next.

    (Given that the next token, at ``after``, follows a space and opens with a capital or a
    quote.) Not after an abbreviation, single letter, Roman numeral, "No", dotted word, or a
    number before what may be a month.
    """
    cuts = list(Tokenizer._separation.finditer(span))  # noqa: SLF001
    if cuts:
        if cuts[-1].end() == len(span):
            return False
        span = span[cuts[-1].end() :]
    return not (
        len(span) < 2
        or span in _NOT_PLAIN
        or "." in span
        or (span.isnumeric() and _MONTH_START.match(paragraph, after) is not None)
    )


def _plain_sentences(paragraph: str) -> list[str] | None:
    """The sentences syntok finds in a paragraph of plain prose; None when it is not that simple.

    At a word, a terminal (maybe a closing quote) and a space, syntok goes on when the next
    token is lower-case, and splits when it opens with a capital or a quote and the word before
    the terminal is no abbreviation, single letter, Roman numeral, "No", dotted word or number
    before a month. Anything else (a digit next, say) is left to syntok.
    """
    if _UNSAFE.search(paragraph):
        return None
    sentences: list[str] = []
    start = 0
    for end in _END.finditer(paragraph):
        after = _SPACES.match(paragraph, end.end()).end()
        if after == len(paragraph):
            break
        following = paragraph[after]
        if following.islower():
            continue
        if following not in _NEXT_STARTS:
            return None
        # The token before the terminal: the chunk's alphanumeric span, as syntok cuts it.
        span_end = end.start() + len(end.group().rstrip(_QUOTES)) - 1
        span_start = _ALNUM.search(paragraph, end.start(), span_end).start()
        if not _plain_word(paragraph[span_start:span_end], paragraph, after):
            return None
        sentences.append(paragraph[start : end.end()].strip())
        start = after
    sentences.append(paragraph[start:].strip())
    return sentences


def _merge_plain_runs(
    tokens: list[Token], paragraph: str, scanned: Sequence[tuple[int, int]] = ()
) -> list[Token]:
    """Fold runs of plain words into one token each, where syntok never looks inside them.

    syntok's decisions read the token before a terminal or opening bracket, the terminal run
    and the two tokens after it; a bracket also makes it count and read the tokens up to its
    closing one (or up to 50), so the ``scanned`` stretches (see :func:`_bracket_spans`) are
    kept token by token. Any other token is only moved along, one state transition each; a
    folded run keeps its offsets.
    """
    keep = [False] * len(tokens)
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if token.value in _DECIDES or not token.value:
            for j in range(max(i - 1, 0), min(i + 3, last + 1)):
                keep[j] = True
    if scanned:
        for i, token in enumerate(tokens):
            if any(start <= token.offset <= end for start, end in scanned):
                keep[i] = True
    keep[0] = True
    if last > 0:
        keep[1] = True
    keep[last] = True
    merged: list[Token] = []
    i = 0
    while i <= last:
        if keep[i]:
            merged.append(tokens[i])
            i += 1
            continue
        j = i
        while j + 1 <= last and not keep[j + 1]:
            j += 1
        first, end = tokens[i], tokens[j]
        value = paragraph[first.offset : end.offset + len(end.value)]
        merged.append(Token(first.spacing, value, first.offset))
        i = j + 1
    return merged


def _bracket_spans(paragraph: str) -> list[tuple[int, int]] | None:
    """Stretches syntok may read token by token, from each opening bracket to its closing one.

    That is up to where syntok's bracket count comes back to zero, or to the end of the text.
    None when a bracket is not a token of its own (one in a chunk of only symbols, "(...)")
    or a zero-width space is about.
    """
    if "\u200b" in paragraph or any(len(m.group()) > 1 for m in _BARE_BRACKET.finditer(paragraph)):
        return None
    brackets = [
        (m.start(), m.group() in State.opening_brackets) for m in _ANY_BRACKET.finditer(paragraph)
    ]
    spans = []
    for k, (start, opening) in enumerate(brackets):
        if not opening:
            continue
        depth, end = 0, len(paragraph)
        for position, inner_opening in brackets[k:]:
            depth += 1 if inner_opening else -1
            if depth == 0:
                end = position
                break
        spans.append((start, end))
    return spans


def _tokenize_near_decisions(
    paragraph: str, scanned: Sequence[tuple[int, int]] = ()
) -> list[Token]:
    """Tokens as syntok makes them near its decision points; one token per plain run elsewhere.

    syntok's tokenizer works chunk by chunk (runs of non-space), so a chunk holding no
    terminal, bracket or quote, and not next to one or in a ``scanned`` stretch, can be passed
    over without being split into tokens: :func:`_merge_plain_runs` would fold its tokens
    together anyway.
    """
    chunks = [(m.start(), m.end()) for m in Tokenizer._spaces.finditer(paragraph)]  # noqa: SLF001
    n = len(chunks)
    keep = [False] * n
    for c, (start, end) in enumerate(chunks):
        if _HOT.search(paragraph, start, end):
            for j in range(max(c - 1, 0), min(c + 3, n)):
                keep[j] = True
        elif scanned and any(a < end and start <= b for a, b in scanned):
            keep[c] = True
    for c in (0, 1, n - 1):
        if 0 <= c < n:
            keep[c] = True
    tokens: list[Token] = []
    pos = c = 0
    while c < n:
        d = c
        while d + 1 < n and keep[d + 1] == keep[c]:
            d += 1
        end = chunks[d][1]
        if keep[c]:
            for token in _TOKENIZER.tokenize(paragraph[pos:end]):
                token.update(pos)
                tokens.append(token)
        else:
            start = chunks[c][0]
            tokens.append(Token(paragraph[pos:start], paragraph[start:end], start))
        pos, c = end, d + 1
    if pos < len(paragraph):  # syntok's trailing empty token holding the final spacing
        tokens.append(Token(paragraph[pos:], "", len(paragraph)))
    return tokens
