"""What every CLI command needs: the loaded config and an open database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from bot.settings import BotConfig
from digest.config import load_config

if TYPE_CHECKING:
    import sqlite_utils


@dataclass
class CliState:
    """Lazily loaded config and database, shared by the commands of one invocation."""

    config_path: str | None = None
    _config: BotConfig | None = None
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def config(self) -> BotConfig:
        """The configuration (loaded on first use, so --help needs no config).

        Every command reads the bot's kind, so one file serves ``parley run`` and the rest.
        """
        if self._config is None:
            self._config = load_config(self.config_path, kind=BotConfig)
        return self._config

    @property
    def db(self) -> sqlite_utils.Database:
        """The database, opened and migrated on first use."""
        if self._db is None:
            from digest import store

            self._db = store.open_db(self.config.database_path)
        return self._db


pass_state = click.make_pass_decorator(CliState, ensure=True)
