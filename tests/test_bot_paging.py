"""/meetings pages: every result on some page, buttons that work after a restart and say when
a page is stale, and no server file path in any reply."""

from __future__ import annotations

import json

import pytest

from bot.render import EMBED_TOTAL, Page, meetings_page_embeds
from digest.models import Location, Meeting, Participant, SourceLink
from tests.conftest import SEEDS
from tests.discord_emulator.harness import running_bot, side_db


@pytest.fixture
def config(seeded_config):
    """Every test here reads the seeded store."""
    return seeded_config


def footer(message):
    return message["embeds"][-1]["footer"]["text"]


def big_meeting(number: int) -> Meeting:
    """A meeting whose every field is near its own limit."""
    return Meeting(
        status="held",
        kind="bilateral",
        evidence="E" * 4000,
        date="2024-05-14",
        location=Location(city="C" * 200, country="K" * 200),
        participants=tuple(Participant("P" * 90 + str(i), "R" * 90, "S" * 50) for i in range(20)),
        topics=tuple("t" * 40 + str(i) for i in range(30)),
        sides=tuple("s" * 60 + str(i) for i in range(20)),
        id=number,
        sources=tuple(
            SourceLink("T" * 250, f"https://news.example/{'a' * 150}/{i}") for i in range(5)
        ),
    )


def test_a_page_of_large_meetings_keeps_every_result_in_one_message():
    meetings = [big_meeting(n) for n in (1, 2, 3)]
    embeds = meetings_page_embeds(meetings, Page(0, 3, 10))
    assert [e.title.split(" · ")[0] for e in embeds] == ["#1", "#2", "#3"]
    assert sum(len(e) for e in embeds) <= EMBED_TOTAL
    assert embeds[-1].footer.text == "Results 1–3 of 10"


def test_file_paths_never_show_as_titles():
    from bot.render import source_line

    path = "/srv/parley/inbox/2024/secret-draft.txt"
    line = source_line(SourceLink(title=path, location=path, site=None))
    assert "/srv" not in line and "secret-draft" not in line
    titled = source_line(SourceLink(title="Talks resume", location=path, site=None))
    assert "Talks resume" in titled and "/srv" not in titled


async def test_meetings_replies_show_no_server_paths(emulator, config):
    async with running_bot(config):
        for person in ("Joe Biden", "Antony Blinken", "Xi Jinping"):
            reply = await emulator.command("meetings", guild_id=emulator.guild, person=person)
            assert str(SEEDS) not in json.dumps(reply), person
            assert ".txt" not in json.dumps(reply), person
        for meeting_id in (1, 2, 3):
            one = await emulator.command("meeting", guild_id=emulator.guild, id=meeting_id)
            assert str(SEEDS) not in json.dumps(one) and ".txt" not in json.dumps(one)


async def test_paging_buttons_work_after_a_restart_and_say_when_stale(emulator, config):
    async with running_bot(config):
        first = await emulator.command(
            "meetings", guild_id=emulator.guild, user_id=1, person="Joe Biden"
        )
        assert footer(first) == "Results 1–3 of 4"
    async with running_bot(config) as bot:  # a new process: the old message's buttons still work
        second = await emulator.answer(
            await emulator.click(first, "Next", guild_id=emulator.guild, user_id=1)
        )
        assert footer(second) == "Results 4–4 of 4"
        # A page whose results changed since it was shown says so.
        stale = json.loads(json.dumps(second).replace(":4:1", ":5:1"))
        back = await emulator.answer(
            await emulator.click(stale, "Previous", guild_id=emulator.guild, user_id=1)
        )
        assert footer(back).startswith("Results changed since this page was shown")
        assert footer(back).endswith("Results 1–3 of 4")
        # A list no longer kept says that, to the presser only.
        side_db(bot).execute("delete from meeting_queries")
        side_db(bot).conn.commit()
        gone = await emulator.answer(
            await emulator.click(second, "Previous", guild_id=emulator.guild, user_id=1)
        )
        assert "no longer kept" in gone["content"] and gone["flags"] & 64
    assert emulator.refusals == []
