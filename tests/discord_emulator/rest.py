"""The emulator's REST side: the Discord HTTP routes Parley's bot calls, checked and recorded.

Every answer is Discord's (discord-api-docs, topics/opcodes-and-status-codes.mdx): 400 with
50035 and the ``errors`` tree for a body over a limit (validate.py), 50006 for an empty message,
404 10062 for an interaction answered after 3 s, 401 50027 for its token after 15 minutes, 403
50013 where the bot may not post, 403 50007 for a user who closed DMs, 429 from the rate-limit
buckets (limits.py). Each refused request is kept in ``emulator.refusals``.

A mixin of ``Emulator`` (emulator.py), which holds the state these handlers read and write.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.discord_emulator import mentions, validate

if TYPE_CHECKING:
    from tests.discord_emulator.interactions import Interaction

API = "/api/v10"
EPHEMERAL = 1 << 6
VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY = 1 << 10, 1 << 11, 1 << 16
FIRST_RESPONSE_SECONDS = 3.0
TOKEN_SECONDS = 15 * 60.0
# Which callback types answer which interaction types (receiving-and-responding.mdx).
CALLBACKS = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


class Refused(Exception):  # noqa: N818 - it is Discord's answer, not a failure of ours
    """Discord's error answer; raised by a handler, turned into a response by the middleware."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status, self.body = status, body


def refuse(status: int, code: int, message: str) -> Refused:
    """A JSON error answer: ``{"message": ..., "code": ...}``."""
    return Refused(status, {"message": message, "code": code})


