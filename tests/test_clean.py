"""The cleaner on the five seed pages, on pages from unseen sites, and on the held-out corpus."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest.clean import CleanedText, clean_article
from digest.reader import read_text_file
from digest.sentences import split_sentences

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CORPUS = REPO.parent / "shared" / "eval" / "meetings-corpus"
GOLD = REPO.parent / "shared" / "eval" / "meetings-dev"

SEED_NAMES = {
    "000": "000_65f2fbe02c6866c9.txt",
    "001": "001_050f5d3f44de8319.txt",
    "002": "002_cfd82ada6f8218eb.txt",
    "003": "003_5b903ab789c964ba.txt",
    "004": "004_15d38f3dc919dc95.txt",
}


def _clean_seed(seed: str) -> CleanedText:
    return clean_article(read_text_file(SEEDS / SEED_NAMES[seed]))


@pytest.fixture(scope="module")
def cleaned() -> dict[str, CleanedText]:
    return {seed: _clean_seed(seed) for seed in SEED_NAMES}


# --- metadata -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "title", "published", "site"),
    [
        ("000", "China, US to Hold 8th Security Cooperation Talks", None, "China Topix"),
        ("001", "China, US advance cooperation", date(2016, 1, 28), "China Daily"),
        (
            "002",
            "Talks between the United States and China begin with warnings about "
            "misunderstanding and miscalculation",
            None,
            "AFP",
        ),
        ("003", None, None, None),
        (
            "004",
            "US, Chinese officials hold constructive talks in Beijing",
            date(2023, 6, 6),
            "Caliber.az",
        ),
    ],
)
def test_seed_metadata(cleaned, seed, title, published, site):
    result = cleaned[seed]
    assert result.title == title
    assert (result.published.date() if result.published else None) == published
    assert result.site == site


def test_published_is_aware_utc(cleaned):
    for result in cleaned.values():
        if result.published is not None:
            assert result.published.utcoffset().total_seconds() == 0
    assert cleaned["004"].published == datetime(2023, 6, 6, 14, 1, tzinfo=UTC)


def test_title_is_not_in_the_body(cleaned):
    for result in cleaned.values():
        if result.title:
            assert result.title.casefold() not in result.body.casefold()


def test_body_paragraphs_are_separated_by_blank_lines(cleaned):
    for result in cleaned.values():
        paragraphs = result.body.split("\n\n")
        assert len(paragraphs) >= 10
        assert all(p.strip() == p and p and "\n" not in p for p in paragraphs)


# --- furniture gone -------------------------------------------------------------------------

JUNK = {
    "000": [
        "CHINA TOPIX",
        "05/14/2024",
        "Make CT Your Homepage",
        "Like Us on Facebook",
        "Real Time Analytics",
        "(Photo : Getty Images)",
        "China, US To Hold Eighth Security Cooperation Talks",
    ],
    "001": [
        "Home > Nation",
        "Thursday, January 28, 2016, 09:27",
        "By Zhang Yunbi and Li Xiaokun",
        "Wu Zhiyi",
        "Latest News",
        # The lead photo's caption leaves the body.
        "President Xi Jinping escorts US Secretary of State John Kerry",
    ],
    "002": [
        "See also",
        "Sweden is one step closer to NATO membership",
        "The Iranian Navy seizes an oil tanker",
        "rockslide over West Bay",
        "Leave a Reply",
        "Your email address will not be published",
        "Required fields are marked",
        "AP Photo",
        # Captions (some shown twice) leave the body.
        "Diaoyutai",
    ],
    "003": [
        "North Korea boldly claimed",
        "Mount Fuji",
        "Netflix",
        "Stranger Things",
        "UAE's dedication",
        "…",
        "This website uses cookies.",
        "Read More",
    ],
    "004": [
        "twitter",
        "youtube",
        "night_theme",
        "WHAT ARE YOU LOOKING FOR",
        "Any use of materials is allowed",
        "© 2025",
        "A+",
        "Views: 227",
        "Caliber.Az",
        "Share it on social media",
        "copy link",
        "Follow us on Telegram",
        "The most important world news",
        "loading",
        "06 June 2023 14:01",
    ],
}


@pytest.mark.parametrize("seed", sorted(JUNK))
def test_furniture_is_gone(cleaned, seed):
    body = cleaned[seed].body + "\n"
    for junk in JUNK[seed]:
        assert junk not in body, junk


def test_captions_are_set_aside_once_without_credit(cleaned):
    result = cleaned["002"]
    caption = (
        "US Secretary of State Antony Blinken, left, meets with Chinese Foreign Minister Wang Yi "
        "at Diaoyutai State Guesthouse, Friday, April 26, 2024, in Beijing, China."
    )
    assert caption not in result.body
    assert result.captions.count(caption) == 1  # the page shows it twice
    assert not any("(AP Photo" in text for text in result.captions)
    assert cleaned["001"].captions == (
        "President Xi Jinping escorts US Secretary of State John Kerry in Beijing on Jan 27 .",
    )


def test_subheads_inside_the_story_are_kept(cleaned):
    # Hand-made true bodies of news pages keep a story's subheads; recall comes first.
    paragraphs = cleaned["000"].body.split("\n\n")
    assert "US-China shaky relations" in paragraphs
    assert "Friendly moments" in paragraphs


# --- story kept -----------------------------------------------------------------------------

STORY = {
    "000": [
        "Beijing and Washington are set to hold a meeting on Thursday to discuss the current "
        "global security situation, missile defense and several other topics.",
        "Lu told the press that Chinese vice foreign minister Li Baodong and US undersecretary of "
        "state Rose Gottemoeller would co-chair the meeting",
        "Fu said the two countries should seriously think about Chinese President Xi Jinping's "
        "proposal that the China and US should avoid conflict as they move towards a new model of "
        "major country relations, respecting each other's sovereignty.",
    ],
    "001": [
        "Top diplomats from Beijing and Washington found more common ground on Wednesday on key "
        "issues including the latest nuclear test by Pyongyang.",
        "Kerry arrived in China on Tuesday after stops in Laos and Cambodia. He also met with "
        "State Councilor Yang Jiechi on Wednesday.",
        "Fan Jishe, a researcher of US studies at the Chinese Academy of Social Sciences, said "
        "Washington is still expecting Beijing to do more and to increase pressure on Pyongyang - "
        "an approach that has been opposed by China.",
    ],
    "002": [
        "Beijing (AFP) – US Secretary of State Anthony Blinken met on Friday with Chinese "
        "President Xi Jinping and senior Chinese officials",
        "Earlier, Blinken held lengthy talks with Chinese Foreign Minister Wang Yi and Public "
        "Security Minister Wang Xiaohong.",
        "He added: “Blaming China will not solve the problem, nor will it alleviate the negative "
        "situation of the parties involved in the Ukrainian crisis.”",
    ],
    "003": [
        "The White House has expressed its willingness to resume military-to-military "
        "communications with China, as part of its efforts to ease the rising tensions between "
        "the two superpowers.",
        "Biden and Xi are expected to hold another meeting later this year, possibly in Washington "
        "or Beijing.",
        "He also expressed his hope that both countries can work together on preventing nuclear "
        "proliferation and ensuring global peace and security.",
    ],
    "004": [
        "Senior Chinese and US officials have held talks in Beijing aimed at managing their "
        "increasingly fraught relationship, with both sides characterizing the meeting as "
        "productive despite lingering concerns over escalating tensions.",
        "“Both parties agreed to continue communication,” the ministry said.",
        "His remarks follow comments by Sullivan on Sunday that Biden and Xi would meet “at some "
        "point” as the two seek to “put a floor under the relationship.”",
    ],
}


@pytest.mark.parametrize("seed", sorted(STORY))
def test_story_sentences_are_kept_verbatim(cleaned, seed):
    for sentence in STORY[seed]:
        assert sentence in cleaned[seed].body, sentence


def test_body_starts_and_ends_with_the_story(cleaned):
    assert cleaned["000"].body.startswith("Beijing and Washington are set to hold a meeting")
    assert cleaned["003"].body.startswith("The White House has expressed its willingness")
    assert cleaned["004"].body.endswith("“put a floor under the relationship.”")
    assert cleaned["002"].body.endswith("involved in the Ukrainian crisis.”")


# Every line of a seed is either story (and then in the body, all of it) or one of these.
NOT_STORY = {
    "000": {
        "CHINA TOPIX",
        "05/14/2024 11:04:53 pm",
        "Make CT Your Homepage",
        "China, US to Hold 8th Security Cooperation Talks",
        "China, US To Hold Eighth Security Cooperation Talks",
        "Like Us on Facebook",
        "US-China shaky relations",
        "Deteriorating",
        "Friendly moments",
        "Real Time Analytics",
    },
    "001": {
        "Home > Nation",
        "Thursday, January 28, 2016, 09:27",
        "China, US advance cooperation",
        "By Zhang Yunbi and Li Xiaokun",
        "Latest News",
    },
    "002": {
        "Talks between the United States and China begin with warnings about misunderstanding and "
        "miscalculation",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    },
    "003": {"This website uses cookies.", "Read More"},
    "004": {"US, Chinese officials hold constructive talks in Beijing", "06 June 2023 14:01"},
}
_CREDIT = re.compile(r"^\(Photo : [^)]*\)\s*|\s*\((?:AP Photo/[^)]*|Wu Zhiyi / China Daily)\)$")


@pytest.mark.parametrize("seed", sorted(NOT_STORY))
def test_no_story_sentence_is_lost(cleaned, seed):
    raw = read_text_file(SEEDS / SEED_NAMES[seed])
    body = cleaned[seed].body
    lines = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    if seed == "003":  # the unrelated teasers that end the page
        lines = [line for line in lines if not line.endswith("…")]
    if seed == "004":  # everything outside the story's run is page furniture
        first = lines.index("US, Chinese officials hold constructive talks in Beijing")
        last = next(i for i, line in enumerate(lines) if line.startswith("His remarks follow"))
        lines = lines[first : last + 1]
    if seed == "002":
        lines = [line for line in lines if not line.startswith("See also")]
    # Captions are set aside, not lost.
    story = [
        _CREDIT.sub("", line)
        for line in lines
        if line not in NOT_STORY[seed] and _CREDIT.sub("", line) not in cleaned[seed].captions
    ]
    for line in story:
        assert line in body, line
        for sentence in split_sentences(line):
            assert sentence in body


# --- pages from unseen sites ----------------------------------------------------------------

UNSEEN_PAGE = """\
Skip to content
THE RIVERTON GAZETTE
Tuesday, 3 September 2030 08:15:42 AM
Subscribe
Sign in
News | Sport | Business | Opinion
World
Politics

