"""Clean a scraped article: keep the story, drop the page around it, find title, date, site.

How it works, for a page dumped to text (one paragraph per line, or hard-wrapped wire copy):

1. Lines become *units*: whitespace tidied, list bullets noted, hard-wrapped lines re-joined
   into paragraphs.
2. Each unit is classed by shape (``digest.clean_rules``, ``digest.clean_captions``): prose,
   a short sentence, a caption (photo credit, "FILE PHOTO:", a tweet, a player's label), furniture
   (stop phrases, counters, breadcrumbs, truncated teasers...), a section-ending heading
   ("Leave a Reply"), a link box's heading ("Related stories") or other short lines (menus,
   subheads, bylines). Lines repeating a caption are captions; several comment headers end
   the story.
3. The story's core is the run of prose with the most weight: each paragraph adds its length
   (divided among its repeats on the page, a quarter under a comments heading), each line
   between paragraphs costs some, so consecutive paragraphs beat a teaser list. A section end
   or a long stretch of non-prose breaks a run.
4. The core grows on both sides while a stretch's prose outweighs its lines at a lower cost,
   up to a section end or the copyright line: recall matters more than precision.
5. The body is the span's prose, sentences and short lines (subheads, list items), without
   bylines, date lines, link boxes, repeats and the headline; captions and lone headline-
   shaped lines amid the sentences (video titles) are set aside in ``captions``. Title, date
   and site are read around the story's start (``digest.clean_meta``, ``digest.clean_zones``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from digest import clean_captions as captions
from digest import clean_meta
from digest import clean_rules as rules
from digest.clean_story import (
    ASIDE,
    CAPTION,
    FURNITURE,
    PROSE,
    SECTION_END,
    SENTENCE,
    SHORT,
    Unit,
    paragraph_key,
    story_span,
)

# Words in a line amid the story that ends no sentence and is taken for a video's or a
# picture's title (shorter ones are subheads, longer ones sentences that lost a full stop).
_TITLE_WORDS = (8, 25)
# A block of this many lines in a row, each of a few words with a number, is a table or a dated
# list (measured: 5 to 8 lines and 12 to 25 words give the same figures on the cleaning set).
_ROW_BLOCK = 6
_ROW_WORDS = (2, 15)
_REPORTING_VERB = re.compile(r"\b(?:said|says|told|tells|according|added|adds)\b", re.I)

_INNER_SENTENCE = re.compile(r"[a-z][.!?][\"'”’]?\s+[A-Z\"“‘']")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


@dataclass(frozen=True)
class CleanedText:
    """An article's story text and what the page says about it."""

    title: str | None
    published: datetime | None  # aware, UTC; None when the text states no publication date
    site: str | None  # the source site's name where the text gives it
    body: str  # story paragraphs separated by a blank line; the title is not included
    # Captions, credits and embeds found among the story's lines, once each, kept apart from
    # the body so that a reader of the page (``parley clean``) can see what was set aside.
    captions: tuple[str, ...] = ()


def clean_article(raw: str) -> CleanedText:
    """Separate the story in ``raw`` from the page furniture around it."""
    units = _mark_comments([_classify(text, bullet) for text, bullet in _paragraphs(raw)])
    units = _mark_caption_repeats(units)
    units = _mark_rows(units)
    start, end, skipped = story_span(units)
    title, title_at = clean_meta.find_title(units, start)
    if title_at is not None and title_at >= start:
        # The run opened with the headline itself (a long one reads like prose).
        after = range(title_at + 1, end)
        start = next((i for i in after if units[i].kind in (PROSE, SENTENCE)), title_at + 1)
    site = clean_meta.find_site(units, title_at, start)
    # The site's own lines (menus, footer) tell its country better than the story does.
    around = [unit.text for index, unit in enumerate(units) if not start <= index < end]
    published = clean_meta.find_published(units, title_at, start, site, around)
    paragraphs, titles = _set_aside_titles(_body(units, start, end, title, skipped))
    top = start if title_at is None else min(title_at, start)
    seen = dict.fromkeys(unit.text for unit in units[top:end] if unit.kind == CAPTION and unit.text)
    return CleanedText(
        title=title,
        published=published,
        site=site,
        body="\n\n".join(paragraphs),
        captions=(*seen, *titles),
    )


def _paragraphs(raw: str) -> list[tuple[str, bool]]:
    """Non-empty paragraphs as (text, was_bullet), hard-wrapped lines re-joined."""
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(_INVISIBLE.sub("", line.rstrip()))
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[tuple[str, bool]] = []
    for block in blocks:
        for line in _unwrap(block) if _is_hard_wrapped(block) else _join_run_ons(block):
            text = _SPACES.sub(" ", line).strip()
            stripped = rules.BULLET.sub("", text, count=1)
            bullet = stripped != text
            paragraphs.append((stripped.strip(), bullet))
    return paragraphs


