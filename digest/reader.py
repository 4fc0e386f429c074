"""Read a raw article file into text: tolerant of encodings, strict about what is not text."""

from __future__ import annotations

import codecs
from pathlib import Path

from digest.errors import UnreadableFile

# A scraped article is a few kilobytes; anything this big is a dump or a mistake, and
# cleaning it would stall ingestion.
MAX_BYTES = 5 * 1024 * 1024

# Byte-order marks we honour, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Without a BOM the text is read as UTF-8, and any byte that is not valid UTF-8 as cp1252,
# which is what "latin-1" web text almost always really is (curly quotes at 0x93/0x94).
# A whole cp1252 file comes out as cp1252, and so does a stray cp1252 byte pasted into
# UTF-8 text, without garbling the rest. The five bytes cp1252 leaves undefined are read
# as latin-1, so decoding never fails.
_LEGACY_FOR_INVALID = "parley-cp1252-for-invalid-utf8"


def _legacy_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # latin-1


codecs.register_error(
    _LEGACY_FOR_INVALID,
    lambda error: ("".join(map(_legacy_byte, error.object[error.start : error.end])), error.end),
)

# Share of control characters (other than tab/newline/CR/form feed) above which decoded
# "text" is really binary.
_MAX_CONTROL_SHARE = 0.05


def read_text_file(path: Path) -> str:
    """Return the text of ``path`` with newlines normalised to LF.

    Raises UnreadableFile, naming the file and the reason, when it is missing, unreadable,
    larger than ``MAX_BYTES``, binary, or empty or whitespace-only.
    """
    path = Path(path)
    try:
        if not path.exists():
            raise UnreadableFile(f"{path}: does not exist")
        if path.is_dir():
            raise UnreadableFile(f"{path}: is a directory")
        if path.is_file():
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise UnreadableFile(_too_large(path, size))
            data = path.read_bytes()
        else:
            # A pipe or device (``<(cmd)``, /dev/stdin, /dev/null): no size until it is read.
            with path.open("rb") as stream:
                data = stream.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise UnreadableFile(_too_large(path, len(data)))
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot be read ({error.strerror or error})") from error
    return decode_text(data, name=str(path))


def _too_large(path: Path, size: int) -> str:
    more = "+" if size > MAX_BYTES and not path.is_file() else ""
    return f"{path}: too large to be an article ({size:,}{more} bytes; the limit is {MAX_BYTES:,})"


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode raw article bytes (see ``read_text_file``); ``name`` is used in error messages."""
    text = _decode(data, name)
    if _looks_binary(text):
        raise UnreadableFile(f"{name}: looks like a binary file, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableFile(f"{name}: is empty or holds only whitespace")
    return text


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"{name}: bad {encoding} text after its BOM") from error
    if b"\x00" in data:
        # Text encodings without a BOM never contain NUL; images, archives and PDFs do.
        raise UnreadableFile(f"{name}: looks like a binary file, not text (it has NUL bytes)")
    return data.decode("utf-8", errors=_LEGACY_FOR_INVALID)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(
        1
        for char in text
        if (ord(char) < 32 and char not in "\t\n\r\f") or 0x7F <= ord(char) < 0xA0
    )
    return controls / len(text) > _MAX_CONTROL_SHARE