Home » World » Asia

Foreign ministers meet in Oslo to restart fisheries talks

By Maria Jensen, Diplomatic Correspondent
Published: 2 September 2030, 17:40

Share on Facebook
Share on X
Copy link

OSLO (Riverton Gazette) — The foreign ministers of Norway and Iceland met in Oslo on Monday \
to restart talks on fishing quotas in the North Atlantic, officials said.
Advertisement
The two ministers spent three hours together and agreed to meet again in Reykjavik next month.
[Photo: Oslo harbour at dawn] Fishing boats wait in Oslo harbour on Monday. \
(Photo: Lars Berg / Reuters)
Talks broke down.
"We have found a way forward," Norway's foreign minister told reporters after the meeting.
Iceland's minister said the talks had been frank but useful, and that both sides would \
now consult their fishing industries before the next round.
Click here to sign up for our morning briefing
Related articles
Iceland and Norway trade blame over mackerel stocks
EU watches Nordic fishing row closely
Five things to know about the North Atlantic quota dispute
Comments (12)
Post a comment
Popular now
1. Riverton mayor announces budget
2. Storm warning for the weekend
We use cookies to personalise content and ads. By using this site you agree to our cookie policy.
Accept all cookies
© 2030 Riverton Media Group. All rights reserved.
Terms of use | Privacy | Contact
"""


def test_unseen_site_cleans_right():
    result = clean_article(UNSEEN_PAGE)
    assert result.title == "Foreign ministers meet in Oslo to restart fisheries talks"
    assert result.published == datetime(2030, 9, 2, 17, 40, tzinfo=UTC)  # not the masthead clock
    assert result.site == "The Riverton Gazette"
    assert result.body.split("\n\n") == [
        "OSLO (Riverton Gazette) — The foreign ministers of Norway and Iceland met in Oslo on "
        "Monday to restart talks on fishing quotas in the North Atlantic, officials said.",
        "The two ministers spent three hours together and agreed to meet again in Reykjavik next "
        "month.",
        "Talks broke down.",
        '"We have found a way forward," Norway\'s foreign minister told reporters after the '
        "meeting.",
        "Iceland's minister said the talks had been frank but useful, and that both sides would "
        "now consult their fishing industries before the next round.",
    ]
    # The photo's caption, credit off, is set aside.
    assert result.captions == ("Fishing boats wait in Oslo harbour on Monday.",)


TABLOID_PAGE = """\
Menu
News
Politics
World
Envoys agree to keep talking after tense meeting
By Sam Reed | June 6, 2023 | 14:01 BST
The envoys met for three hours in Geneva on Tuesday and agreed to keep talking.
It was tense.
Both sides said so.
Nobody walked out.
The next round is set for July.
Officials from both delegations described the atmosphere as difficult but said the talks had \
been worth holding.
What happens next
A second meeting in Vienna has been pencilled in for the end of July officials said
Share this article
Comments (3)
Great article, really informative and well written, thanks for covering this story.
I disagree with the envoys and think the whole process is a waste of everyone's time.
"""


def test_short_paragraphs_bylines_and_comments():
    result = clean_article(TABLOID_PAGE)
    assert result.title == "Envoys agree to keep talking after tense meeting"
    # "BST" is British or Bangladeshi time and the page says nothing of either: the date stays.
    assert result.published == datetime(2023, 6, 6, tzinfo=UTC)
    assert result.body.split("\n\n") == [
        "The envoys met for three hours in Geneva on Tuesday and agreed to keep talking.",
        "It was tense.",
        "Both sides said so.",
        "Nobody walked out.",
        "The next round is set for July.",
        "Officials from both delegations described the atmosphere as difficult but said the talks "
        "had been worth holding.",
        # A subhead is kept, and a sentence that lost its full stop.
        "What happens next",
        "A second meeting in Vienna has been pencilled in for the end of July officials said",
    ]


WIRE_COPY = """\
 3-APR-1987 13:30:26.07
