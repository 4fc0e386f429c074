"""The invalid-request guard and the global pacer, on an injected clock."""

from __future__ import annotations

import asyncio

import pytest

from bot.guard import GlobalPacer, InvalidRequestGuard, RequestsHeld
from tests.discord_emulator.harness import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_pacer_lets_rate_requests_a_second_through():
    clock = Clock()
    pacer = GlobalPacer(3, clock)
    for _ in range(3):
        await asyncio.wait_for(pacer.wait(), 5)
    fourth = asyncio.create_task(pacer.wait())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not fourth.done()  # a fourth in the same second waits
    clock.now += 1.0
    await wait_until(fourth.done)


def test_guard_holds_at_its_budget_counting_requests_in_flight():
    clock = Clock()
    guard = InvalidRequestGuard(budget=2, clock=clock)
    with guard.sending():
        guard.note(200)
        with guard.sending(), pytest.raises(RequestsHeld):
            guard.check()  # two in flight could both be refused
    guard.note(403)
    guard.note(429)
    with pytest.raises(RequestsHeld):
        guard.check()
    clock.now += 601  # ten minutes on, the window is clear
    guard.check()
    assert guard.count == 0
