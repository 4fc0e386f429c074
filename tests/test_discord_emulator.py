"""The local Discord refuses what Discord refuses: plain HTTP calls to the emulator's REST side.

Each limit is tried at the edge (accepted) and one past it (refused with Discord's status, code
and, for 50035, the ``errors`` tree). Deadlines move a ManualClock; nothing waits.
"""

from __future__ import annotations

import math

import aiohttp
import pytest

from tests.discord_emulator import Emulator, Focused, ManualClock, RateLimits
from tests.discord_emulator.limits import INVALID_LIMIT, BucketRule, InvalidRequests

API = "/api/v10"


@pytest.fixture
async def emu():
    emulator = await Emulator(clock=ManualClock()).start()
    emulator.guild = emulator.add_guild("Newsroom")
    emulator.news = emulator.channel_id(emulator.guild)
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def http(emu):
    async with aiohttp.ClientSession(emu.url + API + "/") as session:
        yield session


async def call(http, method, path, body=None):
    async with http.request(method, path.lstrip("/"), json=body) as response:
        text = await response.text()
        data = None
        if response.content_type == "application/json":
            data = await response.json()
        return response.status, response.headers, data if data is not None else text


async def post(http, emu, body, channel=None):
    return await call(http, "POST", f"channels/{channel or emu.news}/messages", body)


def first_error(body, *path):
    node = body["errors"]
    for key in path:
        node = node[str(key)]
    return node["_errors"][0]["code"]


# ----- message bodies -----------------------------------------------------------------------------
async def test_content_up_to_2000_characters(http, emu):
    status, _, _ = await post(http, emu, {"content": "x" * 2000})
    assert status == 200
    status, _, body = await post(http, emu, {"content": "x" * 2001})
    assert status == 400 and body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert first_error(body, "content") == "BASE_TYPE_MAX_LENGTH"
    assert len(emu.messages) == 1 and emu.refusals[-1][2] == 400


async def test_empty_message_is_refused(http, emu):
    status, _, body = await post(http, emu, {"content": "   "})
    assert (status, body["code"]) == (400, 50006)


@pytest.mark.parametrize(
    ("embed", "path"),
    [
        ({"title": "t" * 257}, ("embeds", 0, "title")),
        ({"description": "d" * 4097}, ("embeds", 0, "description")),
        ({"fields": [{"name": "n", "value": "v"}] * 26}, ("embeds", 0, "fields")),
        ({"fields": [{"name": "n" * 257, "value": "v"}]}, ("embeds", 0, "fields", 0, "name")),
        ({"fields": [{"name": "n", "value": "v" * 1025}]}, ("embeds", 0, "fields", 0, "value")),
        ({"fields": [{"name": "n", "value": ""}]}, ("embeds", 0, "fields", 0, "value")),
        ({"footer": {"text": "f" * 2049}}, ("embeds", 0, "footer", "text")),
        ({"author": {"name": "a" * 257}}, ("embeds", 0, "author", "name")),
    ],
)
async def test_each_embed_limit(http, emu, embed, path):
    status, _, body = await post(http, emu, {"embeds": [embed]})
    assert status == 400 and body["code"] == 50035
    assert first_error(body, *path) in ("BASE_TYPE_MAX_LENGTH", "BASE_TYPE_REQUIRED")
    assert emu.messages == []


async def test_embed_limits_at_the_edge_are_accepted(http, emu):
    embed = {
        "title": "t" * 256,
        "description": "d" * 4096,
        "fields": [{"name": "n" * 256, "value": "v" * 1024}],
        "footer": {"text": "f" * 100},
    }
    status, _, body = await post(http, emu, {"embeds": [embed]})
    assert status == 200, body


async def test_all_embeds_of_a_message_share_6000_characters(http, emu):
    embeds = [{"description": "d" * 3000}, {"description": "d" * 3000}]
    status, _, _ = await post(http, emu, {"embeds": embeds})
    assert status == 200
    embeds[1]["title"] = "t"  # 6,001 in all, each embed within its own limits
    status, _, body = await post(http, emu, {"embeds": embeds})
    assert status == 400 and first_error(body, "embeds") == "MAX_EMBED_SIZE_EXCEEDED"
    status, _, body = await post(http, emu, {"embeds": [{"title": "t"}] * 11})
    assert status == 400 and first_error(body, "embeds") == "BASE_TYPE_MAX_LENGTH"


def button(custom_id, label="Next"):
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


