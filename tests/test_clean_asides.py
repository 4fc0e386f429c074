"""Captions, credits, embeds, headlines and time zones: the cleaner's rules on pages written
for the tests, and on the corpus pages and seeds where ../shared is present."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.clean import clean_article
from digest.clean_captions import is_aside
from digest.clean_headline import statement_headline
from digest.reader import read_text_file

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EVAL = REPO.parent / "shared" / "eval"
CORPUS = EVAL / "meetings-corpus"

STORY = (
    "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart talks on "
    "fishing quotas in the North Atlantic, officials said.\n\n"
    "The two ministers spent three hours together and agreed to meet again in Reykjavik next "
    "month, a spokesman for the Norwegian ministry told reporters.\n\n"
)
CLOSING = (
    "Iceland's minister said the talks had been frank but useful, and that both sides would "
    "now consult their fishing industries before the next round.\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "FILE PHOTO: The two ministers shake hands in Oslo, Norway, May 3, 2029. "
        "REUTERS/Jane Roe/File Photo",
        "FILE - In this Monday, Oct. 28, 2029, file photo, the minister walks to a meeting.",
        "Reuters The move comes as the two countries trade blame over falling fish stocks",
        "Jane Roe / Reuters Fishing boats wait in Oslo harbour on Monday morning",
        "AP:Associated Press Fishing boats wait in Oslo harbour on Monday morning",
        "Getty - Contributor Fishing boats wait in Oslo harbour on Monday morning",
        "The minister, left, and her Icelandic counterpart shake hands in Oslo on Monday",
        "Fishing boats wait in Oslo harbour on Monday. THE CANADIAN PRESS/Jane Roe",
        "Photograph: Jane Roe/Getty Images",
        "Jane Roe | Getty Images",
        "Jane Roe, ASSOCIATED PRESS",
        "Talks resume at last pic.twitter.com/AbCdEf123 — Jane Roe (@janeroe) May 3, 2029",
        "— Oslo Fisheries (@oslofish) May 3, 2029",
        "Video: ministers arrive for the fisheries talks",
        "View all (23)",
        "Ministers meet over fishing quotas in Oslo harbour statement1:27",
        "(Reporting by Jane Roe; Editing by John Doe)",
    ],
)
def test_captions_credits_and_embeds_are_asides(line):
    assert is_aside(line)


@pytest.mark.parametrize(
    "line",
    [
        "The company told Reuters.",
        "Reuters reported on Monday that the talks had failed.",
        "Bloomberg News reported the deal first, citing people familiar with the matter.",
        "AP reporters saw smoke rising over the city.",
        "Pool parties were banned in the city after the outbreak.",
        "The two leaders met in Geneva, the AP said.",
        "Officials from both sides met for three hours, according to AFP.",
        "In this photo essay, we look back at the year.",
        "The minister left the meeting early, officials said.",
        "Talks broke down at 10:30 on Monday.",
    ],
)
def test_story_sentences_that_name_agencies_are_not_asides(line):
    assert not is_aside(line)


def test_captions_video_titles_and_tweets_leave_the_body():
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        + STORY
        + "Jane Roe / Reuters Fishing boats wait in Oslo harbour on Monday morning\n\n"
        "Fishermen protest outside the ministry as the talks begin in Oslo\n\n"
        "Norway's minister said later that the meeting had gone better than expected.\n\n"
        "Talks resume at last pic.twitter.com/AbCdEf123 — Jane Roe (@janeroe) May 3, 2029\n\n"
        + CLOSING
    )
    result = clean_article(page)
    paragraphs = result.body.split("\n\n")
    assert paragraphs == [
        STORY.split("\n\n")[0],
        STORY.split("\n\n")[1],
        "Norway's minister said later that the meeting had gone better than expected.",
        CLOSING.strip(),
    ]
    assert "Fishermen protest outside the ministry as the talks begin in Oslo" in result.captions
    assert any("pic.twitter.com" in text for text in result.captions)


def test_a_caption_repeated_without_its_credit_goes_too():
    caption = "The minister and her Icelandic counterpart shake hands in Oslo on Monday morning"
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        f"{caption}. (AP Photo/Jane Roe)\n\n{caption}.\n\n" + STORY + CLOSING
    )
    result = clean_article(page)
    assert caption not in result.body
    assert result.captions == (f"{caption}.",)


def test_gallery_headline_is_not_the_title():
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        "Jane Roe | Getty Images\n\n"
        "By Jane Roe\n\n"
        "Published 1 day ago\n\n" + STORY + CLOSING
    )
    assert clean_article(page).title == "Ministers meet in Oslo to restart fisheries talks"


def test_reading_prompts_are_neither_headline_nor_story():
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        + STORY
        + "Continue reading the main story\n\n"
        + CLOSING
    )
    result = clean_article(page)
    assert result.title == "Ministers meet in Oslo to restart fisheries talks"
    assert "Continue reading" not in result.body
    assert result.body.endswith(CLOSING.strip())


def test_sign_up_and_app_promos_leave_the_body():
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        + STORY
        + "Every day we send an email with the top stories from the North Atlantic.\n\n"
        "Get the day's top headlines delivered to your inbox by subscribing to our newsletter.\n\n"
        "Download our free app for breaking news alerts.\n\n" + CLOSING
    )
    body = clean_article(page).body
    assert "inbox" not in body and "send an email" not in body and "app" not in body
    assert body.endswith(CLOSING.strip())


def test_headline_is_the_one_about_the_story_not_a_teaser_near_it():
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        "By Jane Roe\n\n"
        "Celebrity chef opens a new restaurant downtown\n\n" + STORY + CLOSING
    )
    assert clean_article(page).title == "Ministers meet in Oslo to restart fisheries talks"


@pytest.mark.parametrize(
    ("stamp", "around", "published"),
    [
        # India's time on a page that names India: 11:06 at +05:30 is 05:36 UTC.
        (
            "Nov 20, 2029, 11:06am IST",
            "India | Mumbai | New Delhi",
            datetime(2029, 11, 20, 5, 36, tzinfo=UTC),
        ),
        # Ireland's on an Irish page.
        (
            "Nov 20, 2029, 11:06am IST",
            "Ireland | Dublin | Irish news",
            datetime(2029, 11, 20, 10, 6, tzinfo=UTC),
        ),
        # US Central on a Houston page.
        (
            "5:27 am CST, Wednesday, November 20, 2029",
            "Houston | Texas",
            datetime(2029, 11, 20, 11, 27, tzinfo=UTC),
        ),
        # No evidence for either reading: the date alone.
        ("Nov 20, 2029, 11:06am IST", "Weather | Sport", datetime(2029, 11, 20, tzinfo=UTC)),
        # Unambiguous zones are read as they are.
        (
            "Nov 20, 2029, 11:06 am EST",
            "Weather | Sport",
            datetime(2029, 11, 20, 16, 6, tzinfo=UTC),
        ),
    ],
)
def test_ambiguous_zones_are_read_by_the_pages_country(stamp, around, published):
    page = (
        f"{around}\n\nMinisters meet in Oslo to restart fisheries talks\n\n{stamp}\n\n"
        + STORY
        + CLOSING
    )
    assert clean_article(page).published == published


@pytest.mark.parametrize(
    ("body", "headline"),
    [
        (
            "Ministers met in Oslo on Monday.\n\nThey agreed to meet again.",
            "Ministers met in Oslo on Monday",
        ),
        (
            "OSLO (Reuters) - The foreign ministers of Norway and Iceland met in Oslo on Monday to "
            "restart talks on fishing quotas, as part of a wider effort to end a long dispute over "
            "mackerel stocks that has strained relations between the two neighbours for years.",
            "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart talks on "
            "fishing quotas",
        ),
    ],
)
def test_statement_headline_is_a_whole_statement(body, headline):
    assert statement_headline(body) == headline


# --- corpus pages and seeds ------------------------------------------------------------------

corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared eval corpus not present")
PAGES = sorted(CORPUS.glob("ho*.txt")) if CORPUS.is_dir() else []
SEED_PAGES = sorted(SEEDS.glob("*.txt"))
# What a caption or credit line looks like in these pages' bodies, if one were left.
LEFT_CAPTION = re.compile(
    r"FILE PHOTO|File Photo|^FILE -|/ ?Reuters\b|REUTERS/|\(AP Photo|Getty Images|pic\.twitter\.com"
    r"|^(?:AP:Associated Press|EPA|Reuters|Getty|Handout|Barcroft Media)\s+[A-Z]|, (?:left|right),",
    re.MULTILINE,
)


@corpus
@pytest.mark.parametrize("page", PAGES + SEED_PAGES, ids=lambda page: page.stem[:12])
def test_no_caption_or_credit_line_in_the_body(page):
    body = clean_article(read_text_file(page)).body
    left = LEFT_CAPTION.findall(body)
    assert not left, left


@corpus
@pytest.mark.parametrize("page", PAGES + SEED_PAGES, ids=lambda page: page.stem[:12])
def test_headline_is_the_pages_own(page):
    gold_dir = EVAL / ("meetings-corpus-gold" if page.parent == CORPUS else "meetings-dev")
    gold = json.loads((gold_dir / f"{page.stem}.json").read_text(encoding="utf-8"))
    assert clean_article(read_text_file(page)).title == gold["title"]


def test_a_long_line_of_capitalised_words_after_an_agency_is_read_in_linear_time():
    """A menu line "Reuters Home World Business ..." could be cut into names in 2^n ways; the
    credit pattern once tried them all (25 words: 14 s, 40 words: never). It must answer."""
    from digest.clean_captions import is_caption

    menu = "Reuters " + " ".join(f"Section{n}" for n in range(40)) + " - sign in"
    assert is_caption(menu)  # an agency at its start, then capitalised words: a credit's shape
    assert not is_caption(" ".join(f"Section{n}" for n in range(40)) + " - sign in")
    page = clean_article("World News\n\n" + menu + "\n\n" + ("Story sentence here. " * 30))
    assert "Story sentence here." in page.body
