"""The emulator's gateway: sessions, RESUME replay, and sharding as Discord does it.

Discord (discord-api-docs, events/gateway.mdx, "Sharding"): ``GET /gateway/bot`` recommends a
shard count; each connection IDENTIFYs with ``shard: [shard_id, num_shards]`` and receives only
the guilds with ``(guild_id >> 22) % num_shards == shard_id``; direct messages go to shard 0. A
client that needs sharding and does not shard is closed with 4011, an invalid shard with 4010.

A mixin of ``Emulator``, which holds ``guilds``, ``shard_count`` and the counters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord_emulator.rest import jsonify


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events, by Discord's formula."""
    return (guild_id >> 22) % shard_count


@dataclass
class Session:
    """One IDENTIFYed connection: its shard, and the events sent on it (for RESUME)."""

    session_id: str
    shard: tuple[int, int]
    ws: web.WebSocketResponse | None
    events: list[dict[str, Any]] = field(default_factory=list)


class Gateway:
    """Gateway handlers; ``self`` is the Emulator."""

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        return jsonify(
            {
                "url": self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000 - self.identifies,
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return jsonify({"url": self.gateway_url})

    def guilds_of_shard(self, shard_id: int, shard_count: int) -> list[int]:
        """The guilds a shard receives."""
        return [g for g in self.guilds if shard_of(g, shard_count) == shard_id]

    async def dispatch(self, event: str, data: dict[str, Any], guild_id: int | None = None) -> None:
        """Send a DISPATCH event on the shard that owns ``guild_id`` (DMs: shard 0); kept for
        RESUME replay even while that shard is disconnected."""
        for session in self._live_sessions():
            count = session.shard[1]
            if session.shard[0] == (0 if guild_id is None else shard_of(guild_id, count)):
                await self._send(session, event, data)
                return

    def _live_sessions(self) -> list[Session]:
        """The latest session of each shard."""
        latest: dict[int, Session] = {}
        for session in self.sessions.values():
            latest[session.shard[0]] = session
        return list(latest.values())

    async def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        payload = {"op": 0, "t": event, "s": len(session.events) + 1, "d": data}
        session.events.append(payload)
        if session.ws is not None and not session.ws.closed:
            await session.ws.send_str(json.dumps(payload))

    async def drop_connection(self) -> None:
        """Close every gateway connection the way a network failure does (4000: may resume)."""
        self.connected.clear()
        for session in list(self.sessions.values()):
            if session.ws is not None and not session.ws.closed:
                await session.ws.close(code=4000)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}}))
        session: Session | None = None
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            packet = json.loads(message.data)
            op, data = packet["op"], packet.get("d")
            if op == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                session = await self._identify(ws, data)
            elif op == 6:
                session = await self._resume(ws, data)
        self._sockets.discard(ws)
        if session is not None and session.ws is ws:
            session.ws = None
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        shard_id, count = data.get("shard") or (0, 1)
        if not 0 <= shard_id < count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        if count < self.shard_count:
            await ws.close(code=4011, message=b"Sharding required.")
            return None
        self.identifies += 1
        self.identified_shards.append((shard_id, count))
        session = Session(f"session-{self.new_id()}", (shard_id, count), ws)
        self.sessions[session.session_id] = session
        mine = self.guilds_of_shard(shard_id, count)
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(g), "unavailable": True} for g in mine],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
            "shard": [shard_id, count],
        }
        await self._send(session, "READY", ready)
        for guild_id in mine:
            await self._send(session, "GUILD_CREATE", self.guilds[guild_id])
        self._mark_connected()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return None
        self.resumes += 1
        session.ws = ws
        for event in session.events:
            if event["s"] > (data.get("seq") or 0):
                await ws.send_str(json.dumps(event))
        await self._send(session, "RESUMED", {})
        self._mark_connected()
        return session

    def _mark_connected(self) -> None:
        shards = {s.shard[0] for s in self.sessions.values() if s.ws is not None}
        if len(shards) >= max(self.shard_count, 1):
            self.connected.set()
