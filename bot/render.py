"""Digest, meetings and alerts -> Discord embeds. Pure: no network, no clock, no database.

This is the one place where text that came from an article is made safe for Discord: Markdown
escaped, mentions broken with a zero-width space, and every field cut to Discord's limits.
Senders add ``allowed_mentions`` on top (see ``bot.outbox``), so even a slip here cannot ping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import discord
from discord.utils import escape_mentions

from digest.models import Digest, Meeting, SourceLink, Story
from digest.store.articles import Headline

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
ALERT_LINES = 10  # articles listed in one alert message; the rest are counted
MEETINGS_PER_PAGE = 3
# A compact meeting embed's share of one message, leaving room for the page footer: every
# result of a page then fits in the one message that shows the page.
COMPACT_MEETING = (EMBED_TOTAL - 100) // MEETINGS_PER_PAGE

COLOUR = discord.Colour.blurple()
ZERO_WIDTH = "\u200b"
_ANGLE_MENTION = re.compile(r"<(?=[@#:]|/|t:|a:)")
_LINE_START_MARKUP = re.compile(r"^(\s*)(>>>\s|>\s|#{1,3}\s|-#\s|\d+\.\s|[-*+]\s)", re.MULTILINE)


# A URL as Discord auto-links it (left as is, or the link breaks), as discord.utils has it.
_URL = re.compile(r"<[^: >]+:/[^ >]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]")
_MARKUP_CHAR = re.compile(r"[\\*_~|`\[\]]")


def escape_markdown(text: str) -> str:
    """Every Markdown character outside URLs escaped, one by one.

    discord.utils.escape_markdown treats ``[...](...)`` as one token and escapes only its
    first character, so with two links on a line everything between them (``**bold**``, a
    second masked link) stayed live; brackets are escaped here on their own.
    """
    out, start = [], 0
    for url in _URL.finditer(text):
        out.append(_MARKUP_CHAR.sub(r"\\\g<0>", text[start : url.start()]))
        out.append(url.group())
        start = url.end()
    out.append(_MARKUP_CHAR.sub(r"\\\g<0>", text[start:]))
    return "".join(out)


def escape(text: str | None) -> str:
    """Text made inert: no Markdown, no @everyone/@here, no <@id>, <#id>, <t:..> tokens."""
    if not text:
        return ""
    text = escape_markdown(text)
    text = escape_mentions(text)
    text = text.replace("@", "@" + ZERO_WIDTH)  # any @handle, however short the id
    text = _ANGLE_MENTION.sub("<" + ZERO_WIDTH, text)
    return _LINE_START_MARKUP.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.endswith("\\"):  # never leave a dangling escape
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _link_text(text: str) -> str:
    escaped = escape(text).replace("\\[", "(").replace("\\]", ")")
    return escaped.replace("[", "(").replace("]", ")")


ECHO = 100  # characters of a user's own input quoted back to them


def echo(text: str | None, limit: int = ECHO) -> str:
    """What a user typed, quoted back: escaped, mention-proof, on one line, at most ``limit``."""
    flat = " ".join((text or "").split())
    return escape(clip(flat, limit))


def say(template: str, *, ours: dict[str, str] | None = None, **values: object) -> str:
    """A reply built from our ``template`` and user-given ``values``, safe and within limits.

    Every value is escaped and clipped (``echo``); ``ours`` holds text the bot made itself
    (a channel or role mention, a timestamp token), used as is. The result fits one message's
    content. Replies are composed here so that no user text reaches Discord unescaped.
    """
    safe = {k: v if isinstance(v, int) else echo(str(v)) for k, v in values.items()}
    return clip(template.format(**safe, **(ours or {})), CONTENT)


def safe_line(text: str, limit: int = CONTENT) -> str:
    """Text from elsewhere (an error message, a stored value) made inert and clipped."""
    return clip(escape(text), limit)


def shown_url(url: str, limit: int = 300) -> str:
    """A URL shown in a message without embedding a preview: ``<url>``, or escaped text.

    A URL that is not plain http(s) (or too long) is shown escaped and clipped instead, so it
    can neither break out of the brackets nor ping anyone.
    """
    safe = safe_url(url)
    if safe is not None and len(safe) <= limit and ">" not in safe:
        return f"<{safe}>"
    plain = clip(url, limit).replace("`", "'")
    return f"`{plain}`"


