"""How well a sentence reads on its own, outside its article: a factor in (0, 1].

A summary sentence is read without its neighbours. One that opens with "He added:" or "But",
a caption, a byline, a lone dateline or credit, or a "Read more" prompt confuses the reader
even when its words are central, so the summariser multiplies its score by
:func:`standalone_factor`.
"""

from __future__ import annotations

import re
from functools import cache

from digest.offices import office_heads, office_words

# Opening words that point back to an earlier sentence: a pronoun or connective, or a noun
# that only names what came before. A hyphen after one makes another word ("So-called…").
_ANAPHORIC_OPENING = re.compile(
    r"""^["'“‘(]?(?:
        he|she|they|it|this|these|those|that|his|her|their|its|him|them|there
      | but|and|or|so|also|yet|still|then|thus|hence|however|meanwhile|moreover
      | furthermore|instead|nevertheless|nonetheless|otherwise|besides|likewise
      | similarly|accordingly|consequently|therefore|additionally|indeed|again|both
      | the\ (?:two|three|four|five|six|seven|eight|nine|ten)(?![-\w])  # "The five met…"
      | in\ addition|as\ a\ result|at\ the\ same\ time|on\ the\ other\ hand
      | by\ contrast|in\ contrast|even\ so|for\ example|for\ instance
      | nor|such|the\ same|the\ latter  # "Nor did…", "Such a move…" (not "The former airport")
      # "Despite this, …", not "Despite this year's floods, …"
      | (?:despite|after|before|because\ of)\ (?:this|that|these|those)
        (?!\s+(?:year|week|weekend|month|season|morning|afternoon|evening|time)s?\b)
      # A noun that only names what the text said before it ("The move comes as…", "According
      # to the statement…"): shell nouns of news reports (general knowledge of English). Not
      # one that says what it is ("The attack on the embassy…", "The threat of a strike…").
      | (?:according\ to\ )?the\ (?:statement|announcement|decision|move|incident|attack
        |measure|proposal|deal|agreement|release|verdict|claims?|comments|remarks|step
        |request|allegations?|accusations?|warning|threat|offer)
        (?![-\w]|\s+(?:of|on|to|by|between|against|for|from|with|in|over|at)\b)
    )(?![-\w])""",
    re.IGNORECASE | re.VERBOSE,
)
# A prompt to follow a link ("Read the full ruling here.", "You can see the list here."): the
# link is not in a summary. The prompt opens the line (maybe after a short label or "you can").
_LINK_PROMPT = re.compile(
    r"^(?:[\w ]{1,20}:\s*)?(?:you\s+can\s+|you\s+may\s+)?"
    r"(?:click|tap|view|read|see|find|check|get|watch|listen|sign\s+up|subscribe|download)\b"
    r".{0,80}\bhere\s*[.!]?$",
    re.IGNORECASE,
)
# Web furniture (general knowledge of pages): a short prompt to work the page ("Click the
# photo to see…", "Swipe left for more", "Scroll down for video") that reports nothing, a
# line that is only a web address maybe with a label, and a run of hashtags (not rankings,
# "#1"). An address inside a sentence weighs less: a digest bullet holding one reads as a call
# to visit, rarely as the news.
_UI_PROMPT = re.compile(
    r"""^(?:click|tap|swipe|scroll)\s+(?:
        (?:on\s+)?(?:the|this|each|any|an?)\s+(?:photos?|images?|pictures?|gallery|videos?
          |arrows?|buttons?|icons?|links?|play)\b
      | (?:here|below|above)\b
      | (?:left|right|up|down)\s+(?:for|to)\b|(?:left|right|up|down)\W*$
      | through\s+the\s+(?:gallery|photos|images|pictures)\b
      | to\s+(?:see|view|read|watch|play|enlarge|open|continue|expand|load|subscribe|share
          |tweet|follow|listen)\b
      | for\s+(?:more|videos?|photos?|pictures?)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_UI_PROMPT_WORDS = 15  # a longer line is a sentence about the gesture ("Tap to pay launched…")
_REPORTED = re.compile(r"\b(?:said|says|warned|warns|told|added|according)\b")
_WEB_ADDRESS = re.compile(r"(?:https?://|\bwww\.)\S+", re.IGNORECASE)
_HASHTAG = re.compile(r"(?<![\w&])#(?!\d)\w")
# A caption's label ("Happy ending: The rescued dog…", "Rescue: Crews reached…"), the way
# many news sites open a photo caption or a teaser: one to three words, a colon, a capital. It
# weighs little rather than never counting: "Breaking: …" may still be the news. A speaker's
# lead-in ("The coach added: We were…", "She said:", "Mr Okafor: I did nothing wrong") is not
# one, and a label in capitals is a dateline ("LAGOS: Nearly 40…").
_LABEL = re.compile(r"^[A-Z][a-z’'-][\w’'-]*(?:\s[\w’'-]+){0,2}:\s+[A-Z]")
_SPEAKER_LABEL = re.compile(
    r"^(?:(?:he|she|they|it|we|i|one|another|others)\b"
    r"|(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|prof)\.?\s"
    r"|[^:]*\b(?:said|says|added|adds|told|"
    r"tells|wrote|writes|admits|admitted|explained|commented|asked|replied|insisted|continued|"
    r"warned|claimed|stated|posted|tweeted)\b)",
    re.IGNORECASE,
)
# A subject pronoun after an opening phrase ("After the vote, they left the hall…",
# "Speaking to reporters, she said…"): it points back just as an opening pronoun does.
_PRONOUN_AFTER_PHRASE = re.compile(r"^[^,\"“”]{3,60},\s(?:he|she|they)\s")
_CUT_OFF_OPENING = re.compile(
    r"^[\"'“‘(]?(?:(?:he|she|they)\s+(?:also\s+)?(?:added|said|says|told|continued|noted|went\s+on)"
    r"|but|however|meanwhile|moreover|furthermore|additionally|instead|nevertheless|nonetheless)\b",
    re.IGNORECASE,
)
# A speech lead-in that introduces a quote in the next sentence: "He added:", "She said:".
_QUOTE_LEAD_IN = re.compile(r"\b(?:added|said|says|told|explained|continued|wrote)\s*:$")
_CAPTION_START = re.compile(
    r"""^\W*(?:
        (?:photo|image|picture|video|caption|graphic|credit|source|watch|listen)s?\s*[:|-]
      | (?:left|right|above|below|top|bottom|inset|main\ picture)\s*:  # where the photo is
      | scroll\ down|click\ here|read\ more|read\ also|see\ also|advertisement
      | related(?:\ (?:stories|articles|news|coverage|content))?\s*[:|-]
      | sign\ up|subscribe|follow\ us|share\ this|copy\ link|leave\ a\ (?:reply|comment)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION_END = re.compile(
    r"\b(?:getty\ images|afp|reuters|ap\ photo|pa\ media|shutterstock|epa)\s*[)\]]?\s*$",
    re.IGNORECASE | re.VERBOSE,
)
# A photo caption's stage directions: "Ruiz, left, speaks with Okafor, right, ...", "(pictured)".
_CAPTION_POSE = re.compile(
    r",\s(?:left|right|centre|center|second\ (?:left|right)|front|rear)\s?,"
    r"|\((?:left|right|centre|center|pictured|above|below)\)|^\W*pictured\b",
    re.IGNORECASE | re.VERBOSE,
)
# A news-agency photo caption dates its picture in full, between commas, where article text
# says "on Friday": "Ruiz meets Okafor at the palace, Monday, March 3, 2031, in Lagos."
# (No sentence of the 3,462 evaluation articles has this form.)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CAPTION_DATE = re.compile(rf",\s{_WEEKDAY},\s{_MONTH}\s\d{{1,2}},\s\d{{4}}\b")
_BYLINE = re.compile(
    r"^\W*(?i:by|reporting\ by|written\ by|edited\ by|updated|published|posted)\b"
    r"(?:\s+[A-Z][\w.'-]*){0,4}\s*(?:,|and|$|\|)",
    re.VERBOSE,
)
# "LONDON (Reuters) -" or "WASHINGTON —" with almost nothing after it.
_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:\([^)]{1,30}\))?\s*[-—–:]+\s*\S{0,20}$")
# A dateline or credit the splitter cut off on its own: "London (CNN)", "(Rolling Stone)",
# "March 10, 2015 .", "©2031 The Example Herald.", "All rights reserved." The first form
# also takes a bare list entry ("Howard Webb (South Yorkshire)"), no summary either. Its words
# are possessive (*+): plain ones let the engine cut a long first word into up to four "words"
# every possible way before failing, which made this one pattern 2/3 of assess's time.
_CREDIT_ONLY = re.compile(
    rf"""^(?:
        (?:[A-Z][\w'-]*+[\s,]*+){{0,4}}+\([A-Z][^()]{{0,30}}\)\s*[-—–:]?
      | (?:{_WEEKDAY},?\s)?{_MONTH}\s\d{{1,2}},?\s\d{{4}}\s*\.?
      | (?:©|\(c\)|copyright\b).{{0,80}}
      | all\ rights\ reserved\.?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A page's time stamp or byline, cut into pieces by the splitter where the page put dots
# between its fields ("By .", "PUBLISHED: .", "19:31 EST, 19 September 2013 .", "| . UPDATED:
# .", "Last updated at 5:15 PM on 3rd January 2012 ."): nothing but stamp words, times, dates
# and separators, or a bare "By". Common page furniture on news sites (general knowledge of
# their layouts); a digest must never lead with it. Possessive quantifiers: the pieces and
# their separators cannot be re-cut on failure.
_STAMP_WORD = r"(?i:(?:last\s++|first\s++)?(?:updated|published|posted|modified|created))"
_MERIDIEM = r"\s*+(?i:[ap]\.?\s?m\b\.?)"
_CLOCK = rf"\d{{1,2}}(?:[:.]\d{{2}}(?:{_MERIDIEM})?+|{_MERIDIEM})(?:\s++[A-Z]{{2,4}}\b)?+"
_DAY = r"\d{1,2}(?i:st|nd|rd|th)?+"
# A stamp may leave the year out ("Updated Mar 3, 7:05 PM"): the line is stamp parts only.
_CALENDAR = (
    rf"(?:{_WEEKDAY},?\s++)?+"
    rf"(?:{_DAY}\s++{_MONTH}(?:,?\s++\d{{4}})?+|{_MONTH}\s++{_DAY}(?:,?\s++\d{{4}})?+)"
)
_STAMP = re.compile(
    rf"^[\W_]*+(?:(?:{_STAMP_WORD}|{_CALENDAR}|{_CLOCK}|(?i:at|on))(?!\w)[\s,.:;|\-–—]*+)++$"
)
_STAMP_FIELD = re.compile(rf"{_STAMP_WORD}|\d")
_BARE_BY = re.compile(r"^\W*(?i:by)\W*$")
# A name line: a name and maybe a role, every word capitalised but a few joining ones
# ("Nora Quill, Science Editor ."); after a bare "By" it is the byline's author.
_JOINING = frozenset(("and", "of", "the", "for", "in", "at", "&"))
_WORD = re.compile(r"\w+")
# Words glued by a broken page ("VotersIts plan"): a word run into a capitalised
# function word with no space. Only function words: company names written in one ("WorldCom",
# "DaimlerChrysler") are common in business news and must not lose.
_GLUED = re.compile(r"\b[A-Za-z]*[a-z]{2}(?:Its|The|And|Their|His|Her|This|That|But|With|From)\b")
# What every match of _GLUED holds (the function word with two lower-case letters before it),
# found with a fast scan: _GLUED itself tries its letter run at every word, and was two fifths
# of assess's time on sentences that almost never hold one.
_GLUED_WORD = re.compile(r"(?:Its|The|And|Their|His|Her|This|That|But|With|From)\b")
_TWO_LOWER = re.compile(r"[a-z]{2}")
# A function word capitalised mid-sentence before a lower-case word ("Spain And Its budget",
# "North And to agree"): a machine translation or a headline pasted into the text. Names such
# as "Department Of Justice" go on with a capital and are spared.
_CAPITAL_FUNCTION_WORD = re.compile(
    r"(?<=[\w,] )(?:And|Or|But|Its|Their|His|Her|With|Of|For|To|From|In|On|At|By)(?= [a-z])"
)
# What every match of _CAPITAL_FUNCTION_WORD holds, found by a faster scan (a space first).
_SPACED_FUNCTION_WORD = re.compile(
    r" (?:And|Or|But|Its|Their|His|Her|With|Of|For|To|From|In|On|At|By) [a-z]"
)
# A short list with no verb ("Important economic, social and cultural matters.") is a
# heading or the tail of a broken sentence. Without a tagger, a verb is: a form of be, have or
# do, a modal, a word ending in -ed or -ing, a common irregular verb (general English), or a
# word ending in -s before a lower-case word or figure ("declines to", "owns 28%").
_VERB = re.compile(
    r"""\b(?i:am|is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|shall
      | should|can|could|may|might|must|said|says|say|told|tell|tells|got|get|gets|went|goes
      | go|made|make|makes|took|take|takes|came|come|comes|saw|see|sees|knew|know|knows|gave
      | give|gives|found|find|finds|thought|think|thinks|became|become|becomes|left|put|set
      | hit|cut|ran|run|runs|won|win|wins|lost|lose|loses|rose|rise|rises|fell|fall|falls
      | held|hold|holds|met|meet|meets|kept|keep|keeps|paid|pay|pays|bought|sold|sell|sells
      | brought|began|begin|begins|shown|spoke|grew|grow|grows|seem|seems|want|wants|need|needs
      | \w{2,}(?:ed|ing))\b
    | \b[a-z]+[^s\W]s(?=\s+(?!and\b|or\b)[a-z0-9£$€])  # "declines to", "owns 28%"
    """,
    re.VERBOSE,
)
# A place alone, as a wire dateline the page or the splitter cut from its story ("SPRINGFIELD,
# Ill.", "ZURICH, SWITZERLAND"): a few capitalised words, a comma, a region (general news
# style, e.g. the AP's). Checked only when no verb is found. Possessive words, one space
# between them: a long word cannot be re-cut at each of its capitals.
_PLACE_ONLY = re.compile(
    r"^(?:[A-Z][\w.'’-]*+\s){0,3}[A-Z][\w.'’-]*+,\s[A-Z][\w.'’-]*+(?:\s[A-Z][\w.'’-]*+){0,2}$"
)
# A heading set in title case ("What Does The Tariff Mean?"): every long word capitalised, and
# no full stop at its end ("Novak Djokovic won Wimbledon." is a sentence).
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_LOWER_LONG_WORD = re.compile(r"(?<![^\W\d_])[a-z]{4}")
_HEADING_WORDS = 3
_SHORT_HEADING_WORDS = 4
# Prose ends its sentences; a line without an end mark is a heading, teaser or caption more
# often than a story's sentence.
_END_MARK = re.compile(r"[.!?…][\"'”’)\]]*$")
_END_CHARS = frozenset(".!?…")  # the common case, without the pattern
# A short sentence saying someone would not or could not comment tells the reader nothing new
# (a fixture of wire copy, general knowledge of news style); a longer one goes on to say more.
_NO_COMMENT = re.compile(
    r"\b(?:(?:declined|refused|had\s+no|was\s+not|were\s+not|not\s+immediately)\s+"
    r"(?:immediate\s+|available\s+|able\s+|to\s+|for\s+)*(?:comment|to\s+comment)"
    r"|did\s+not\s+(?:immediately\s+)?(?:respond|reply)\s+to\s+(?:a\s+|several\s+)?"
    r"(?:requests?|calls?|emails?|messages?)\s+(?:for|seeking)\s+comment"
    r"|could\s+not\s+(?:immediately\s+)?be\s+reached\s+for\s+comment)\b",
    re.IGNORECASE,
)
_NO_COMMENT_WORDS = 14
_VERBLESS_WORDS = 10  # longer pieces almost always hold a verb this list misses
# Only a list of things counts ("A, B and C."): a short statement whose verb the list above
# misses ("Talks resume on March 10 in Geneva.") keeps its score.
_LIST = re.compile(r"\b(?:and|or)\b")

# Captions, bylines and prompts are never a summary; the rest only read worse out of context,
# and stronger penalties for them cost ROUGE on BBC dev and CNN/DM validation alike. An opening
# pronoun's penalty is lifted when its antecedent is picked (digest.ranking.select), so it can
# stay stronger.
ANAPHORIC = 0.85
QUOTE_LEAD_IN = 0.7
# A line ending in a colon announces what follows it (a list, a tweet, a quote), which a
# summary does not show; it changed no ROUGE on BBC dev or CNN/DM validation at 0.88 or 0.3.
COLON_END = 0.3
FRAGMENT = 0.88
CAPTION = 0.1
SHORT = 0.88
# Measured on BBC dev and CNN/DM validation (issue #16, continued): a garbled or verbless piece
# should lose to any clean sentence of similar weight, and these cost no ROUGE there.
GARBLED = 0.25
VERBLESS = 0.5
UNENDED = 0.7
NO_COMMENT = 0.5
LABELLED = 0.2
LINKED = 0.5
CUT_OFF = CAPTION  # a text's first sentence opening "She added…": its start was lost


def standalone_factor(sentence: str) -> float:
    """A multiplier in (0, 1] for a sentence's score: 1 when it reads well on its own."""
    return assess(sentence)[0]


def refers_back(sentence: str) -> bool:
    """Whether the sentence opens by pointing to the one before it.

    That is a pronoun or connective ("He said…", "But…"), a noun that only names what came
    before ("The move…") or a person named by office alone ("The former vice president had…").
    Such a sentence reads fine right after its antecedent: the summariser lifts its
    :data:`ANAPHORIC` penalty once the sentence before it is in the summary. A caption stays
    a caption whatever precedes it.
    """
    return assess(sentence)[1]


def assess(sentence: str) -> tuple[float, bool]:
    """:func:`standalone_factor` and :func:`refers_back` of a sentence, read in one pass."""
    text = sentence.strip()
    words = text.split()
    if not _WORD.search(text):
        return CAPTION, False
    if (
        _CAPTION_START.match(text)
        or _CAPTION_END.search(text[-30:])
        or (_may_pose(text) and _CAPTION_POSE.search(text))
        or ("day," in text and _CAPTION_DATE.search(text))
        or _BYLINE.match(text)
        or _DATELINE_ONLY.match(text)
        or _CREDIT_ONLY.match(text)
        or _BARE_BY.match(text)
        or (_STAMP.match(text) and _STAMP_FIELD.search(text))
        or _is_heading(text, len(words))
        or (text.endswith(("here.", "here!", "here")) and _LINK_PROMPT.search(text))
        or (len(words) <= 6 and _PLACE_ONLY.match(text) and not _VERB.search(text))
        or _is_web_furniture(text, len(words))
    ):
        return CAPTION, False
    factor = 1.0
    if ("://" in text or "www." in text) and _WEB_ADDRESS.search(text):
        factor *= LINKED
    if text.endswith(":"):
        factor *= QUOTE_LEAD_IN if _QUOTE_LEAD_IN.search(text[-30:]) else COLON_END
    opens_back = (
        _ANAPHORIC_OPENING.match(text) is not None
        or _PRONOUN_AFTER_PHRASE.match(text) is not None
        or (text[:4] == "The " and _role_without_name(words))
    )
    if opens_back:
        factor *= ANAPHORIC
    if _is_fragment(text):
        factor *= FRAGMENT
    if len(words) < 5:
        factor *= SHORT
    if _garbled(text):
        factor *= GARBLED
    if len(words) <= _VERBLESS_WORDS and _LIST.search(text) and not _VERB.search(text):
        factor *= VERBLESS
    if not _ends(text) and not text.endswith(":"):
        factor *= UNENDED
    if len(words) <= _NO_COMMENT_WORDS and "omment" in text and _NO_COMMENT.search(text):
        factor *= NO_COMMENT
    if ":" in text[:60] and _LABEL.match(text) and not _SPEAKER_LABEL.match(text):
        factor *= LABELLED
    return factor, opens_back


def cut_off_opening(sentence: str) -> bool:
    """Whether a text's first sentence shows the text lost its start ("She added…", "But…").

    Only a speaker's pronoun going on ("He added", "She also said") or a connective of contrast
    or addition: a feature may well open with "She was 17 when…" or "It was…".
    """
    return _CUT_OFF_OPENING.match(sentence.strip()) is not None


def byline_author(before: str, sentence: str) -> bool:
    """Whether ``sentence`` is the author of a byline cut after its "By" (``before``).

    "By ." then "Nora Quill, Science Editor .": a short line of capitalised words only.
    """
    if not _BARE_BY.match(before):
        return False
    words = [w for w in sentence.replace(",", " ").split() if any(c.isalpha() for c in w)]
    return 0 < len(words) <= 8 and all(w[0].isupper() or w in _JOINING for w in words)


def _may_pose(text: str) -> bool:
    """What every _CAPTION_POSE match needs: two commas, a bracket or "pictured"."""
    return "(" in text or text.count(",") > 1 or "ictured" in text.lower()


# "The former vice president had…": a person named by office alone, who the article named
# before. Not "The president of the bank…" (the office described in full), "The chief
# financial officer at…" nor "The Prime Minister Keir Okafor…" (the name follows). Office
# words: digest/data/roles.tsv (digest.offices).
_BEFORE_OFFICE = frozenset(("former", "new", "late", "then", "outgoing", "incoming", "acting"))
# What follows the office in such a sentence: a verb (most end in -s or -ed) or a relative word.
_AFTER_OFFICE = frozenset(
    {
        "is", "was", "has", "had", "will", "would", "can", "could", "should", "may", "might",
        "must", "did", "does", "also", "who", "which", "then", "said", "told", "met",
    }
)  # fmt: skip
# Offices that are also adjectives or things ("The official figures show…", "The chair was
# empty"): after one, a word ending in -s is a plural noun as often as a verb, so only the
# words above or one ending in -ed count.
_OFFICE_ADJECTIVES = frozenset(
    ("official", "general", "chief", "executive", "head", "chair", "speaker", "leader", "principal")
)


@cache
def _office_ends() -> frozenset[str]:
    """The words an office's name ends with ("president", "minister", "envoy")."""
    return frozenset(head.split()[-1] for head in office_heads())


def _role_without_name(words: list[str]) -> bool:
    """Whether "The …" names a person by office alone: "The former vice president said…"."""
    role_words, last_words = office_words(), _office_ends()
    i = 1
    if i < len(words) and words[i].lower() in _BEFORE_OFFICE:
        i += 1
    start = i
    while i < len(words) and i - start < 4 and words[i].strip(",").lower() in role_words:
        if words[i].endswith(","):
            i += 1
            break
        i += 1
    office = words[i - 1].strip(",").lower()
    if i == start or office not in last_words:
        return False
    after = words[i].strip(",.") if i < len(words) else ""
    if words[i - 1].endswith(","):  # "The minister, who…", not "The President, Ada Okafor,…"
        return after[:1].islower()
    if not after[:1].islower():
        return False
    if after in _AFTER_OFFICE or after.endswith("ed"):
        return True
    return after.endswith("s") and office not in _OFFICE_ADJECTIVES


def _is_web_furniture(text: str, words: int) -> bool:
    """A prompt to work the page, a web address with at most a short label, or mostly hashtags.

    Each test runs only where its cheap part is found.
    """
    start = text.lstrip("\"'“‘([▶►»>•*-– ")
    if (
        start[:1] in "CcTtSs"
        and words <= _UI_PROMPT_WORDS
        and _UI_PROMPT.match(start)
        and not _REPORTED.search(text)
    ):
        return True
    if ("://" in text or "www." in text) and len(_WORD.findall(_WEB_ADDRESS.sub("", text))) < 3:
        return True
    if "#" in text:
        tags = len(_HASHTAG.findall(text))
        return tags >= 3 and 2 * tags >= words
    return False


def _is_heading(text: str, words: int) -> bool:
    """A title-case line: every long word capitalised.

    At least three of them, or a short line of them without an end mark ("Pre-Flight Checks").
    """
    if text.endswith(".") or _LOWER_LONG_WORD.search(text):  # most sentences: the answer is no
        return False
    long_words = _LONG_WORD.findall(text)
    if not long_words or not all(w[0].isupper() for w in long_words):
        return False
    return len(long_words) >= _HEADING_WORDS or (words <= _SHORT_HEADING_WORDS and not _ends(text))


def _ends(text: str) -> bool:
    """Whether ``text`` (stripped, not empty) closes with an end mark, maybe inside quotes."""
    return text[-1] in _END_CHARS or _END_MARK.search(text) is not None


def _garbled(text: str) -> bool:
    """A word run into a capitalised function word, or a function word capitalised mid-sentence.

    The two patterns are tried only where their cheap necessary parts are found.
    """
    for match in _GLUED_WORD.finditer(text):
        if match.start() >= 2 and _TWO_LOWER.match(text, match.start() - 2):
            if _GLUED.search(text):
                return True
            break
    return (
        _SPACED_FUNCTION_WORD.search(text) is not None
        and _CAPITAL_FUNCTION_WORD.search(text) is not None
    )


def _is_fragment(text: str) -> bool:
    """A piece of a quote or a sentence cut mid-way: lower-case start or unbalanced quotes."""
    first = text.lstrip("\"'“‘([")[:1]
    if first.islower():
        return True
    straight = text.count('"')
    return straight % 2 == 1 or text.count("“") != text.count("”")
