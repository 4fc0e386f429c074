"""Delivery that survives failures: digests and alerts are recorded before sending, then posted.

A digest is recorded with its rendered messages (``bot.state.digest_outbox``); each message id is
stored the moment Discord accepts it, so a retry or a restart continues with the next message and
never repeats one. When a send's outcome is unknown (a 5xx, a timeout, a lost connection, or a
restart in the middle of one), the channel's recent messages are searched for that part before
it is sent again: Discord deduplicates nonces only for a few minutes, so after a longer outage
the nonce alone would let a part be posted twice. Failures are retried with backoff, for hours
in the running bot (a few quick tries, then in the background); a permission problem (403) is
noted for ``/parley status`` and told once to someone who can fix it. What is still pending at
shutdown is resumed at the next start.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiohttp
import discord

from bot.database import BotDatabase
from bot.guard import RequestsHeld
from bot.render import payload_embeds
from bot.state import digest_outbox as outbox_state
from bot.state import guilds as guild_state
from bot.state import notes as bot_notes
from bot.state.records import POSTED, RECORDED, ROLE, OutboxEntry, PendingAlerts
from digest.store.articles import Headline

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
TRANSIENT = (
    discord.DiscordServerError,
    aiohttp.ClientError,
    OSError,
    asyncio.TimeoutError,
    RequestsHeld,
)
DM_CLOSED = 50007  # Discord's "Cannot send messages to this user"
HISTORY = 50  # recent messages searched for a part whose sending had an unknown outcome


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed delivery is tried again."""

    attempts: int = 6  # quick tries before the delivery goes on in the background
    first_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 300.0
    keep_trying: float = 24 * 3600.0  # seconds of background retries before giving up
    blocked_delay: float = 1800.0  # between tries while Discord refuses us permission

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return min(self.max_delay, self.first_delay * self.factor ** (attempt - 1))


def is_transient(error: BaseException) -> bool:
    """True for failures worth retrying: rate limits, server errors, network trouble."""
    if isinstance(error, (discord.RateLimited, *TRANSIENT)):
        return True
    return isinstance(error, discord.HTTPException) and error.status in (408, 429)


def outcome_unknown(error: BaseException) -> bool:
    """True when Discord may have accepted a message although the send failed."""
    if isinstance(error, (discord.RateLimited, RequestsHeld)):
        return False
    if isinstance(error, discord.HTTPException):
        return error.status >= 500
    return isinstance(error, TRANSIENT)


Tell = Callable[[int, str], Awaitable[bool]]


