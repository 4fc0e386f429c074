"""Delivery that survives failures: digests and alerts are recorded before sending, then posted.

A digest is recorded with its rendered messages (``bot_state.record_digest``); each message id is
stored the moment Discord accepts it, so a retry or a restart continues with the next message and
never repeats one. Every message carries a nonce with ``enforce_nonce`` (discord.py sets it), so
if Discord accepted a message but the answer was lost, sending it again returns the original
instead of posting a copy. Failures (429 beyond discord.py's own retries, 5xx, network) are retried
with exponential backoff; what is still pending at shutdown is resumed at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiohttp
import discord

from bot.database import BotDatabase
from bot.render import payload_embeds
from digest.models import ROLE
from digest.store import bot_state
from digest.store.bot_state import Headline, OutboxEntry, PendingAlerts

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, OSError, asyncio.TimeoutError)
DM_CLOSED = 50007  # Discord's "Cannot send messages to this user"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed delivery is tried again."""

    attempts: int = 6
    first_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 300.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return min(self.max_delay, self.first_delay * self.factor ** (attempt - 1))


def is_transient(error: BaseException) -> bool:
    """True for failures worth retrying: rate limits, server errors, network trouble."""
    if isinstance(error, (discord.RateLimited, *TRANSIENT)):
        return True
    return isinstance(error, discord.HTTPException) and error.status in (408, 429)


class DigestOutbox:
    """Posts recorded digests to their channels, exactly once."""

    def __init__(
        self,
        client: discord.Client,
        db: BotDatabase,
        policy: RetryPolicy,
        clock: Callable[[], datetime],
        concurrency: int = 10,
    ) -> None:
        self.client, self.db, self.policy, self.clock = client, db, policy, clock
        self._in_flight: set[int] = set()
        # Many guilds due at once: a few post at a time, so few answers land in one loop turn
        # (Discord's rate limits would queue the rest anyway).
        self._slots = asyncio.Semaphore(concurrency)

    async def deliver(self, entry: OutboxEntry) -> bool:
        """Post what remains of ``entry``, retrying transient failures; True once all posted."""
        if entry.id in self._in_flight or entry.state == bot_state.POSTED:
            return entry.state == bot_state.POSTED
        self._in_flight.add(entry.id)
        try:
            for attempt in range(1, self.policy.attempts + 1):
                try:
                    async with self._slots:
                        await self._post_remaining(entry)
                except discord.HTTPException as error:
                    if not is_transient(error):
                        await self.db.run(bot_state.note_digest_failure, entry.id, _describe(error))
                        log.error(
                            "digest %s for guild %s refused by Discord: %s (kept as recorded)",
                            entry.period,
                            entry.guild_id,
                            _describe(error),
                        )
                        return False
                    failure = error
                except TRANSIENT as error:
                    failure = error
                else:
                    await self.db.run(bot_state.mark_digest_posted, entry.id, self.clock())
                    log.info("digest %s posted in guild %s", entry.period, entry.guild_id)
                    return True
                await self.db.run(bot_state.note_digest_failure, entry.id, _describe(failure))
                entry = await self.db.run(bot_state.get_outbox_by_id, entry.id)
                if attempt < self.policy.attempts:
                    wait = self.policy.delay(attempt)
                    log.warning(
                        "digest %s for guild %s failed (%s); retry %d in %.1fs",
                        entry.period,
                        entry.guild_id,
                        _describe(failure),
                        attempt,
                        wait,
                    )
                    await asyncio.sleep(wait)
            log.error("digest %s for guild %s still pending", entry.period, entry.guild_id)
            return False
        finally:
            self._in_flight.discard(entry.id)

    async def _post_remaining(self, entry: OutboxEntry) -> None:
        channel = self.client.get_partial_messageable(entry.channel_id)
        for index in range(entry.next_part, len(entry.messages)):
            payload = entry.messages[index]
            message = await channel.send(
                content=payload.get("content"),
                embeds=payload_embeds(payload),
                allowed_mentions=NO_MENTIONS,
                nonce=f"d{entry.id}p{index}",
            )
            await self.db.run(bot_state.mark_part_posted, entry.id, message.id)

    async def resume_pending(self) -> int:
        """Deliver every digest left recorded by an earlier run; returns how many got posted."""
        pending = await self.db.run(bot_state.pending_digests)
        if pending:
            log.info("resuming %d recorded digest(s)", len(pending))
        results = await asyncio.gather(*(self.deliver(entry) for entry in pending))
        return sum(results)


