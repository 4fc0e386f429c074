"""What every CLI command needs: the loaded config and an open database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

from digest.config import Config, load_config

if TYPE_CHECKING:
    import sqlite_utils


@dataclass
class CliState:
    """Lazily loaded config and database, shared by the commands of one invocation."""

    config_path: str | None = None
    _config: Config | None = None
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """The configuration (loaded on first use, so --help needs no config)."""
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    @property
    def db(self) -> sqlite_utils.Database:
        """The database, opened and migrated on first use."""
        if self._db is None:
            from digest import store

            self._db = store.open_db(self.config.database_path)
        return self._db


pass_state = click.make_pass_decorator(CliState, ensure=True)
