"""Live sources: RSS/Atom feeds and article pages, polled politely, de-duplicated, never trusted.

Modules, each with one job: ``urls`` (canonical URLs), ``safety`` (which addresses may be
reached), ``http`` (the bounded HTTP client), ``feeds`` (feedparser), ``pages``
(trafilatura), ``reading`` (fetched -> stored articles), ``health`` (backoff and pausing),
``budget`` (what a feed and a round may spend), ``robots`` (robots.txt), ``discovery``
(feeds a page announces), ``poll`` (one polling round) and ``registry`` (adding and
removing sources).
"""

from digest.sources.budget import Budget, BudgetLimits
from digest.sources.errors import SourceError
from digest.sources.http import Fetcher, FetchLimits
from digest.sources.poll import PollReport, Round, SourceOutcome, poll_due_sources
from digest.sources.reading import ItemsIngested, ingest_url
from digest.sources.registry import (
    AddedSource,
    add_source,
    list_sources,
    mark_pause_announced,
    paused_sources_to_announce,
    register_source,
    remove_source,
    resume_source,
    sync_config_sources,
)
from digest.store.sources import Source

__all__ = [
    "AddedSource",
    "Budget",
    "BudgetLimits",
    "Fetcher",
    "FetchLimits",
    "ItemsIngested",
    "PollReport",
    "Round",
    "Source",
    "SourceError",
    "SourceOutcome",
    "add_source",
    "ingest_url",
    "list_sources",
    "mark_pause_announced",
    "paused_sources_to_announce",
    "poll_due_sources",
    "register_source",
    "remove_source",
    "resume_source",
    "sync_config_sources",
]
