"""/parley source add against the local Discord: failures reach the admin as one line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.discord_emulator.harness import ADMIN, bot_config, newsroom, running_bot


@pytest.fixture
async def emulator(monkeypatch):
    async with newsroom(monkeypatch) as emu:
        yield emu


async def test_source_add_of_an_unknown_host_answers_one_line_naming_the_url(emulator, tmp_path):
    url = "http://no-such-host.invalid/feed"
    async with running_bot(bot_config(tmp_path)):
        reply = await emulator.command(
            "parley source add", guild_id=emulator.guild, permissions=ADMIN, url=url
        )
    assert reply["content"].startswith(f"{url}: cannot resolve no-such-host.invalid")
    assert "\n" not in reply["content"] and reply["flags"] & 64


async def test_source_add_of_a_home_page_adds_its_feed(emulator, tmp_path, httpserver):
    from tests.test_sources_polite import HOME
    from tests.test_sources_poll import rss, serve_feed

    httpserver.expect_request("/").respond_with_data(HOME, content_type="text/html")
    serve_feed(httpserver, "/feeds/all.xml", rss(httpserver, [1]))
    config = bot_config(tmp_path)
    config = replace(
        config, sources=replace(config.sources, allowed_hosts=(f"localhost:{httpserver.port}",))
    )
    async with running_bot(config):
        reply = await emulator.command(
            "parley source add",
            guild_id=emulator.guild,
            permissions=ADMIN,
            url=httpserver.url_for("/"),
        )
    assert reply["content"].startswith(f"Added feed <{httpserver.url_for('/feeds/all.xml')}>")