@dataclass(frozen=True)
class Told:
    """One alert group delivered: through a DM or the digest channel, in which message."""

    group: PendingAlerts
    via: str
    message_id: int | None


class AlertOutbox:
    """Sends recorded alerts: a DM per subscriber, or a mention in the digest channel."""

    def __init__(
        self,
        client: discord.Client,
        db: BotDatabase,
        policy: RetryPolicy,
        clock: Callable[[], datetime],
    ) -> None:
        self.client, self.db, self.policy, self.clock = client, db, policy, clock

    async def deliver(
        self,
        group: PendingAlerts,
        articles: dict[int, Headline],
        payload_for: Callable[[Sequence[tuple[Headline, str]], str | None, int], dict],
    ) -> Told | None:
        """Tell one user or role about everything pending for them, in one message.

        Returns how it was told (the caller marks the group posted, in bulk, off the event
        loop), or None when it could not be.
        """
        items = [(articles[d.article_id], d.topic) for d in group.first]
        nonce = f"a{group.last_id}n{group.count}"

        def payload(mention: str | None) -> dict:
            return payload_for(items, mention, group.count)

        for attempt in range(1, self.policy.attempts + 1):
            try:
                via, message_id = await self._send(group, payload, nonce)
            except discord.HTTPException as error:
                if not is_transient(error):
                    log.error("alert to %s %s refused: %s", group.kind, group.target_id, error)
                    return None
                failure: BaseException = error
            except TRANSIENT as error:
                failure = error
            else:
                return None if via is None else Told(group, via, message_id)
            if attempt < self.policy.attempts:
                log.warning("alert delivery failed (%s); retrying", _describe(failure))
                await asyncio.sleep(self.policy.delay(attempt))
        return None

    async def _send(
        self,
        batch: PendingAlerts,
        payload_for: Callable[[str | None], dict],
        nonce: str | None,
    ) -> tuple[str | None, int | None]:
        settings = await self.db.run(bot_state.get_guild_settings, batch.guild_id)
        if batch.kind == ROLE:
            if settings is None:
                return None, None
            payload = payload_for(f"<@&{batch.target_id}>")
            mentions = discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(batch.target_id)]
            )
            message = await self._send_to(settings.channel_id, payload, mentions, nonce)
            return "channel", message.id
        try:
            dm = await self.client.create_dm(discord.Object(batch.target_id))
            message = await dm.send(
                embeds=payload_embeds(payload_for(None)),
                allowed_mentions=NO_MENTIONS,
                nonce=nonce,
            )
            return "dm", message.id
        except discord.Forbidden as error:
            if error.code != DM_CLOSED or settings is None:
                raise
        # DMs closed: mention the user in the digest channel instead, pinging only them.
        payload = payload_for(f"<@{batch.target_id}>")
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(batch.target_id)]
        )
        message = await self._send_to(settings.channel_id, payload, mentions, nonce)
        return "channel", message.id

    async def _send_to(
        self,
        channel_id: int,
        payload: dict,
        mentions: discord.AllowedMentions,
        nonce: str | None,
    ) -> discord.Message:
        channel = self.client.get_partial_messageable(channel_id)
        return await channel.send(
            content=payload.get("content"),
            embeds=payload_embeds(payload),
            allowed_mentions=mentions,
            nonce=nonce,
        )


def _describe(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        return f"HTTP {error.status}: {error.text or type(error).__name__}"
    return f"{type(error).__name__}: {error}"
