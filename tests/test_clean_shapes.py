"""Round-4 cleaning rules on pages written for the tests: brackets after a full stop, tables
and lists under a dated headline, dates in other languages, image placeholders in a story."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.clean import clean_article
from digest.clean_captions import is_aside
from digest.clean_dates import date_languages
from digest.clean_rules import is_furniture, strip_credits

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


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("sexta-feira, 3 de maio de 2029 às 18:40", "pt"),
        ("Montag, 3. Juni 2029", "de"),
        ("jueves, 12 de abril de 2029", "es"),
        ("Mardi 19 novembre 2029, 10:12", "fr"),
    ],
)
def test_date_lines_in_other_languages_are_read_with_dateparsers_words(line, language):
    assert language in date_languages(line)


@pytest.mark.parametrize(
    "line",
    ["Tabela do campeonato 2029", "Os resultados de 2029", "Top 10 players of 2029", "2029"],
)
def test_lines_that_only_hold_a_year_are_not_date_lines(line):
    assert date_languages(line) == ()


def test_a_portuguese_date_line_gives_the_publication_date():
    page = (
        "Ministros reúnem-se em Oslo para retomar as negociações da pesca\n\n"
        "quinta-feira, 3 de maio de 2029 às 14:05\n\n"
        "Os ministros dos Negócios Estrangeiros da Noruega e da Islândia reuniram-se em Oslo na "
        "segunda-feira para retomar as negociações sobre as quotas de pesca, disseram fontes "
        "oficiais.\n\n"
        "Os dois ministros passaram três horas juntos e acordaram voltar a reunir-se em "
        "Reiquiavique no próximo mês, disse um porta-voz.\n"
    )
    result = clean_article(page)
    assert result.published == datetime(2029, 5, 3, 14, 5, tzinfo=UTC)
    assert result.body.startswith("Os ministros")


@pytest.mark.parametrize("heading", ["Tags:", "Topics:", "(42) Comments"])
def test_a_heading_with_a_colon_or_a_count_ends_the_story(heading):
    after = (
        "Readers across the region have shared their views on the fishing talks in the comments "
        "below this article, and many of them disagree strongly with the ministers.\n"
    )
    result = clean_article(
        "Ministers meet in Oslo to restart fisheries talks\n\n" + STORY + heading + "\n\n" + after
    )
    assert "Readers across the region" not in result.body
    assert "spokesman for the Norwegian ministry" in result.body


ROUNDS = [(3, "Oslo"), (10, "Bergen"), (17, "Tromsø"), (24, "Stavanger"), (31, "Trondheim")]
ROUNDS += [(7, "Bodø"), (14, "Ålesund"), (21, "Molde")]
CALENDAR = [f"Round {i}: {day} May – {city}" for i, (day, city) in enumerate(ROUNDS, 1)]
SIDEBAR = [
    "Read our weekly column on the state of motor racing in the Nordic countries, written by "
    "our senior correspondent, who has covered the sport for thirty years.",
    "Click the picture above to see how the drivers rank this season after every race of the "
    "championship and in the overall standings of the year.",
    "Find the times of every practice session and race of the season, with the television "
    "channels that show them live and the weather at each track.",
    "Listen to the latest episode of our podcast, in which three of our writers talk through "
    "everything that happened on and off the track this week.",
]


def test_a_calendar_under_its_dated_headline_is_the_story_not_the_heavier_sidebar():
    page = (
        "Motor racing\n\nNordic Rally Calendar 2029\n\nMonday, 8 January 2029 at 10:15\n\n"
        "Share this\n\nThe Nordic Rally calendar for 2029:\n\n"
        + "\n\n".join(CALENDAR)
        + "\n\n* Dates may change.\n\nTags\n\nrally, nordic, calendar\n\n"
        + "\n\n".join(SIDEBAR)
        + "\n\n© 2029 Rally News. All rights reserved.\n"
    )
    result = clean_article(page)
    assert result.title == "Nordic Rally Calendar 2029"
    assert result.body.split("\n\n") == [
        "The Nordic Rally calendar for 2029:",
        *CALENDAR,
        "* Dates may change.",
    ]


def test_standings_between_two_paragraphs_of_the_story_stay_in_it():
    standings = [
        f"{rank} {name} {points} {wins}"
        for rank, name, points, wins in [
            (1, "Jane Roe", 5040, 5),
            (2, "John Doe", 5035, 7),
            (3, "Ann Lee", 5033, 4),
            (4, "Per Berg", 5027, 6),
            (5, "Kim Holm", 2380, 2),
            (6, "Eva Lind", 2339, 1),
            (7, "Ola Dahl", 2339, 1),
        ]
    ]
    opening = (
        "Jane Roe won the Nordic championship on Sunday by five points after a season-long duel "
        "with John Doe that was only settled in the final race in Molde."
    )
    closing = (
        "The top four drivers keep their seats for next season, the organisers said, while the "
        "rest of the field will be confirmed in the spring."
    )
    page = (
        "Roe takes the Nordic title by five points\n\nSunday, 21 May 2029\n\n"
        + opening
        + "\n\nFinal standings:\n\nPos Driver Points Wins\n\n"
        + "\n\n".join(standings)
        + "\n\n"
        + closing
        + "\n"
    )
    body = clean_article(page).body
    assert all(row in body for row in standings)
    assert body.startswith(opening) and body.endswith(closing)


def test_a_teaser_list_of_headlines_and_dates_is_not_a_table():
    teasers = []
    for day in range(10, 17):
        teasers += [f"Ministers to meet again over quotas in round {day}", f"May {day}, 2029"]
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        + STORY
        + "More news\n\n"
        + "\n\n".join(teasers)
        + "\n"
    )
    body = clean_article(page).body
    assert "round 12" not in body
    assert "spokesman for the Norwegian ministry" in body


def test_pictures_between_the_steps_of_a_story_do_not_split_it():
    steps = [
        "First open the settings of the program from the menu at the top of its window.",
        "Then choose the tab called shortcuts and find the line for starting the program.",
        "Clear the key combination in that line and press the button to apply it.",
        "Finally restart the computer so that the old combination is released for good.",
    ]
    opening = (
        "A program that starts itself with a key combination can get in the way of other "
        "programs that use the same keys, and its own settings offer no way to change it.\n\n"
        "There is a simple way around this in the properties of its shortcut, which takes a "
        "minute and needs no extra software at all.\n\n"
    )
    # A picture for each step and an ad slot: more lines than a story's run may skip.
    pictures = "\n\n" + "".join(f"[step-{n}]\n\n[INS::INS]\n\n" for n in range(1, 7))
    page = (
        "How to stop a program starting on a key combination\n\n2029-05-03\n\n"
        + opening
        + pictures.join(["\n\n".join(steps[:2]), "\n\n".join(steps[2:])])
        + "\n\nTags\n\nsoftware\n"
    )
    body = clean_article(page).body
    assert all(step in body for step in steps)
    assert "[step-1]" not in body


@pytest.mark.parametrize(
    "line",
    [
        "Jane Roe Submitted photo",
        "The old bridge in 1950. Courtesy photo",
        "Family photo",
        "How do the fishing boats find the herring? (2:41)",
    ],
)
def test_credits_said_in_words_and_video_durations_are_asides(line):
    assert is_aside(line)


def test_story_continues_below_is_not_the_storys_line():
    assert is_furniture("Story continues below gallery")
    assert is_furniture("Article continues below advertisement")
    assert not is_furniture("The story continues below the surface, the author said.")


def test_a_paragraph_of_two_sentences_without_a_last_stop_is_not_a_video_title():
    line = "Why meet now? Because the quotas run out in May and neither side wants a fish war"
    page = "Ministers meet in Oslo to restart fisheries talks\n\n" + STORY.replace(
        "\n\nThe two", f"\n\n{line}\n\nThe two", 1
    )
    result = clean_article(page)
    assert line in result.body.split("\n\n")
    assert line not in result.captions


def test_menus_printed_as_long_lines_above_the_headline_stay_out():
    menus = [
        "Latest News World Politics Business Markets Technology Science Health Sport Culture "
        "Travel Opinion Weather Podcasts Video Newsletters Events Jobs Archive",
        "Regions Europe Americas Asia Africa Middle East Oceania Nordic Countries Arctic Baltic "
        "North Sea Atlantic Islands Coastal Towns Fishing Ports Harbours",
        "Topics Fisheries Quotas Shipping Energy Climate Oceans Trade Diplomacy Defence Elections "
        "Parliaments Courts Police Education Transport Housing Rankings Research Companies "
        "Marketing Events Awards Jobs Showcase Report Card Best of Breed Partner Programs Data",
    ]
    page = (
        "\n\n".join(menus) + "\n\nMinisters meet in Oslo to restart fisheries talks\n\n"
        "By Jane Roe, May 3, 2029\n\n" + STORY
    )
    result = clean_article(page)
    assert result.title == "Ministers meet in Oslo to restart fisheries talks"
    assert result.body.startswith("The foreign ministers of Norway and Iceland")


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Home | News | Sport | Weather | Contact us", True),
        ("Oslo Solutions | Harbour Services Oslo | Fishing Fleet Oslo | Port Authority", True),
        ("Stocks: A | B | C | D | E | F", True),
        ("By Jane Roe | May 3, 2029 | 14:01", False),
        ("Quotas, boats and prices: what the Oslo talks mean | Analysis", False),
    ],
)
def test_a_bar_of_four_or_more_short_links_is_furniture(line, furniture):
    assert is_furniture(line) is furniture


@pytest.mark.parametrize("heading", ["You may also like...", "Related:", "Most popular…"])
def test_a_link_box_heading_trailing_dots_or_a_colon_still_opens_the_box(heading):
    teasers = [
        "Who will win the fishing quota fight in 2030?",
        "Fishermen in Bergen want a bigger share of the herring catch",
        "Iceland's fleet returns to port after a record season at sea",
    ]
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        + STORY
        + heading
        + "\n\n"
        + "\n\n".join(teasers)
        + "\n"
    )
    body = clean_article(page).body
    assert not any(teaser in body for teaser in teasers)
    assert "spokesman for the Norwegian ministry" in body


def test_a_list_of_related_stories_right_after_the_story_stays_out():
    related = [
        "Norway and the EU agree new herring quotas for the next three years.",
        "Iceland's fishing fleet returns to port after a record summer season.",
        "Fishermen in Bergen protest against the new rules on mackerel nets.",
    ]
    boxes = "".join(
        f"Fisheries\n\nMay {n}, 2029\n\n• {line}\n\n" for n, line in enumerate(related, 1)
    )
    page = "Ministers meet in Oslo to restart fisheries talks\n\n" + STORY + boxes
    body = clean_article(page).body
    assert not any(line in body for line in related)
    assert "spokesman for the Norwegian ministry" in body


@pytest.mark.parametrize(
    "line",
    [
        "This material may not be reprinted, broadcast or redistributed without the prior "
        "written permission of Fjord Media.",
        "Reproduction of articles and photos is allowed only with a link to fjordnews.no",
        "No portion of these pages may be reproduced without the prior permission of Fjord Media.",
        "Republishing our stories is permitted with credit and a hyperlink.",
        "Copying of site content is prohibited.",
    ],
)
def test_reprint_permission_notices_are_furniture(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        # Copying without a condition on it, or a condition without copying: story sentences.
        "The magazine reprinted the minister's letter in full on Monday.",
        "Police said the harbour office keys had been copied before the break-in.",
        "The court found that the film had been reproduced without permission, the studio said.",
        "Fishing is prohibited in the bay until May, the ministry said.",
        "The recordings can only be sold to collectors and cannot be copied, the family said.",
    ],
)
def test_story_sentences_about_copying_are_not_reprint_notices(line):
    assert not is_furniture(line)


def test_a_reprint_notice_leaves_the_body_and_names_the_site():
    notice = "Reproduction of articles and photos is allowed only with a link to fjordnews.no"
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        + STORY
        + "Iceland's minister said the talks had been frank but useful.\n\n"
        + notice
        + "\n"
    )
    result = clean_article(page)
    assert notice not in result.body
    assert "spokesman for the Norwegian ministry" in result.body
    assert result.site == "fjordnews.no"
