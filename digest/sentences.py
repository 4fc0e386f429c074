"""Sentence splitting, with syntok (a maintained segmenter), shared by every consumer."""

from __future__ import annotations

import re

from syntok import segmenter
from syntok._segmentation_states import State
from syntok.tokenizer import Tokenizer

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
_DECISION_POINT = re.compile(
    "[" + re.escape("".join(sorted(State.terminals - {"..."} | State.opening_brackets))) + "\u200b]"
)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, each copied verbatim (whitespace-trimmed) from ``text``.

    syntok gives token offsets into the original string, so each sentence is a slice of
    the input rather than a re-joined token list: summaries stay verbatim.
    """
    sentences: list[str] = []
    for _, paragraph in segmenter.preprocess_with_offsets(text):
        stripped = paragraph.strip()
        if not stripped:
            continue
        body = _TRAILING_RUN.sub("", stripped)
        if body and not _DECISION_POINT.search(body):
            sentences.append(stripped)
            continue
        for sentence in segmenter.segment(_TOKENIZER.tokenize(paragraph)):
            if not sentence:
                continue
            start = sentence[0].offset
            end = sentence[-1].offset + len(sentence[-1].value)
            piece = paragraph[start:end].strip()
            if piece:
                sentences.append(piece)
    return sentences