@pytest.mark.parametrize(
    ("components", "path"),
    [
        ([{"type": 1, "components": [button(f"b{r}")]} for r in range(6)], ("components",)),
        ([{"type": 1, "components": [button(f"b{i}") for i in range(6)]}], ("components", 0)),
        ([{"type": 1, "components": [button("c" * 101)]}], ("components", 0, "components", 0)),
        ([{"type": 1, "components": [button("b", "l" * 81)]}], ("components", 0, "components", 0)),
        ([{"type": 1, "components": [button("same"), button("same")]}], ("components", 0)),
        (
            [
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 3,
                            "custom_id": "pick",
                            "options": [{"label": str(i), "value": str(i)} for i in range(26)],
                        }
                    ],
                }
            ],
            ("components", 0, "components", 0, "options"),
        ),
    ],
)
async def test_component_limits(http, emu, components, path):
    status, _, body = await post(http, emu, {"content": "page", "components": components})
    assert status == 400 and body["code"] == 50035
    node = body["errors"]
    for key in path:
        node = node[str(key)]
    assert node  # the error sits where Discord puts it
    ok = [{"type": 1, "components": [button(f"b{i}") for i in range(5)]}] * 1
    status, _, _ = await post(http, emu, {"content": "page", "components": ok})
    assert status == 200


@pytest.mark.parametrize(
    "allowed",
    [
        {"parse": ["users"], "users": ["1"]},
        {"parse": ["roles"], "roles": ["1"]},
        {"parse": ["nobody"]},
        {"users": [str(n) for n in range(101)]},
        "none",
    ],
)
async def test_malformed_allowed_mentions_are_refused(http, emu, allowed):
    status, _, body = await post(http, emu, {"content": "hi", "allowed_mentions": allowed})
    assert status == 400 and "allowed_mentions" in body["errors"]


async def test_who_a_message_pings(http, emu):
    readers, quiet = emu.role_id(emu.guild, "Readers"), emu.role_id(emu.guild, "Quiet")
    text = f"@everyone <@&{readers}> <@&{quiet}> <@42>"
    _, _, default = await post(http, emu, {"content": text})
    assert default["mention_roles"] == [str(readers)]  # Quiet is not mentionable
    assert default["mention_everyone"] is False  # the bot may not mention everyone
    assert default["mentions"] == [{"id": "42"}]
    _, _, none = await post(http, emu, {"content": text, "allowed_mentions": {"parse": []}})
    assert (none["mention_roles"], none["mentions"], none["mention_everyone"]) == ([], [], False)


async def test_nonce_is_remembered_only_within_the_window(http, emu):
    body = {"content": "digest part 1", "nonce": "d1p0", "enforce_nonce": True}
    _, _, first = await post(http, emu, body)
    emu.clock.advance(emu.nonce_window - 1)
    _, _, again = await post(http, emu, body)
    assert again["id"] == first["id"] and len(emu.messages) == 1
    emu.clock.advance(2)  # past the window: Discord has forgotten the nonce
    _, _, later = await post(http, emu, body)
    assert later["id"] != first["id"] and len(emu.messages) == 2
    status, _, refused = await post(http, emu, {"content": "x", "nonce": "n" * 26})
    assert status == 400 and "nonce" in refused["errors"]


async def test_recent_messages_can_be_read_back(http, emu):
    for n in range(3):
        await post(http, emu, {"content": f"m{n}"})
    status, _, found = await call(http, "GET", f"channels/{emu.news}/messages?limit=2")
    assert status == 200 and [m["content"] for m in found] == ["m2", "m1"]  # newest first
    status, _, _ = await call(http, "GET", f"channels/{emu.news}/messages?limit=101")
    assert status == 400


# ----- where the bot may post -----------------------------------------------------------------
async def test_channel_without_send_permission_is_403_50013(http, emu):
    await emu.forbid_posting(emu.news)
    status, _, body = await post(http, emu, {"content": "digest"})
    assert (status, body["code"]) == (403, 50013)
    assert emu.invalid_requests() == 1 and emu.messages == []


async def test_dm_to_a_user_who_closed_dms_is_403_50007(http, emu):
    _, _, channel = await call(http, "POST", "users/@me/channels", {"recipient_id": "77"})
    emu.closed_dms.add(77)
    status, _, body = await post(http, emu, {"content": "alert"}, channel=channel["id"])
    assert (status, body["code"]) == (403, 50007)
    assert emu.invalid.by_status == {403: 1}


