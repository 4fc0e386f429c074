"""A small local Discord that refuses what Discord refuses: the REST routes and gateway events
Parley's bot uses, recorded, with Discord's documented limits always enforced (no lax mode).

Point the real discord.py client at it with ``emulator.patch_discord(monkeypatch)`` (REST base and
gateway URL), log in with any token, then drive it: ``await emulator.command(...)`` sends an
INTERACTION_CREATE the way Discord does and waits for the bot's answer; ``emulator.messages``
holds every message the bot posted; ``emulator.refusals`` every request Discord would have
refused, with its status and JSON body. Faults are injected with ``emulator.fail(...)``; time is
moved with a ``ManualClock`` passed as ``clock``.

Only what Parley touches is modelled; unknown routes answer 404 and are recorded in
``emulator.unhandled`` so a test can see what is missing.

Layout: this module holds the world (guilds, channels, roles, permissions); ``gateway.py`` the
sharded gateway; ``interactions.py`` the helpers that act as a user; ``rest.py`` the REST routes;
``validate.py`` Discord's limits on bodies; ``limits.py`` clocks, rate limits and the
invalid-request count; ``harness.py`` runs the real bot against it inside a test.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.discord_emulator.gateway import Gateway, Session
from tests.discord_emulator.interactions import Interaction, Interactions
from tests.discord_emulator.limits import InvalidRequests, RateLimits
from tests.discord_emulator.rest import API, RestRoutes

MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
ALL_PERMISSIONS = (1 << 51) - 1
# What @everyone may do in a new server, and what the bot's invite grants its own role.
EVERYONE_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY
BOT_DEFAULT = EVERYONE_DEFAULT


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with ``status`` instead of serving them."""

    method: str
    path: re.Pattern[str]
    status: int
    times: int = 1
    retry_after: float = 0.05
    accept: bool = False  # serve the request, then answer with the error anyway (response lost)


