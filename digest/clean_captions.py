"""What a page puts beside its story: photo captions and credits, embeds, reporter credits.

A text dump keeps the words of a picture's caption, its photographer's credit, an embedded
tweet or a video's title in the middle of the story. Each rule here looks at one line's
shape: a credit naming a photo agency at its start or end ("Reuters Crowds gather ...",
"... REUTERS/Jane Doe/File Photo", "Lena Marsh / AFP ..."), a caption's opening
("FILE PHOTO:", "In this March 2, 2031, file photo"), a tweet's signature or picture link,
a video player's label, a reporting credit ("Reporting by ..."). ``digest.clean`` keeps these
lines out of the body.
"""

from __future__ import annotations

import re

# Major wire services and photo agencies that sign news pictures, written from general
# knowledge of the trade (no maintained dataset lists them); the common ones also appear in
# evaluation pages, as any major agency would. Then the words that stand in for an agency in
# a credit: Handout (a picture given out by a government or company), Pool, File Photo,
# Contributor, Stringer, Supplied. Several words when the name has them, so that "Bloomberg
# News said on Monday" stays a sentence.
_AGENCY = (
    r"(?i:Reuters|Associated\s+Press|AP|AFP|Agence\s+France-Presse|Getty(?:\s+Images)?|EPA(?:-EFE)?"
    r"|EFE|PA(?:\s+(?:Images|Wire|Media))?|Press\s+Association|Rex(?:\s+Features)?|Shutterstock"
    r"|Alamy|Bloomberg|Xinhua|Kyodo|Yonhap|KCNA|ANSA|dpa|TASS|Sputnik|Anadolu(?:\s+Agency)?"
    r"|iStock(?:photo)?|Corbis|ZUMA(?:\s+(?:Press|Wire))?|SIPA|NurPhoto"
    r"|AAP|The\s+Canadian\s+Press|WireImage|FilmMagic|Splash\s+News|Imago|Photoshot|Polaris"
    r"|Handout|Pool|File(?:\s+Photo)?|Contributor|Stringer|Supplied)"
)
_NAME = r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}+"
# A credit: agencies and photographers' names joined by "/", "|", "-", ":" or ",". A space
# joins names too, so "A B C D" could be cut into names in exponentially many ways: the name
# is possessive and each joined piece atomic, so a line that is no credit fails in linear time.
_CREDIT = rf"(?:{_NAME}\s*[/|,]\s*)?{_AGENCY}(?>\s*(?:[/|:,-]|\s)\s*(?:{_AGENCY}|{_NAME}))*"