# ----- rate limits and the invalid-request count ----------------------------------------------
async def test_route_429_header_and_body_agree(http, emu):
    # A bucket that cannot reset during the test: no dependence on the machine's speed.
    emu.rate_limits.rules[("POST", "/channels/{id}/messages")] = BucketRule(2, 3600.0)
    statuses = [(await post(http, emu, {"content": str(n)}))[0] for n in range(2)]
    status, headers, body = await post(http, emu, {"content": "one too many"})
    assert statuses == [200, 200] and status == 429
    assert int(headers["Retry-After"]) == math.ceil(body["retry_after"])
    assert body["global"] is False and headers["X-RateLimit-Remaining"] == "0"
    assert headers["Via"]  # discord.py treats a 429 without it as a Cloudflare ban
    other = emu.channel_id(emu.add_guild("Other"))
    assert (await post(http, emu, {"content": "other channel"}, channel=other))[0] == 200
    assert emu.invalid_requests() == 1


async def test_global_429(http, emu):
    emu.rate_limits = RateLimits(global_per_second=2, global_window=3600.0)
    channels = [emu.channel_id(emu.add_guild(f"G{n}")) for n in range(3)]
    results = [await post(http, emu, {"content": "x"}, channel=c) for c in channels]
    status, headers, body = results[-1]
    assert [r[0] for r in results] == [200, 200, 429]
    assert body["global"] is True and headers["X-RateLimit-Global"] == "true"
    assert int(headers["Retry-After"]) == math.ceil(body["retry_after"])


async def test_invalid_requests_are_counted_per_10_minutes(http, emu):
    emu.closed_dms.add(5)
    _, _, channel = await call(http, "POST", "users/@me/channels", {"recipient_id": "5"})
    for _ in range(3):
        await post(http, emu, {"content": "x"}, channel=channel["id"])
    assert emu.invalid_requests() == 3
    emu.clock.advance(601)
    assert emu.invalid_requests() == 0 and emu.invalid.total == 3


def test_ten_thousand_invalid_requests_ban_the_client():
    invalid = InvalidRequests()
    for n in range(INVALID_LIMIT):
        invalid.record(403, n * 0.01)
    assert invalid.banned(INVALID_LIMIT * 0.01)
    shared = InvalidRequests()
    shared.record(429, 0.0, shared=True)
    assert shared.total == 0  # Discord does not count 429s of shared scope


async def test_banned_client_gets_cloudflare_answer(http, emu):
    emu.invalid.banned_until = emu.clock() + 10
    status, headers, body = await post(http, emu, {"content": "x"})
    assert status == 429 and isinstance(body, str) and "Via" not in headers


# ----- the command sync -----------------------------------------------------------------------
def command(name="digest", **extra):
    return {"name": name, "description": "Post the digest", "type": 1, **extra}


def option(name, required=False, **extra):
    return {"name": name, "description": "An option", "type": 3, "required": required, **extra}


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ([command("Digest")], (0, "name")),
        ([command("two words")], (0, "name")),
        ([command("x" * 33)], (0, "name")),
        ([command(description="")], (0, "description")),
        ([command(description="d" * 101)], (0, "description")),
        (
            [command(options=[option("a"), option("b", required=True)])],
            (0, "options", 1, "required"),
        ),
        ([command(options=[option(f"o{n}") for n in range(26)])], (0, "options")),
        ([command(options=[option("a"), option("a")])], (0, "options", 1, "name")),
        (
            [command(options=[option("a", choices=[{"name": "n" * 101, "value": "v"}])])],
            (0, "options", 0, "choices", 0, "name"),
        ),
        (
            [command(options=[option("a", choices=[{"name": "c", "value": "v"}] * 26)])],
            (0, "options", 0, "choices"),
        ),
        (
            [
                command(
                    options=[option("a", autocomplete=True, choices=[{"name": "c", "value": "v"}])]
                )
            ],
            (0, "options", 0, "autocomplete"),
        ),
        (
            [command(options=[{"name": "sub", "description": "s", "type": 1}, option("a")])],
            (0, "options"),
        ),
        ([command(), command()], (1, "name")),
    ],
)
async def test_command_sync_refuses_what_discord_refuses(http, emu, payload, path):
    status, _, body = await call(http, "PUT", f"applications/{emu.app_id}/commands", payload)
    assert status == 400 and body["code"] == 50035, body
    node = body["errors"]
    for key in path:
        node = node[str(key)]
    assert node["_errors"]
    assert emu.global_commands == []


