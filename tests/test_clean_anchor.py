"""A short story right under its headline and date line is found even when the page's other
text (a footer's legal notice, a sidebar's promos) weighs more. Pages written for the tests."""

from __future__ import annotations

from digest.clean import clean_article

MENU = "".join(f"* Section {n}\n\n" for n in range(1, 30))
HEAD = "Bridge over the river closed after a crack is found\n\nBy River Times Staff\n\n"
DATED = HEAD + "March 3, 2029 10:43\n\n"
STORY = (
    "The old bridge over the river was closed on Monday after inspectors found a crack in one "
    "of its piers, the county's roads department said.\n\n"
    "The bridge will stay closed while engineers decide whether the crack can be repaired, and "
    "drivers are asked to use the new crossing north of the town.\n\n"
)
TEASERS = "".join(
    f"* Another story headline number {n}\n\n* By River Times Staff\n\n" for n in range(12)
)
LEGAL = (
    "The information on this website, including its news, community pages and all other "
    "content, is provided for general information only and is not a substitute for advice "
    "from a qualified professional; the publisher accepts no responsibility for any loss "
    "arising from reliance on it, and readers should always check details with the relevant "
    "authorities before acting on anything they read here, whatever the subject may be.\n\n"
    "Readers may contact the customer service centre with any questions or requests by "
    "telephone or by email on any working day between nine in the morning and five in the "
    "afternoon, and replies are usually sent within two working days of a request.\n\n"
)
FOOTER = "© 2029 The River Times. All rights reserved.\n"


def test_short_story_under_its_headline_beats_a_heavier_footer():
    page = "River Times\n\n" + MENU + DATED + STORY + TEASERS + MENU + LEGAL + FOOTER
    cleaned = clean_article(page)
    assert cleaned.body.startswith("The old bridge over the river was closed")
    assert "drivers are asked to use the new crossing" in cleaned.body
    assert "customer service centre" not in cleaned.body
    assert cleaned.title == "Bridge over the river closed after a crack is found"


def test_without_a_date_line_the_heaviest_text_still_wins():
    # No headline block to anchor the short text: the weight of prose decides, as before.
    page = "River Times\n\n" + MENU + HEAD + STORY + TEASERS + MENU + LEGAL + FOOTER
    assert "customer service centre" in clean_article(page).body


def test_a_headline_sharing_no_words_with_the_text_anchors_nothing():
    other = "Weather outlook for the weekend ahead\n\nMarch 3, 2029 10:43\n\n"
    page = "River Times\n\n" + MENU + other + STORY + TEASERS + MENU + LEGAL + FOOTER
    assert "customer service centre" in clean_article(page).body


def test_a_posted_by_line_with_a_full_date_is_a_date_line():
    head = "Bridge over the river closed after a crack is found\n\n"
    posted = "Posted by Jane Doe on March 3, 2029, 10:43 AM EST\n\n"
    page = "River Times\n\n" + MENU + head + posted + STORY + TEASERS + MENU + LEGAL + FOOTER
    assert clean_article(page).body.startswith("The old bridge over the river was closed")


def test_a_comments_title_over_its_date_anchors_nothing():
    # The story is long and has no date line; a reader's comment below it has both.
    story = STORY + "".join(
        f"Engineer number {n} said the crack in the pier would be measured again this week and "
        f"that the county would publish the results before deciding on repairs.\n\n"
        for n in range(1, 7)
    )
    comment = (
        "Comments\n\n"
        "Bridge over the river closed again\n\nMarch 4, 2029 08:00\n\n"
        "The bridge over the river has been closed again and again for years, and nobody in "
        "the county seems to care enough to replace it with a new one.\n\n"
        "I have lived in this town for thirty years and every council has promised a new "
        "crossing before each election, then forgotten all about it the week after, while the "
        "old one crumbles a little more every winter and the trucks keep using it anyway, "
        "and the school buses too, twice a day, full of children, which nobody at the county "
        "offices ever mentions when they talk about budgets and priorities at their meetings.\n\n"
    )
    page = "River Times\n\n" + MENU + HEAD + story + comment + FOOTER
    body = clean_article(page).body
    assert body.startswith("The old bridge over the river was closed")
    assert "nobody in the county seems to care" not in body


def test_the_story_starts_under_its_headline():
    # A menu long enough to read as prose sits above the headline block; it is the page's.
    menu = (
        "River Times News Politics Sport Business Opinion Culture Travel Weather Obituaries "
        "Puzzles Podcasts Newsletters Events Jobs Property Motoring Food Drink\n\n"
    )
    page = "River Times\n\n" + menu + DATED + STORY + MENU + FOOTER
    cleaned = clean_article(page)
    assert cleaned.body.startswith("The old bridge over the river was closed")
    assert cleaned.title == "Bridge over the river closed after a crack is found"
