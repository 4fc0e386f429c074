"""Date resolution: relative expressions against the article's date, at the text's precision."""

from datetime import date

import pytest

from digest.meetings.dates import compatible, days_apart, find_dates

ANCHOR = date(2023, 6, 6)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "anchor", "tense", "value"),
    [
        ("They met on Friday.", ANCHOR, "past", "2023-06-02"),
        ("They will meet on Friday.", ANCHOR, "future", "2023-06-09"),
        ("They met on Tuesday.", ANCHOR, "past", "2023-06-06"),
        # the day after a stamp in a time zone behind the dateline, not six days back
        ("They spoke on Wednesday.", ANCHOR, "past", "2023-06-07"),
        ("They met last Wednesday.", ANCHOR, "past", "2023-05-31"),
        ("They met on Thursday.", ANCHOR, "past", "2023-06-01"),
        ("They will meet next Wednesday.", ANCHOR, "future", "2023-06-07"),
        ("They met last Friday.", ANCHOR, "past", "2023-06-02"),
        ("They met today.", ANCHOR, "past", "2023-06-06"),
        ("They met yesterday.", ANCHOR, "past", "2023-06-05"),
        ("They meet tomorrow.", ANCHOR, "future", "2023-06-07"),
        ("The visit on June 5 went well.", ANCHOR, "past", "2023-06-05"),
        ("They met on Jan 27 .", date(2016, 1, 28), "past", "2016-01-27"),
        ("Met on March 3.", date(2020, 6, 1), "past", "2020-03-03"),
        ("They met in December.", date(2024, 1, 10), "past", "2023-12"),
        ("They met last November.", ANCHOR, "past", "2022-11"),
        ("They will meet in November.", ANCHOR, "future", "2023-11"),
        ("They met last month.", ANCHOR, "past", "2023-05"),
        ("They meet next month.", date(2023, 12, 5), "future", "2024-01"),
        ("He visited in August 2022.", ANCHOR, "past", "2022-08"),
        ("King Osric visited in 1974.", ANCHOR, "past", "1974"),
        ("Tuesday, March 12, 2024, in Lima", None, "past", "2024-03-12"),
        ("on 9 January 2005", None, "future", "2005-01-09"),
        ("They met last week.", ANCHOR, "past", None),  # 29 May - 4 June: not one month
        ("They met last week.", date(2023, 6, 14), "past", "2023-06"),
        ("They met over the weekend.", ANCHOR, "past", "2023-06"),
        ("They met two days ago.", ANCHOR, "past", "2023-06-04"),
        ("They met on Thursday.", None, "past", None),  # no anchor: no date, words kept
        ("They will meet later this year.", ANCHOR, "future", "2023"),
    ],
)
def test_resolution(text, anchor, tense, value):
    found = find_dates(text, anchor, tense)
    assert found, text
    assert found[0].value == value


def test_words_are_kept_verbatim():
    (mention,) = find_dates("US officials met on Friday in Beijing.", ANCHOR, "past")
    assert mention.text == "on Friday"


def test_may_the_verb_is_not_a_month():
    assert find_dates("King Osric may ask Peru to reopen its embassy.", ANCHOR, "future") == []


def test_numbers_that_are_not_days():
    assert [m.value for m in find_dates("Exports rose 35 pct in March 2004.", ANCHOR)] == [
        "2004-03"
    ]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("2023-05", "2023-05-14", True), ("2023-05", "2023-06-01", False), (None, "2023", True)],
)
def test_compatible(first, second, expected):
    assert compatible(first, second) is expected


def test_days_apart_needs_full_dates():
    assert days_apart("2023-05-01", "2023-05-03") == 2
    assert days_apart("2023-05", "2023-05-03") is None
