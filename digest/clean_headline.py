"""A headline for a page that has none: a short complete statement of its news.

The story's first sentence states the news. When it is short it is the headline as it is;
when it is long, its main clause is: the words before the first comma that opens a
subordinate or participial clause ("..., in a bid to ...", "..., saying ...").
A sentence is never cut at an arbitrary word, so the headline always reads as a statement.
"""

from __future__ import annotations

import re

from digest.sentences import split_sentences

# Headlines run to about a dozen words; a whole first sentence may run longer, a clause less.
MAX_WORDS = 25
_MIN_CLAUSE_WORDS = 6
_LONGEST = 45
# Words that open a clause hanging off the main one (general English grammar).
_CLAUSE_OPENERS = (
    "as after amid before while whereas which who whom whose when where since despite "
    "following according saying adding citing noting including with without although though "
    "but because until unless even prompting"
)
_OPENER = re.compile(rf",\s+(?:{'|'.join(_CLAUSE_OPENERS.split())})\b", re.IGNORECASE)
_DASH = re.compile(r"\s+[—–-]\s+")
# A wire dateline before the statement: "LISBON (AFP) - ", "OTTAWA, April 3 - ".
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’/-]*(?:\s+[A-Z][\w.'’/-]*){0,3},?\s*\([^)]{1,30}\)"
    r"|[A-Z][A-Z .,'’/-]{1,40}(?:,\s+\w+\s+\d{1,2})?)\s*[—–-]\s+"
)


def statement_headline(body: str) -> str | None:
    """The story's first sentence, or its main clause, as a headline; None when neither fits.

    Short sentences come whole; a long one gives its main clause, else comes whole up to
    45 words; a longer one (a run-on paragraph) gives None.
    """
    first_paragraph = _DATELINE.sub("", body.strip().split("\n\n", 1)[0])
    sentences = split_sentences(first_paragraph)
    if not sentences:
        return None
    sentence = sentences[0].strip()
    if len(sentence.split()) <= MAX_WORDS:
        return _without_full_stop(sentence)
    for boundary in (*_OPENER.finditer(sentence), *_DASH.finditer(sentence)):
        clause = sentence[: boundary.start()].strip()
        if _MIN_CLAUSE_WORDS <= len(clause.split()) <= MAX_WORDS:
            return clause
    # No clause stands alone: the whole sentence, long but complete, unless it is a paragraph.
    return _without_full_stop(sentence) if len(sentence.split()) <= _LONGEST else None


def _without_full_stop(sentence: str) -> str:
    return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence
