"""Odd input at the command line: every case answers with one line, never a traceback.

Most cases run the real entry point (``parley.cli.main``) in this process, which is what
``parley`` runs; the few that need a process of their own (another user, import timing) start
``python -m parley``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest import store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run(monkeypatch, capsys, *args: str, **env: str) -> tuple[int, str, str]:
    """``parley ARGS`` through its entry point: (exit status, stdout, stderr)."""
    from parley.cli import main

    monkeypatch.delenv("PARLEY_CONFIG", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["parley", *args])
    capsys.readouterr()
    try:
        main()
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("Error: ")
    return lines[0]


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    """A runner with PARLEY_DB in tmp_path."""
    db_path = tmp_path / "cli.db"

    def invoke(*args: str, **env: str) -> tuple[int, str, str]:
        return run(monkeypatch, capsys, *args, **{"PARLEY_DB": str(db_path), **env})

    invoke.db_path = db_path
    return invoke


@pytest.fixture
def ingested(cli):
    status, out, err = cli("ingest", str(SEEDS))
    assert status == 0, err
    return cli


# --- item 4: a bad PARLEY_DB ----------------------------------------------------------------


def test_a_database_in_folders_not_made_yet_is_created(cli, tmp_path):
    # A fresh clone has no data/ folder: the default data/parley.db must still work.
    path = tmp_path / "not" / "made" / "yet" / "parley.db"
    status, out, err = cli("ingest", str(SEEDS), PARLEY_DB=str(path))
    assert status == 0, err
    assert path.is_file() and "new" in out


def test_a_directory_as_database_is_one_line_and_nothing_is_written(cli, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for command in (["search", "talks"], ["digest"], ["meetings"], ["ingest", str(SEEDS)]):
        status, _, err = cli(*command, PARLEY_DB=str(folder))
        assert status == 1
        assert "is a directory" in one_line_error(err)
    assert list(folder.iterdir()) == []


def test_a_file_that_is_not_sqlite_is_refused_untouched(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database\n" * 50)
    before = notes.read_bytes()
    status, _, err = cli("search", "talks", PARLEY_DB=str(notes))
    assert status == 1 and "not a SQLite database" in one_line_error(err)
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_another_applications_database_is_refused_before_anything_is_written(cli, tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.execute("insert into invoices (total) values (12.5)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for command in (["ingest", str(SEEDS)], ["digest"], ["sources"]):
        status, _, err = cli(*command, PARLEY_DB=str(other))
        assert status == 1
        assert "another application's" in one_line_error(err)
    assert other.read_bytes() == before  # no Parley table, no switch to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_an_empty_database_path_in_the_config_is_one_line(cli, tmp_path):
    config = tmp_path / "parley.toml"
    config.write_text('[database]\npath = ""\n')
    status, _, err = cli("--config", str(config), "digest")
    assert status == 1 and "database.path is empty" in one_line_error(err)


def test_a_database_path_under_a_file_is_one_line(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, _, err = cli("digest", PARLEY_DB=str(blocker / "parley.db"))
    assert status == 1 and "a file" in one_line_error(err)


@contextlib.contextmanager
def immutable(*paths: Path):
    """Make ``paths`` unwritable even for root (CI runs as root), or skip where it cannot."""
    done = []
    try:
        for path in paths:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                pytest.skip("chattr +i is not available here: cannot make a file read-only")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)


@pytest.fixture
def read_only_copy(tmp_path) -> Path:
    folder = tmp_path / "copy"
    folder.mkdir()
    db_path = folder / "parley.db"
    db = store.open_db(db_path)
    from digest.pipeline import ingest_files

    ingest_files(db, [SEEDS], datetime(2024, 5, 1, tzinfo=UTC))
    db.close()  # a clean close: no -wal or -shm left beside it
    return db_path


@pytest.mark.parametrize("folder_too", [False, True], ids=["file", "file-and-folder"])
def test_a_read_only_database_serves_reading_commands(cli, read_only_copy, folder_too):
    """A copy no one may write: search, digest, meetings work; ingest says why not, in a line."""
    db_path = read_only_copy
    before = db_path.read_bytes()
    locked = (db_path, db_path.parent) if folder_too else (db_path,)
    with immutable(*locked):
        env = {"PARLEY_DB": str(db_path)}
        status, out, err = cli("search", "talks", **env)
        assert status == 0, err
        assert out.count("\n[") + out.startswith("[") >= 2
        status, out, err = cli("digest", "--format", "json", **env)
        assert status == 0 and '"stories"' in out, err
        status, out, err = cli("meetings", "--limit", "2", **env)
        assert status == 0 and "of " in out, err
        edited = db_path.parent.parent / "new.txt"
        edited.write_text(
            "Ministers meet in Paris\n\nThe finance ministers of France and Germany met in "
            "Paris on Monday to discuss the stability pact. They agreed to meet again next "
            "month. Officials called the talks constructive.\n"
        )
        status, _, err = cli("ingest", str(edited), **env)
        assert status == 1 and "read-only" in one_line_error(err)
    assert db_path.read_bytes() == before


# --- item 5: disk full through the command line ------------------------------------------


def test_a_full_disk_is_one_line_with_what_was_stored(cli, monkeypatch):
    opened = store.open_db

    def small_disk(path):
        db = opened(path)
        pages = db.execute("pragma page_count").fetchone()[0]
        db.execute(f"pragma max_page_count = {pages + 12}")  # real SQLITE_FULL, a few pages on
        return db

    monkeypatch.setattr(store, "open_db", small_disk)
    status, out, err = cli("ingest", str(SEEDS))
    line = one_line_error(err)
    assert status == 1 and "full" in line and " new" in line
    monkeypatch.setattr(store, "open_db", opened)
    stored = sqlite3.connect(cli.db_path).execute("select count(*) from articles").fetchone()[0]
    assert f"{stored} new" in line and stored < 5


# --- item 6 and 10: numbers and dates, the same rules everywhere -----------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["meetings", "--page", "99999999999999999999"],
        ["meetings", "--page", "0"],
        ["meetings", "--limit", "99999999999999999999"],
        ["people", "--limit", "99999999999999999999"],
        ["people", "--limit", "0"],
        ["people", "--limit", "-1"],
        ["search", "talks", "--limit", "0"],
    ],
)
def test_out_of_range_numbers_are_one_line_usage_errors(ingested, args):
    status, _, err = ingested(*args)
    assert status == 2
    assert "not in the range" in one_line_error(err)


@pytest.mark.parametrize("command", ["digest", "meetings"])
@pytest.mark.parametrize("value", ["2024-13-45", "", "the day after never"])
def test_a_bad_date_is_the_same_one_line_error_in_every_command(ingested, command, value):
    status, _, err = ingested(command, "--since", value)
    assert status == 2
    line = one_line_error(err)
    assert "'--since'" in line and "YYYY-MM-DD" in line


@pytest.mark.parametrize("command", ["digest", "meetings"])
@pytest.mark.parametrize("value", ["yesterday", "tomorrow", "2024", "2024-05", "3 days ago"])
def test_the_same_dates_work_in_every_command(ingested, command, value):
    status, _, err = ingested(command, "--since", value)
    assert status == 0, err


def test_choices_ignore_case(ingested):
    held = ingested("meetings", "--status", "HELD", "--format", "JSON")
    assert held[0] == 0, held[2]
    assert '"status": "held"' in held[1]
    status, _, err = ingested("meetings", "--status", "cancelled")
    assert status == 2 and "'--status'" in one_line_error(err)


# --- item 8: search accepts what people type ---------------------------------------------


@pytest.mark.parametrize(
    "query", ["U.S.", "China's", "US-China", "co-chair", "Kritenbrink,", "talks?", "5%"]
)
def test_news_words_with_punctuation_are_searched(ingested, query):
    status, out, err = ingested("search", query)
    assert status == 0, err
    assert "not valid" not in out + err


def test_meeting_text_search_takes_the_same_words(ingested):
    for query in ("U.S.", "co-chair", "talks?"):
        status, _, err = ingested("meetings", "--query", query)
        assert status == 0, err


def test_punctuated_words_find_the_same_as_their_quoted_form(ingested):
    plain = ingested("search", "China's", "--format", "json")[1]
    quoted = ingested("search", '"China\'s"', "--format", "json")[1]
    assert plain == quoted and plain.strip() != "[]"


def test_fts_syntax_still_works(ingested):
    status, out, _ = ingested("search", '"security cooperation" AND (talks OR meeting*)')
    assert status == 0 and out.startswith("[")
    status, _, err = ingested("search", '"unbalanced')
    assert status == 1 and "double quote" in one_line_error(err)


def test_a_huge_query_is_not_echoed_whole(ingested):
    query = "zebra" * 2000
    status, out, err = ingested("search", query)
    assert status == 0 and len(out) < 200
    status, _, err = ingested("search", query + ' "')
    assert len(one_line_error(err)) < 400


# --- item 9: ingest of files that are not there or not regular ---------------------------


def test_a_missing_file_exits_1_and_is_reported_once(cli, tmp_path):
    missing = tmp_path / "missing.txt"
    status, out, err = cli("ingest", str(missing), str(SEEDS))
    assert status == 1
    assert (out + err).count("missing.txt") == 1
    assert "does not exist" in out and "5 new" in out


def test_dev_null_is_empty_not_missing(cli):
    status, out, _ = cli("ingest", "/dev/null")
    assert status == 1
    assert "/dev/null: is empty" in out and "does not exist" not in out


def test_a_pipe_is_read_like_a_file(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = (SEEDS / "001_050f5d3f44de8319.txt").read_bytes()

    def feed():
        with fifo.open("wb") as writer:
            writer.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    status, out, err = cli("ingest", str(fifo))
    writer.join(timeout=60)
    assert status == 0, err
    assert "1 new" in out


def test_an_unreadable_file_in_a_folder_is_reported_without_failing_the_run(cli, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    shutil.copy(SEEDS / "000_65f2fbe02c6866c9.txt", folder / "good.txt")
    status, out, _ = cli("ingest", str(folder))
    assert status == 0
    assert "1 new" in out and out.count("empty.txt") == 1


# --- item 11: config values that would break later ---------------------------------------


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("[sources]\ntimeout_seconds = nan", "finite"),
        ("[sources]\ntimeout_seconds = inf", "finite"),
        ("[sources]\nfetch_seconds = -inf", "finite"),
        ('[database]\npath = ""', "empty"),
    ],
)
def test_config_values_that_break_later_are_refused_at_load(cli, tmp_path, setting, expected):
    config = tmp_path / "parley.toml"
    config.write_text(setting + "\n")
    status, _, err = cli("--config", str(config), "digest")
    assert status == 1 and expected in one_line_error(err)


# --- item 12: an edited file at a known path ---------------------------------------------


def test_an_edited_file_is_read_again_and_its_article_updated(cli, tmp_path):
    article = tmp_path / "story.txt"
    shutil.copy(SEEDS / "001_050f5d3f44de8319.txt", article)
    assert cli("ingest", str(article))[0] == 0
    conn = sqlite3.connect(cli.db_path)
    ((article_id, before),) = conn.execute("select id, body from articles").fetchall()
    meetings_before = conn.execute("select count(*) from meeting_sources").fetchone()[0]
    assert meetings_before == 5
    # Unchanged: a duplicate without being read.
    assert "1 duplicate" in cli("ingest", str(article))[1]
    # Touched but the same text: still a duplicate.
    os.utime(article, ns=(1, 1))
    assert "1 duplicate" in cli("ingest", str(article))[1]
    # Edited: the stored article is updated in place and its meetings replaced.
    shutil.copy(SEEDS / "004_15d38f3dc919dc95.txt", article)
    status, out, err = cli("ingest", str(article))
    assert status == 0 and "1 updated" in out, out + err
    rows = conn.execute("select id, body from articles").fetchall()
    assert len(rows) == 1 and rows[0][0] == article_id and rows[0][1] != before
    sources = conn.execute("select distinct article_id from meeting_sources").fetchall()
    assert sources == [(article_id,)]
    # Same meetings as a clean ingest of the edited text alone.
    fresh = tmp_path / "fresh.db"
    assert cli("ingest", str(article), PARLEY_DB=str(fresh))[0] == 0

    def meetings(path):
        return sorted(
            sqlite3.connect(path)
            .execute("select status, kind, date, people_key, search_text from meetings")
            .fetchall()
        )

    assert meetings(cli.db_path) == meetings(fresh)
    assert conn.execute("select count(*) from people where meeting_count < 0").fetchone()[0] == 0


# --- item 13: output that fits a terminal ------------------------------------------------


LOCAL = {"PARLEY_ALLOW_PRIVATE_NETWORKS": "1"}  # --kind: nothing is fetched


def test_sources_wrap_long_urls_in_80_columns(cli):
    url = "http://127.0.0.1:9/feeds/a-very-long-path/with/many/segments/rss.xml?edition=world"
    assert cli("sources", "add", url, "--kind", "feed", **LOCAL)[0] == 0
    status, out, _ = cli("sources", COLUMNS="80", **LOCAL)
    assert status == 0
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "".join(line.strip(" │┃|") for line in out.splitlines()).count("rss.xml") == 1
    assert "segments" in out


def test_adding_a_known_source_says_so(cli):
    url = "http://127.0.0.1:9/feed.xml"
    first = cli("sources", "add", url, "--kind", "feed", **LOCAL)[1]
    again = cli("sources", "add", url, "--kind", "feed", **LOCAL)[1]
    assert "new" in first
    assert "already" in again and "new" not in again


def test_a_story_lists_its_top_sources_and_how_many_more(tmp_path):
    from digest.formats import digest_to_markdown, digest_to_text
    from digest.models import Digest, SourceLink, Story

    sources = tuple(
        SourceLink(title=f"Report {n}", location=f"/r{n}.txt", site="Wire", published=None)
        for n in range(400)
    )
    story = Story(
        title="Talks", summary=("They met.",), sources=sources, article_ids=tuple(range(400))
    )
    digest = Digest(
        generated_at=datetime(2024, 5, 1, tzinfo=UTC), since=None, stories=(story,),
        article_count=400,
    )  # fmt: skip
    for text in (digest_to_text(digest, UTC), digest_to_markdown(digest, UTC)):
        assert text.count("Report ") == 3
        assert "+397 more sources" in text
    import io

    from rich.console import Console

    from parley.terminal import print_digest

    screen = io.StringIO()
    print_digest(Console(file=screen, width=80), digest, UTC)
    assert screen.getvalue().count("Report ") == 3 and "+397 more sources" in screen.getvalue()
    assert all(len(line) <= 80 for line in screen.getvalue().splitlines())


# --- parley --help starts light ----------------------------------------------------------


def test_help_imports_no_heavy_library():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "parley", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    heavy = {"trafilatura", "sklearn", "numpy", "httpx", "feedparser", "rich", "dateparser",
             "discord", "lxml", "sqlite_utils", "scipy"}  # fmt: skip
    assert not heavy & imported, heavy & imported
