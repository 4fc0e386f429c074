"""Sentence pieces that belong together, re-joined after the splitter; datelines kept out of sight.

syntok cuts at every terminal and before an opening bracket, which splits things a reader
takes as one sentence:
- a wire dateline from its story: "OSLO (Reuters)" | "- Norway's economy grew.";
- a quotation of several sentences: '"We will win.' | 'We must fight," she said.';
- a quotation from its bare attribution: '"We must act now."' | 'Smith said.'
- a dateline cut at its abbreviations: "ST." | "ALBANS, Vt." | "(AP) — A man was…";
- a date cut after its month: "on Oct." | "5–7 in Paris."
Pieces are re-joined as the slice of the paragraph they came from, so sentences stay verbatim.
A dateline stays with its sentence (it is part of the article) but :func:`shown` leaves it out
of a summary, where "OSLO (Reuters) -" or a stray leading dash reads as noise.
"""

from __future__ import annotations

import re

__all__ = ["rejoin", "shown"]

_DASH = r"(?:--|[-\u2013\u2014])"
# "OSLO (Reuters)", "London (CNN)", "(CNN)", "WASHINGTON, May 3 (AP)": up to four words, the
# first capitalised, then an agency or outlet in brackets.
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:[ ,]+[\w.'’-]+){0,4}\s*)?\([A-Z][^()]{0,30}\)\s*" + _DASH + r"?$"
)
_DATELINE_ENDS = ")-\u2013\u2014"  # a dateline ends with its bracket or dash: a cheap first test
_STARTS_WITH_DASH = re.compile(r"^" + _DASH + r"\s")
# What a summary leaves out at a sentence's start: the dateline with its dash, a capitals-only
# dateline with a dash ("WASHINGTON —"), a place and its abbreviated region with a dash
# ("Springfield, Ill. —"), an outlet's web name with a dash ("Example.net —"), or a stray dash.
_SHOWN_DATELINE = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*(?:[ ,]+[\w.'’-]+){0,4}\s*)?\([A-Z][^()]{0,30}\)\s*(?:"
    + _DASH
    + r"\s*)?(?=[\"“‘'A-Z0-9])"
    r"|[A-Z][A-Z.'’ ,-]{1,40}[A-Z.]\s+" + _DASH + r"\s+"
    r"|[A-Z][\w'’-]*+(?:\s[A-Z][\w'’-]*+){0,3},(?:\s[A-Z][\w'’-]*+){0,2}\s[A-Z][a-z]{1,4}\.\s+"
    + _DASH
    + r"\s+"
    r"|[A-Z][\w-]*+\.(?i:com|net|org|info|news)\s+" + _DASH + r"\s+(?=[\"“‘'A-Z0-9])"
    r"|" + _DASH + r"\s+)"
)
# A bare attribution: "Smith said.", "the minister added.", "said Mr. Smith." (a few words).
_SPEECH = r"(?:said|says|added|adds|told\s+\w+(?:\s+\w+)?|explained|insisted|warned|wrote|stated)"
_ATTRIBUTION = re.compile(
    rf"^(?:(?:[\w.'’-]+\s+){{1,4}}{_SPEECH}|{_SPEECH}(?:\s+[\w.'’-]+){{1,5}})[.!]?$",
    re.IGNORECASE,
)
_CLOSES_QUOTE = re.compile(r"[\"”][)\]]?$")
# Cuts at an abbreviation's full stop that no reader sees as a sentence end (English news style):
# a month before its day, a place name's Saint, Mount, Fort or Port (ST., MT.) before the name,
# and a place with its region ("ALBANS, Vt.", "SPRINGFIELD, Ill.") before the dash or agency
# that ends its dateline.
_MONTH_ABBREVIATION = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")
_SHORT_CAPITALS = re.compile(r"^(?i:st|ste|mt|ft|pt)\.$")
_PLACE_HEAD = re.compile(r"^(?:[A-Z][\w.'’-]*+\s){0,3}[A-Z][\w.'’-]*+,(?:\s[A-Z][\w.'’-]*+){1,2}$")
_DATELINE_GOES_ON = re.compile(_DASH + r"\s|\([A-Z][^()]{0,30}\)\s*" + _DASH)
_PLACE_HEAD_CHARS = 40
# Every join involves a double quote mark or a dateline's closing bracket: none, nothing to do.
_JOINS_NEED = re.compile('["\u201c\u201d)]')
_MAX_QUOTE_PIECES = 4  # a quotation re-joined from more pieces is more likely a stray mark
_MAX_JOINED_CHARS = 600


def rejoin(paragraph: str, pieces: list[str]) -> list[str]:
    """``pieces`` (verbatim, in order, from ``paragraph``), those that belong together joined."""
    if len(pieces) < 2:
        return pieces
    if any(_cut_too_soon(a, b) for a, b in zip(pieces, pieces[1:], strict=False)):
        pieces = _join_cuts(paragraph, pieces)
    if len(pieces) < 2 or not _JOINS_NEED.search(paragraph):
        return pieces
    spans = _spans(paragraph, pieces)
    if spans is None:
        return pieces
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        text = paragraph[start:end]
        j = i
        if text[-1:] in _DATELINE_ENDS and i + 1 < len(spans) and _DATELINE.match(text):
            following = paragraph[spans[i + 1][0] : spans[i + 1][1]]
            if _STARTS_WITH_DASH.match(following) or text.endswith(("-", "\u2013", "\u2014")):
                j = i + 1
                end = spans[j][1]
                text = paragraph[start:end]
        if _open_quote(text):
            k = j
            while k + 1 < len(spans) and k - j < _MAX_QUOTE_PIECES - 1:
                k += 1
                if spans[k][1] - start > _MAX_JOINED_CHARS:
                    break
                if not _open_quote(paragraph[start : spans[k][1]]):
                    j, end = k, spans[k][1]
                    break
            text = paragraph[start:end]
        if (
            j + 1 < len(spans)
            and _CLOSES_QUOTE.search(text, max(len(text) - 2, 0))
            and _ATTRIBUTION.match(paragraph[spans[j + 1][0] : spans[j + 1][1]])
        ):
            j += 1
            end = spans[j][1]
        out.append((start, end))
        i = j + 1
    return [paragraph[start:end] for start, end in out]


def _spans(paragraph: str, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Where each piece lies in ``paragraph``, in order; None if one is not a slice of it."""
    spans: list[tuple[int, int]] = []
    position = 0
    for piece in pieces:
        start = paragraph.find(piece, position)
        if start < 0:
            return None
        spans.append((start, start + len(piece)))
        position = start + len(piece)
    return spans


def _cut_too_soon(piece: str, following: str) -> bool:
    """Whether the splitter cut at an abbreviation between ``piece`` and ``following``."""
    if not piece.endswith(".") or not following:
        return False
    first = following[0]
    return bool(
        (first.isdigit() and _MONTH_ABBREVIATION.search(piece))
        or (first.isupper() and _SHORT_CAPITALS.match(piece))
        or (
            len(piece) <= _PLACE_HEAD_CHARS
            and _DATELINE_GOES_ON.match(following)
            and _PLACE_HEAD.match(piece)
        )
    )


def _join_cuts(paragraph: str, pieces: list[str]) -> list[str]:
    """``pieces`` with every cut :func:`_cut_too_soon` finds joined, as slices of the paragraph."""
    spans = _spans(paragraph, pieces)
    if spans is None:
        return pieces
    joined = [spans[0]]
    for (start, end), piece, before in zip(spans[1:], pieces[1:], pieces[:-1], strict=True):
        last_start, last_end = joined[-1]
        if _cut_too_soon(before, piece) or _cut_too_soon(paragraph[last_start:last_end], piece):
            joined[-1] = (last_start, end)
        else:
            joined.append((start, end))
    return [paragraph[start:end] for start, end in joined]


def _open_quote(text: str) -> bool:
    """Whether a quotation opened in ``text`` is left open at its end.

    Curly quotes count opening against closing; straight ones by parity. A lone inch mark
    (6'2") then looks open, but never finds its close, so nothing is joined for it.
    """
    curly = text.count("\u201c") - text.count("\u201d")
    if curly:
        return curly > 0
    return text.count('"') % 2 == 1


def shown(sentence: str) -> str:
    """The sentence as a summary shows it: without a leading dateline or stray dash."""
    match = _SHOWN_DATELINE.match(sentence)
    if match and match.end() < len(sentence):
        return sentence[match.end() :]
    return sentence
