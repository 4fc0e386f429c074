"""The per-article budget: extraction stops where it runs out and keeps what it found.

Time is injected (a counter standing in for the CPU clock), so nothing here depends on speed.
"""

from datetime import UTC, datetime

from digest.meetings import Budget, extract_meetings
from digest.models import Article

COUNTRIES = ["Kenya", "Norway", "Chile", "Japan", "Egypt", "Poland", "Canada", "Brazil"]
FIRST = ["Alma", "Rolf", "Ines", "Tariq", "Mona", "Pavel"]
LAST = ["Tesfaye", "Becker", "Soto", "Mori", "Haddad", "Nowak"]


def person(i: int) -> str:
    return f"{FIRST[i % 6]} {LAST[(i // 6) % 6]}"


def long_article(paragraphs: int) -> Article:
    body = "\n\n".join(
        f"{COUNTRIES[i % 8]}'s Foreign Minister {person(2 * i)} met {COUNTRIES[(i + 1) % 8]}'s "
        f"Foreign Minister {person(2 * i + 1)} in Geneva on Monday to discuss trade."
        for i in range(paragraphs)
    )
    return Article(
        location="long", body=body, content_hash="x", title="Talks",
        published=datetime(2024, 5, 10, tzinfo=UTC),
    )  # fmt: skip


class Ticks:
    """A clock that moves one unit each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_a_budget_that_never_runs_out_finds_every_meeting():
    article = long_article(18)
    found = extract_meetings(article, budget=Budget(seconds=float("inf"), clock=Ticks()))
    assert len(found) == 18


def test_a_spent_budget_keeps_the_meetings_found_before_it_ran_out():
    article = long_article(18)
    budget = Budget(seconds=100.0, clock=Ticks())
    found = extract_meetings(article, budget=budget)
    assert budget.spent_at is not None and 0 < budget.spent_at < len(article.body)
    assert 0 < len(found) < 18
    read = article.body[: budget.spent_at]
    for meeting in found:  # every kept meeting comes from the text read before the cut
        assert meeting.participants[0].name.split()[-1] in read
        assert meeting.topics == ("trade",) or meeting.topics == ()


def test_the_first_start_counts_and_later_ones_do_not():
    clock = Ticks()
    budget = Budget(seconds=3.0, clock=clock)
    budget.start()  # reads 1
    budget.start()  # ignored
    assert not budget.exhausted(10)  # reads 2
    assert not budget.exhausted(20)  # reads 3
    assert budget.exhausted(30)  # reads 4: 3 units spent
    assert budget.exhausted(40) and budget.spent_at == 30
