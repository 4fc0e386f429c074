"""Staying connected: login and gateway retries, unreadable events skipped, requests guarded.

discord.py ends ``start`` when the first login cannot reach Discord and when one gateway event
cannot be parsed; these helpers keep the bot up instead. Every request the bot makes itself
(not answers to interactions) is paced under Discord's global limit and counted by the
invalid-request guard (``bot.guard``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.guard import GlobalPacer, InvalidRequestGuard

log = logging.getLogger(__name__)


def guard_parsers(parsers: dict[str, Callable[[dict], object]]) -> None:
    """Make each gateway event parser log and skip what it cannot read.

    discord.py lets a parser's exception end the gateway connection, and with it ``start``:
    one malformed event would stop the whole bot.
    """
    for event, parse in list(parsers.items()):
        parsers[event] = _guarded_parser(event, parse)


def _guarded_parser(event: str, parse: Callable[[dict], object]) -> Callable[[dict], object]:
    def read(data: dict) -> object:
        try:
            return parse(data)
        except Exception:
            log.exception("gateway event %s could not be read; skipped", event)
            return None

    return read


async def drop_http_session(http: discord.http.HTTPClient) -> None:
    """Close the session a failed login opened, so the next try opens a fresh one."""
    await http.close()
    http.connector = discord.utils.MISSING  # closed with the session; the next login makes one


def guard_requests(
    http: discord.http.HTTPClient, guard: InvalidRequestGuard, pacer: GlobalPacer
) -> None:
    """Pace the bot's own requests and count invalid answers; past the budget, hold deliveries.

    Answers to interactions (``/interactions``, ``/webhooks``) are neither paced nor held:
    Discord exempts them from the global limit, and a user is waiting.
    """
    if getattr(http, "_parley_guarded", False):
        return
    request = http.request

    async def guarded(route: discord.http.Route, **kwargs: object) -> object:
        own = not route.path.startswith(("/interactions", "/webhooks"))
        held = guard.sending() if own and route.method == "POST" else contextlib.nullcontext()
        with held:  # RequestsHeld: a transient failure for the outboxes
            try:
                return await request(route, **kwargs)
            except discord.HTTPException as error:
                guard.note(error.status)
                raise

    http.request = guarded  # type: ignore[method-assign]
    http._parley_guarded = True  # type: ignore[attr-defined]
    pace_session(http, pacer)


def pace_session(http: discord.http.HTTPClient, pacer: GlobalPacer) -> None:
    """Pace each HTTP attempt where it leaves, after discord.py's bucket waits and retries.

    Pacing before ``HTTPClient.request`` is not enough: requests queued inside discord.py for
    a route bucket are all released when it resets, and its own retries go out unpaced.
    """
    session = getattr(http, "_HTTPClient__session", None)
    if not session or getattr(session, "_parley_paced", False):
        return
    send = session.request

    def request(method: str, url: object, **kwargs: object) -> _PacedRequest:
        exempt = any(part in str(url) for part in ("/interactions/", "/webhooks/"))
        return _PacedRequest(None if exempt else pacer, send(method, url, **kwargs))

    session.request = request
    session._parley_paced = True


class _PacedRequest:
    """``async with session.request(...)``, entered once the pacer lets it go."""

    def __init__(self, pacer: GlobalPacer | None, inner: Any) -> None:
        self.pacer, self.inner = pacer, inner

    async def __aenter__(self) -> Any:
        if self.pacer is not None:
            await self.pacer.wait()
        return await self.inner.__aenter__()

    async def __aexit__(self, *exc: object) -> Any:
        return await self.inner.__aexit__(*exc)

    def __await__(self) -> Any:  # aiohttp itself awaits session.request (ws_connect)
        return self._response().__await__()

    async def _response(self) -> Any:
        if self.pacer is not None:
            await self.pacer.wait()
        return await self.inner
