"""bot/render.py: pure functions, tested directly (no Discord)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import discord
import pytest

from bot import render
from digest.models import Digest, Location, Meeting, Participant, SourceLink, Story
from digest.store.articles import Headline

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
LIVE_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")


def embed_chars(embed: discord.Embed) -> int:
    return len(embed)


@pytest.mark.parametrize(
    "text",
    [
        "@everyone look",
        "hey @here",
        "<@123456789012345678> and <@!123456789012345678> and <@&123456789012345678>",
        "<#123456789012345678> channel",
        "short ids <@1> <@&2>",
        "**bold** __under__ ~~strike~~ `code` ||spoiler||",
        "> quote at start\n# heading\n-# subtext\n1. list",
        "[link](https://evil.example) <t:1700000000:R>",
    ],
)
def test_escape_makes_text_inert(text):
    escaped = render.escape(text)
    assert LIVE_MENTION.search(escaped) is None
    assert "<t:" not in escaped
    for token in ("**", "__", "~~", "||"):
        assert token not in escaped.replace("\\" + token[0], "")
    assert not re.search(r"(?m)^\s*(> |# |-# |\d+\. )", escaped)
    assert re.search(r"(?<!\\)\[link\]\(", escaped) is None


@pytest.mark.parametrize("limit", [1, 5, 256, 1024])
def test_clip_respects_limits_and_never_ends_on_an_escape(limit):
    text = render.escape("*" * 5000)
    clipped = render.clip(text, limit)
    assert len(clipped) <= limit
    assert not clipped.rstrip("…").endswith("\\") or limit == 1


def test_clip_leaves_short_text_alone():
    assert render.clip("short", 10) == "short"


def huge_story(n: int) -> Story:
    sources = tuple(
        SourceLink(f"Source {i} " + "T" * 300, f"https://site{i}.example/{'a' * 200}", f"Site {i}")
        for i in range(40)
    )
    return Story(
        title=f"Story {n} " + "@everyone " * 80,
        summary=("A sentence with **markdown** and @here. " * 200,),
        sources=sources,
        topics=tuple(f"topic{i}" for i in range(100)),
        published=NOW,
    )


def test_huge_digest_splits_into_valid_messages_in_order():
    digest = Digest(
        generated_at=NOW,
        stories=tuple(huge_story(n) for n in range(30)),
        since=NOW,
        article_count=1200,
    )
    embeds = render.digest_embeds(digest, BERLIN)
    messages = render.pack(embeds)
    assert [e for m in messages for e in m] == embeds  # nothing lost, order kept
    assert len(messages) > 3
    for message in messages:
        assert 1 <= len(message) <= render.EMBEDS_PER_MESSAGE
        assert sum(embed_chars(e) for e in message) <= render.EMBED_TOTAL
        for embed in message:
            assert len(embed.title or "") <= render.TITLE
            assert len(embed.description or "") <= render.DESCRIPTION
            assert len(embed.fields) <= render.FIELDS
            for field in embed.fields:
                assert len(field.name) <= render.FIELD_NAME
                assert len(field.value) <= render.FIELD_VALUE
            assert LIVE_MENTION.search(str(embed.to_dict())) is None
    sources = embeds[1].fields[0].value
    assert sources.endswith("more") and "…and" in sources


def test_a_story_with_thousands_of_sources_renders_only_the_lines_shown(monkeypatch):
    # One story may gather every article of a busy day; its embed is rendered on the event loop,
    # so only the source lines that fit in the field are made, and the rest are counted.
    sources = tuple(
        SourceLink(f"Report {n} on the talks", f"https://news{n}.example/a", f"news{n}.example")
        for n in range(5000)
    )
    story = Story("Talks", ("They talked.",), sources)
    made = []
    real = render.source_line
    monkeypatch.setattr(render, "source_line", lambda s: made.append(s) or real(s))
    field = render.story_embed(story, BERLIN).fields[0]
    shown = field.value.split("\n")
    assert field.name == "Sources (5000)"
    assert shown[-1] == f"…and {5000 - (len(shown) - 1)} more"
    assert shown[:-1] == [real(s) for s in sources[: len(shown) - 1]]
    assert len(made) <= len(shown)  # the lines shown and the one that did not fit


def test_payloads_round_trip_through_json():
    digest = Digest(generated_at=NOW, stories=(huge_story(1),), since=NOW, article_count=1)
    payloads = render.digest_payloads(digest, BERLIN)
    back = [e.to_dict() for p in payloads for e in render.payload_embeds(p)]
    assert back == [e for p in payloads for e in p["embeds"]]


def test_empty_digest_says_so_in_the_guild_zone():
    embeds = render.digest_embeds(Digest(generated_at=NOW, stories=(), since=NOW), BERLIN)
    assert len(embeds) == 1
    assert embeds[0].title == "Parley digest — 26 Nov 2026 08:00 CET"
    assert embeds[0].description == "Nothing new since 26 Nov 2026 08:00 CET."


def test_source_links_cannot_break_out_of_markdown():
    line = render.source_line(SourceLink("A [tricky] title", "https://x.example/a b)c", "Site"))
    assert line == "• [A (tricky) title](https://x.example/a%20b%29c) — Site"
    assert render.source_line(SourceLink("Local", "/tmp/file.txt")) == "• Local"


def test_pack_refuses_an_oversized_embed():
    with pytest.raises(ValueError):
        render.pack(
            [
                discord.Embed(description="x" * 4096, title="t" * 256)
                .add_field(name="n" * 256, value="v" * 1024)
                .add_field(name="n" * 256, value="v" * 1024)
            ]
        )


def test_meeting_embed_within_limits():
    meeting = Meeting(
        status="held",
        kind="bilateral",
        evidence="@everyone " + "E" * 5000,
        date="2026-11-20",
        location=Location("Geneva", "Switzerland"),
        participants=tuple(Participant(f"Person {i}", "Minister", "X") for i in range(80)),
        topics=("trade", "nuclear"),
        sides=("A", "B"),
        id=42,
        sources=tuple(SourceLink(f"S{i}", f"https://s{i}.example") for i in range(9)),
    )
    embed = render.meeting_embed(meeting)
    assert embed.title == "#42 · Person 0 and Person 1 · 2026-11-20"
    assert len(embed) <= render.EMBED_TOTAL
    assert all(len(f.value) <= render.FIELD_VALUE for f in embed.fields)
    assert "see /meeting id:42" in embed.fields[-1].value
    full = render.meeting_embed(meeting, full=True)
    assert "S8" in full.fields[-1].value


@pytest.mark.parametrize(
    ("offset", "size", "total", "previous", "following", "label"),
    [
        (0, 5, 0, False, False, "No results"),
        (0, 5, 3, False, False, "Results 1–3 of 3"),
        (0, 5, 12, False, True, "Results 1–5 of 12"),
        (5, 5, 12, True, True, "Results 6–10 of 12"),
        (10, 5, 12, True, False, "Results 11–12 of 12"),
    ],
)
def test_page_table(offset, size, total, previous, following, label):
    page = render.Page(offset, size, total)
    assert (page.has_previous, page.has_next, page.label()) == (previous, following, label)


def test_page_navigation():
    page = render.Page(5, 5, 12)
    assert page.next().offset == 10 and page.previous().offset == 0
    assert render.Page(2, 5, 12).previous().offset == 0


def test_choices_are_capped_prefix_first_and_short():
    values = [f"zone/{i:03d}" for i in range(100)] + ["a" * 150, "Europe/Berlin", "Asia/Berlinish"]
    found = render.choices(values, "")
    assert len(found) == render.AUTOCOMPLETE_CHOICES
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in found)
    assert [c.value for c in render.choices(values, "berl")] == ["Asia/Berlinish", "Europe/Berlin"]
    assert [c.value for c in render.choices(["steel", "tariffs on steel"], "st")] == [
        "steel",
        "tariffs on steel",
    ]


def test_alert_payload_escapes_titles_and_adds_only_our_mention():
    article = Headline(1, "@everyone **Now**", "https://a.example/1", None)
    payload = render.alert_payload([(article, "trade")], mention="<@&5>")
    assert payload["content"] == "<@&5>"
    text = payload["embeds"][0]["description"]
    assert "@everyone" not in text and "**Now**" not in text and "*trade*" in text
    assert payload["embeds"][0]["title"] == "1 new article on your topics"
