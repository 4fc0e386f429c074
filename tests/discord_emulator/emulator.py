"""A small local Discord: the REST routes and gateway events Parley's bot uses, recorded.

Point the real discord.py client at it with ``emulator.patch_discord(monkeypatch)`` (REST base and
gateway URL), log in with any token, then drive it: ``await emulator.command(...)`` sends an
INTERACTION_CREATE the way Discord does and waits for the bot's answer; ``emulator.messages``
holds every message the bot posted. Faults are injected with ``emulator.fail(...)``.

Only what Parley touches is modelled; unknown routes answer 404 and are recorded in
``emulator.unhandled`` so a test can see what is missing.

Layout: this module holds the world (guilds, channels, roles), the gateway and the helpers that
drive interactions; ``rest.py`` holds the REST route handlers; ``harness.py`` runs the real bot
against it inside a test.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord_emulator.rest import API, RestRoutes

MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with ``status`` instead of serving them."""

    method: str
    path: re.Pattern[str]
    status: int
    times: int = 1
    retry_after: float = 0.05
    accept: bool = False  # serve the request, then answer with the error anyway (response lost)


@dataclass
class Interaction:
    """One INTERACTION_CREATE sent to the bot, and everything the bot answered to it."""

    id: str
    token: str
    payload: dict[str, Any]
    responses: list[dict[str, Any]] = field(default_factory=list)  # callbacks, in order
    followups: list[dict[str, Any]] = field(default_factory=list)  # webhook messages and edits
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def deferred(self) -> bool:
        """True when the first answer was 'thinking…' (type 5)."""
        return bool(self.responses) and self.responses[0]["type"] == 5

    def visible(self) -> dict[str, Any] | None:
        """The latest message content the user sees (callback message, followup or edit)."""
        if self.followups:
            return self.followups[-1]
        for response in reversed(self.responses):
            if response["type"] in (4, 7) and "message" in response:
                return response["message"]
        return None


