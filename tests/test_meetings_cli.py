"""The meeting commands through click's runner, on a real database file."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_65f2fbe02c6866c9.txt"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    env = {"PARLEY_DB": str(tmp_path_factory.mktemp("cli") / "cli.db"), "PARLEY_CONFIG": ""}
    result = CliRunner().invoke(cli, ["ingest", str(ROOT / "seeds")], env=env)
    assert result.exit_code == 0, result.output
    return env


def run(env, *args):
    return CliRunner().invoke(cli, list(args), env=env)


def test_extract_prints_the_gold_object(shared_dir):
    result = CliRunner().invoke(cli, ["extract", str(SEED)], env={"PARLEY_CONFIG": ""})
    assert result.exit_code == 0, result.output
    produced = json.loads(result.output)
    gold = json.loads((shared_dir / "eval/meetings-dev" / f"{SEED.stem}.json").read_text())
    assert produced["article"] == gold["article"] and produced["title"] == gold["title"]
    assert [m["status"] for m in produced["meetings"]] == ["planned"]


def test_extract_as_text():
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--format", "text"])
    assert result.exit_code == 0
    assert "Li Baodong (vice foreign minister, China)" in result.output


def test_meetings_lookup_text_and_json(env):
    text = run(env, "meetings", "--person", "Blinken", "--limit", "2")
    assert text.exit_code == 0, text.output
    assert "Antony Blinken" in text.output and "(page 1 of 2)" in text.output
    page = json.loads(run(env, "meetings", "--country", "Russia", "--format", "json").output)
    assert page["total"] == 1
    assert page["meetings"][0]["location"] == {"city": "Astana", "country": "Kazakhstan"}
    assert page["meetings"][0]["sources"][0]["title"].startswith("Talks between")


def test_people_and_topics(env):
    assert run(env, "people", "wang").output.split("\n")[0] == "Wang Yi"
    assert "taiwan" in run(env, "topics").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2024", "--until", "2023"], "is after"),
        (["--topic", "taiwn"], "Did you mean: taiwan"),
    ],
)
def test_bad_filters_are_messages(env, args, message):
    result = run(env, "meetings", *args)
    assert result.exit_code != 0
    assert message in str(result.exception)


def test_bad_option_value_exits_2_with_one_line(env):
    # Option values are checked at the edge, with the same usage error in every command.
    done = subprocess.run(
        [sys.executable, "-m", "parley", "meetings", "--status", "done"],
        capture_output=True, text=True, env={**env, "PATH": ""}, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    line = done.stderr.strip()
    assert "\n" not in line
    assert line.startswith("Error: Invalid value for '--status': 'done' is not one of")


def test_capped_totals_show_a_plus(env, monkeypatch):
    from digest.store import meeting_search

    monkeypatch.setattr(meeting_search, "TOTAL_CAP", 2)
    text = run(env, "meetings", "--limit", "1")
    assert text.exit_code == 0, text.output
    assert "1-1 of 2+ (page 1 of 2+)" in text.output
    page = json.loads(run(env, "meetings", "--limit", "1", "--format", "json").output)
    assert page["total"] == 2 and page["total_capped"] is True