def _join_run_ons(block: list[str]) -> list[str]:
    """Join a line to the previous one when a sentence plainly runs on into it.

    Only the unmistakable case: a longish line with no closing punctuation, then a line that
    starts in lower case ("... agreed to resume the talks" / "next month, officials said.").
    """
    out: list[str] = []
    for line in block:
        text = line.strip()
        previous = out[-1] if out else ""
        if (
            text[:1].islower()
            and len(previous) >= 30
            and not rules.ends_sentence(previous)
            and not rules.BULLET.match(previous)
        ):
            out[-1] = f"{previous} {text}"
        else:
            out.append(text)
    return out


def _is_hard_wrapped(block: list[str]) -> bool:
    """True for a block of lines wrapped at a fixed width (wire copy), not one line per item."""
    if len(block) < 3 or any(rules.BULLET.match(line.strip()) for line in block):
        return False
    lines = [line.strip() for line in block]
    if max(len(line) for line in lines) > 90:
        return False
    filled = sum(1 for line in lines if 45 <= len(line) <= 85)
    # A sentence running on into the next line: "... to discuss grain" / "export subsidies".
    runs_on = sum(
        1
        for line, after in zip(lines, lines[1:], strict=False)
        if len(line) >= 30 and not rules.ends_sentence(line) and after[:1].islower()
    )
    # Lines filled to one width alone could be a list of headlines; wrapped prose also runs on.
    return runs_on >= max(2, 0.2 * len(lines)) or (runs_on >= 1 and filled >= 0.6 * len(lines))


def _unwrap(block: list[str]) -> list[str]:
    """Join wrapped lines; a new paragraph starts at an indented line or after a short one."""
    width = max(len(line.strip()) for line in block)
    out: list[str] = []
    joinable = False
    for line in block:
        indented = line[:1].isspace()
        text = line.strip()
        if out and joinable and not indented:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
        # A line filled to near the wrap width continues on the next; a short one, a
        # headline in capitals, a date header or a sentence well short of the width ends
        # its paragraph.
        joinable = (
            len(text) >= 0.55 * width
            and not text.isupper()
            and not text[:1].isdigit()
            and not (rules.ends_sentence(text) and len(text) < 0.8 * width)
        )
    return out


def _mark_caption_repeats(units: list[Unit]) -> list[Unit]:
    """A line that repeats a caption's words (a gallery shows each caption twice) is one too."""
    keys = [paragraph_key(u.text) for u in units if u.kind == CAPTION and rules.words(u.text) >= 6]
    if not keys:
        return units
    marked = []
    for unit in units:
        key = paragraph_key(unit.text)
        # In full, or cut short, or with the caption's words first and a credit or more after.
        if unit.kind != CAPTION and any(
            key.startswith(seen) or (rules.words(key) >= 6 and seen.startswith(key))
            for seen in keys
        ):
            unit = replace(unit, kind=CAPTION, caption=True)
        marked.append(unit)
    return marked


def _mark_comments(units: list[Unit]) -> list[Unit]:
    """Readers' comments end the story: two or more comment headers make each a section end.

    One "Smith says:" may introduce a quote in the story; a page with several is a thread.
    """
    headers = [i for i, unit in enumerate(units) if rules.is_comment_header(unit.text)]
    if len(headers) < 2:
        return units
    marked = list(units)
    for index in headers:
        marked[index] = replace(units[index], kind=SECTION_END)
    return marked


def _classify(raw: str, bullet: bool) -> Unit:
    marked = rules.strip_marks(raw)
    # A credit printed before a paragraph belongs to the picture above it, not to the text.
    opened = rules.strip_leading_credit(marked)
    text = rules.strip_credits(marked)
    # A credit after the words, or a caption's, tweet's or player's shape: not story text.
    caption = text != opened or captions.is_aside(opened)
    if caption:
        return Unit(text=text, bullet=bullet, kind=CAPTION, raw=raw, caption=True)
    if rules.ends_section(text):
        kind = SECTION_END
    elif rules.opens_aside(text):
        kind = ASIDE
    elif rules.is_furniture(text):
        kind = FURNITURE
    elif rules.is_prose(text):
        kind = PROSE
    elif rules.is_short_sentence(text) or rules.is_unpunctuated_sentence(text):
        kind = SENTENCE
    else:
        kind = SHORT
    return Unit(text=text, bullet=bullet, kind=kind, raw=raw, caption=False)


