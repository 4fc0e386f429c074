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

# Non-prose units allowed between two prose units of one story (share bars, ad slots).
_MAX_GAP = 10
# What one line between two paragraphs costs the run, in characters of prose.
_GAP_COST = 40
# Words in a line amid the story that ends no sentence and is taken for a video's or a
# picture's title (shorter ones are subheads, longer ones sentences that lost a full stop).
_TITLE_WORDS = (8, 25)
_REPORTING_VERB = re.compile(r"\b(?:said|says|told|tells|according|added|adds)\b", re.I)
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
# Around the core, a line of furniture costs less: the story's edges are kept generously.
_EXTEND_COST = 25
# A short sentence beside the story counts for part of its length (it may be a teaser).
_SENTENCE_SHARE = 0.5

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")

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
class CleanedText:
    """An article's story text and what the page says about it."""

    title: str | None
    published: datetime | None  # aware, UTC; None when the text states no publication date
    site: str | None  # the source site's name where the text gives it
    body: str  # story paragraphs separated by a blank line; the title is not included
    # Captions, credits and embeds found among the story's lines, once each, kept apart from
    # the body so that a reader of the page (``parley clean``) can see what was set aside.
    captions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """One paragraph of the page: tidied text (photo credits off), list item or not, class."""

    text: str
    bullet: bool
    kind: str
    raw: str  # the line before photo credits came off (credits can name the site)
    caption: bool  # a photo credit came off it


def clean_article(raw: str) -> CleanedText:
    """Separate the story in ``raw`` from the page furniture around it."""
    units = _mark_comments([_classify(text, bullet) for text, bullet in _paragraphs(raw)])
    units = _mark_caption_repeats(units)
    start, end, skipped = _story_span(units)
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
    keys = [_key(u.text) for u in units if u.kind == CAPTION and rules.words(u.text) >= 6]
    if not keys:
        return units
    marked = []
    for unit in units:
        key = _key(unit.text)
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


def _story_span(units: list[Unit]) -> tuple[int, int, frozenset[int]]:
    """Index range [start, end) of the run of prose most likely to be the story.

    Each prose paragraph adds its length, each line between paragraphs costs a little, so a
    list of teasers (a paragraph, then its headline, byline and picture) weighs less than a
    story told in consecutive paragraphs. A section-ending heading or a long stretch of
    non-prose ends a run.
    """
    counts: dict[str, int] = {}
    for unit in units:
        key = _key(unit.text)
        counts[key] = counts.get(key, 0) + 1
    # A paragraph the page shows several times (a teaser, a caption) weighs as one.
    weights = [len(unit.text) / counts[_key(unit.text)] for unit in units]
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
    """The headline of a headline block above the run's first paragraph, if any.

    A long headline or a deck reads as prose, so the run may open with them; the block is
    looked for above each of those and above the first paragraph proper, not further down.
    """
    for index in range(run[1], min(run[2], run[1] + _ANCHOR_REACH)):
        if units[index].kind != PROSE:
            continue
        at = _anchor_above(units, index)
        if at is not None or not clean_meta.is_anchor_headline(units[index]):
            return at
    return None


def _anchor_above(units: list[Unit], start: int) -> int | None:
    """Index of a headline over a date line just above ``start`` that shares its words."""
    opening = clean_meta.content_words(
        " ".join(u.text for u in units[start : start + 2] if u.kind == PROSE)
    )
    dated = False
    for index in range(start - 1, max(-1, start - 1 - _ANCHOR_REACH), -1):
        unit = units[index]
        if unit.kind != CAPTION and clean_meta.states_date(unit.text):
            dated = True
            continue
        if dated and clean_meta.is_anchor_headline(unit):
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
        elif unit.kind not in (SENTENCE, CAPTION):
            # Captions sit inside stories: they neither add nor cost.
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
            value += weights[index]
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


def _body(
    units: list[Unit], start: int, end: int, title: str | None, skipped: frozenset[int]
) -> list[str]:
    """The story's paragraphs; repeats (also cut-short repeats) and the headline dropped."""
    title_key = _key(title) if title else None
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
        key = _key(unit.text)
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


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" .…")
