"""Shared fixtures: real SQLite files in tmp_path, the bundled seeds, and shared/ when present."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from digest import store
from tests.skip_report import (  # noqa: F401  (hooks: which tests skipped, and why)
    pytest_collection_modifyitems,
    pytest_collectreport,
    pytest_configure,
    pytest_runtest_logreport,
    pytest_terminal_summary,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "parley.db"


@pytest.fixture
def db(db_path: Path):
    database = store.open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def shared_dir() -> Path:
    """../shared, or a skip when it is absent (tests using it are marked ``needs_shared``)."""
    if not SHARED.is_dir():
        pytest.skip("../shared (evaluation data) is not beside this checkout")
    return SHARED


# The sources' tests fetch concurrently, so their local server is threaded (pytest-httpserver's
# own is not); one per module, cleared after each test like the plugin's.
@pytest.fixture(scope="module")
def server():
    srv = HTTPServer(host="localhost", port=0, threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def httpserver(server):
    # No robots.txt (404: everything allowed), as on most servers; a test that wants one
    # registers it with expect_oneshot_request, which is matched first.
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    yield server
    server.clear()


@pytest.fixture
async def emulator(monkeypatch):
    """The local Discord with one guild and a #news channel (a test module may override it)."""
    from tests.discord_emulator.harness import newsroom  # imports discord.py: only when used

    async with newsroom(monkeypatch) as emu:
        yield emu


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    """The seed files ingested once from their folder (meetings extracted; locations are file
    paths); ``seeded_config`` gives each test its own copy."""
    from digest.pipeline import ingest_files

    path = tmp_path_factory.mktemp("seeded") / "parley.db"
    db = store.open_db(path)
    ingest_files(db, sorted(SEEDS.glob("*.txt")), datetime(2026, 11, 26, tzinfo=UTC))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def seeded_config(tmp_path, seeded_db):
    """A bot config whose database is a fresh copy of the seeded one."""
    from tests.discord_emulator.harness import bot_config

    shutil.copy(seeded_db, tmp_path / "parley.db")
    return bot_config(tmp_path)
