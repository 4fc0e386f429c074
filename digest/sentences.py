"""Sentence splitting, with syntok (a maintained segmenter), shared by every consumer."""

from __future__ import annotations

from syntok import segmenter
from syntok.tokenizer import Tokenizer

# segmenter.analyze() pads each paragraph with as many spaces as its offset in the document,
# which makes long texts quadratic; tokenising paragraph by paragraph gives the same sentences.
_TOKENIZER = Tokenizer(replace_not_contraction=False)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, each copied verbatim (whitespace-trimmed) from ``text``.

    syntok gives token offsets into the original string, so each sentence is a slice of
    the input rather than a re-joined token list: summaries stay verbatim.
    """
    sentences: list[str] = []
    for _, paragraph in segmenter.preprocess_with_offsets(text):
        for sentence in segmenter.segment(_TOKENIZER.tokenize(paragraph)):
            if not sentence:
                continue
            start = sentence[0].offset
            end = sentence[-1].offset + len(sentence[-1].value)
            piece = paragraph[start:end].strip()
            if piece:
                sentences.append(piece)
    return sentences
