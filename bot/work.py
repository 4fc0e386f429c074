"""CPU-heavy work, run off the event loop in a worker process (or a thread in tests).

Each function is module-level with plain, picklable arguments and opens its own database
connection (sqlite3 connections cannot cross threads or processes), so the event loop neither
computes nor (un)pickles article bodies. Worker processes escape the GIL: a thread doing pure
Python work would still stall the loop for whole switch intervals at a time. Folder ingestion
(``ingest_folders``) is the exception: the bot's ingest job runs it in a thread.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from bot.routing import who_to_tell
from bot.state import alerts as alert_state
from bot.state import meta as bot_meta
from bot.state import open_db as open_bot_db
from bot.state import subscriptions as subscription_state
from bot.state.records import PendingAlerts
from digest import store
from digest.alerts import TopicMatcher, Vocabulary
from digest.config import Config
from digest.daily import build_digest
from digest.meetings.topics import extend_vocabulary
from digest.models import Digest
from digest.pipeline import ingest_files
from digest.store import articles as article_store

PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


def digest_since(
    db_path: str | Path,
    since: datetime | None,
    now: datetime,
    topics: Sequence[str],
    vocabulary: Vocabulary,
    sentences_per_story: int,
    max_stories: int,
) -> Digest:
    """The digest of articles stored after ``since``; with ``topics``, only articles on them."""
    db = open_bot_db(db_path)
    try:
        articles = article_store.articles_since(db, since)
    finally:
        db.close()
    if topics:
        matcher = TopicMatcher(topics, vocabulary)
        articles = [a for a in articles if matcher.matches(a)]
    return build_digest(
        articles,
        now=now,
        since=since,
        sentences_per_story=sentences_per_story,
        max_stories=max_stories,
        topics=tuple(topics),
    )


def record_new_alerts(
    db_path: str | Path, cursor_key: str, vocabulary: Vocabulary, now: datetime
) -> tuple[int, int]:
    """Match articles stored after the cursor against every subscription; record deliveries.

    The cursor moves only after the deliveries are recorded, so a crash repeats the matching
    but never records a delivery twice (they are unique per target and article). Returns
    (articles examined, deliveries recorded). The first run only sets the cursor: the backlog
    is not news.
    """
    db = open_bot_db(db_path)
    try:
        cursor = bot_meta.get_meta(db, cursor_key)
        if cursor is None:
            bot_meta.set_meta(db, cursor_key, str(article_store.max_article_id(db)))
            return 0, 0
        examined = added = 0
        while ids := article_store.article_ids_after(db, int(cursor), limit=100):
            articles = article_store.articles_by_ids(db, ids)
            deliveries = who_to_tell(articles, subscription_state.all_subscriptions(db), vocabulary)
            added += alert_state.record_alerts(db, deliveries, now, pause=0.02)
            cursor = str(max(ids))
            bot_meta.set_meta(db, cursor_key, cursor)
            examined += len(ids)
        return examined, added
    finally:
        db.close()


def mark_alerts_told(
    db_path: str | Path,
    told: Sequence[tuple[PendingAlerts, str, int | None]],
    now: datetime,
) -> None:
    """Mark delivered alert groups posted, in a worker rather than the bot's database thread.

    Hundreds of rows each: in that thread they would hold up lookups and digests.
    """
    db = open_bot_db(db_path)
    try:
        alert_state.mark_target_alerts_posted(db, told, now)
    finally:
        db.close()


def checkpoint(db_path: str | Path) -> None:
    """Copy what the write-ahead log holds into the database file (off the event loop)."""
    db = open_bot_db(db_path)
    try:
        store.checkpoint(db)
    finally:
        db.close()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that yield the CPU to the event loop and die with the bot."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=worker_setup,
        initargs=(os.getpid(),),
    )


def worker_setup(parent_pid: int) -> None:
    """Worker initializer: lower priority, and exit when the bot process is gone.

    A ``kill -9`` of the bot gives the pool no chance to stop its workers: on Linux the kernel
    kills each one when its parent dies (PR_SET_PDEATHSIG); elsewhere, and should the parent
    have died before that was set, a watcher thread notices the parent changed and exits.
    """
    os.nice(10)
    _die_with_parent()
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # the watcher thread covers it


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def warm_up() -> bool:
    """Import the heavy modules in a fresh worker before the first real job needs them."""
    return True


def ingest_folders(config: Config, folders: Sequence[str], now: datetime) -> list[int]:
    """Ingest text files of ``folders`` (run in a thread); returns the new articles' ids."""
    # A worker thread needs its own connection: sqlite3 connections stay in their thread.
    db = open_bot_db(config.database_path)
    try:
        vocabulary = extend_vocabulary(config.topics.extra)
        return ingest_files(db, folders, now, vocabulary=vocabulary).new_article_ids
    finally:
        db.close()