class DigestOutbox:
    """Posts recorded digests to their channels, exactly once."""

    def __init__(
        self,
        client: discord.Client,
        db: BotDatabase,
        policy: RetryPolicy,
        clock: Callable[[], datetime],
        concurrency: int = 10,
        tell_admins: Tell | None = None,
        spawn: Callable[[Awaitable[object]], object] = asyncio.ensure_future,
    ) -> None:
        self.client, self.db, self.policy, self.clock = client, db, policy, clock
        self.tell_admins, self.spawn = tell_admins, spawn
        self._in_flight: set[int] = set()
        # Many guilds due at once: a few post at a time, so few answers land in one loop turn
        # (Discord's rate limits would queue the rest anyway).
        self._slots = asyncio.Semaphore(concurrency)

    async def deliver(self, entry: OutboxEntry, *, uncertain: bool = False) -> bool:
        """Post what remains of ``entry``: a few quick tries, then retries in the background.

        Returns True once everything is posted; False when it is left to the background
        retries (or refused for good). ``uncertain``: an earlier send may have gone through.
        """
        if entry.id in self._in_flight or entry.state == POSTED:
            return entry.state == POSTED
        self._in_flight.add(entry.id)
        handed_over = False
        try:
            result = await self._try(entry, self.policy.attempts, uncertain, quick=True)
            if result is None:
                handed_over = True
                self.spawn(self._keep_trying(entry))
                return False
            return result
        finally:
            if not handed_over:
                self._in_flight.discard(entry.id)

    async def _keep_trying(self, entry: OutboxEntry) -> None:
        try:
            await self._try(entry, None, True, quick=False)
        finally:
            self._in_flight.discard(entry.id)

    async def _try(
        self, entry: OutboxEntry, attempts: int | None, uncertain: bool, *, quick: bool
    ) -> bool | None:
        """Try until posted (True), refused for good (False) or out of tries (None)."""
        started = time.monotonic()
        attempt = 0
        while attempts is None or attempt < attempts:
            attempt += 1
            state = await self.db.run(outbox_state.digest_state, entry.id)
            if state != RECORDED:  # posted by another run, or superseded
                return state == POSTED
            blocked = False
            try:
                async with self._slots:
                    await self._post_remaining(entry, uncertain)
            except (discord.Forbidden, discord.NotFound) as error:
                failure: BaseException = error
                blocked, uncertain = True, False
                await self._note_blocked(entry, error)
            except discord.HTTPException as error:
                if not is_transient(error) and error.status < 500:
                    await self.db.run(outbox_state.note_digest_failure, entry.id, describe(error))
                    log.error(
                        "digest %s for guild %s refused by Discord: %s (kept as recorded)",
                        entry.period,
                        entry.guild_id,
                        describe(error),
                    )
                    return False
                failure, uncertain = error, uncertain or outcome_unknown(error)
            except TRANSIENT as error:
                failure, uncertain = error, uncertain or outcome_unknown(error)
            else:
                await self.db.run(outbox_state.mark_digest_posted, entry.id, self.clock())
                log.info("digest %s posted in guild %s", entry.period, entry.guild_id)
                return True
            await self.db.run(outbox_state.note_digest_failure, entry.id, describe(failure))
            entry = await self.db.run(outbox_state.get_outbox_by_id, entry.id)
            if not quick and time.monotonic() - started > self.policy.keep_trying:
                log.error(
                    "digest %s for guild %s not posted after %.0f h; the next digest covers it",
                    entry.period,
                    entry.guild_id,
                    self.policy.keep_trying / 3600,
                )
                return False
            if attempts is not None and attempt >= attempts:
                break
            wait = self.policy.delay(attempt)
            if blocked:
                wait = max(wait, self.policy.blocked_delay)
            log.warning(
                "digest %s for guild %s failed (%s); retry %d in %.1fs",
                entry.period,
                entry.guild_id,
                describe(failure),
                attempt,
                wait,
            )
            await asyncio.sleep(wait)
        log.warning(
            "digest %s for guild %s: retrying in the background", entry.period, entry.guild_id
        )
        return None

    async def _note_blocked(self, entry: OutboxEntry, error: discord.HTTPException) -> None:
        """Keep the problem for /parley status; tell someone who can fix it, once."""
        problem = (
            f"Parley may not post in <#{entry.channel_id}> (Discord said: "
            f"{error.text or error.status}). Give Parley the View Channel, Send Messages and "
            "Embed Links permissions there, or choose another channel with /parley setup; "
            "the digest is retried until it gets through."
        )
        first = await self.db.run(bot_notes.note_problem, entry.guild_id, problem, self.clock())
        if (
            first
            and self.tell_admins is not None
            and await self.tell_admins(entry.guild_id, problem)
        ):
            await self.db.run(bot_notes.mark_problem_told, entry.guild_id, self.clock())

    async def _post_remaining(self, entry: OutboxEntry, uncertain: bool) -> None:
        channel = self.client.get_partial_messageable(entry.channel_id)
        for index in range(entry.next_part, len(entry.messages)):
            payload = entry.messages[index]
            found = await self._find_posted(channel, entry, payload) if uncertain else None
            if found is None:
                message = await channel.send(
                    content=payload.get("content"),
                    embeds=payload_embeds(payload),
                    allowed_mentions=NO_MENTIONS,
                    nonce=f"d{entry.id}p{index}",
                )
                found = message.id
            else:
                log.info("digest %s part %d was posted already (%s)", entry.period, index, found)
            await self.db.run(outbox_state.mark_part_posted, entry.id, found)
            entry = await self.db.run(outbox_state.get_outbox_by_id, entry.id)
            uncertain = False  # later parts were never sent

    async def _find_posted(
        self, channel: discord.PartialMessageable, entry: OutboxEntry, payload: dict
    ) -> int | None:
        after = discord.Object(entry.message_ids[-1]) if entry.message_ids else None
        return await find_posted(self.client, channel, payload, after)

    async def resume_pending(self) -> int:
        """Deliver every digest left recorded by an earlier run; returns how many got posted."""
        pending = await self.db.run(outbox_state.pending_digests)
        if pending:
            log.info("resuming %d recorded digest(s)", len(pending))
        # The last run may have died in the middle of a send: look before sending again.
        results = await asyncio.gather(*(self.deliver(e, uncertain=True) for e in pending))
        return sum(results)


async def find_posted(
    client: discord.Client,
    channel: discord.abc.Messageable,
    payload: dict,
    after: discord.abc.Snowflake | None = None,
) -> int | None:
    """The id of a recent message of ours in ``channel`` that is ``payload``, if any.

    Asked after a send whose outcome is unknown: Discord deduplicates nonces only for a few
    minutes, so after a longer outage the nonce alone would let the message be posted twice.
    """
    wanted = fingerprint(payload.get("content"), payload.get("embeds", []))
    me = client.user.id if client.user else None
    try:
        # Just after ``after`` when given (the previous part), else the newest messages.
        recent = channel.history(limit=HISTORY, after=after, oldest_first=after is not None)
        async for message in recent:
            if message.author.id != me:
                continue
            if fingerprint(message.content, [e.to_dict() for e in message.embeds]) == wanted:
                return message.id
    except discord.HTTPException as error:
        # No history to read (no permission to read it): the nonce is what is left.
        log.warning("could not read recent messages: %s", error)
    return None