def safe_url(location: str | None) -> str | None:
    """An http(s) URL that cannot break out of Markdown link syntax, or None."""
    if not location or not location.startswith(("http://", "https://")):
        return None
    return quote(location, safe=":/?#&=%+,;~@!$'*.-_")


def public_title(title: str | None, location: str | None, site: str | None) -> str:
    """A title fit to show: never a file path (articles read from folders may have no title)."""
    is_web = bool(location) and location.startswith(("http://", "https://"))
    if title and (is_web or not location or (title != location and location not in title)):
        return title
    return site or "Untitled article"


def source_line(source: SourceLink) -> str:
    """One source as a Markdown line: linked title and site when it has a URL."""
    title = _link_text(public_title(source.title, source.location, source.site))
    url = safe_url(source.location)
    site = f" — {escape(source.site)}" if source.site else ""
    return f"• [{clip(title, 200)}]({url}){site}" if url else f"• {clip(title, 200)}{site}"


def _lines_within(lines: Iterable[str], limit: int, count: int | None = None) -> str:
    """Whole lines joined until ``limit``; a '…and N more' line says what was left out.

    ``lines`` is read only as far as it fits: given a generator and its ``count``, a story
    with a thousand sources renders the few lines shown, not all of them (on the event loop).
    """
    if count is None:
        lines = list(lines)
        count = len(lines)
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        more = f"…and {count - index} more"
        if used + len(line) + 1 + len(more) > limit and index < count - 1:
            kept.append(more)
            break
        kept.append(clip(line, limit - used))
        used += len(kept[-1]) + 1
    return clip("\n".join(kept), limit)


def story_embed(story: Story, zone: ZoneInfo) -> discord.Embed:
    """One story: title, summary sentences, sources, topics."""
    first_url = next((safe_url(s.location) for s in story.sources if safe_url(s.location)), None)
    embed = discord.Embed(
        title=clip(escape(story.title) or "Untitled", TITLE),
        url=first_url,
        description=clip(escape(" ".join(story.summary)), DESCRIPTION) or None,
        colour=COLOUR,
    )
    if story.sources:
        name = "Source" if len(story.sources) == 1 else f"Sources ({len(story.sources)})"
        embed.add_field(
            name=name,
            value=_lines_within(
                (source_line(s) for s in story.sources), FIELD_VALUE, len(story.sources)
            ),
            inline=False,
        )
    if story.topics:
        embed.add_field(
            name="Topics", value=clip(escape(", ".join(story.topics)), FIELD_VALUE), inline=False
        )
    if story.published:
        embed.set_footer(text=f"Published {local(story.published, zone)}")
    return fit(embed)


def fit(embed: discord.Embed, limit: int = EMBED_TOTAL) -> discord.Embed:
    """Shorten the embed until it holds at most ``limit`` characters (Discord's count).

    The description goes first, then the longest field values, so every field keeps a line.
    """
    excess = len(embed) - limit
    if excess > 0 and embed.description:
        keep = max(1, len(embed.description) - excess)
        embed.description = clip(embed.description, keep)
    while (excess := len(embed) - limit) > 0 and embed.fields:
        index, longest = max(enumerate(embed.fields), key=lambda item: len(item[1].value or ""))
        value = longest.value or ""
        if len(value) <= 1:
            break
        embed.set_field_at(
            index,
            name=longest.name,
            value=clip(value, max(1, len(value) - excess)),
            inline=longest.inline,
        )
    return embed


def local(moment: datetime, zone: ZoneInfo) -> str:
    """A moment shown in ``zone``, e.g. '26 Nov 2026 08:00 CET'."""
    return moment.astimezone(zone).strftime("%d %b %Y %H:%M %Z")


def digest_embeds(
    digest: Digest, zone: ZoneInfo, heading: str = "Parley digest"
) -> list[discord.Embed]:
    """A header embed followed by one embed per story, in rank order."""
    when = local(digest.generated_at, zone)
    if digest.is_empty:
        since = f" since {local(digest.since, zone)}" if digest.since else ""
        text = f"Nothing new{since}."
    else:
        stories = len(digest.stories)
        text = (
            f"{stories} {'story' if stories == 1 else 'stories'} from "
            f"{digest.article_count} article{'s' if digest.article_count != 1 else ''}"
        )
        if digest.since:
            text += f" since {local(digest.since, zone)}"
    header = discord.Embed(
        title=clip(f"{heading} — {when}", TITLE), description=text, colour=COLOUR
    )
    return [header, *(story_embed(story, zone) for story in digest.stories)]


