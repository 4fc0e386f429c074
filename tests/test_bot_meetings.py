"""End to end: /meetings with autocomplete and paging buttons, /meeting id, bad filters."""

from __future__ import annotations

import pytest

from tests.discord_emulator import Focused
from tests.discord_emulator.harness import running_bot


@pytest.fixture
def config(seeded_config):
    """Every test here reads the seeded store."""
    return seeded_config


def footer(message):
    return message["embeds"][-1]["footer"]["text"]


def buttons(message):
    return {b["label"]: b.get("disabled", False) for b in message["components"][0]["components"]}


async def test_meetings_pages_with_buttons(emulator, config):
    async with running_bot(config):
        first = await emulator.command(
            "meetings", guild_id=emulator.guild, user_id=1, person="Joe Biden"
        )
        assert not first["flags"] & 64  # public: results are worth sharing
        assert footer(first) == "Results 1–3 of 4"
        assert len(first["embeds"]) == 3
        assert all("Joe Biden" in str(e["fields"]) for e in first["embeds"])
        assert buttons(first) == {"Previous": True, "Next": False}
        second = await emulator.answer(
            await emulator.click(first, "Next", guild_id=emulator.guild, user_id=1)
        )
        assert footer(second) == "Results 4–4 of 4"
        assert buttons(second) == {"Previous": False, "Next": True}
        back = await emulator.answer(
            await emulator.click(second, "Previous", guild_id=emulator.guild, user_id=1)
        )
        assert footer(back) == "Results 1–3 of 4"
        stranger = await emulator.answer(
            await emulator.click(back, "Next", guild_id=emulator.guild, user_id=2)
        )
        assert "Only the person who ran /meetings" in stranger["content"]
        assert stranger["flags"] & 64


async def test_meetings_filters_combine(emulator, config):
    async with running_bot(config):
        reply = await emulator.command(
            "meetings", guild_id=emulator.guild, country="Russia", topic="military cooperation"
        )
        assert footer(reply) == "Results 1–1 of 1"
        assert "Dong Jun" in reply["embeds"][0]["title"]
        assert reply["components"] == []  # one page: no buttons
        words = await emulator.command("meetings", guild_id=emulator.guild, query="Kerry")
        assert "Kerry" in str(words["embeds"])


async def test_meetings_autocomplete_from_the_database(emulator, config):
    async with running_bot(config):
        g = emulator.guild
        people = await emulator.command("meetings", guild_id=g, person=Focused("jo"))
        names = [c["value"] for c in people["choices"]]
        assert {"John Kerry", "Joe Biden"} <= set(names) and len(names) <= 25
        sides = await emulator.command("meetings", guild_id=g, country=Focused("chi"))
        assert [c["value"] for c in sides["choices"]] == ["China"]
        topics = await emulator.command("meetings", guild_id=g, topic=Focused("nuc"))
        assert [c["value"] for c in topics["choices"]] == ["nuclear"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"since": "2024-13"}, "since"),
        ({"since": "2024", "until": "2023"}, "is after until"),
        ({"query": '"unbalanced'}, ""),
    ],
)
async def test_bad_filters_answer_ephemerally(emulator, config, options, message):
    async with running_bot(config):
        reply = await emulator.command("meetings", guild_id=emulator.guild, **options)
        assert reply["flags"] & 64
        assert message in reply["content"]
        assert "Something went wrong" not in reply["content"]


async def test_one_meeting_with_all_sources(emulator, config):
    async with running_bot(config):
        reply = await emulator.command("meeting", guild_id=emulator.guild, id=3)
        embed = reply["embeds"][0]
        assert embed["title"].startswith("#3 · ")
        assert any(f["name"] == "Sources" for f in embed["fields"])
        missing = await emulator.command("meeting", guild_id=emulator.guild, id=999)
        assert "no meeting #999" in missing["content"] and missing["flags"] & 64