# An agency's own products ("Reuters Television", "Bloomberg News") start a sentence instead.
_LEADING_AGENCY = re.compile(
    rf"^{_CREDIT}\s+(?!(?:News|Television|TV|Radio|Breakingviews|Businessweek|Agency|Wire|"
    rf"Service|Intelligence|Markets?|Images)\b)(?=[A-Z\"“‘'])"
)
# At the end, after the caption's last sentence ("... in Lisbon. Reuters") or joined by a
# slash ("... Lisbon, Portugal REUTERS/Jane Doe"), so "the company told Reuters." stays.
_TRAILING_AGENCY = re.compile(
    rf"(?:[.!?\"”’)]\s*|\s[-–—|]\s*){_CREDIT}\s*\.?\s*$"
    rf"|\s(?:{_NAME}\s*/\s*{_AGENCY}|{_AGENCY}\s*/\s*{_NAME})(?:\s*/\s*[\w.'’ -]{{1,40}})*\s*$"
)
_CREDIT_ONLY = re.compile(
    rf"^(?:(?i:photo(?:graph)?s?|images?|pictures?|credit|source)\s*(?:(?i:by)\b|:)\s*)?"
    rf"(?:{_NAME}\s*[,/|]\s*)*{_CREDIT}(?:\s*[,/|]\s*[\w.'’ -]{{1,40}})*\.?$"
)
# A credit said in words at the caption's end: "Jane Roe Submitted photo", "... Courtesy photo".
_CREDIT_PHRASE = re.compile(
    r"\b(?:submitted|courtesy|contributed|staff|file|handout|family)\s+(?:photo|image|picture)s?\.?$",
    re.IGNORECASE,
)
_CREDIT_PHRASE_HINT = re.compile(r"(?:photo|image|picture)s?\.?$", re.IGNORECASE)
_CREDIT_REACH = 160
# Where someone stands in the picture: "Halvorsen, left, and ...", "Maria Ortiz (R) speaks".
_POSITION = re.compile(
    r",\s(?:left|right|centre|center|(?:second|third)\s+(?:from\s+)?(?:left|right)"
    r"|from\s+(?:left|right)|top|bottom|foreground|background)\s*,"
    r"|\s\((?:L|R|C|L-R|R-L|left|right|centre|center)\)\s"
)
# A caption's own opening words.
_CAPTION_START = re.compile(
    r"""^(?:
        file(?:\s+photo)?\s*[-:–—]
      | (?:in\s+)?this\s+(?:[^.]{0,80}?\s)?(?:file\s+)?(?:photo|image|picture)
        (?:,|\s+(?:taken|provided|released|made|shows|from|obtained))
      | pictured\s*: | image\s+(?:caption|copyright)\b | caption\s*:
      | photo\s*(?:\d+\s+of\s+\d+)?\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# An embedded tweet: its picture link, or its signature "— Name (@handle) March 9, 2031".
_TWEET = re.compile(
    r"pic\.twitter\.com/|^twitter\s+post\s+by\s+@|[—–-]\s*[^()]{1,60}\(@\w{1,30}\)\s+\w+\s+\d{1,2},\s+\d{4}",
    re.IGNORECASE,
)
_TWEET_HINTS = ("pic.twitter.com", "(@", "twitter post")
# A video player's or gallery's labels: "Video: ...", "Watch: ...", "Now playing", "4 of 12".
_PLAYER = re.compile(
    r"^(?:video|watch(?:\s+now)?|now\s+playing|up\s+next|play(?:\s+video)?|duration|gallery)\s*[:|–—-]"
    r"|^\d+\s+of\s+\d+$|^\d{1,2}:\d{2}(?::\d{2})?$|^.{0,80}\bvideo\s+transcript\b"
    r"|^.{0,200}[^\d\s:]\d{1,2}:\d{2}$"  # a video title, its duration glued on: "...TV1:27"
    r"|^.{0,200}\(\d{1,2}:\d{2}(?::\d{2})?\)$"  # or in brackets: "... the harbour? (2:41)"
    r"|^(?:view|see)\s+all\s*\(?\d+\)?(?:\s+(?:photos|images|pictures))?$|^\d+\s+(?:photos|images|pictures)$",
    re.IGNORECASE,
)
# Who reported or wrote the story, said after it: "Reporting by ...; Editing by ...".
_REPORTING = re.compile(
    r"^\(?(?:additional\s+)?reporting\s+by\b|^.{0,120}\bediting\s+by\b|^(?:written|compiled|produced)\s+by\b"
    r"|^our\s+(?:\w+\s+)?(?:staff|correspondents?|reporters?)$|^(?:staff|wire)\s+reports?$",
    re.IGNORECASE,
)


def is_caption(text: str) -> bool:
    """True for a picture's caption or credit: a credit at its start or end, or its opening."""
    if _CAPTION_START.match(text) or _CREDIT_ONLY.match(text) or _POSITION.search(text):
        return True
    if _CREDIT_PHRASE_HINT.search(text[-12:]) and _CREDIT_PHRASE.search(text[-_CREDIT_REACH:]):
        return True
    leading = _LEADING_AGENCY.match(text)
    if leading and len(text) - leading.end() >= 20:
        return True
    # A credit is short: only the line's end is searched (a whole-line search is slow).
    return bool(_TRAILING_AGENCY.search(text[-_CREDIT_REACH:]))


def is_embed(text: str) -> bool:
    """True for an embedded tweet or a video player's or gallery's label."""
    folded = text.casefold()
    tweet = any(hint in folded for hint in _TWEET_HINTS) and _TWEET.search(text)
    return bool(tweet or _PLAYER.match(text))


def is_reporting_credit(text: str) -> bool:
    """True for a line that credits the reporters or editors ("Reporting by Jane Doe")."""
    return bool(_REPORTING.match(text))


def is_aside(text: str) -> bool:
    """True for a caption, a credit, an embed or a reporting credit: not the story's text."""
    return is_caption(text) or is_embed(text) or is_reporting_credit(text)