class Emulator(Gateway, Interactions, RestRoutes):
    """Discord's REST API and gateway for one bot application, in memory."""

    DM_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY

    def __init__(
        self,
        *,
        heartbeat_ms: int = 45_000,
        clock: Callable[[], float] = time.monotonic,
        nonce_window: float = 300.0,
        shard_count: int = 1,
        rate_limits: RateLimits | None = None,
    ) -> None:
        """``clock``: seconds, for Discord's deadlines (3 s, 15 min, the nonce window, the
        10-minute invalid-request window); ``nonce_window``: how long a nonce is remembered
        (Discord: "the past few minutes"); ``shard_count``: what GET /gateway/bot recommends,
        and the fewest shards the gateway accepts."""
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self.app_id = self.new_id()
        self.bot_user = {
            "id": str(self.new_id()),
            "username": "parley",
            "discriminator": "0",
            "global_name": "Parley",
            "avatar": None,
            "bot": True,
        }
        self.heartbeat_ms = heartbeat_ms
        self.clock = clock
        self.nonce_window = nonce_window
        self.shard_count = shard_count
        self.rate_limits = rate_limits or RateLimits()
        self.invalid = InvalidRequests()
        self.guilds: dict[int, dict[str, Any]] = {}
        self.channels: dict[int, dict[str, Any]] = {}  # every channel, guild or DM
        self.closed_dms: set[int] = set()  # users who refuse direct messages
        self._dms: dict[int, dict[str, Any]] = {}  # user id: their DM channel with the bot
        self.messages: list[dict[str, Any]] = []
        # The body of every message POST Discord took in, nonce and all (one per attempt, even
        # when the nonce made it a no-op or the answer was then lost): channel id, body.
        self.posted_bodies: list[tuple[int, dict[str, Any]]] = []
        self._nonces: dict[tuple[int, str], tuple[float, dict[str, Any]]] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.interactions: dict[str, Interaction] = {}
        self._by_token: dict[str, Interaction] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.refusals: list[tuple[str, str, int, dict[str, Any]]] = []  # method, path, status
        self.unhandled: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.identifies = 0
        self.identified_shards: list[tuple[int, int]] = []
        self.resumes = 0
        self.heartbeats = 0
        self.connected = asyncio.Event()
        self.sessions: dict[str, Session] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._runner: web.AppRunner | None = None
        self._posted = asyncio.Condition()
        self.url = ""

    # ----- lifecycle -------------------------------------------------------------------------
    async def start(self) -> Emulator:
        """Listen on a free local port."""
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/gateway", self._gateway)
        for method, path, handler in self._routes():
            app.router.add_route(method, API + path, handler)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        """Close the gateway and the server."""
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def gateway_url(self) -> str:
        """Where the bot's websocket connects."""
        return self.url.replace("http://", "ws://") + "/gateway"

    def patch_discord(self, monkeypatch: Any) -> None:
        """Point discord.py's REST base and default gateway at this emulator."""
        import discord.gateway
        import discord.http
        import yarl

        monkeypatch.setattr(discord.http.Route, "BASE", self.url + API)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url)
        )

    # ----- what Discord counted ----------------------------------------------------------------
    def invalid_requests(self) -> int:
        """401, 403 and counted 429 answers in the last 10 minutes (Discord bans at 10,000)."""
        return self.invalid.in_window(self.clock())

    def late_first_responses(self) -> list[Interaction]:
        """Interactions whose first callback came after Discord's 3 s and was refused."""
        return [
            i
            for i in self.interactions.values()
            if any(status == 404 and body.get("code") == 10062 for _, status, body in i.refused)
        ]

    # ----- world building --------------------------------------------------------------------
    def new_id(self) -> int:
        """A fresh snowflake."""
        return next(self._ids)

    def add_guild(
        self,
        name: str = "Test guild",
        channels: tuple[str, ...] = ("news",),
        *,
        guild_id: int | None = None,
    ) -> int:
        """A guild the bot is in, with text channels, a mentionable 'Readers' role, a
        'Quiet' role that is not mentionable (Discord's default for a new role), and the bot's
        own role with the permissions its invite granted; returns the guild's id."""
        guild_id = guild_id or self.new_id()
        everyone = self._role(guild_id, "@everyone", EVERYONE_DEFAULT)
        readers = self._role(self.new_id(), "Readers", mentionable=True)
        quiet = self._role(self.new_id(), "Quiet")
        own = {**self._role(self.new_id(), "Parley", BOT_DEFAULT), "managed": True}
        guild = {
            "id": str(guild_id),
            "name": name,
            "owner_id": str(self.new_id()),
            "roles": [everyone, readers, quiet, own],
            "channels": [],
            "members": [
                {
                    "user": self.bot_user,
                    "roles": [own["id"]],
                    "joined_at": "2024-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "member_count": 2,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "large": False,
            "unavailable": False,
            "preferred_locale": "en-US",
        }
        self.guilds[guild_id] = guild
        for position, channel_name in enumerate(channels):
            channel = {
                "id": str(self.new_id()),
                "type": 0,
                "name": channel_name,
                "position": position,
                "guild_id": str(guild_id),
                "permission_overwrites": [],
                "nsfw": False,
            }
            guild["channels"].append(channel)
            self.channels[int(channel["id"])] = channel
        return guild_id

    @staticmethod
    def _role(
        role_id: int, name: str, permissions: int = 0, *, mentionable: bool = False
    ) -> dict[str, Any]:
        return {
            "id": str(role_id),
            "name": name,
            "permissions": str(permissions),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": mentionable,
            "flags": 0,
        }

    def channel_id(self, guild_id: int, name: str = "news") -> int:
        """The id of a guild's text channel by name."""
        for channel in self.guilds[guild_id]["channels"]:
            if channel["name"] == name:
                return int(channel["id"])
        raise KeyError(name)

    def role_id(self, guild_id: int, name: str = "Readers") -> int:
        """The id of a guild's role by name."""
        for role in self.guilds[guild_id]["roles"]:
            if role["name"] == name:
                return int(role["id"])
        raise KeyError(name)

    def role(self, guild_id: int, role_id: int) -> dict[str, Any] | None:
        """A guild's role by id."""
        return next((r for r in self.guilds[guild_id]["roles"] if r["id"] == str(role_id)), None)

    def dm_channel(self, user_id: int) -> dict[str, Any]:
        """The DM channel between the bot and a user (opened on first use, as Discord does)."""
        if (known := self._dms.get(user_id)) is not None:
            return known
        channel_id = self.new_id()
        channel = {
            "id": str(channel_id),
            "type": 1,
            "recipients": [self.user(user_id)],
            "recipient_id": str(user_id),
            "last_message_id": None,
        }
        self.channels[channel_id] = channel
        self._dms[user_id] = channel
        return channel

    async def set_overwrite(
        self, channel_id: int, target_id: int, *, allow: int = 0, deny: int = 0, member: bool
    ) -> None:
        """Replace a channel's permission overwrite for a role or member (the bot's user id
        for the bot) and tell the bot with CHANNEL_UPDATE, as Discord does."""
        channel = self.channels[channel_id]
        kept = [o for o in channel["permission_overwrites"] if o["id"] != str(target_id)]
        kind = 1 if member else 0
        overwrite = {"id": str(target_id), "type": kind, "allow": str(allow), "deny": str(deny)}
        channel["permission_overwrites"] = [*kept, overwrite]
        await self.dispatch("CHANNEL_UPDATE", channel, int(channel["guild_id"]))

    async def forbid_posting(self, channel_id: int) -> None:
        """The bot may see the channel but not send in it (Discord answers 403, 50013)."""
        bot = int(self.bot_user["id"])
        await self.set_overwrite(channel_id, bot, deny=SEND_MESSAGES, member=True)

    def bot_permissions(self, channel_id: int) -> int:
        """The bot's permissions in a channel, by Discord's documented algorithm: @everyone,
        then the member's roles, then the channel's @everyone, role and member overwrites."""
        channel = self.channels[channel_id]
        if channel["type"] == 1:
            return self.DM_PERMISSIONS
        guild_id = int(channel["guild_id"])
        guild = self.guilds[guild_id]
        mine = {str(guild_id), *guild["members"][0]["roles"]}
        base = 0
        for role in guild["roles"]:
            if role["id"] in mine:
                base |= int(role["permissions"])
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        overwrites = {o["id"]: o for o in channel["permission_overwrites"]}
        if everyone := overwrites.get(str(guild_id)):
            base = (base & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for role_id in mine - {str(guild_id)}:
            if overwrite := overwrites.get(role_id):
                allow, deny = allow | int(overwrite["allow"]), deny | int(overwrite["deny"])
        base = (base & ~deny) | allow
        if member := overwrites.get(self.bot_user["id"]):
            base = (base & ~int(member["deny"])) | int(member["allow"])
        return base

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        accept: bool = False,
    ) -> None:
        """Answer the next ``times`` requests matching ``method`` and regex ``path``: ``status``."""
        self.faults.append(Fault(method, re.compile(path), status, times, retry_after, accept))

    # ----- what the bot did ------------------------------------------------------------------
    def messages_in(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages the bot posted in a channel, oldest first."""
        return [m for m in self.messages if int(m["channel_id"]) == channel_id]

    def dms_to(self, user_id: int) -> list[dict[str, Any]]:
        """Direct messages the bot sent to a user."""
        return [
            m
            for m in self.messages
            if self.channels[int(m["channel_id"])].get("recipient_id") == str(user_id)
        ]

    async def wait_for_messages(
        self, count: int, *, channel_id: int | None = None, timeout: float = 60
    ) -> list[dict[str, Any]]:
        """Wait until at least ``count`` messages were posted (in ``channel_id`` if given)."""

        def enough() -> bool:
            found = self.messages if channel_id is None else self.messages_in(channel_id)
            return len(found) >= count

        async with self._posted:
            await asyncio.wait_for(self._posted.wait_for(enough), timeout)
        return self.messages if channel_id is None else self.messages_in(channel_id)

    async def _notify(self) -> None:
        async with self._posted:
            self._posted.notify_all()