class Emulator(RestRoutes):
    """Discord's REST API and gateway for one bot application, in memory."""

    def __init__(self, *, heartbeat_ms: int = 45_000) -> None:
        self._ids = itertools.count(1_200_000_000_000_000_000)
        self.app_id = self.new_id()
        self.bot_user = {
            "id": self.new_id(),
            "username": "parley",
            "discriminator": "0",
            "global_name": "Parley",
            "avatar": None,
            "bot": True,
        }
        self.heartbeat_ms = heartbeat_ms
        self.guilds: dict[int, dict[str, Any]] = {}
        self.channels: dict[int, dict[str, Any]] = {}  # every channel, guild or DM
        self.closed_dms: set[int] = set()  # users who refuse direct messages
        self.messages: list[dict[str, Any]] = []
        self._nonces: dict[tuple[int, str], dict[str, Any]] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.interactions: dict[str, Interaction] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.unhandled: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.identifies = 0
        self.resumes = 0
        self.heartbeats = 0
        self.connected = asyncio.Event()
        self._events: list[dict[str, Any]] = []  # dispatched events, for RESUME replay
        self._ws: web.WebSocketResponse | None = None
        self._session_id = "session-1"
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
        if self._ws is not None:
            await self._ws.close()
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

    # ----- world building --------------------------------------------------------------------
    def new_id(self) -> int:
        """A fresh snowflake."""
        return next(self._ids)

    def add_guild(self, name: str = "Test guild", channels: tuple[str, ...] = ("news",)) -> int:
        """A guild the bot is in, with text channels and a 'Readers' role; returns its id."""
        guild_id = self.new_id()
        everyone = self._role(guild_id, "@everyone")
        readers = self._role(self.new_id(), "Readers")
        guild = {
            "id": str(guild_id),
            "name": name,
            "owner_id": str(self.new_id()),
            "roles": [everyone, readers],
            "channels": [],
            "members": [],
            "member_count": 1,
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
    def _role(role_id: int, name: str) -> dict[str, Any]:
        return {
            "id": str(role_id),
            "name": name,
            "permissions": "0",
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": True,
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

    # ----- gateway ---------------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH event (kept for RESUME replay even while the bot is disconnected)."""
        payload = {"op": 0, "t": event, "s": len(self._events) + 1, "d": data}
        self._events.append(payload)
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps(payload))

    async def drop_connection(self) -> None:
        """Close the gateway the way a network failure does (code 4000: the bot may resume)."""
        self.connected.clear()
        if self._ws is not None:
            await self._ws.close(code=4000)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}}))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            packet = json.loads(message.data)
            op, data = packet["op"], packet.get("d")
            if op == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                self.identifies += 1
                await self._ready()
            elif op == 6:
                self.resumes += 1
                for event in self._events:
                    if event["s"] > (data.get("seq") or 0):
                        await ws.send_str(json.dumps(event))
                await self.dispatch("RESUMED", {})
                self.connected.set()
        if self._ws is ws:
            self._ws = None
        return ws

    async def _ready(self) -> None:
        self._events.clear()
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
                "session_id": self._session_id,
                "resume_gateway_url": self.gateway_url,
                "application": {"id": str(self.app_id), "flags": 0},
            },
        )
        for guild in self.guilds.values():
            await self.dispatch("GUILD_CREATE", guild)
        self.connected.set()

    # ----- interactions ----------------------------------------------------------------------
    def registered(self, name: str, guild_id: int | None = None) -> dict[str, Any]:
        """The synced command called ``name`` (guild commands first), or KeyError."""
        for command in (*self.guild_commands.get(guild_id or 0, []), *self.global_commands):
            if command["name"] == name:
                return command
        raise KeyError(f"/{name} was never synced")

    def _member(self, user_id: int, permissions: int, roles: tuple[int, ...]) -> dict[str, Any]:
        return {
            "user": {
                "id": str(user_id),
                "username": f"user{user_id % 10_000}",
                "discriminator": "0",
                "global_name": None,
                "avatar": None,
            },
            "roles": [str(r) for r in roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    def _options(
        self, schema: list[dict[str, Any]], given: dict[str, Any], guild_id: int
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Typed option payloads plus resolved data, the way Discord builds them from a schema."""
        by_name = {option["name"]: option for option in schema}
        options, resolved = [], {}
        for name, value in given.items():
            if name not in by_name:
                raise KeyError(f"option {name!r} is not in the synced schema")
            kind = by_name[name]["type"]
            focused = isinstance(value, Focused)
            raw = value.text if focused else value
            option: dict[str, Any] = {"name": name, "type": kind}
            if kind == 7:  # channel
                option["value"] = str(raw)
                channel = self.channels[int(raw)]
                resolved.setdefault("channels", {})[str(raw)] = {
                    "id": channel["id"],
                    "type": channel["type"],
                    "name": channel["name"],
                    "permissions": str(1 << 11),
                }
            elif kind == 8:  # role
                option["value"] = str(raw)
                role = next(r for r in self.guilds[guild_id]["roles"] if r["id"] == str(raw))
                resolved.setdefault("roles", {})[str(raw)] = role
            else:
                option["value"] = raw
            if focused:
                option["focused"] = True
            options.append(option)
        return options, resolved

    async def interact(
        self,
        command: str,
        *,
        guild_id: int,
        user_id: int | None = None,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        in_channel: str = "news",
        **given: Any,
    ) -> Interaction:
        """Invoke ``/command`` (e.g. ``"parley setup"``) with ``given`` options; one option may be
        ``Focused(text)`` to ask for autocomplete instead. Refuses what Discord would refuse."""
        top, *path = command.split()
        schema = self.registered(top, guild_id)
        required = int(schema.get("default_member_permissions") or 0)
        if required and not (permissions & (required | ADMINISTRATOR)):
            raise PermissionError(f"Discord hides /{top} from members without {required}")
        node, nested = schema, []
        for part in path:
            node = next(o for o in node["options"] if o["name"] == part)
            nested.append(node)
        options, resolved = self._options(node.get("options", []), given, guild_id)
        for parent in reversed(nested):
            options = [{"name": parent["name"], "type": parent["type"], "options": options}]
        autocomplete = any(isinstance(v, Focused) for v in given.values())
        data = {"id": schema["id"], "name": top, "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if schema.get("guild_id"):
            data["guild_id"] = schema["guild_id"]
        return await self._send_interaction(
            4 if autocomplete else 2, data, guild_id, user_id, permissions, roles, in_channel
        )

    async def click(
        self, message: dict[str, Any], label: str, *, guild_id: int, user_id: int | None = None
    ) -> Interaction:
        """Press the button labelled ``label`` on a message the bot sent."""
        for row in message.get("components", []):
            for button in row.get("components", []):
                if button.get("label") == label:
                    if button.get("disabled"):
                        raise ValueError(f"button {label!r} is disabled")
                    data = {"custom_id": button["custom_id"], "component_type": 2}
                    full = {**self._message_shell(message), **message}
                    return await self._send_interaction(
                        3, data, guild_id, user_id, 0, (), "news", message=full
                    )
        raise KeyError(f"no button {label!r}")

    async def _send_interaction(
        self,
        kind: int,
        data: dict[str, Any],
        guild_id: int,
        user_id: int | None,
        permissions: int,
        roles: tuple[int, ...],
        channel: str,
        message: dict[str, Any] | None = None,
    ) -> Interaction:
        interaction_id = str(self.new_id())
        token = f"token-{interaction_id}"
        channel_id = self.channel_id(guild_id, channel)
        payload = {
            "id": interaction_id,
            "application_id": str(self.app_id),
            "type": kind,
            "data": data,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": {"id": str(channel_id), "type": 0, "guild_id": str(guild_id)},
            "member": self._member(user_id or self.new_id(), permissions, roles),
            "token": token,
            "version": 1,
            "app_permissions": str((1 << 41) - 1),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        interaction = Interaction(interaction_id, token, payload)
        self.interactions[interaction_id] = interaction
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    async def answer(self, interaction: Interaction, timeout: float = 60) -> dict[str, Any]:
        """Wait for the bot's final visible reply: the callback, or the followup after a defer."""

        async def settled() -> dict[str, Any]:
            while True:
                if interaction.responses:
                    first = interaction.responses[0]["type"]
                    if first == 8:
                        return interaction.responses[0]["data"]
                    if first != 5 or interaction.followups:
                        visible = interaction.visible()
                        if visible is not None:
                            return visible
                interaction.changed.clear()
                await interaction.changed.wait()

        return await asyncio.wait_for(settled(), timeout)

    async def command(self, command: str, **kwargs: Any) -> dict[str, Any]:
        """``interact`` then ``answer``: the reply the user sees."""
        return await self.answer(await self.interact(command, **kwargs))


@dataclass(frozen=True)
class Focused:
    """An option value the user is still typing: asks the bot for autocomplete choices."""

    text: str
