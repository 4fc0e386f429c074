"""A story split by a block of furniture (a gallery, a "Trending" list) is found whole: its
paragraphs on both sides are kept and the block between them is left out. Pages written for
the tests."""

from __future__ import annotations

from digest.clean import clean_article

OPENING = (
    "Police in the river town arrested six people on Monday after a two-month investigation "
    "into drug sales from a house near the old railway station, the police chief said.\n\n"
    "Officers stopped two cars near the station on Monday morning and found bags of pills "
    "hidden under the seats, according to a statement released in the afternoon.\n\n"
)
REST = "".join(
    f"Paragraph {n} of the story says that the six suspects were taken to the county jail "
    f"and that a judge would hear their case next week, the chief told reporters.\n\n"
    for n in range(1, 9)
)
GALLERY = "Story continues below gallery\n\n1 of 6\n\n" + "".join(
    f"[photo{n}]\n\nSuspect number {n} Submitted photo\n\n" for n in range(1, 7)
)
TRENDING = (
    "Trending News\n\n"
    "Mayor opens the new bridge over the river\n\n"
    "School board votes to keep the four-day week\n\n"
    "Storm knocks out power across the valley\n\n"
)
TEASERS = "".join(
    f"Teaser headline number {n} about another town\n\n"
    f"A teaser for another story, number {n}, runs to a sentence long enough to be read as "
    f"prose by the cleaner on its own line.\n\n"
    for n in range(1, 6)
)
FOOTER = "© 2029 The River Times. All rights reserved.\n"


def test_opening_paragraphs_above_a_gallery_are_kept():
    page = "River Times\n\nSix arrested in drug investigation\n\n" + OPENING + GALLERY + REST
    body = clean_article(page + FOOTER).body
    assert body.startswith("Police in the river town arrested six people")
    assert "Paragraph 8 of the story" in body
    assert "Submitted photo" not in body and "Story continues" not in body


def test_story_goes_on_past_a_trending_list():
    page = "River Times\n\nSix arrested in drug investigation\n\n" + OPENING + REST
    page = page.replace("Paragraph 5", TRENDING + "Paragraph 5")
    body = clean_article(page + FOOTER).body
    assert "Paragraph 4 of the story" in body and "Paragraph 8 of the story" in body
    assert "Mayor opens the new bridge" not in body


def test_a_list_of_teasers_after_the_story_does_not_join_it():
    # Past a block of share buttons, each teaser a paragraph under its headline.
    buttons = "".join(f"{name}\n\n" for name in ("Facebook", "Twitter", "Reddit", "Email") * 3)
    page = "River Times\n\nSix arrested\n\n" + OPENING + REST + buttons + TEASERS
    body = clean_article(page + FOOTER).body
    assert "Paragraph 8 of the story" in body
    assert "teaser" not in body.casefold()


def test_readers_comments_past_the_story_do_not_join_it():
    comments = "".join(
        f"reader{n} says:\n\nI have lived in this town for years and I think the police did "
        f"a fine job here, number {n}, and the judge should be strict.\n\n"
        for n in range(1, 4)
    )
    page = "River Times\n\nSix arrested\n\n" + OPENING + REST + "Comments\n\n" + comments
    body = clean_article(page + FOOTER).body
    assert "Paragraph 8 of the story" in body
    assert "lived in this town" not in body


DATES = "".join(
    f"June {day} -- Riverside Arena, {town}\n\n"
    for day, town in ((2, "Springfield, IL"), (5, "Dayton, OH"), (9, "Erie, PA"), (12, "Troy, NY"))
)


def test_a_list_the_story_announces_is_kept_whole():
    page = (
        "River Times\n\nBand announces tour\n\n"
        + OPENING
        + REST
        + "The band's summer dates:\n\n"
        + DATES
        + "Facebook\n\nTwitter\n\nEmail\n\n"
    )
    body = clean_article(page + FOOTER).body
    assert "The band's summer dates:" in body
    assert "June 2 -- Riverside Arena, Springfield, IL" in body
    assert body.endswith("June 12 -- Riverside Arena, Troy, NY")


def test_short_lines_after_the_story_without_a_lead_in_stay_out():
    page = "River Times\n\nBand announces tour\n\n" + OPENING + REST + DATES
    body = clean_article(page + FOOTER).body
    assert "Paragraph 8 of the story" in body
    assert "Riverside Arena" not in body


def test_a_teaser_inside_the_block_does_not_stop_the_story():
    teaser = (
        "Most read\n\nMayor opens the new bridge\n\n"
        "The mayor opened the new bridge over the river on Sunday, after three years of work "
        "and two delays.\n\nSchool board votes on the week\n\nStorm knocks out power\n\n"
        "Sports\n\nWeather\n\nTraffic\n\nObituaries\n\nJobs\n\n"
    )
    page = "River Times\n\nSix arrested in drug investigation\n\n" + OPENING + teaser + REST
    body = clean_article(page + FOOTER).body
    assert body.startswith("Police in the river town arrested six people")
    assert "Paragraph 8 of the story" in body
    assert "mayor" not in body.casefold()


def test_a_comment_form_past_the_story_does_not_join_it():
    form = (
        "Share\n\nJane Roe\n\nMore articles from Jane Roe\n\nLeave a Reply Cancel reply\n\n"
        + "".join(f"[ ]\n\n{field} [ ]\n\n" for field in ("Comment", "Name *", "Website"))
        + "By submitting this form you agree to the site using your data for the purposes of "
        "publishing your comment.\n\n"
        "Your personal data will only be disclosed to third parties for the purposes of spam "
        "filtering or if this is necessary for technical maintenance of the website.\n\n"
    )
    page = "River Times\n\nSix arrested\n\n" + OPENING + REST + form
    body = clean_article(page + FOOTER).body
    assert "Paragraph 8 of the story" in body
    assert "personal data" not in body and "submitting this form" not in body
