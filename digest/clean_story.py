"""Where a page's story is: the run of prose with the most weight, grown, joined, anchored.

The units of a page (``digest.clean``) are weighed here: each paragraph adds its length
(divided among its repeats on the page, a quarter under a comments heading), each line between
paragraphs costs some, so consecutive paragraphs beat a teaser list. The heaviest run (or one
right under a headline) is the story's core; it grows while its prose outweighs the lines
around it and joins a run past a block of furniture when that reads as the story going on.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest import clean_meta
from digest import clean_rules as rules

# Non-prose units allowed between two prose units of one story (share bars, ad slots).
_MAX_GAP = 10
# What one line between two paragraphs costs the run, in characters of prose.
_GAP_COST = 40
# Prose under the readers' comments weighs this share, once this much prose stands above.
_COMMENT_SHARE = 0.25
_STORY_BEFORE_COMMENTS = 300
# A run of prose past a block of furniture joins the story when the block has at most this
# many lines and the run weighs at least this much, and this share of the core.
_JOIN_GAP = 25
_JOIN_MASS = 200
_JOIN_SHARE = 0.1
# An item of a list the story announces has this many words at least; this many lines of
# furniture may sit between two items.
_ITEM_WORDS = 2
_ITEM_GAP = 2
# A run right under a headline and its date line (within this many lines), the headline sharing
# this share of its words with the run's opening, beats a heavier run with no such block above
# it when it weighs this share of it.
_ANCHOR_REACH = 8
_ANCHOR_SHARED = 0.3
_ANCHOR_SHARE = 0.1
_ANCHOR_WORDS = 3
# How many units into the heaviest run a headline block is looked for.
_ANCHOR_DEPTH = 30
# Around the core, a line of furniture costs less: the story's edges are kept generously.
_EXTEND_COST = 25
# A short sentence or a list item beside the story counts for part of its length (it may be a
# teaser, or a link in a box of related stories).
_SENTENCE_SHARE = 0.5

PROSE, SENTENCE, FURNITURE, SECTION_END, ASIDE, SHORT, CAPTION = (
    "prose",
    "sentence",
    "furniture",
    "section_end",
    "aside",
    "short",
    "caption",  # a picture's caption or credit, an embedded tweet, a player's label
)


@dataclass(frozen=True)
class Unit:
    """One paragraph of the page: tidied text (photo credits off), list item or not, class."""

    text: str
    bullet: bool
    kind: str
    raw: str  # the line before photo credits came off (credits can name the site)
    caption: bool  # a photo credit came off it


def story_span(units: list[Unit]) -> tuple[int, int, frozenset[int]]:
    """Index range [start, end) of the run of prose most likely to be the story.

    Each prose paragraph adds its length, each line between paragraphs costs a little, so a
    list of teasers (a paragraph, then its headline, byline and picture) weighs less than a
    story told in consecutive paragraphs. A section-ending heading or a long stretch of
    non-prose ends a run.
    """
    counts: dict[str, int] = {}
    for unit in units:
        key = paragraph_key(unit.text)
        counts[key] = counts.get(key, 0) + 1
    # A paragraph the page shows several times (a teaser, a caption) weighs as one.
    weights = [len(unit.text) / counts[paragraph_key(unit.text)] for unit in units]
    comments = _discount_comments(units, weights)
    runs = _runs(units, weights)
    if not runs:
        # No paragraph of running text at all: keep whatever reads as a sentence.
        return 0, len(units), frozenset()
    (core_mass, start, end), anchor = _anchored_core(units, runs, comments)
    # Around the core, the story goes on while what a stretch adds outweighs its lines of
    # furniture at a lower cost: recall matters more than precision.
    end = _extend(units, weights, end, range(end, len(units)))
    start = _extend(units, weights, start, range(start - 1, -1, -1))
    # A story split by a furniture block (a gallery, "Related", "Most read") goes on past it;
    # the block itself is left out of the body.
    skipped: set[int] = set()
    while (run := _joining(units, runs, range(end, len(units)), core_mass)) is not None:
        skipped.update(range(end, run[1]))
        end = _extend(units, weights, run[2], range(run[2], len(units)))
    while (run := _joining(units, runs[::-1], range(start), core_mass)) is not None:
        skipped.update(range(run[2], start))
        start = _extend(units, weights, run[1], range(run[1] - 1, -1, -1))
    # A list the story announces ("Tour dates:") is the story's too, whatever its items' length.
    end = _announced_list(units, end)
    # Short closing or opening sentences next to the run belong to it ("He declined to comment.").
    while end < len(units) and units[end].kind == SENTENCE:
        end += 1
    while start > 0 and units[start - 1].kind == SENTENCE:
        start -= 1
    if anchor is not None and start <= anchor:
        # The story starts under its headline (and byline): what stands above is the page's.
        after = range(anchor + 1, end)
        start = next((i for i in after if units[i].kind in (PROSE, SENTENCE)), anchor + 1)
    return start, end, frozenset(skipped)


def _anchored_core(
    units: list[Unit], runs: list[tuple[float, int, int]], comments: int
) -> tuple[tuple[float, int, int], int | None]:
    """The heaviest run, or a lighter one right under the page's headline block; the headline.

    A headline with a date line under it, then prose sharing its words, is where a story
    starts; a heavier run with no such block above it (a footer's legal text, a sidebar's
    promos) loses to it when the anchored run weighs a share of it. Under the readers'
    comments (from ``comments`` on), a comment's title over its date anchors nothing.
    """
    heaviest = max(runs)
    anchor = _anchor_of(units, heaviest)
    if anchor is not None:
        return heaviest, anchor
    anchored = [
        (run, at)
        for run in runs
        if run[1] < comments and (at := _anchor_above(units, run[1])) is not None
    ]
    if not anchored:
        return heaviest, None
    best = max(anchored)
    return best if best[0][0] >= _ANCHOR_SHARE * heaviest[0] else (heaviest, None)


def _anchor_of(units: list[Unit], run: tuple[float, int, int]) -> int | None:
    """The headline of the first headline block over a paragraph in the run's opening, if any.

    A long headline or a deck reads as prose, and so do menus a dump prints as one long line,
    so the run may open with them; a headline over a date line among the run's first units
    is where its story starts (measured: 25 to 100 units give the same figures).
    """
    for index in range(run[1], min(run[2], run[1] + _ANCHOR_DEPTH)):
        if units[index].kind == PROSE and (at := _anchor_above(units, index)) is not None:
            return at
    return None


def _anchor_above(units: list[Unit], start: int) -> int | None:
    """Index of a headline over a date line just above ``start`` that shares its words."""
    opening: set[str] | None = None  # the run's opening words, read when first needed
    dated = False
    for index in range(start - 1, max(-1, start - 1 - _ANCHOR_REACH), -1):
        unit = units[index]
        if unit.kind != CAPTION and clean_meta.states_date(unit.text):
            dated = True
            continue
        if dated and clean_meta.is_anchor_headline(unit):
            if opening is None:
                opening = clean_meta.content_words(
                    " ".join(u.text for u in units[start : start + 2] if u.kind == PROSE)
                )
            words = clean_meta.content_words(unit.text)
            shared = len(words & opening)
            if len(words) >= _ANCHOR_WORDS and shared >= _ANCHOR_SHARED * len(words):
                return index
    return None


def _announced_list(units: list[Unit], end: int) -> int:
    """The story's end moved past the items of a list its last line announces with a colon.

    Items are lines of two or more words; a few lines of furniture between them (a shop link,
    a picture) are passed over, more end the list, as does a section end or the copyright line.
    """
    lead = next((i for i in range(end - 1, -1, -1) if units[i].kind != CAPTION), None)
    if end < len(units) and units[end].kind in (SENTENCE, SHORT) and units[end].text.endswith(":"):
        lead = end  # the lead-in line just past the story's last paragraph
    if lead is None or not units[lead].text.endswith(":"):
        return end
    end = lead + 1
    misses = 0
    for index in range(end, len(units)):
        unit = units[index]
        if unit.kind in (SECTION_END, ASIDE) or rules.is_footer(unit.text):
            break
        if unit.kind in (PROSE, SENTENCE, SHORT) and rules.words(unit.text) >= _ITEM_WORDS:
            end, misses = index + 1, 0
        elif unit.kind != CAPTION:
            misses += 1
            if misses > _ITEM_GAP:
                break
    return end


def _joining(
    units: list[Unit], runs: list[tuple[float, int, int]], side: range, core: float
) -> tuple[float, int, int] | None:
    """The nearest run of prose on ``side`` of the story that goes on with it, if any.

    Smaller runs on the way (a teaser's paragraph) count as part of the block between.
    """
    for run in runs:
        if not (side.start <= run[1] and run[2] <= side.stop):
            continue
        gap = range(side.start, run[1]) if side.stop == len(units) else range(run[2], side.stop)
        if len(gap) > _JOIN_GAP:
            return None
        if _joins(units, run, gap, core):
            return run
    return None


def _joins(units: list[Unit], run: tuple[float, int, int], gap: range, core: float) -> bool:
    """True when a run of prose past a block of furniture goes on with the story.

    The block (a link box, a gallery, teasers under "Trending") is short and holds no
    copyright line or readers' comments; the run weighs a share of the core and is made of
    paragraphs.
    """
    mass, start, end = run
    if len(gap) > _JOIN_GAP or mass < max(_JOIN_MASS, _JOIN_SHARE * core):
        return False
    # Paragraphs, not list items, make most of its lines (a related-links box is a list), and
    # some follow each other (teasers alternate with their headlines).
    lines = [
        unit.kind == PROSE and not unit.bullet for unit in units[start:end] if unit.kind != CAPTION
    ]
    paragraphs = sum(lines)
    adjacent = sum(1 for one, two in zip(lines, lines[1:], strict=False) if one and two)
    if adjacent < 1 or 2 * paragraphs <= len(lines):
        return False
    return not any(
        rules.is_footer(u.text)
        or rules.closes_story(u.text)
        or rules.opens_comments(u.text)
        or (u.kind == FURNITURE and rules.names_comments(u.text))
        for u in units[gap.start : gap.stop]
    )


def _discount_comments(units: list[Unit], weights: list[float]) -> int:
    """Prose under the readers' comments weighs a fraction of a story's; where they start.

    Only a comments heading with some prose above it counts: a menu's "Comments" link at the
    top of the page opens nothing.
    """
    above = 0.0
    for index, unit in enumerate(units):
        if unit.kind == PROSE:
            above += weights[index]
        elif above >= _STORY_BEFORE_COMMENTS and rules.opens_comments(unit.text):
            for after in range(index + 1, len(units)):
                weights[after] *= _COMMENT_SHARE
            return index
    return len(units)


def _runs(units: list[Unit], weights: list[float]) -> list[tuple[float, int, int]]:
    """Runs of prose as (mass, start, end), each line between paragraphs costing some."""
    runs: list[tuple[float, int, int]] = []
    start = 0
    mass = 0.0
    gap = 0
    last = -1
    for index, unit in enumerate(units):
        if unit.kind == PROSE:
            if last < 0 or gap > _MAX_GAP or mass - _GAP_COST * gap <= 0:
                start, mass = index, 0.0
                runs.append((0.0, index, index))
            else:
                mass -= _GAP_COST * gap
            mass += weights[index]
            last, gap = index, 0
            if mass > runs[-1][0]:
                runs[-1] = (mass, start, index + 1)
        elif unit.kind == SECTION_END:
            last, gap = -1, 0
        elif unit.kind == ASIDE:
            # A box of links may sit mid-story; the story resumes after a short one only.
            gap += _MAX_GAP // 2
        elif unit.kind not in (SENTENCE, CAPTION) and not rules.is_placeholder(unit.text):
            # Captions and pictures ("[photo-1024x768]") sit inside stories: they neither add
            # nor cost.
            gap += 1
    return runs


def _extend(units: list[Unit], weights: list[float], edge: int, steps: range) -> int:
    """The story's edge moved along ``steps`` while each stretch adds more than it costs.

    ``edge`` is the story's end (walking forward) or start (walking back); returns the new one.
    """
    forward = steps.step > 0
    value = 0.0
    gap = 0
    for index in steps:
        unit = units[index]
        if unit.kind == SECTION_END or rules.is_footer(unit.text):
            break  # comments, link lists, or the page's copyright line: the story is over
        if unit.kind == CAPTION:
            continue
        if unit.kind == PROSE:
            # A list item beside the story may be a link box's (a related story's headline).
            value += _SENTENCE_SHARE * weights[index] if unit.bullet else weights[index]
            gap = 0
        elif unit.kind == SENTENCE:
            value += _SENTENCE_SHARE * weights[index]
        else:
            value -= _EXTEND_COST
            gap += _MAX_GAP // 2 if unit.kind == ASIDE else 1
            if gap > _MAX_GAP:
                break
        if value > 0 and unit.kind in (PROSE, SENTENCE):
            edge = index + 1 if forward else index
            value = 0.0
    return edge


def paragraph_key(text: str) -> str:
    """A paragraph's text for comparing repeats: case, spacing and a closing stop ignored."""
    return " ".join(text.casefold().split()).rstrip(" .…")