def pack(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds split into messages, in order: at most 10 and 6,000 characters per message."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        length = len(embed)
        if length > EMBED_TOTAL:
            raise ValueError(f"an embed of {length} characters cannot be sent; clip it first")
        if current and (len(current) == EMBEDS_PER_MESSAGE or size + length > EMBED_TOTAL):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        messages.append(current)
    return messages


def digest_payloads(digest: Digest, zone: ZoneInfo, heading: str = "Parley digest") -> list[dict]:
    """The digest as message payloads (JSON-ready dicts) for the outbox, in posting order."""
    return [
        {"embeds": [embed.to_dict() for embed in message]}
        for message in pack(digest_embeds(digest, zone, heading))
    ]


def payload_embeds(payload: dict[str, Any]) -> list[discord.Embed]:
    """Embeds back from a stored payload."""
    return [discord.Embed.from_dict(data) for data in payload.get("embeds", [])]


# ----- meetings -------------------------------------------------------------------------------
def _participant(p: Any) -> str:
    role = f", {escape(p.role)}" if p.role else ""
    side = f" ({escape(p.side)})" if p.side else ""
    return f"• {escape(p.name)}{role}{side}"


def meeting_title(meeting: Meeting) -> str:
    """A one-line name for a meeting (escaped): who, or what kind, and when."""
    names = [p.name for p in meeting.participants[:2]]
    who = " and ".join(names) if names else meeting.kind.replace("_", " ").capitalize()
    when = meeting.date or meeting.date_text or "date unknown"
    text = escape(f"{who} · {when}")  # escaped here, so our own '#id' prefix stays plain
    return f"#{meeting.id} · {text}" if meeting.id is not None else text


def meeting_embed(meeting: Meeting, *, full: bool = False) -> discord.Embed:
    """One meeting; ``full`` adds every source (for /meeting id).

    The compact form is held to ``COMPACT_MEETING`` characters, so a page's three fit in
    one message.
    """
    field_limit = FIELD_VALUE if full else 400
    embed = discord.Embed(
        title=clip(meeting_title(meeting), TITLE),
        description=clip(escape(meeting.evidence), DESCRIPTION if full else 500),
        colour=COLOUR,
    )
    embed.add_field(name="Status", value=clip(escape(meeting.status), FIELD_VALUE), inline=True)
    if meeting.location and (meeting.location.city or meeting.location.country):
        place = ", ".join(x for x in (meeting.location.city, meeting.location.country) if x)
        embed.add_field(name="Place", value=clip(escape(place), FIELD_VALUE), inline=True)
    if meeting.sides:
        embed.add_field(name="Sides", value=clip(escape(", ".join(meeting.sides)), field_limit))
    if meeting.participants:
        lines = [_participant(p) for p in meeting.participants]
        embed.add_field(name="Participants", value=_lines_within(lines, field_limit), inline=False)
    if meeting.topics:
        embed.add_field(
            name="Topics", value=clip(escape(", ".join(meeting.topics)), field_limit), inline=False
        )
    if meeting.sources:
        sources = meeting.sources if full else meeting.sources[:3]
        lines = [source_line(s) for s in sources]
        if not full and len(meeting.sources) > 3:
            lines.append(f"…and {len(meeting.sources) - 3} more (see /meeting id:{meeting.id})")
        embed.add_field(name="Sources", value=_lines_within(lines, field_limit), inline=False)
    return fit(embed, EMBED_TOTAL if full else COMPACT_MEETING)


@dataclass(frozen=True)
class Page:
    """Where a page of results sits in the whole list."""

    offset: int
    size: int
    total: int
    capped: bool = False  # total is a lower bound (the store stops counting): "1000+"

    @property
    def has_previous(self) -> bool:
        """True when there are results before this page."""
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        """True when there are results after this page."""
        return self.capped or self.offset + self.size < self.total

    def previous(self) -> Page:
        """The page before this one."""
        return Page(max(0, self.offset - self.size), self.size, self.total, self.capped)

    def next(self) -> Page:
        """The page after this one."""
        return Page(self.offset + self.size, self.size, self.total, self.capped)

    def label(self) -> str:
        """'Results 6–10 of 23'."""
        if self.total == 0:
            return "No results"
        last = min(self.offset + self.size, self.total)
        return f"Results {self.offset + 1}–{last} of {self.total}{'+' if self.capped else ''}"


def meetings_page_embeds(
    meetings: Sequence[Meeting], page: Page, footer: str | None = None
) -> list[discord.Embed]:
    """A page of meeting results, each as an embed, the last one footed with the position."""
    if not meetings:
        return [discord.Embed(title="No meetings found", description=page.label(), colour=COLOUR)]
    embeds = [meeting_embed(m) for m in meetings[:MEETINGS_PER_PAGE]]
    embeds[-1].set_footer(text=clip(footer or page.label(), FOOTER))
    packed = pack(embeds)
    if len(packed) > 1:  # cannot happen with compact embeds; never drop a result silently
        raise ValueError("a page of meetings does not fit in one message")
    return packed[0]


# ----- notices --------------------------------------------------------------------------------
def paused_source_notice(url: str, error: str | None) -> str:
    """The message telling a channel that a source was paused: escaped, within 2,000."""
    return say(
        "Parley stopped reading {url} after repeated errors ({error}). An admin can check it "
        "with /parley source list and re-add it with /parley source add to try again.",
        ours={"url": shown_url(url, 500), "error": safe_line(error or "unknown error", 300)},
    )


# ----- alerts ---------------------------------------------------------------------------------
def alert_payload(
    articles_with_topics: Sequence[tuple[Headline, str]],
    mention: str | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    """A batched alert: one line per article (linked title, matched topic).

    The first ``ALERT_LINES`` are listed, the rest (up to ``total``) counted with where to
    read them.

    ``mention`` (a role or user mention) is ours, never article text.
    """
    lines = []
    for article, topic in articles_with_topics[:ALERT_LINES]:
        title = _link_text(public_title(article.title, article.location, article.site))
        url = safe_url(article.location)
        link = f"[{clip(title, 200)}]({url})" if url else clip(title, 200)
        lines.append(f"• {link} — *{clip(escape(topic), 100)}*")
    count = max(total or 0, len(articles_with_topics))
    if count > ALERT_LINES:
        topics = sorted({topic for _, topic in articles_with_topics})
        lines.append(
            f"…and {count - len(lines)} more; /digest topic:{clip(escape(topics[0]), 100)}"
            " shows them all"
        )
    embed = discord.Embed(
        title=f"{count} new article{'s' if count != 1 else ''} on your topics",
        description=_lines_within(lines, DESCRIPTION),
        colour=COLOUR,
    )
    payload: dict[str, Any] = {"embeds": [embed.to_dict()]}
    if mention:
        payload["content"] = mention
    return payload


CUT = "…"


def choice_value(item: str) -> str:
    """An autocomplete value for ``item`` within Discord's 100 characters.

    A longer item is offered as its first 99 characters and '…'; ``resolve_choice`` turns
    that back into the whole item.
    """
    return item if len(item) <= CHOICE_NAME else item[: CHOICE_NAME - 1] + CUT


def resolve_choice(given: str, items: Sequence[str]) -> str | None:
    """The item a value from ``choice_value`` stands for: itself, or the one it begins."""
    given = given.strip()
    if given in items or not given.endswith(CUT):
        return given if given in items else None
    matches = [item for item in items if item.startswith(given[:-1]) and len(item) > len(given)]
    return matches[0] if len(matches) == 1 else None


def choices(values: Sequence[str], current: str = "") -> list[discord.app_commands.Choice[str]]:
    """Autocomplete choices: those containing ``current`` (prefix matches first), at most 25.

    Each value resolves back to the whole item (``choice_value``, ``resolve_choice``).
    """
    needle = current.casefold().strip()
    hits = [v for v in values if needle in v.casefold()]
    hits.sort(key=lambda v: (not v.casefold().startswith(needle), v.casefold()))
    return [
        discord.app_commands.Choice(name=clip(v, CHOICE_NAME), value=choice_value(v))
        for v in hits[:AUTOCOMPLETE_CHOICES]
    ]


def local_minute(digest: Digest) -> str:
    """The generation time to the minute: what a rendered digest header shows."""
    return digest.generated_at.strftime("%Y-%m-%d %H:%M %z")
