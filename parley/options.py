"""Option types shared by every command, so one rule (and one message) holds everywhere.

Every ``--since``/``--until`` goes through ``DATE``, every ``--limit`` through ``limit_option``
and every ``--page`` through ``PAGE``; choices ignore case. A bad value is a one-line usage
error (exit status 2) naming the option, whatever the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import click

DATE_HINT = "use YYYY-MM-DD, YYYY-MM, YYYY, or words such as yesterday or '3 days ago'"
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class DateValue:
    """A date as typed: the ISO text (possibly partial: 2024-05 or 2024) and its first moment.

    Meeting lookups use ``iso`` (a partial date is a range); digests use ``moment``.
    """

    iso: str
    moment: datetime


def parse_date(text: str, now: datetime) -> DateValue:
    """One parser for every date option: ISO dates (whole or partial) or relative words.

    Raises ValueError with a message fit for the user.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"is empty: {DATE_HINT}")
    if re.fullmatch(r"\d{4}(-\d{1,2}(-\d{1,2})?)?", stripped):
        parts = [int(p) for p in stripped.split("-")]
        try:
            day = date(parts[0], *(parts[1:] or [1]), *([1] if len(parts) < 3 else []))
        except ValueError:
            raise ValueError(f"{text!r} is not a real date: {DATE_HINT}") from None
        iso = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])
        return DateValue(iso, datetime.combine(day, time(), tzinfo=UTC))
    import dateparser  # only for words: it takes a while to import

    moment = dateparser.parse(
        stripped,
        settings={
            "RELATIVE_BASE": now.astimezone(UTC).replace(tzinfo=None),
            "RETURN_AS_TIMEZONE_AWARE": True,
            "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC",
            "PREFER_DATES_FROM": "past",
        },
    )
    if moment is None:
        raise ValueError(f"{text!r} is not a date: {DATE_HINT}")
    moment = moment.astimezone(UTC)
    return DateValue(moment.date().isoformat(), moment)


class DateParam(click.ParamType):
    """``--since``/``--until``: see ``parse_date``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Parse ``value`` relative to the current time."""
        if isinstance(value, DateValue):
            return value
        from digest.timeutil import utc_now

        try:
            return parse_date(str(value), utc_now())
        except ValueError as error:
            self.fail(str(error), param, ctx)


DATE = DateParam()
PAGE = click.IntRange(1, MAX_PAGE)


def limit_option(default: int, maximum: int, what: str = "Results") -> Any:
    """A ``--limit`` between 1 and ``maximum``."""
    return click.option(
        "--limit",
        type=click.IntRange(1, maximum),
        default=default,
        show_default=True,
        help=f"{what} to show (1 to {maximum}).",
    )


def choice(*values: str) -> click.Choice:
    """A case-insensitive choice (``--status HELD`` is ``held``)."""
    return click.Choice(values, case_sensitive=False)
