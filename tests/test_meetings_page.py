"""The bot's result pager shows a capped total as "N+" and keeps Next on."""

from bot.render import Page


def test_capped_total_reads_as_a_lower_bound():
    page = Page(995, 5, 1000, capped=True)
    assert page.label() == "Results 996–1000 of 1000+"
    assert page.has_next and page.next().capped
    assert Page(0, 5, 12).label() == "Results 1–5 of 12"
    assert not Page(10, 5, 12).has_next
