"""Reading raw article files: encodings decoded right, non-text refused with the file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import ParleyError, UnreadableFile
from digest.reader import MAX_BYTES, read_text_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _write(tmp_path: Path, data: bytes, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Talks in Zürich — “frank”, 5 € ✓\n".encode(), "Talks in Zürich — “frank”, 5 € ✓\n"),
        (b"\xef\xbb\xbfTalks began \xe2\x80\x9ctoday\xe2\x80\x9d\n", "Talks began “today”\n"),
        (b"\x93quoted\x94 \xa3100", "“quoted” £100"),  # cp1252
        (b"caf\xe9 na\xefve r\xe9sum\xe9", "café naïve résumé"),  # latin-1
        ("Talks in Zürich\n".encode("utf-16"), "Talks in Zürich\n"),  # UTF-16 with its BOM
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "latin-1", "utf-16-bom"],
)
def test_encodings_are_decoded(tmp_path, data, expected):
    assert read_text_file(_write(tmp_path, data)) == expected


def test_bytes_undefined_in_cp1252_are_read_as_latin1(tmp_path):
    # 0x81 is undefined in cp1252: it stays a latin-1 control while 0x80 is still the euro.
    data = b"Ministers met in Paris on Monday \x80100 \x81 and agreed to meet again in May."
    text = read_text_file(_write(tmp_path, data))
    assert text.startswith("Ministers met in Paris on Monday \u20ac100 \x81 and")


def test_stray_cp1252_byte_in_utf8_text(tmp_path):
    data = "Talks in Zürich, “frank” — ".encode() + b"\x93useful\x94 said one envoy."
    assert (
        read_text_file(_write(tmp_path, data))
        == "Talks in Zürich, “frank” — “useful” said one envoy."
    )


def test_newlines_are_normalised(tmp_path):
    path = _write(tmp_path, b"Title\r\n\r\nFirst line.\rSecond line.\n")
    assert read_text_file(path) == "Title\n\nFirst line.\nSecond line.\n"


def test_bom_is_not_kept(tmp_path):
    assert not read_text_file(_write(tmp_path, b"\xef\xbb\xbfHello")).startswith("\ufeff")


def test_seeds_read_as_utf8():
    for path in sorted(SEEDS.glob("*.txt")):
        text = read_text_file(path)
        assert "\r" not in text and "\ufffd" not in text
    assert "“responsible management”" in read_text_file(SEEDS / "002_cfd82ada6f8218eb.txt")


def _assert_refused(path: Path, why: str) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_text_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert why in message
    assert isinstance(caught.value, ParleyError)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),  # control bytes but no NUL
        (b"", "empty"),
        (b"  \n\t\r\n   \n", "whitespace"),
        (b"\xef\xbb\xbf\n\n", "empty"),
    ],
    ids=["png", "zip", "controls", "empty", "whitespace", "bom-only"],
)
def test_non_text_is_refused_naming_the_file(tmp_path, data, why):
    _assert_refused(_write(tmp_path, data), why)


def test_missing_file_is_refused(tmp_path):
    _assert_refused(tmp_path / "gone.txt", "does not exist")


def test_directory_is_refused(tmp_path):
    _assert_refused(tmp_path, "directory")


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "dump.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: costs no disk and no time
    _assert_refused(path, "too large")


def test_file_at_the_size_limit_is_read(tmp_path):
    line = b"Officials met on Monday and agreed to meet again.\n"
    data = line * (MAX_BYTES // len(line))
    assert len(data) <= MAX_BYTES
    assert read_text_file(_write(tmp_path, data)).startswith("Officials met on Monday")
