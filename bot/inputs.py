"""Parsing what users type into slash-command options. Pure: ``now`` comes in."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digest.errors import ParleyError

UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
RELATIVE = re.compile(
    r"(?P<n>\d{1,4})\s*(?P<unit>m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)"
    r"(?:\s+ago)?",
    re.IGNORECASE,
)


class BadSince(ParleyError):
    """A 'since' value must be a duration (24h, 3 days, 1w) or a date (2026-11-20)."""


def parse_since(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """'24h', '3 days', '1w ago', 'yesterday', '2026-11-20' or an ISO datetime -> aware moment.

    Dates mean midnight in ``zone``; the result is never after ``now``.
    """
    cleaned = text.strip().lower()
    if cleaned in ("today", "yesterday"):
        day = now.astimezone(zone).date() - timedelta(days=cleaned == "yesterday")
        return datetime.combine(day, time(), zone)
    match = RELATIVE.fullmatch(cleaned)
    if match:
        unit = UNITS[match["unit"][0].lower()]
        return now - timedelta(**{unit: int(match["n"])})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text.strip()), time())
        except ValueError:
            raise BadSince(
                f"{text!r} is not a duration such as 24h, 3 days or 1w, "
                "nor a date such as 2026-11-20"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if moment > now:
        raise BadSince(f"{text!r} is in the future; a digest covers what already arrived")
    return moment
