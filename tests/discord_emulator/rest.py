"""The emulator's REST side: the Discord HTTP routes Parley's bot calls, recorded as they come.

A mixin of ``Emulator`` (emulator.py), which holds the state these handlers read and write.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.discord_emulator.emulator import Interaction

API = "/api/v10"
EPHEMERAL = 1 << 6


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
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("PUT", "/applications/{app}/commands", self._put_global_commands),
            ("GET", "/applications/{app}/commands", self._get_global_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_guild_commands),
            ("POST", "/channels/{channel}/messages", self._post_message),
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
        for fault in self.faults:
            if fault.times > 0 and fault.method == request.method and fault.path.search(path):
                fault.times -= 1
                if fault.accept:
                    await handler(request)
                self.requests.append((request.method, path, fault.status))
                if fault.status == 429:
                    body = {
                        "message": "You are being rate limited.",
                        "retry_after": fault.retry_after,
                    }
                    body["global"] = False
                    return jsonify(body, 429, {"Via": "1.1 google", "Retry-After": "1"})
                return jsonify({"message": "injected failure", "code": 0}, fault.status)
        response = await handler(request)
        self.requests.append((request.method, path, response.status))
        if path.startswith(("/channels/", "/users/@me/channels")):
            # Discord's bucket headers: without them discord.py sends one request per route at
            # a time (its default limit is 1). Generous values: the emulator never throttles.
            response.headers.update(
                {
                    "X-RateLimit-Limit": "50",
                    "X-RateLimit-Remaining": "49",
                    "X-RateLimit-Reset-After": "1.0",
                    "X-RateLimit-Bucket": re.sub(r"\d+", "id", path),
                }
            )
        return response

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

    def _store_commands(self, body: list[dict[str, Any]], guild_id: int | None) -> list[dict]:
        stored = []
        for command in body:
            command = {
                **command,
                "id": str(self.new_id()),
                "application_id": str(self.app_id),
                "version": "1",
            }
            if command.get("default_member_permissions") is not None:  # Discord stores a string
                command["default_member_permissions"] = str(command["default_member_permissions"])
            if guild_id:
                command["guild_id"] = str(guild_id)
            stored.append(command)
        return stored

    async def _put_global_commands(self, request: web.Request) -> web.Response:
        self.global_commands = self._store_commands(await request.json(), None)
        return jsonify(self.global_commands)

    async def _get_global_commands(self, request: web.Request) -> web.Response:
        return jsonify(self.global_commands)

    async def _put_guild_commands(self, request: web.Request) -> web.Response:
        guild_id = int(request.match_info["guild"])
        self.guild_commands[guild_id] = self._store_commands(await request.json(), guild_id)
        return jsonify(self.guild_commands[guild_id])

    async def _get_channel(self, request: web.Request) -> web.Response:
        channel = self.channels.get(int(request.match_info["channel"]))
        if channel is None:
            return jsonify({"message": "Unknown Channel", "code": 10003}, 404)
        return jsonify(channel)

    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = str((await request.json())["recipient_id"])
        for channel in self.channels.values():
            if channel.get("recipient_id") == recipient:
                return jsonify(channel)
        channel_id = self.new_id()
        user = {"id": recipient, "username": "member", "discriminator": "0", "avatar": None}
        channel = {
            "id": str(channel_id),
            "type": 1,
            "recipients": [user],
            "recipient_id": recipient,
            "last_message_id": None,
        }
        self.channels[channel_id] = channel
        return jsonify(channel)

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

    async def _post_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel"])
        channel = self.channels.get(channel_id)
        if channel is None:
            return jsonify({"message": "Unknown Channel", "code": 10003}, 404)
        if channel["type"] == 1 and int(channel["recipient_id"]) in self.closed_dms:
            body = {"message": "Cannot send messages to this user", "code": 50007}
            return jsonify(body, 403)
        body = await request.json()
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce") and (channel_id, nonce) in self._nonces:
            return jsonify(self._nonces[channel_id, nonce])  # the original; nothing new
        message = {
            **self._message_shell(body),
            "channel_id": str(channel_id),
            "nonce": nonce,
            "allowed_mentions": body.get("allowed_mentions"),
        }
        if channel.get("guild_id"):
            message["guild_id"] = channel["guild_id"]
        self.messages.append(message)
        if nonce:
            self._nonces[channel_id, nonce] = message
        await self._notify()
        return jsonify(message)

    async def _callback(self, request: web.Request) -> web.Response:
        interaction = self.interactions[request.match_info["id"]]
        if interaction.token != request.match_info["token"]:
            return jsonify({"message": "Invalid Webhook Token", "code": 50027}, 401)
        if interaction.responses:
            body = {"message": "Interaction has already been acknowledged.", "code": 40060}
            return jsonify(body, 400)
        body = await request.json()
        data = body.get("data") or {}
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction.id,
                "type": interaction.payload["type"],
                "response_message_loading": body["type"] == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
            }
        }
        if body["type"] in (4, 5, 7):
            message = interaction.payload.get("message") if body["type"] == 7 else None
            message = {
                **(message or self._message_shell(data)),
                **{k: v for k, v in data.items() if k in ("content", "embeds", "components")},
                "channel_id": interaction.payload["channel_id"],
            }
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": body["type"], "message": message}
            if body["type"] != 5:
                body = {**body, "message": {**message, "flags": data.get("flags", 0)}}
        interaction.responses.append(body)
        interaction.changed.set()
        return jsonify(result)

    def _interaction_by_token(self, token: str) -> Interaction:
        return next(i for i in self.interactions.values() if i.token == token)

    async def _followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_by_token(request.match_info["token"])
        body = await request.json()
        message = {**self._message_shell(body), "channel_id": interaction.payload["channel_id"]}
        interaction.followups.append(message)
        interaction.changed.set()
        return jsonify(message)

    async def _edit_followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_by_token(request.match_info["token"])
        body = await request.json()
        message = {**self._message_shell(body), "channel_id": interaction.payload["channel_id"]}
        if request.match_info["message"] != "@original":
            message["id"] = request.match_info["message"]
        interaction.followups.append(message)
        interaction.changed.set()
        return jsonify(message)

    async def _get_followup(self, request: web.Request) -> web.Response:
        interaction = self._interaction_by_token(request.match_info["token"])
        visible = interaction.visible() or {}
        return jsonify(
            {**self._message_shell(visible), "channel_id": interaction.payload["channel_id"]}
        )
