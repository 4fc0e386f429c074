"""Sentence splitting, with syntok (a maintained segmenter), shared by every consumer."""

from __future__ import annotations

from syntok import segmenter


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, each copied verbatim (whitespace-trimmed) from ``text``.

    syntok gives token offsets into the original string, so each sentence is a slice of
    the input rather than a re-joined token list: summaries stay verbatim.
    """
    sentences: list[str] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            if not sentence:
                continue
            start = sentence[0].offset
            end = sentence[-1].offset + len(sentence[-1].value)
            piece = text[start:end].strip()
            if piece:
                sentences.append(piece)
    return sentences