async def test_guild_commands_cannot_be_offered_in_dms(http, emu):
    path = f"applications/{emu.app_id}/guilds/{emu.guild}/commands"
    status, _, body = await call(http, "PUT", path, [command(contexts=[0, 1])])
    assert status == 400 and "contexts" in body["errors"]["0"]
    status, _, stored = await call(http, "PUT", path, [command(contexts=[0])])
    assert status == 200
    _, _, again = await call(http, "PUT", path, [command(contexts=[0])])
    assert again[0]["id"] == stored[0]["id"]  # Discord keeps a command's id across syncs


# ----- interactions ---------------------------------------------------------------------------
async def sync(http, emu, *commands):
    status, _, body = await call(http, "PUT", f"applications/{emu.app_id}/commands", list(commands))
    assert status == 200, body


async def callback(http, interaction, body):
    path = f"interactions/{interaction.id}/{interaction.token}/callback"
    return await call(http, "POST", path, body)


REPLY = {"type": 4, "data": {"content": "done"}}


async def test_first_response_after_3_seconds_is_unknown_interaction(http, emu):
    await sync(http, emu, command())
    late = await emu.interact("digest", guild_id=emu.guild)
    emu.clock.advance(3.01)
    status, _, body = await callback(http, late, REPLY)
    assert (status, body["code"]) == (404, 10062)
    assert emu.late_first_responses() == [late]
    status, _, _ = await call(http, "POST", f"webhooks/{emu.app_id}/{late.token}", {"content": "x"})
    assert status == 404  # the token died with it
    on_time = await emu.interact("digest", guild_id=emu.guild)
    emu.clock.advance(2.99)
    assert (await callback(http, on_time, {"type": 5}))[0] == 200
    status, _, body = await callback(http, on_time, REPLY)
    assert (status, body["code"]) == (400, 40060)


async def test_followups_and_edits_end_after_15_minutes(http, emu):
    await sync(http, emu, command())
    interaction = await emu.interact("digest", guild_id=emu.guild)
    hook = f"webhooks/{emu.app_id}/{interaction.token}"
    status, _, body = await call(http, "POST", hook, {"content": "too early"})
    assert (status, body["code"]) == (404, 10015)  # nothing acknowledged yet
    await callback(http, interaction, {"type": 5})
    emu.clock.advance(15 * 60 - 1)
    assert (await call(http, "PATCH", f"{hook}/messages/@original", {"content": "ok"}))[0] == 200
    emu.clock.advance(2)
    status, _, body = await call(http, "PATCH", f"{hook}/messages/@original", {"content": "late"})
    assert (status, body["code"]) == (401, 50027)
    status, _, _ = await call(http, "POST", hook, {"content": "late"})
    assert status == 401 and emu.invalid_requests() == 2


async def test_replies_obey_message_limits(http, emu):
    await sync(http, emu, command())
    interaction = await emu.interact("digest", guild_id=emu.guild)
    status, _, body = await callback(
        http, interaction, {"type": 4, "data": {"content": "x" * 2001}}
    )
    assert status == 400 and "content" in body["errors"]
    assert interaction.responses == [] and interaction.refused[0][1] == 400
    assert (await callback(http, interaction, REPLY))[0] == 200  # still in time to answer


async def test_autocomplete_choices(http, emu):
    await sync(http, emu, command(options=[option("feed", autocomplete=True)]))
    asked = await emu.interact("digest", guild_id=emu.guild, feed=Focused("ht"))
    many = {"type": 8, "data": {"choices": [{"name": "c", "value": "v"}] * 26}}
    long = {"type": 8, "data": {"choices": [{"name": "c", "value": "v" * 101}]}}
    wrong = {"type": 4, "data": {"content": "not for autocomplete"}}
    for body in (many, long, wrong):
        status, _, answer = await callback(http, asked, body)
        assert status == 400 and answer["code"] == 50035
    ok = {"type": 8, "data": {"choices": [{"name": "n" * 100, "value": "v" * 100}] * 25}}
    assert (await callback(http, asked, ok))[0] == 200


async def test_dm_interactions(http, emu):
    await sync(
        http,
        emu,
        command("digest", contexts=[0]),
        command("topics", contexts=[0, 1]),
        command("setup", dm_permission=False),
    )
    sent = await emu.interact("topics", guild_id=None, user_id=99)
    assert "member" not in sent.payload and "guild_id" not in sent.payload
    assert sent.payload["user"]["id"] == "99" and sent.payload["context"] == 1
    assert sent.payload["channel"]["type"] == 1
    for guild_only in ("digest", "setup"):
        with pytest.raises(PermissionError):
            await emu.interact(guild_only, guild_id=None, user_id=99)
    assert (await callback(http, sent, REPLY))[0] == 200