MINISTERS TO MEET ON GRAIN EXPORTS
OTTAWA, April 3 - Agriculture ministers from Canada and
Australia will meet next week in Ottawa to discuss grain
export subsidies, officials said.
    The meeting was arranged after talks between the two
prime ministers last month, they said.
    "We expect a frank exchange," one official said.
 Reuter
"""


def test_wire_copy_is_unwrapped_and_dated_by_its_header():
    result = clean_article(WIRE_COPY)
    assert result.title == "MINISTERS TO MEET ON GRAIN EXPORTS"
    assert result.published == datetime(1987, 4, 3, 13, 30, 26, tzinfo=UTC)
    assert result.body.split("\n\n") == [
        "OTTAWA, April 3 - Agriculture ministers from Canada and Australia will meet next week in "
        "Ottawa to discuss grain export subsidies, officials said.",
        "The meeting was arranged after talks between the two prime ministers last month, they "
        "said.",
        '"We expect a frank exchange," one official said.',
    ]


def test_caption_under_the_headline_gives_no_publication_date():
    page = (
        "Leaders hold talks on the border dispute\n\n"
        "The two leaders shake hands in New Delhi, Friday, April 26, 2024. (AP Photo/Jane Doe)\n\n"
        "The two leaders met for two hours and agreed to set up a joint commission on the border.\n"
    )
    result = clean_article(page)
    assert result.published is None
    assert result.captions == ("The two leaders shake hands in New Delhi, Friday, April 26, 2024.",)
    assert result.body == (
        "The two leaders met for two hours and agreed to set up a joint commission on the border."
    )


def test_date_line_after_the_story_starts_is_not_the_publication_date():
    page = (
        "Leaders hold talks on the border dispute\n\n"
        "The two leaders met for two hours and agreed to set up a joint commission.\n\n"
        "Friday, April 26, 2024\n\n"
        "The commission will report within six months, officials from both sides said on Friday.\n"
    )
    result = clean_article(page)
    assert result.title == "Leaders hold talks on the border dispute"
    assert result.published is None


STORY_LINES = (
    "The two foreign ministers met in Oslo on Monday and agreed to resume talks next month.\n"
    "Officials on both sides described the meeting as constructive and said more would follow.\n"
)


@pytest.mark.parametrize(
    ("header", "published"),
    [
        (
            "Ministers meet in Oslo\nPosted on March 3, 2021 by admin\n",
            datetime(2021, 3, 3, tzinfo=UTC),
        ),
        ("June 6, 2023\nBy Sam Reed\nMinisters meet in Oslo\n", datetime(2023, 6, 6, tzinfo=UTC)),
        (
            "Ministers meet in Oslo\nUpdated: 2023-06-07 09:00\nPublished: 2023-06-06 08:30\n",
            datetime(2023, 6, 6, 8, 30, tzinfo=UTC),
        ),
        (
            "Ministers meet in Oslo\nJun 6, 2023 at 2:01 p.m. EDT\n",
            datetime(2023, 6, 6, 18, 1, tzinfo=UTC),
        ),
        (
            "Ministers meet in Oslo\n2023-06-06T14:01:00+02:00\n",
            datetime(2023, 6, 6, 12, 1, tzinfo=UTC),
        ),
        ("Ministers meet in Oslo\n2023-06-06\n", datetime(2023, 6, 6, tzinfo=UTC)),
        # A masthead clock: seconds on a 12-hour dial, and furniture between it and the headline.
        ("06/14/2030 10:04:53 pm\nSubscribe now\nMinisters meet in Oslo\n", None),
        ("Ministers meet in Oslo\n06/14/2030 10:04:53 pm\n", None),
        # A date without a year is not enough to date the article.
        ("Ministers meet in Oslo\nMonday, June 6\n", None),
    ],
)
def test_publication_date_from_the_header(header, published):
    result = clean_article(header + "\n" + STORY_LINES)
    assert result.title == "Ministers meet in Oslo"
    assert result.published == published
    assert result.body.startswith("The two foreign ministers met in Oslo on Monday")


def test_headline_under_a_list_of_other_headlines():
    page = (
        "Storm closes schools across the north\n"
        "City council approves new budget for parks\n"
        "Local team wins the regional championship\n"
        "Ministers meet in Oslo to restart fisheries talks\n\n" + STORY_LINES
    )
    assert clean_article(page).title == "Ministers meet in Oslo to restart fisheries talks"


@pytest.mark.parametrize(
    "heading", ["Comments", "Reader comments", "12 responses", "Leave a Reply"]
)
def test_story_resumes_after_a_related_box_but_not_after_comments(heading):
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart talks on "
        "fishing quotas in the North Atlantic.\n\n"
        "Related\n\nIceland and Norway trade blame over mackerel stocks\n\n"
        "The two ministers spent three hours together and agreed to meet again in Reykjavik "
        "next month, officials said.\n\n"
        f"{heading}\n\n"
        "I have followed this dispute for years and I do not think this meeting will change "
        "anything at all, sadly.\n"
    )
    assert clean_article(page).body.split("\n\n") == [
        "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart talks on "
        "fishing quotas in the North Atlantic.",
        "The two ministers spent three hours together and agreed to meet again in Reykjavik "
        "next month, officials said.",
    ]


def test_a_sentence_wrapped_over_two_lines_is_one_paragraph():
    page = (
        "Ministers meet in Oslo to restart fisheries talks\n\n"
        "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart\n"
        "talks on fishing quotas in the North Atlantic, officials said.\n\n"
        "Both sides called the meeting useful.\n"
    )
    assert clean_article(page).body.split("\n\n") == [
        "The foreign ministers of Norway and Iceland met in Oslo on Monday to restart talks on "
        "fishing quotas in the North Atlantic, officials said.",
        "Both sides called the meeting useful.",
    ]


# Story sentences that share words with site furniture, and must survive.
LOOKALIKES = [
    "Share prices fell on Monday after the talks in Geneva ended without an agreement.",
    "Copyright infringement was one of the topics the two trade ministers discussed.",
    "Regulators said the company had changed its privacy policy without telling users.",
    "The site uses cookies to track visitors, the data protection commissioner told reporters.",
    "Ad blocker use has doubled in Europe, according to a study the ministers cited.",
    "Most popular among the proposals was a joint fund for fishing communities, officials said.",
    "Search teams found the missing fishermen on Tuesday, the coast guard said.",
    "Related talks on energy will take place in Vienna next week, the ministry said.",
    "The newsletter, launched in 2019, has two million readers, the company said.",
    "Regulators said users could unsubscribe from the service at any time.",
]


def test_story_sentences_that_look_like_furniture_are_kept():
    page = "Ministers meet in Oslo to restart fisheries talks\n\n" + "\n\n".join(LOOKALIKES)
    assert clean_article(page).body.split("\n\n") == LOOKALIKES


def test_paragraph_opening_with_the_headline_words_is_kept():
    page = (
        "Ministers agree to meet again in Paris next month\n\n"
        "Ministers agree to meet again in Paris next month, officials said on Monday, after "
        "talks in Rome ended without a deal.\n\n"
        "Ministers agree to meet again in Paris next month\n"
    )
    result = clean_article(page)
    assert result.title == "Ministers agree to meet again in Paris next month"
    assert result.body == (
        "Ministers agree to meet again in Paris next month, officials said on Monday, after "
        "talks in Rome ended without a deal."
    )


def test_text_without_title_or_date():
    text = (
        "Officials from both countries met on Tuesday to discuss trade and agreed to meet again "
        "in the spring.\nThe talks were described as constructive by both delegations.\n"
    )
    result = clean_article(text)
    assert result.title is None
    assert result.published is None
    assert result.body == (
        "Officials from both countries met on Tuesday to discuss trade and agreed to meet again in "
        "the spring.\n\nThe talks were described as constructive by both delegations."
    )


# --- held-out corpus (only where ../shared is present) --------------------------------------

corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared eval corpus not present")

# Publication dates the texts state (SOURCES.md), None where the text gives none.
CORPUS_DATES = {
    "ho01_reuters21578_4008.txt": date(1987, 3, 11),
    "ho06_reuters21578_5190.txt": date(1987, 3, 15),
    "ho08_bbc2005_politics-035.txt": None,
    "ho14_giveme5w1h_29910dc81ae2.txt": date(2017, 11, 6),
    "ho18_giveme5w1h_af997466c1ce.txt": date(2017, 8, 29),
    "ho20_aeb_db6b0816c6.txt": date(2019, 11, 20),
    "ho21_aeb_82b6d780c7.txt": date(2019, 11, 20),
    "ho22_aeb_39d5c43beb.txt": date(2019, 11, 20),
    "ho23_readability_telegraph.txt": date(2017, 11, 16),
}


@corpus
@pytest.mark.parametrize("name", sorted(CORPUS_DATES))
def test_corpus_publication_dates(name):
    result = clean_article(read_text_file(CORPUS / name))
    assert (result.published.date() if result.published else None) == CORPUS_DATES[name]
    assert result.title


# (file, a story sentence that must survive, furniture that must go)
CORPUS_CASES = [
    (
        "ho20_aeb_db6b0816c6.txt",
        "Vietnam is one of the region’s most vocal critics of China’s sweeping territorial claims",
        ["Trending Now", "Most Popular", "Houston Chronicle Archives", "J.J. Watt", "© 2019"],
    ),
    (
        "ho21_aeb_82b6d780c7.txt",
        "“I think all of us thought it was inappropriate; the conversation did not continue and "
        "the meeting concluded,” Volker said.",
        ["Skip to main content", "[audio-play]", "View all (23)", "Trending", "Tarzan"],
    ),
    (
        "ho22_aeb_39d5c43beb.txt",
        "Trump is the final decision-maker in the US on any deal, and hasn't committed to any "
        "specifics so far, White House advisers say.",
        ["Share via", "Related stories", "India plans incentives", "We use cookies", "DH Picks"],
    ),
    (
        "ho23_readability_telegraph.txt",
        "Mr Mugabe is resisting mediation by a Catholic priest to allow the former guerrilla a "
        "graceful exit after the military takeover.",
        ["Upgrade to Premium", "Related Topics", "Show comments", "ad blocker", "Woolly"],
    ),
    (
        "ho01_reuters21578_4008.txt",
        "Yesterday, he held talks with Vice President George Bush, Secretary of State George "
        "Shultz and Commerce Secretary Malcolm Baldrige.",
        ["11-MAR-1987", "Reuter\n", "CLARK SAYS"],
    ),
    (
        "ho18_giveme5w1h_af997466c1ce.txt",
        "At the time North Korea said it was launching a telecommunications satellite, but "
        "Washington, Seoul and Tokyo believed Pyongyang was testing an ICBM.",
        ["MOST READ IN NEWS", "We pay for your stories", "2017-08-29T17:12:16"],
    ),
]


@corpus
@pytest.mark.parametrize(("name", "sentence", "junk"), CORPUS_CASES)
def test_corpus_pages_clean_right(name, sentence, junk):
    body = clean_article(read_text_file(CORPUS / name)).body + "\n"
    assert sentence in body
    for piece in junk:
        assert piece not in body, piece


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared gold labels not present")
@pytest.mark.parametrize("seed", sorted(SEED_NAMES))
def test_gold_meeting_evidence_survives_cleaning(cleaned, seed):
    gold = json.loads((GOLD / SEED_NAMES[seed].replace(".txt", ".json")).read_text())
    # Captions leave the body but stay on the record, where a meeting's evidence may sit.
    body = " ".join(" ".join((cleaned[seed].body, *cleaned[seed].captions)).split())
    assert gold["title"] == cleaned[seed].title
    published = cleaned[seed].published
    assert gold["published"] == (published.date().isoformat() if published else None)
    evidence = [m["evidence"] for m in gold["meetings"] if m.get("evidence")]
    assert evidence
    for quote in evidence:
        for piece in quote if isinstance(quote, list) else [quote]:
            assert " ".join(piece.split()) in body, piece