def fingerprint(content: str | None, embeds: Sequence[dict]) -> tuple:
    """What identifies one of our messages: its text and its embeds' titles and texts."""
    return (
        content or "",
        tuple(
            (
                e.get("title") or "",
                e.get("description") or "",
                tuple((f.get("name"), f.get("value")) for f in e.get("fields", [])),
            )
            for e in embeds
        ),
    )


class ChannelRefused(Exception):
    """A channel refused us a short while ago: not tried again yet."""


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
        closed_dms: set[int] | None = None,
    ) -> None:
        self.client, self.db, self.policy, self.clock = client, db, policy, clock
        self.closed_dms = closed_dms if closed_dms is not None else set()
        # Channels that refused us (403/404), and when: not tried again for a while, or each
        # alert run would add one invalid request per such channel.
        self._refused_channels: dict[int, float] = {}
        # Targets whose last send may have gone through: look before sending again.
        self._uncertain: set[tuple[int, str, int]] = set()

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

        key = (group.guild_id, group.kind, group.target_id)
        for attempt in range(1, self.policy.attempts + 1):
            try:
                via, message_id = await self._send(group, payload, nonce, key in self._uncertain)
            except ChannelRefused:
                return None  # kept recorded; tried again once the channel's pause is over
            except discord.HTTPException as error:
                if not is_transient(error):
                    log.error("alert to %s %s refused: %s", group.kind, group.target_id, error)
                    return None
                failure: BaseException = error
            except TRANSIENT as error:
                failure = error
            else:
                self._uncertain.discard(key)
                return None if via is None else Told(group, via, message_id)
            if outcome_unknown(failure):
                self._uncertain.add(key)
            if attempt < self.policy.attempts:
                log.warning("alert delivery failed (%s); retrying", describe(failure))
                await asyncio.sleep(self.policy.delay(attempt))
        return None

    async def _send(
        self,
        batch: PendingAlerts,
        payload_for: Callable[[str | None], dict],
        nonce: str | None,
        uncertain: bool = False,
    ) -> tuple[str | None, int | None]:
        settings = await self.db.run(guild_state.get_guild_settings, batch.guild_id)
        if batch.kind == ROLE:
            if settings is None:
                return None, None
            payload = payload_for(f"<@&{batch.target_id}>")
            mentions = discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(batch.target_id)]
            )
            found = await self._send_to(settings.channel_id, payload, mentions, nonce, uncertain)
            return "channel", found
        # A user whose DMs were refused is told in the channel until they use Parley again
        # (then ``forget_dm_closed``): each refused DM counts against Discord's limit.
        if batch.target_id not in self.closed_dms:
            try:
                dm = await self.client.create_dm(discord.Object(batch.target_id))
                alone = payload_for(None)
                if uncertain and (found := await find_posted(self.client, dm, alone)):
                    return "dm", found
                message = await dm.send(
                    embeds=payload_embeds(alone),
                    allowed_mentions=NO_MENTIONS,
                    nonce=nonce,
                )
                return "dm", message.id
            except discord.Forbidden as error:
                if error.code != DM_CLOSED:
                    raise
                self.closed_dms.add(batch.target_id)
                await self.db.run(bot_notes.note_dm_closed, batch.target_id, self.clock())
        if settings is None:
            return None, None  # no channel to tell them in; kept for when they reopen DMs
        # DMs closed: mention the user in the digest channel instead, pinging only them.
        payload = payload_for(f"<@{batch.target_id}>")
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(batch.target_id)]
        )
        found = await self._send_to(settings.channel_id, payload, mentions, nonce, uncertain)
        return "channel", found

    async def _send_to(
        self,
        channel_id: int,
        payload: dict,
        mentions: discord.AllowedMentions,
        nonce: str | None,
        uncertain: bool = False,
    ) -> int:
        refused_at = self._refused_channels.get(channel_id)
        if refused_at is not None and time.monotonic() - refused_at < self.policy.blocked_delay:
            raise ChannelRefused(channel_id)
        channel = self.client.get_partial_messageable(channel_id)
        if uncertain and (found := await find_posted(self.client, channel, payload)):
            return found
        try:
            message = await channel.send(
                content=payload.get("content"),
                embeds=payload_embeds(payload),
                allowed_mentions=mentions,
                nonce=nonce,
            )
        except (discord.Forbidden, discord.NotFound):
            self._refused_channels[channel_id] = time.monotonic()
            raise
        return message.id


def describe(error: BaseException) -> str:
    """A failure in one line for logs and status."""
    if isinstance(error, discord.HTTPException):
        return f"HTTP {error.status}: {error.text or type(error).__name__}"
    return f"{type(error).__name__}: {error}"
