"""Line-level rules for cleaning scraped articles: what one line of a page looks like.

Each rule looks at the shape of one line (length, punctuation, capitals, what it starts
with) or at phrases that web-page furniture shares across sites ("Follow us on", "Read
more", cookie notices). None of them names a particular site. ``digest.clean`` combines
them with position (where the densest run of prose is) to find the story.
"""

from __future__ import annotations

import re
from functools import lru_cache

# List markers that page dumps (w3m, lynx, readability) put before menu and list items.
BULLET = re.compile(r"^(?:[•◦▪▫■□☆★○●◆◇▶►‣∙·]|\d{1,2}[.)](?=\s|$))\s*")

_TERMINAL = re.compile(r"[.!?。！？][\"'”’»)\]」』）]*$|[\"”’»」』][.!?。]?$")
_WORD = re.compile(r"\S+")
# Chinese, Japanese and Korean write words without spaces: two characters count as a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")

# Phrases that open a line of furniture on any site, matched at the start of a line.
# Strong ones are furniture whatever follows ("See also <teaser headline>").
_STRONG_START = re.compile(
    r"""^(?:
        see\s+also | also\s+(?:read|see) | read\s+(?:more|next|also|full)\b | related\s*:
      | click\s+here | tap\s+here | follow\s+(?:us|@) | like\s+us\s+on | copy\s+link
      | sign\s*(?:in|up|out)\b | log\s*(?:in|out)\b
      | you\s+(?:may|might)\s+(?:also\s+)?like | back\s+to\s+(?:top|gallery|home)
      | return\s+to\s+top | skip\s+to | jump\s+to | photo\s*: | photos?\s+by\b | image\s+\d
      | image\s*: | picture\s*: | caption\s*$ | tags?\s*: | filed\s+under | posted\s+in\b
      | (?:show|view|load|hide)\s+(?:all\s+)?comments | leave\s+a\s+(?:reply|comment)
      | (?:post|add)\s+a\s+comment | \d+\s+comments? | comments?\s*\( | ©
      | copyright\s*(?:©|\(c\)|\d{4}) | \(c\)\s*\d{4} | all\s+rights\s+reserved
      | cookie\s+(?:policy|settings|preferences|consent|notice) | we\s+use\s+cookies
      | this\s+(?:web)?site\s+uses | (?:download|get)\s+(?:the|our)\s+app | open\s+in\s+app
      | home\s*[>»›/|] | you\s+are\s+here | continue\s+reading\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Weak ones are furniture only on a line that is not a sentence ("Share", "Print",
# "Subscribe - first month free"), so "Share prices fell on Monday." survives.
_WEAK_START = re.compile(
    r"""^(?:
        share | related | register | subscribe | newsletter | advertisement | sponsored
      | promoted | trending | recommended | menu | search | loading | print | e-?mail
      | whatsapp | watch\s*: | listen\s*: | video\s*: | terms\s+(?:of|and) | privacy
      | premium | upgrade | login | logout | my\s+account | most\s+(?:read|popular|viewed|shared)
      | more\s+from | copyright | (?:the\s+)?(?:story|article|text)\s+continues\s+(?:below|after)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)

# Phrases that mark a line as furniture wherever they sit in it, checked on lines of at
# most 40 words. They speak to the reader about the site ("we use cookies", "follow us"),
# so a story sentence about cookies, ad blockers or Facebook does not match.
_FURNITURE_ANYWHERE = re.compile(
    r"""©|\b(?:
        (?:this|our)\s+(?:web)?site\s+uses\s+cookies | we\s+use\s+cookies
      | cookie\s+(?:policy|settings|preferences|consent|notice) | accept\s+(?:all\s+)?cookies
      | your\s+email\s+address\s+will\s+not\s+be\s+published | required\s+fields\s+are\s+marked
      | all\s+rights\s+reserved | make\s+\S+(?:\s+\S+){0,3}\s+your\s+home\s*page
      | (?:liked|enjoyed)\s+(?:the|this)\s+(?:story|article|post)
      | share\s+(?:it|this)?\s*(?:on|via|with)\s+(?:social|facebook|twitter|your)
      | follow\s+us\s+on | (?:join|find)\s+us\s+on | contributed\s+to\s+this\s+report
      | (?:turn\s+off|disabl\w*|pause)\s+your\s+ad\s*-?\s*block | whitelist\s+(?:us|our)
      | you(?:'|’)re\s+(?:using\s+an?\s+)?ad\s*-?\s*block
      | views?\s*:\s*[\d,.]+k?$ | sign\s+up\s+(?:for\s+(?:our|free)|now|today|here)
      | subscribe\s+(?:to\s+our|now|today|here) | click\s+here
      | for\s+more\s+(?:news|stories)\s+(?:from|like)
      | (?:news|updates|stories|headlines)\s+(?:in|to|straight\s+to)\s+your\s+inbox
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A reprint-permission notice: a site says on what terms its material may be copied ("This
# material may not be reprinted without the prior written permission of Example Media",
# "Reproduction is allowed only with a link to example.com"). Both parts must be on the line,
# an act of copying and a condition on it, so "The magazine reprinted the letter." stays.
_REUSE = re.compile(
    r"\b(?:reproduc(?:e[sd]?|ing|tion)|reprint(?:s|ed|ing)?|republish(?:e[sd]|ing)?|republication"
    r"|redistribut(?:e[sd]?|ing|ion)|copying|copied)\b",
    re.IGNORECASE,
)
_REUSE_TERMS = re.compile(
    r"""\b(?:
        (?:may|must|shall)\s+not\s+be | permitted | allowed | prohibited | forbidden
      | without\s+(?:the\s+)?(?:(?:prior|express|explicit|written)\s+)+(?:consent|permission)
      | permission\s+(?:of|from) | only\s+(?:with|if|when) | (?:hyper)?link
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_REPRINT_WORDS = 40


def is_reprint_notice(text: str) -> bool:
    """True for a site's notice on the terms of copying its material ("may not be reprinted")."""
    return (
        words(text) <= _REPRINT_WORDS
        and _REUSE.search(text) is not None
        and _REUSE_TERMS.search(text) is not None
    )


# A sign-up or app promo: its subject, said to the reader ("you", "our") or as an order
# ("Subscribe to ..."), so a story sentence about a newsletter or an app stays.
_PROMO = re.compile(
    r"""\b(?:(?:our|the|this)\s+(?:free\s+|daily\s+|weekly\s+)?newsletters?\b|(?:in|to)\s+your\s+inbox
      | send\s+(?:you\s+)?an?\s+email | unsubscribe | subscribe\s+to
      | download\s+(?:the|our)\s+(?:free\s+)?app)""",
    re.IGNORECASE | re.VERBOSE,
)
_TO_READER = re.compile(
    r"\b(?:you|your|we|our|us)\b|^(?:sign|subscribe|get|download|join|enter|click|tap)\b", re.I
)
# Site links that are furniture only on a line that is not a sentence: "Privacy Policy",
# but not "The company changed its privacy policy, regulators said."
_LINKS_ANYWHERE = re.compile(r"\b(?:privacy\s+policy|terms\s+of\s+(?:use|service))\b", re.I)

# Headings after which a page stops telling the story: comments, link lists, footers.
_SECTION_END = re.compile(
    r"""^(?:
        trending(?:\s+now|\s+news|\s+stories)? | most\s+(?:read|popular|viewed|shared|commented)\b.*
      | (?:latest|top|popular|editor'?s?)\s*(?:news|stories|picks|headlines)? | news\s+latest
      | (?:leave|post|add)\s+a\s+(?:reply|comment) | (?:show|view|load)\s+(?:all\s+)?comments
      | (?:\w+\s+){0,3}comments?(?:\s*\(\d+\))? | \d+\s+(?:responses?|replies)
      | join\s+the\s+(?:conversation|discussion) | have\s+your\s+say
      | topics? | tags? | galleries | follow(?:\s+\w+){0,3} | share(?:\s+this)?
      | about\s+us | contact\s+us | discover\s+more | explore(?:\s+more)?
      | (?:up\s+)?next(?:\s+(?:story|article|post))? | previous\s+(?:story|article|post)
      | \(\d+\)\s*comments?
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)
# Headings of a box of links, which sites also drop into the middle of a story ("Related").
_ASIDE = re.compile(
    r"""^(?:
        related(?:\s+\w+){0,2} | recommended(?:\s+\w+){0,2}
      | more\s+(?:from|stories|news|in|on|like)\b.* | you\s+(?:may|might)\s+(?:also\s+)?like.*
      | read\s+(?:more|next|also) | what\s+to\s+read\s+next | also\s+(?:read|see) | see\s+also
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# What a heading may trail: "You may also like...", "Related:".
_HEADING_TAIL = re.compile(r"\s*(?:\.{3}|…|:)$")

_COUNTER = re.compile(
    r"^(?:views?|reads?|hits|likes?|shares?|comments?)\s*:?\s*[\d,.]+\s*[km]?$", re.I
)
_SYMBOLS_ONLY = re.compile(r"^[\W\d_]*$")
_PLACEHOLDER = re.compile(r"^\[[^\]]*\]$")
# An image's alt text that a text dump prints before its caption: "[Photo: harbour] Boats...".
_LEADING_PLACEHOLDER = re.compile(r"^\[[^\]]{1,80}\]\s*(?=\S)")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,6}$")
_BREADCRUMB = re.compile(r"^[\w][\w .&'’-]{0,30}(?:\s*[>»›|]\s*[\w][\w .&'’-]{0,40}){1,6}$")
# A teaser cut off by the page: the line itself ends in an ellipsis (a quoted "..." ends
# in its closing quote instead).
_TRUNCATED = re.compile(r"\S\s?(?:…|\.{3})$")
_BYLINE = re.compile(
    r"^by\s+[A-Z]|\b(?:writer|correspondent|reporter|editor|staff|contributor|columnist)s?\b",
    re.IGNORECASE,
)

# Photo credits around captions: "(Photo : Getty Images) Text", "Text (AP Photo/Name)",
# "Text (Name / Agency)", "Text Credit: Jane Roe/EPA".
_LEADING_CREDIT = re.compile(
    r"^\((?:photo|image|picture|pic|credit|file\s+photo)s?\b[^()]{0,80}\)\s*", re.I
)
_TRAILING_CREDIT = re.compile(
    r"""\s*\((?:[^()]{0,60}\b(?:photos?|image|pictures?|credit|file|source|courtesy)\b[^()]{0,60}
             |[^()/]{1,60}/[^()]{1,60})\)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A bracket after the full stop that names who made the picture or the text: "(Associated
# Press)", "(AFP)", "(Jane Doe)" — a name, not an aside of the story ("(The family denies it.)",
# "(More)", "(see here)").
_BRACKET_AFTER_STOP = re.compile(r"(?<=[.!?])\s*\(([^()]{2,60})\)\s*$")
_NAME_WORD = r"(?:[A-Z][\w.'’&-]*|of|the|and|for|de|du|van|von|&)"
_NAME_WORDS = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}$")
# "... Credit: Jane Roe/EPA", "... Photo: Lena Marsh, AP / Copyright 2031 The Associated Press."
_CREDIT_TAIL = re.compile(r"\s+(?:credit|photo(?:graph)?|picture|image)s?\s*:\s*(.{1,160})$", re.I)
_RIGHTS = re.compile(r"copyright|©|rights\s+reserved", re.I)
# The toggle of a collapsible caption: "... harbour. less", "... the port ... more".
_TOGGLE = re.compile(r"(?:(?<=[.!?\"”’])\s+|\s*(?:…|\.{3})\s*)(?:more|less)$", re.I)


# The header of a reader's comment: "jdoe says:", "Priya on March 9, 2031 at 8:15 am said:".
_COMMENT_HEADER = re.compile(r"^\S.{0,80}\b(?:says|said|wrote)\s*:$", re.I)


_COMMENTS_HEADING = re.compile(
    r"comment|repl(?:y|ies)|responses?|conversation|discussion|have\s+your\s+say", re.I
)


def opens_comments(text: str) -> bool:
    """True for the heading or first header of the readers' comments under a story."""
    return is_comment_header(text) or (ends_section(text) and bool(_COMMENTS_HEADING.search(text)))


# The heading of the tags or topics under an article: the story does not go on past it.
_TAGS_HEADING = re.compile(
    r"^(?:tags?|topics?|categor(?:y|ies)|filed\s+under|posted\s+in)\s*:?$", re.I
)


def closes_story(text: str) -> bool:
    """True for the heading of an article's tags or topics ("Tags", "Filed under:")."""
    return _TAGS_HEADING.match(text) is not None


def names_comments(text: str) -> bool:
    """True for a short line about readers' comments ("Leave a Reply Cancel reply")."""
    return words(text) <= 6 and bool(_COMMENTS_HEADING.search(text))


def is_comment_header(text: str) -> bool:
    """True for a line shaped like the header of a reader's comment ("jdoe says:")."""
    return words(text) <= 12 and bool(_COMMENT_HEADER.match(text))


@lru_cache(maxsize=2048)
def words(text: str) -> int:
    """Number of words: whitespace-separated, or two CJK characters to a word."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(text)) + cjk // 2 if cjk else len(_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """True when the line ends like a sentence (full stop, ?, !, or a closing quote)."""
    return bool(_TERMINAL.search(text))


# A page's footer: its copyright line ("© 2031 Example Media Ltd. All Rights Reserved.").
_FOOTER = re.compile(r"^(?:©|\(c\)|copyright\b).{0,20}\d{4}|all\s+rights\s+reserved", re.I)
# A teaser's age in a list of links: "45M ago", "updated 5M ago", "2 hours ago".
_AGE = re.compile(
    r"^(?:updated\s+)?\d+\s*(?:[smhd]|mins?|minutes?|hrs?|hours?|days?|weeks?)\s+ago$", re.I
)


def is_footer(text: str) -> bool:
    """True for the page's copyright line, after which no story goes on."""
    return words(text) <= 30 and bool(_FOOTER.search(text))


def is_placeholder(text: str) -> bool:
    """True for an image's or an embed's placeholder a text dump prints: "[photo-1024x768]"."""
    return _PLACEHOLDER.match(text) is not None


# A bar of links a dump prints on one line: "Home | News | Sport | Weather | Contact".
_LINK_BAR = re.compile(r"\s[|•·]\s")
_LINK_BAR_PARTS = 4
_LINK_WORDS = 6


def is_link_bar(text: str) -> bool:
    """True for a line of four or more short items separated by bars or dots."""
    if "|" not in text and "•" not in text and "·" not in text:
        return False
    parts = _LINK_BAR.split(text)
    return len(parts) >= _LINK_BAR_PARTS and max(words(part) for part in parts) <= _LINK_WORDS


def is_furniture(text: str) -> bool:
    """True for a line that belongs to the page rather than the story."""
    n = words(text)
    if is_link_bar(text):
        return True
    if _SYMBOLS_ONLY.match(text) or _PLACEHOLDER.match(text) or _URL.match(text):
        return True
    if _COUNTER.match(text) or _DOMAIN.match(text) or _BREADCRUMB.match(text):
        return True
    if _AGE.match(text):
        return True
    if n > 3 and _TRUNCATED.search(text):
        return True
    if _STRONG_START.match(text):
        return True
    if _WEAK_START.match(text) and (n <= 2 or not ends_sentence(text)):
        return True
    if n <= 40 and _FURNITURE_ANYWHERE.search(text):
        return True
    if is_reprint_notice(text):
        return True
    if n <= 40 and _PROMO.search(text) and _TO_READER.search(text):
        return True
    return not ends_sentence(text) and _LINKS_ANYWHERE.search(text) is not None


def ends_section(text: str) -> bool:
    """True for a heading after which the page shows comments, link lists or footers."""
    heading = _heading(text)
    return words(heading) <= 6 and not ends_sentence(heading) and bool(_SECTION_END.match(heading))


def opens_aside(text: str) -> bool:
    """True for the heading of a box of links ("Related stories", "You may also like...")."""
    heading = _heading(text)
    return words(heading) <= 6 and not ends_sentence(heading) and bool(_ASIDE.match(heading))


def _heading(text: str) -> str:
    """A heading's words without the dots or colon it may trail."""
    return _HEADING_TAIL.sub("", text) if text.endswith((".", "…", ":")) else text


def is_prose(text: str) -> bool:
    """True for a paragraph of running text, long enough to anchor the story."""
    n = words(text)
    # A long line without a full stop is prose when it opens like a sentence; a list of
    # keywords or tags starts in lower case.
    return (n >= 10 and ends_sentence(text)) or (n >= 16 and not text[:1].islower())


def is_short_sentence(text: str) -> bool:
    """True for a short line that still reads as a sentence ("Kerry declined to comment.")."""
    return words(text) >= 3 and ends_sentence(text) and any(c.islower() for c in text)


_FUNCTION_WORD_LIST = (
    "a an the of to in on at for with by from and or but that as is are was were has have had "
    "will would said says"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())


def is_unpunctuated_sentence(text: str) -> bool:
    """True for a sentence that lost its full stop: long, and made of ordinary running words.

    Subheads and labels are a few words; a line of ten or more with several function words
    ("the", "of", "said") is story text even when the scraper dropped its punctuation.
    """
    tokens = text.split()
    if len(tokens) < 10 or is_byline(text) or not text[:1].isupper():
        return False
    return sum(1 for token in tokens if token.casefold() in _FUNCTION_WORDS) >= 3


def is_byline(text: str) -> bool:
    """True for an author line ("By X and Y", "Lena Marsh, AP Diplomatic Writer")."""
    return words(text) <= 14 and not ends_sentence(text) and bool(_BYLINE.search(text))


def looks_like_headline(text: str) -> bool:
    """True for a line shaped like a headline: a few words, a capital first, no full stop."""
    n = words(text)
    if not 4 <= n <= 30 or not 15 <= len(text) <= 220:
        return False
    if text.rstrip("\"'”’").endswith((".", ",", ";", ":", "…")) or not text[0].isupper():
        return False
    if is_furniture(text) or is_byline(text):
        return False
    return _LETTER.search(text) is not None


def strip_marks(text: str) -> str:
    """Remove what a text dump adds around a caption: "[image alt]" before, "more"/"less" after."""
    return _TOGGLE.sub("", _LEADING_PLACEHOLDER.sub("", text, count=1), count=1).strip()


def strip_leading_credit(text: str) -> str:
    """Remove a photo credit that a dump printed before a paragraph: "(Photo : X) Text"."""
    return _LEADING_CREDIT.sub("", text, count=1).strip()


def _names_someone(text: str) -> bool:
    """True for a bracket's words that name a person or an agency.

    Two or more capitalised words, or one in capitals ("AP", "AFP"); a lone "More" is a link.
    """
    words = text.split()
    if not _NAME_WORDS.match(text.strip()) or text.rstrip()[-1:] in ".!?":
        return False
    return len(words) >= 2 or (text.isupper() and len(text) >= 2)


def strip_credits(text: str) -> str:
    """Remove a photo credit before or after a caption, keeping the caption's words."""
    text = strip_leading_credit(text)
    text = _TRAILING_CREDIT.sub("", text, count=1)
    bracket = _BRACKET_AFTER_STOP.search(text)
    if bracket and _names_someone(bracket.group(1)):
        text = text[: bracket.start()]
    tail = _CREDIT_TAIL.search(text)
    if tail and ("." not in tail.group(1) or _RIGHTS.search(tail.group(1))):
        text = text[: tail.start()]
    return text.strip()
