"""Official titles as the press writes them around a name: which words belong to a role.

``names`` walks the words before and after a person's name; these functions decide where the
title starts and ends, from the head and modifier words of data/roles.tsv.
"""

from __future__ import annotations

from importlib import resources

from digest.meetings.gazetteer import gazetteer, side_of

# Forms of address, never part of the name itself: Sir, Dame and Lord are not abbreviations,
# so they are not in digest/titles.py.
HONORIFICS = {"mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr.", "sir", "dame", "lord"}
# Capitalised words that are never part of a person's name.
STOPWORDS = {
    line.strip()
    for line in resources.files("digest")
    .joinpath("data", "stopwords.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
}


def title_word(token: str, before: str, role_tokens: list[str]) -> bool:
    """True when a capitalised word right before a capitalised title belongs to it.

    The press writes a portfolio in title case before its head: "Fisheries Minister X". Before
    "and" ("Tourism and Culture Minister X") the word is taken only after a demonym or a
    determiner: in "met Kiptoo and Fisheries Minister X" it is another person's name.
    Calendar and function words are not portfolios.
    """
    joined = role_tokens[1:] if role_tokens and role_tokens[0].lower() == "and" else role_tokens
    if not joined or not joined[0][:1].isupper():
        return False
    if joined is not role_tokens and not (
        before.lower() in ("the", "his", "her", "its", "their") or side_of(before)
    ):
        return False
    low = token.lower()
    return (
        token[:1].isupper()
        and not token.isupper()
        and low not in STOPWORDS
        and low not in HONORIFICS
        and low.isalpha()
    )


def role_after(phrase: str) -> tuple[str | None, str | None]:
    """The role and side an apposition after a name gives: ", the Chilean foreign minister"."""
    gaz = gazetteer()
    side = None
    words: list[str] = []
    tokens = phrase.split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        low = token.lower()
        pair = " ".join(tokens[index : index + 2])
        if len(tokens) > index + 1 and side_of(pair):
            side = side or side_of(pair)
            index += 2
            continue
        index += 1
        if side_of(token) and token[:1].isupper():
            side = side or side_of(token)
            continue
        if low in gaz.role_words or low in gaz.role_heads:
            words.append(token)
            continue
        break
    return clean_role(words), side


def clean_role(tokens: list[str]) -> str | None:
    """The role the words give, ending at its last head word; None without a head word."""
    gaz = gazetteer()
    while tokens and tokens[0].lower() in ("of", "for", "the", "and", "'s"):
        tokens = tokens[1:]
    # End the role at its last head word ("director of the Bureau" -> "director").
    last_head = -1
    for index, token in enumerate(tokens):
        low = token.lower()
        two = " ".join(t.lower() for t in tokens[index - 1 : index + 1]) if index else ""
        if low in gaz.role_heads or two in gaz.role_heads or low == "state":
            last_head = index
    if last_head < 0:
        return None
    # Keep a trailing "for Africa" / "of Defence": part of the title as written.
    tail = tokens[last_head + 1 :]
    if (
        len(tail) >= 2
        and tail[0].lower() in ("for", "of")
        and all(t[:1].isupper() or t.lower() == "the" for t in tail[1:])
    ):
        last_head = len(tokens) - 1
    tokens = tokens[: last_head + 1]
    if tokens and tokens[-1].lower() == "state" and "of" not in [t.lower() for t in tokens]:
        return None if len(tokens) == 1 else " ".join(tokens)
    return " ".join(tokens) or None
