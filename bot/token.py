"""The Discord token: from DISCORD_TOKEN, or from an untracked file named by PARLEY_TOKEN_FILE.

Never from the config file (that may be shared), and never logged: ``Token`` hides its value
in ``repr`` and ``str``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from digest.errors import ConfigError


@dataclass(frozen=True)
class Token:
    """A secret that does not print itself."""

    value: str

    def __repr__(self) -> str:
        return "Token('***')"

    __str__ = __repr__


def read_token(environ: Mapping[str, str] | None = None) -> Token | None:
    """The token from DISCORD_TOKEN, else from the file PARLEY_TOKEN_FILE names; None if neither."""
    environ = os.environ if environ is None else environ
    value = environ.get("DISCORD_TOKEN", "").strip()
    if value:
        return Token(value)
    path = environ.get("PARLEY_TOKEN_FILE", "").strip()
    if not path:
        return None
    try:
        value = Path(path).expanduser().read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ConfigError(f"PARLEY_TOKEN_FILE {path} cannot be read: {error.strerror}") from None
    if not value:
        raise ConfigError(f"PARLEY_TOKEN_FILE {path} is empty; put the bot token in it")
    return Token(value)
