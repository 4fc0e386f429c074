"""Driving the bot as a user does: slash commands, autocomplete and buttons, in guilds and DMs.

Discord refuses to send what a user could not invoke (a command hidden by its permissions, or
not offered in that context: a guild command or ``contexts`` without 1 in a DM), so these
helpers raise instead. An interaction sent here starts its 3-second and 15-minute clocks
(``Emulator.clock``); the REST side refuses answers that come too late.

A mixin of ``Emulator``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

ADMINISTRATOR = 1 << 3
GUILD, BOT_DM = 0, 1


@dataclass
class Interaction:
    """One INTERACTION_CREATE sent to the bot, and everything the bot answered to it."""

    id: str
    token: str
    payload: dict[str, Any]
    created: float = 0.0  # Emulator.clock() when sent
    created_real: float = field(default_factory=time.perf_counter)
    first_latency: float | None = None  # real seconds until the first callback arrived
    expired: bool = False  # unanswered after 3 s: Discord forgot it
    refused: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)  # route, status
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


@dataclass(frozen=True)
class Focused:
    """An option value the user is still typing: asks the bot for autocomplete choices."""

    text: str


class Interactions:
    """Sending interactions; ``self`` is the Emulator."""

    def registered(self, name: str, guild_id: int | None = None) -> dict[str, Any]:
        """The synced command called ``name`` (guild commands first), or KeyError."""
        for command in (*self.guild_commands.get(guild_id or 0, []), *self.global_commands):
            if command["name"] == name:
                return command
        raise KeyError(f"/{name} was never synced")

    def user(self, user_id: int) -> dict[str, Any]:
        """A user object."""
        return {
            "id": str(user_id),
            "username": f"user{user_id % 10_000}",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
        }

    def _member(self, user_id: int, permissions: int, roles: tuple[int, ...]) -> dict[str, Any]:
        return {
            "user": self.user(user_id),
            "roles": [str(r) for r in roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    def _options(
        self, schema: list[dict[str, Any]], given: dict[str, Any], guild_id: int | None
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
                if not focused:
                    self._within_schema(by_name[name], raw)
                option["value"] = raw
            if focused:
                option["focused"] = True
            options.append(option)
        return options, resolved

    @staticmethod
    def _within_schema(schema: dict[str, Any], value: Any) -> None:
        """Discord's client will not send a value its schema forbids: raise instead."""
        name = schema["name"]
        if isinstance(value, str):
            low, high = schema.get("min_length", 0), schema.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise ValueError(f"Discord lets {name!r} hold {low}-{high} characters")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if "min_value" in schema and value < schema["min_value"]:
                raise ValueError(f"{name!r} is at least {schema['min_value']}")
            if "max_value" in schema and value > schema["max_value"]:
                raise ValueError(f"{name!r} is at most {schema['max_value']}")
        choices = schema.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"{name!r} offers only its choices")

    async def interact(
        self,
        command: str,
        *,
        guild_id: int | None,
        user_id: int | None = None,
        permissions: int = 0,
        roles: tuple[int, ...] = (),
        in_channel: str = "news",
        **given: Any,
    ) -> Interaction:
        """Invoke ``/command`` (e.g. ``"parley setup"``) with ``given`` options; one option may be
        ``Focused(text)`` to ask for autocomplete instead. ``guild_id=None``: in the user's DM
        with the bot. Refuses what Discord would refuse."""
        top, *path = command.split()
        schema = self.registered(top, guild_id)
        contexts = schema.get("contexts")
        if guild_id is None:
            offered = schema.get("guild_id") is None and (
                BOT_DM in contexts if contexts is not None else schema.get("dm_permission", True)
            )
            if not offered:
                raise PermissionError(f"Discord does not offer /{top} in direct messages")
        else:
            if contexts is not None and GUILD not in contexts:
                raise PermissionError(f"Discord does not offer /{top} in servers")
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
        self,
        message: dict[str, Any],
        label: str,
        *,
        guild_id: int | None,
        user_id: int | None = None,
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
        guild_id: int | None,
        user_id: int | None,
        permissions: int,
        roles: tuple[int, ...],
        channel: str,
        message: dict[str, Any] | None = None,
    ) -> Interaction:
        interaction_id = str(self.new_id())
        token = f"token-{interaction_id}"
        user_id = user_id or self.new_id()
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": str(self.app_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if guild_id is None:  # a DM: `user`, no `member`, no guild
            dm = self.dm_channel(user_id)
            payload.update(
                channel_id=dm["id"],
                channel={"id": dm["id"], "type": 1, "recipients": [self.user(user_id)]},
                user=self.user(user_id),
                context=BOT_DM,
                app_permissions=str(self.DM_PERMISSIONS),
            )
        else:
            channel_id = self.channel_id(guild_id, channel)
            payload.update(
                guild_id=str(guild_id),
                channel_id=str(channel_id),
                channel={"id": str(channel_id), "type": 0, "guild_id": str(guild_id)},
                member=self._member(user_id, permissions, roles),
                context=GUILD,
                guild_locale="en-US",
                app_permissions=str(self.bot_permissions(channel_id)),
            )
        if message is not None:
            payload["message"] = message
        interaction = Interaction(interaction_id, token, payload, created=self.clock())
        self.interactions[interaction_id] = interaction
        self._by_token[token] = interaction
        await self.dispatch("INTERACTION_CREATE", payload, guild_id)
        return interaction

    async def answer(self, interaction: Interaction, timeout: float = 10) -> dict[str, Any]:
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

        try:
            return await asyncio.wait_for(settled(), timeout)
        except TimeoutError:
            refused = "; ".join(
                f"{route} -> {status} {body}" for route, status, body in interaction.refused
            )
            raise AssertionError(
                f"no answer within {timeout}s; Discord refused: {refused or 'nothing'}"
            ) from None

    async def command(self, command: str, **kwargs: Any) -> dict[str, Any]:
        """``interact`` then ``answer``: the reply the user sees."""
        return await self.answer(await self.interact(command, **kwargs))
