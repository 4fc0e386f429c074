"""``parley clean`` through the real entry point, on the seeds and on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "004_15d38f3dc919dc95.txt"


def parley(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parley", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_clean_json_has_the_four_keys():
    result = parley("clean", str(SEED), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"title", "published", "site", "body"}
    assert data["title"] == "US, Chinese officials hold constructive talks in Beijing"
    assert data["published"] == "2023-06-06T14:01:00+00:00"
    assert data["site"] == "Caliber.az"
    assert data["body"].startswith("Senior Chinese and US officials have held talks in Beijing")
    assert "Follow us on Telegram" not in data["body"]


def test_clean_text_shows_title_date_site_and_body():
    result = parley("clean", str(SEED))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Title:     US, Chinese officials hold constructive talks in Beijing"
    assert lines[1] == "Published: 2023-06-06T14:01:00+00:00"
    assert lines[2] == "Site:      Caliber.az"
    assert "Senior Chinese and US officials have held talks in Beijing" in result.stdout


def test_clean_without_a_title_shows_the_stand_in():
    result = parley("clean", str(ROOT / "seeds" / "003_5b903ab789c964ba.txt"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Title:     (none found; from the story: The White House has expressed its willingness "
        "to resume military-to-military communications with China)"
    )


def test_clean_of_a_missing_or_binary_file_is_one_clear_line(tmp_path):
    missing = parley("clean", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'nope.txt'}: does not exist"
    ]
    binary = tmp_path / "page.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = parley("clean", str(binary))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
