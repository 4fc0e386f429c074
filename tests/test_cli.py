"""The CLI through its real entry point (``python -m parley``), against real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def parley(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parley", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**{k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {"PARLEY_DB": str(tmp_path / "cli.db"), "COLUMNS": "120"}


def test_every_command_has_help():
    from parley.cli import cli

    commands = list(cli.commands.values())
    assert {"ingest", "digest", "summarize", "search", "demo", "run"} <= set(cli.commands)
    for command in commands:
        assert command.help and not command.help.startswith("…"), command.name
    result = parley("--help")
    assert result.returncode == 0
    for name in cli.commands:
        assert name in result.stdout


def test_ingest_then_digest_then_search(env, tmp_path):
    ingested = parley("ingest", "seeds", env=env)
    assert ingested.returncode == 0, ingested.stderr
    assert "5 new, 0 duplicate, 0 skipped" in ingested.stdout
    again = parley("ingest", "seeds", env=env)
    assert "0 new, 5 duplicate, 0 skipped" in again.stdout

    digest = parley("digest", "--format", "json", env=env)
    assert digest.returncode == 0, digest.stderr
    data = json.loads(digest.stdout)
    assert len(data["stories"]) == 5
    assert all(story["summary"] and story["sources"] for story in data["stories"])

    markdown = parley("digest", "--format", "markdown", env=env)
    assert markdown.stdout.startswith("# Parley digest")

    found = parley("search", "Kritenbrink", "--format", "json", env=env)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert len(hits) == 1 and "004_" in hits[0]["location"]


def test_ingest_reports_bad_files_by_name(env, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = parley("ingest", str(tmp_path / "empty.txt"), env=env)
    assert result.returncode == 1  # a file named on the command line could not be read
    assert "0 new, 0 duplicate, 1 skipped" in result.stdout
    assert "empty.txt" in result.stdout


def test_malformed_search_gets_a_message_not_a_traceback(env):
    parley("ingest", "seeds", env=env)
    result = parley("search", '"unbalanced', env=env)
    assert result.returncode == 1
    assert "unbalanced double quote" in result.stderr
    assert "Traceback" not in result.stderr and "sqlite" not in result.stderr.lower()


def test_digest_since_rejects_a_non_date(env):
    result = parley("digest", "--since", "the day after never", env=env)
    assert result.returncode == 2
    assert "--since" in result.stderr


def test_summarize_prints_verbatim_sentences(env):
    seed = ROOT / "seeds" / "004_15d38f3dc919dc95.txt"
    result = parley("summarize", str(seed), "--sentences", "2", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["summary"]) == 2
    text = " ".join(seed.read_text(encoding="utf-8").split())
    for sentence in data["summary"]:
        assert " ".join(sentence.split()) in text


def test_config_error_is_one_line(env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[digest]\nsentences_per_story = 'three'\n")
    result = parley("digest", env={**env, "PARLEY_CONFIG": str(bad)})
    assert result.returncode == 1
    assert "digest.sentences_per_story must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_ingests_the_seeds_and_prints_the_digest(env):
    result = parley("demo", env=env)
    assert result.returncode == 0, result.stderr
    assert "5 new" in result.stdout
    assert "Parley digest" in result.stdout
    assert "China, US advance cooperation" in result.stdout
    assert "Meetings (" in result.stdout and "Kritenbrink" in result.stdout
    assert env["PARLEY_DB"] in result.stdout.replace("\n", "")


def test_run_without_token_explains_and_exits_2(env):
    result = parley("run", env=env)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
