"""What every clause of one article needs: the shared Context, and the Candidate records.

A ``Candidate`` is one meeting as one clause reports it; ``Context`` holds what the whole
article knows (its people, mentions, dates, dateline) and the sides clauses inferred.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date

from digest.meetings import dates
from digest.meetings.names import Mention, Person
from digest.meetings.places import PlaceRef, historical


@dataclass
class Candidate:
    """A meeting as one clause reports it; merged with others into records later."""

    participants: list[str]
    sides: list[str]
    status: str
    kind: str
    evidence: str
    position: int
    date: str | None = None
    date_text: str | None = None
    location: PlaceRef | None = None
    event: str | None = None  # the named summit/conference, for event records
    visit_host: str | None = None
    topics: list[str] = field(default_factory=list)
    explicit_date: bool = False
    fallback_location: PlaceRef | None = None  # from a visit whose meetings this reports
    fallback_date: tuple[str | None, str | None] | None = None  # (date, date_text) likewise
    folded: list[int] = field(default_factory=list)  # positions of the mentions folded in
    # Talks reported as under way or coming to their end ("the negotiations have stalled",
    # "will wrap up its negotiations on May 3"): mentions of one continuing negotiation.
    ongoing: bool = False
    ends: bool = False  # the clause's date is when the talks end, not when they began

    def copy(self) -> Candidate:
        """A copy whose lists can change without touching this candidate's."""
        return replace(
            self,
            participants=list(self.participants),
            sides=list(self.sides),
            topics=list(self.topics),
            folded=list(self.folded),
        )


@dataclass
class Context:
    """What every clause of one article needs to know."""

    text: str
    anchor: date | None
    dateline: PlaceRef | None
    dateline_end: int
    people: dict[str, Person]
    mentions: list[Mention]
    full_dates: dict[int, str]  # weekday -> ISO date of an explicit "Friday, May 3, 2024"
    date_index: dates.DateIndex  # every date expression of the text, matched once
    recent_sides: list[str] = field(default_factory=list)  # countries, most recent last
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # sentences (start, end, ¶)
    mention_starts: list[int] = field(default_factory=list)  # for bisect: mentions are sorted
    # Sides the clauses inferred for people the text gives none ("A and B" share a side, the
    # host of "met officials in Lima"); the Person records keep only what the text states.
    inferred_sides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """The mentions that begin in text[start:end], in text order (a bisect, not a scan)."""
        low = bisect_left(self.mention_starts, start)
        return self.mentions[low : bisect_left(self.mention_starts, end, low)]

    def previous_named(self, mention: Mention) -> Mention | None:
        """The nearest named mention before ``mention``, if any."""
        index = bisect_left(self.mention_starts, mention.start) - 1
        while index >= 0 and self.mentions[index].name is None:
            index -= 1
        return self.mentions[index] if index >= 0 else None

    def side(self, name: str) -> str | None:
        """The side a person takes in this article: stated by the text, else inferred."""
        stated = self.people[name].side
        if stated:
            return self.country(stated)
        return self.inferred_sides.get(name)

    @property
    def year(self) -> int | None:
        """The article's year, for historical country names."""
        return self.anchor.year if self.anchor else None

    def country(self, name: str) -> str:
        """A country as it was called at the article's date."""
        return historical(name, self.year)


def dates_in(ctx: Context, start: int, end: int, tense: str | None) -> list[dates.DateMention]:
    """Date mentions in text[start:end] (offsets relative to start), the dateline left out."""
    found = ctx.date_index.within(start, end, ctx.anchor, tense)
    return [m for m in found if start + m.start >= ctx.dateline_end]