def jsonify(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response with Content-Type exactly ``application/json`` (discord.py insists)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class RestRoutes:
    """Route handlers; ``self`` is the Emulator."""

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("PUT", "/applications/{app}/commands", self._put_global_commands),
            ("GET", "/applications/{app}/commands", self._get_global_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_guild_commands),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_guild_commands),
            ("POST", "/channels/{channel}/messages", self._post_message),
            ("GET", "/channels/{channel}/messages", self._get_messages),
            ("GET", "/channels/{channel}", self._get_channel),
            ("POST", "/users/@me/channels", self._open_dm),
            ("POST", "/interactions/{id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            ("PATCH", "/webhooks/{app}/{token}/messages/{message}", self._edit_followup),
            ("GET", "/webhooks/{app}/{token}/messages/{message}", self._get_followup),
        ]

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.path.removeprefix(API)
        now = self.clock()
        if self.invalid.banned(now):  # Cloudflare's ban: not even JSON
            self.requests.append((request.method, path, 429))
            return web.Response(status=429, text="error code: 1015", content_type="text/plain")
        for fault in self.faults:
            if fault.times > 0 and fault.method == request.method and fault.path.search(path):
                fault.times -= 1
                if fault.accept:  # served, then the answer is lost: only the fault is recorded
                    with contextlib.suppress(Refused):
                        await handler(request)
                if fault.status == 429:
                    body = {
                        "message": "You are being rate limited.",
                        "retry_after": fault.retry_after,
                        "global": False,
                    }
                    headers = {"Retry-After": str(math.ceil(fault.retry_after))}
                    return self._answer(request, path, body, 429, headers)
                body = {"message": "injected failure", "code": 0}
                return self._answer(request, path, body, fault.status, {})
        headers, limited = self.rate_limits.take(request.method, path)
        if limited is not None:
            return self._answer(request, path, limited, 429, headers)
        response = await self._serve(request, handler, path)
        response.headers.update(headers)
        response.headers["Via"] = "1.1 google"  # Discord's edge; discord.py reads a 429
        return response  # without it as Cloudflare's ban

    async def _serve(self, request: web.Request, handler: Any, path: str) -> web.StreamResponse:
        try:
            response = await handler(request)
        except Refused as refused:
            return self._answer(request, path, refused.body, refused.status, {})
        self.requests.append((request.method, path, response.status))
        return response

    def _answer(
        self,
        request: web.Request,
        path: str,
        body: dict[str, Any],
        status: int,
        headers: dict[str, str],
    ) -> web.Response:
        """An error answer, recorded and counted as Discord counts invalid requests."""
        self.requests.append((request.method, path, status))
        self.refusals.append((request.method, path, status, body))
        shared = headers.get("X-RateLimit-Scope") == "shared"
        self.invalid.record(status, self.clock(), shared=shared)
        return jsonify(body, status, {**headers, "Via": "1.1 google"})

    async def _body(self, request: web.Request) -> Any:
        try:
            return await request.json()
        except ValueError:
            raise refuse(400, 50109, "The request body contains invalid JSON.") from None

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unhandled.append((request.method, request.path))
        return jsonify({"message": "404: Not Found", "code": 0}, 404)

    async def _get_me(self, request: web.Request) -> web.Response:
        return jsonify(self.bot_user)

    async def _get_application(self, request: web.Request) -> web.Response:
        return jsonify(
            {
                "id": str(self.app_id),
                "name": "Parley",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": self.bot_user,
            }
        )

    # ----- the command sync --------------------------------------------------------------------
    def _store_commands(
        self, body: Any, guild_id: int | None, before: list[dict[str, Any]]
    ) -> list[dict]:
        errors = validate.Errors()
        validate.check_commands(body, errors, guild=guild_id is not None)
        if errors:
            raise Refused(400, errors.body())
        ids = {(c.get("type", 1), c["name"]): c["id"] for c in before}  # Discord keeps ids
        stored = []
        for command in body:
            key = (command.get("type", 1), command["name"])
            command = {
                **command,
                "id": ids.get(key) or str(self.new_id()),
                "application_id": str(self.app_id),
                "version": str(self.new_id()),
            }
            if command.get("default_member_permissions") is not None:  # Discord stores a string
                command["default_member_permissions"] = str(command["default_member_permissions"])
            if guild_id:
                command["guild_id"] = str(guild_id)
            stored.append(command)
        return stored

    async def _put_global_commands(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        self.global_commands = self._store_commands(body, None, self.global_commands)
        return jsonify(self.global_commands)

    async def _get_global_commands(self, request: web.Request) -> web.Response:
        return jsonify(self.global_commands)

    def _guild(self, request: web.Request) -> int:
        guild_id = int(request.match_info["guild"])
        if guild_id not in self.guilds:
            raise refuse(403, 50001, "Missing Access")
        return guild_id

    async def _put_guild_commands(self, request: web.Request) -> web.Response:
        guild_id = self._guild(request)
        body = await self._body(request)
        before = self.guild_commands.get(guild_id, [])
        self.guild_commands[guild_id] = self._store_commands(body, guild_id, before)
        return jsonify(self.guild_commands[guild_id])

    async def _get_guild_commands(self, request: web.Request) -> web.Response:
        return jsonify(self.guild_commands.get(self._guild(request), []))

    # ----- channels and messages ---------------------------------------------------------------
    def _channel(self, request: web.Request, needs: int) -> tuple[int, dict[str, Any]]:
        channel_id = int(request.match_info["channel"])
        channel = self.channels.get(channel_id)
        if channel is None:
            raise refuse(404, 10003, "Unknown Channel")
        allowed = self.bot_permissions(channel_id)
        if not allowed & VIEW_CHANNEL:
            raise refuse(403, 50001, "Missing Access")
        if needs & ~allowed:
            raise refuse(403, 50013, "Missing Permissions")
        return channel_id, channel

    async def _get_channel(self, request: web.Request) -> web.Response:
        return jsonify(self._channel(request, 0)[1])

    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = (await self._body(request)).get("recipient_id")
        if recipient is None:
            errors = validate.Errors()
            errors.required(("recipient_id",), None)
            raise Refused(400, errors.body())
        return jsonify(self.dm_channel(int(recipient)))

    def _message_shell(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(self.new_id()),
            "author": self.bot_user,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "type": 0,
            "flags": body.get("flags") or 0,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
        }

    def _checked(self, body: Any, *, partial: bool = False) -> dict[str, Any]:
        """A message body Discord accepts, or its refusal."""
        if not isinstance(body, dict):
            raise refuse(400, 50109, "The request body contains invalid JSON.")
        errors = validate.Errors()
        validate.check_message(body, errors)
        if errors:
            raise Refused(400, errors.body())
        if not partial and validate.is_empty(body):
            raise refuse(400, 50006, "Cannot send an empty message")
        return body

    def _with_mentions(
        self, message: dict[str, Any], body: dict[str, Any], channel_id: int, webhook: bool
    ) -> dict[str, Any]:
        channel = self.channels[channel_id]
        roles = self.guilds[int(channel["guild_id"])]["roles"] if channel.get("guild_id") else []
        pings = mentions.resolve(
            message.get("content") or "",
            body.get("allowed_mentions"),
            webhook=webhook,
            roles=roles,
            permissions=self.bot_permissions(channel_id),
        )
        return {**message, **pings}

    async def _post_message(self, request: web.Request) -> web.Response:
        channel_id, channel = self._channel(request, SEND_MESSAGES)
        if channel["type"] == 1 and int(channel["recipient_id"]) in self.closed_dms:
            raise refuse(403, 50007, "Cannot send messages to this user")
        body = self._checked(await self._body(request))
        self.posted_bodies.append((channel_id, body))  # every accepted POST, duplicates too
        nonce = body.get("nonce")
        now = self.clock()
        if nonce and body.get("enforce_nonce"):
            seen = self._nonces.get((channel_id, str(nonce)))
            if seen is not None and now - seen[0] <= self.nonce_window:
                return jsonify(seen[1])  # the original; nothing new
        message = {
            **self._message_shell(body),
            "channel_id": str(channel_id),
            "nonce": nonce,
            "allowed_mentions": body.get("allowed_mentions"),
        }
        message = self._with_mentions(message, body, channel_id, webhook=False)
        if channel.get("guild_id"):
            message["guild_id"] = channel["guild_id"]
        self.messages.append(message)
        if nonce:
            self._nonces[channel_id, str(nonce)] = (now, message)
        await self._notify()
        return jsonify(message)

    async def _get_messages(self, request: web.Request) -> web.Response:
        channel_id, _ = self._channel(request, READ_MESSAGE_HISTORY)
        query = request.query
        limit = int(query.get("limit", 50))
        if not 1 <= limit <= 100:
            errors = validate.Errors()
            errors.add(("limit",), "NUMBER_TYPE_MAX", "Must be between 1 and 100.")
            raise Refused(400, errors.body())
        found = self.messages_in(channel_id)  # oldest first
        if "before" in query:
            found = [m for m in found if int(m["id"]) < int(query["before"])]
        if "after" in query:
            found = [m for m in found if int(m["id"]) > int(query["after"])][:limit]
        return jsonify(list(reversed(found[-limit:])))  # Discord: newest first

    # ----- interactions ------------------------------------------------------------------------
    def _refused(self, interaction: Interaction, route: str, error: Refused) -> Refused:
        interaction.refused.append((route, error.status, error.body))
        interaction.changed.set()
        return error

    async def _callback(self, request: web.Request) -> web.Response:
        interaction = self.interactions.get(request.match_info["id"])
        if interaction is None:
            raise refuse(404, 10062, "Unknown interaction")
        if interaction.token != request.match_info["token"]:
            raise refuse(401, 50027, "Invalid Webhook Token")
        if interaction.first_latency is None:
            interaction.first_latency = _since(interaction.created_real)
        try:
            return await self._accept_callback(request, interaction)
        except Refused as error:
            raise self._refused(interaction, "callback", error) from None

    async def _accept_callback(
        self, request: web.Request, interaction: Interaction
    ) -> web.Response:
        if interaction.responses:
            raise refuse(400, 40060, "Interaction has already been acknowledged.")
        late = self.clock() - interaction.created > FIRST_RESPONSE_SECONDS
        if late or interaction.expired:
            interaction.expired = True  # Discord invalidates the token after 3 s unanswered
            raise refuse(404, 10062, "Unknown interaction")
        body = await self._body(request)
        kind = body.get("type") if isinstance(body, dict) else None
        if kind not in CALLBACKS[interaction.payload["type"]]:
            errors = validate.Errors()
            allowed = sorted(CALLBACKS[interaction.payload["type"]])
            errors.add(("type",), "BASE_TYPE_CHOICES", f"Value must be one of {allowed}.")
            raise Refused(400, errors.body())
        data = body.get("data") or {}
        if kind == 8:
            errors = validate.Errors()
            validate.check_autocomplete(data, errors)
            if errors:
                raise Refused(400, errors.body())
        elif kind in (4, 7):
            self._checked(data, partial=kind == 7)
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction.id,
                "type": interaction.payload["type"],
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
            }
        }
        if kind in (4, 5, 7):
            message = interaction.payload.get("message") if kind == 7 else None
            message = {
                **(message or self._message_shell(data)),
                **{k: v for k, v in data.items() if k in ("content", "embeds", "components")},
                "channel_id": interaction.payload["channel_id"],
            }
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": kind, "message": message}
            if kind != 5:
                message = self._with_mentions(
                    message, data, int(interaction.payload["channel_id"]), webhook=True
                )
                body = {**body, "message": {**message, "flags": data.get("flags", 0)}}
        interaction.responses.append(body)
        interaction.changed.set()
        return jsonify(result)

    def _interaction_by_token(self, request: web.Request) -> Interaction:
        """The interaction behind a webhook token, if Discord would still accept the token."""
        interaction = self._by_token.get(request.match_info["token"])
        if interaction is None or interaction.expired or not interaction.responses:
            raise refuse(404, 10015, "Unknown Webhook")  # never acknowledged: no webhook yet
        if self.clock() - interaction.created > TOKEN_SECONDS:
            raise self._refused(interaction, "webhook", refuse(401, 50027, "Invalid Webhook Token"))
        return interaction

    async def _followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_by_token(request)
        try:
            body = self._checked(await self._body(request))
        except Refused as error:
            raise self._refused(interaction, "followup", error) from None
        channel_id = int(interaction.payload["channel_id"])
        message = {**self._message_shell(body), "channel_id": str(channel_id)}
        message = self._with_mentions(message, body, channel_id, webhook=True)
        interaction.followups.append(message)
        interaction.changed.set()
        return jsonify(message)

    async def _edit_followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_by_token(request)
        try:
            body = self._checked(await self._body(request), partial=True)
        except Refused as error:
            raise self._refused(interaction, "edit", error) from None
        previous = interaction.visible() or {}
        channel_id = int(interaction.payload["channel_id"])
        merged = {**previous, **{k: v for k, v in body.items() if v is not None}}
        message = {**self._message_shell(merged), "channel_id": str(channel_id)}
        message = self._with_mentions(message, body, channel_id, webhook=True)
        if request.match_info["message"] != "@original":
            message["id"] = request.match_info["message"]
        interaction.followups.append(message)
        interaction.changed.set()
        return jsonify(message)

    async def _get_followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_by_token(request)
        visible = interaction.visible() or {}
        return jsonify(
            {**self._message_shell(visible), "channel_id": interaction.payload["channel_id"]}
        )


def _since(began: float) -> float:
    return time.perf_counter() - began
