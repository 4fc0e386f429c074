"""Shared fixtures: real SQLite files in tmp_path, the bundled seeds, and shared/ when present."""

from __future__ import annotations

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