def _body(
    units: list[Unit], start: int, end: int, title: str | None, skipped: frozenset[int]
) -> list[str]:
    """The story's paragraphs; repeats (also cut-short repeats) and the headline dropped."""
    title_key = paragraph_key(title) if title else None
    keys: list[str] = []
    paragraphs: list[str] = []
    in_box = False
    for index in range(start, end):
        unit = units[index]
        if index in skipped:
            continue
        # A box of links ("Related stories") lasts until the story's prose resumes.
        in_box = unit.kind == ASIDE or (in_box and unit.kind != PROSE)
        if in_box:
            continue
        key = paragraph_key(unit.text)
        if unit.kind not in (PROSE, SENTENCE, SHORT) or not key or key == title_key:
            continue
        if unit.kind == SHORT and clean_meta.is_header_line(unit.text):
            continue  # a byline or a date line inside the story's span
        repeat = _repeat_of(key, keys)
        if repeat is None:
            keys.append(key)
            paragraphs.append(unit.text)
        elif len(key) > len(keys[repeat]):
            # A gallery often shows a caption cut short first and in full later.
            keys[repeat], paragraphs[repeat] = key, unit.text
    return paragraphs


def _set_aside_titles(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Headline-shaped lines amid the story's sentences: video titles, uncredited captions.

    A line of 10 to 25 words that ends no sentence, alone or in a pair, with sentences on both
    sides, is a player's or a picture's title; a lead-in (ending ":") and a list of such lines
    (three or more together) stay.
    """
    kept: list[str] = []
    aside: list[str] = []
    index = 0
    while index < len(paragraphs):
        run = index
        while run < len(paragraphs) and _title_shaped(paragraphs[run]):
            run += 1
        before = index == 0 or rules.ends_sentence(paragraphs[index - 1])
        after = run == len(paragraphs) or rules.ends_sentence(paragraphs[run])
        if 1 <= run - index <= 2 and before and after and index > 0 and run < len(paragraphs):
            aside.extend(paragraphs[index:run])
            index = run
            continue
        kept.extend(paragraphs[index : max(run, index + 1)])
        index = max(run, index + 1)
    return kept, aside


def _title_shaped(text: str) -> bool:
    return (
        _TITLE_WORDS[0] <= rules.words(text) <= _TITLE_WORDS[1]
        and not rules.ends_sentence(text)
        and not text.endswith((":", ",", ";"))
        # Reported speech is the story's, even when its full stop was lost.
        and not _REPORTING_VERB.search(text)
        # A headline holds no full sentence before its end ("What now? Nothing, … *Gulls wait*").
        and not _INNER_SENTENCE.search(text)
    )


def _repeat_of(key: str, keys: list[str]) -> int | None:
    """Index of an earlier paragraph that ``key`` repeats, in full or cut short."""
    for index, seen in enumerate(keys):
        if key == seen:
            return index
        shorter, longer = sorted((key, seen), key=len)
        if shorter.count(" ") >= 7 and longer.startswith(shorter):
            return index
    return None


def _is_row(unit: Unit) -> bool:
    return (
        unit.kind in (SHORT, SENTENCE)
        and not unit.bullet
        and unit.text[:1].isalnum()  # "* Section 1": a list marker the dump kept
        and _ROW_WORDS[0] <= rules.words(unit.text) <= _ROW_WORDS[1]
        and any(c.isdigit() for c in unit.text)
    )


def _mark_rows(units: list[Unit]) -> list[Unit]:
    """Rows of a table or of a dated list count as the story's prose when they come in a block.

    Standings, a tour's dates, a race calendar: lines of a few words with numbers, several in a
    row, are what such a story is made of ("1 Jane Roe 5040 5 1", "June 9 – Oslo @ Arena").
    Menus and link lists are bullets or carry no numbers; a teaser list alternates a long
    headline and a short date.
    """
    marked = list(units)
    index = 0
    while index < len(units):
        end = index
        while end < len(units) and _is_row(units[end]):
            end += 1
        if end - index >= _ROW_BLOCK and not _alternates(units[index:end]):
            for row in range(index, end):
                marked[row] = replace(units[row], kind=PROSE)
        index = max(end, index + 1)
    return marked


def _alternates(block: list[Unit]) -> bool:
    """True for lines of two alternating shapes: a teaser's headline, then its date."""
    sizes = [rules.words(unit.text) for unit in block]
    uneven = sum(
        1 for one, two in zip(sizes, sizes[1:], strict=False) if max(one, two) > 2 * min(one, two)
    )
    return 2 * uneven >= len(sizes) - 1
