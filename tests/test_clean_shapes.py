"""Round-4 cleaning rules on pages written for the tests: brackets after a full stop, tables
and lists under a dated headline, dates in other languages, image placeholders in a story."""

from __future__ import annotations

import pytest

from digest.clean import clean_article
from digest.clean_rules import strip_credits

STORY = (
    "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart talks on "
    "fishing quotas in the North Atlantic, officials said.\n\n"
    "The two ministers spent three hours together and agreed to meet again in Reykjavik next "
    "month, a spokesman for the Norwegian ministry told reporters.\n\n"
)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "Boats wait in Oslo harbour on Monday. (Associated Press)",
            "Boats wait in Oslo harbour on Monday.",
        ),
        ("Boats wait in Oslo harbour on Monday. (AFP)", "Boats wait in Oslo harbour on Monday."),
        ("Boats wait in Oslo harbour. (Source: Ministry)", "Boats wait in Oslo harbour."),
        # Asides of the story and a link's label are the story's words, not a credit.
        ("The ministry has not replied. (The minister denies it.)", None),
        ("The ministry published its forecasts. (For more, see here.)", None),
        ("Why the talks matter. (More)", None),
    ],
)
def test_a_bracket_after_the_full_stop_is_a_credit_only_when_it_names_someone(line, kept):
    assert strip_credits(line) == (line if kept is None else kept)


def test_a_story_paragraph_ending_in_a_bracketed_aside_stays():
    aside = "The ministry has not replied to questions about the quotas. (It rarely does.)"
    page = "Ministers meet in Oslo to restart fisheries talks\n\n" + STORY + aside + "\n"
    result = clean_article(page)
    assert aside in result.body
    assert aside not in result.captions
