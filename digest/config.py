"""Settings: one frozen, typed Config, loaded from TOML with defaults for every key.

No file is needed (the demo runs on the defaults). ``PARLEY_CONFIG`` names the file and
``PARLEY_DB`` overrides the database path. Only the news sections live here; a front end
adds its own by subclassing Config (the bot's ``[bot]`` section is ``bot.settings``), and
the loader reads whichever kind it is given. Secrets are refused in every section (a kind
may name its own, with where they belong), so a config file can be shared safely.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import ConfigError


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the SQLite file lives."""

    path: str = "data/parley.db"


@dataclass(frozen=True)
class SourceSettings:
    """What Parley reads: folders of text files, feeds and single pages."""

    folders: tuple[str, ...] = ("seeds",)
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    poll_minutes: int = 30
    backlog: int = 0
    allow_private_networks: bool = False
    # Hosts exempt from the private-address check (one local feed, tests): "host:port",
    # "[::1]:8001", or a host alone for its default ports (80 and 443).
    allowed_hosts: tuple[str, ...] = ()
    timeout_seconds: float = 10.0  # per connect / read
    fetch_seconds: float = 30.0  # whole fetch, redirects included
    max_bytes: int = 5_000_000  # decoded body cap
    max_redirects: int = 5
    per_host: int = 2  # concurrent fetches per host
    pause_after_failures: int = 8  # consecutive failures before a source is paused
    max_backoff_minutes: int = 24 * 60
    # Budgets: what one feed, and one whole polling round, may take; the rest waits a round.
    feed_items: int = 100
    feed_bytes: int = 50_000_000  # decoded page bytes
    feed_seconds: float = 60.0  # at least fetch_seconds, so every round reads something
    round_items: int = 5_000
    round_bytes: int = 500_000_000
    round_seconds: float = 900.0


@dataclass(frozen=True)
class DigestSettings:
    """How digests are built and when they are posted by default."""

    sentences_per_story: int = 3
    stories_per_digest: int = 8
    timezone: str = "UTC"
    time: str = "08:00"


@dataclass(frozen=True)
class TopicSettings:
    """Extra topic tags: tag -> words or phrases that signal it (matched as whole words)."""

    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """Everything Parley is told, typed and immutable."""

    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    sources: SourceSettings = field(default_factory=SourceSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)

    @property
    def database_path(self) -> Path:
        """The database file, as configured (relative paths are relative to the cwd)."""
        return Path(self.database.path).expanduser()

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.digest.timezone)

    # Keys refused wherever they appear, and where the user should put such a value instead.
    secret_keys: ClassVar[frozenset[str]] = frozenset({"token", "password", "secret", "api_key"})
    secret_hint: ClassVar[str] = "give it through the environment instead"

    def check(self) -> None:
        """Refuse values no setting can mean (a subclass checks its own sections too)."""
        _check_values(self)


ConfigKind = typing.TypeVar("ConfigKind", bound=Config)


def _describe(kind: Any) -> str:
    origin = typing.get_origin(kind)
    if origin is tuple:
        return f"a list of {_describe(typing.get_args(kind)[0])}s"
    if origin in (Mapping, dict):
        return "a table of name = [words]"
    return {str: "text", int: "a whole number", bool: "true or false", float: "a number"}.get(
        kind, str(kind)
    )


def _coerce(key: str, value: Any, kind: Any) -> Any:
    """Check ``value`` against the annotated type ``kind``; lists become tuples."""
    origin = typing.get_origin(kind)
    expected = f"{key} must be {_describe(kind)}, not {value!r}"
    if kind is float:
        expected = f"{key} must be a finite number, not {value!r}"
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(expected)
        item_kind = typing.get_args(kind)[0]
        return tuple(_coerce(f"{key}[{i}]", item, item_kind) for i, item in enumerate(value))
    if origin in (Mapping, dict):
        if not isinstance(value, dict):
            raise ConfigError(expected)
        return types.MappingProxyType(
            {str(k): _coerce(f"{key}.{k}", v, tuple[str, ...]) for k, v in value.items()}
        )
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is float:
        # TOML writes 5 and 5.0 differently; both are fine where a number is expected. TOML
        # also has nan and inf, which no setting can mean.
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value)
        value = float(value) if ok else value
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise ConfigError(expected)
    return value


def _refuse_secret(kind: type[Config], key: str, where: str) -> None:
    if key in kind.secret_keys:
        raise ConfigError(f"{where}: secrets don't belong in the config file; {kind.secret_hint}")


def _section(kind: type[Config], name: str, cls: type, table: Any) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"[{name}] must be a table of settings, not {table!r}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    values = {}
    for key, value in table.items():
        _refuse_secret(kind, key, f"{name}.{key}")
        if key not in known:
            raise ConfigError(
                f"unknown setting {name}.{key}; expected one of: {', '.join(sorted(known))}"
            )
        values[key] = _coerce(f"{name}.{key}", value, hints[key])
    return cls(**values)


def _check_values(config: Config) -> None:
    positive = {
        "digest.sentences_per_story": config.digest.sentences_per_story,
        "digest.stories_per_digest": config.digest.stories_per_digest,
        "sources.poll_minutes": config.sources.poll_minutes,
        "sources.max_bytes": config.sources.max_bytes,
        "sources.per_host": config.sources.per_host,
        "sources.pause_after_failures": config.sources.pause_after_failures,
        "sources.max_backoff_minutes": config.sources.max_backoff_minutes,
        "sources.feed_items": config.sources.feed_items,
        "sources.feed_bytes": config.sources.feed_bytes,
        "sources.round_items": config.sources.round_items,
        "sources.round_bytes": config.sources.round_bytes,
    }
    for key, value in positive.items():
        if value < 1:
            raise ConfigError(f"{key} must be at least 1, not {value}")
    for key, value in {
        "sources.backlog": config.sources.backlog,
        "sources.max_redirects": config.sources.max_redirects,
    }.items():
        if value < 0:
            raise ConfigError(f"{key} must be 0 or more, not {value}")
    for key, value in {
        "sources.timeout_seconds": config.sources.timeout_seconds,
        "sources.fetch_seconds": config.sources.fetch_seconds,
        "sources.feed_seconds": config.sources.feed_seconds,
        "sources.round_seconds": config.sources.round_seconds,
    }.items():
        if value <= 0:
            raise ConfigError(f"{key} must be more than 0 seconds, not {value}")
    if not config.database.path.strip():
        raise ConfigError("database.path is empty: name the SQLite file, e.g. 'data/parley.db'")
    if config.sources.feed_seconds < config.sources.fetch_seconds:
        # A feed's budget shorter than one fetch could cut the same slow page every round.
        raise ConfigError(
            f"sources.feed_seconds ({config.sources.feed_seconds:g}) must be at least "
            f"sources.fetch_seconds ({config.sources.fetch_seconds:g})"
        )
    try:
        ZoneInfo(config.digest.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"digest.timezone must be an IANA time zone such as 'Europe/Berlin', "
            f"not {config.digest.timezone!r}"
        ) from None
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", config.digest.time):
        raise ConfigError(f"digest.time must be HH:MM (24-hour), not {config.digest.time!r}")


def parse_config(data: Mapping[str, Any], kind: type[ConfigKind] = Config) -> ConfigKind:  # type: ignore[assignment]
    """Build a ``kind`` of Config from parsed TOML, reporting the first wrong key, type or value."""
    sections = {f.name: f.type for f in fields(kind)}
    hints = typing.get_type_hints(kind)
    values = {}
    for name, table in data.items():
        _refuse_secret(kind, name, name)
        if name not in sections:
            raise ConfigError(
                f"unknown section [{name}]; expected one of: {', '.join(sorted(sections))}"
            )
        values[name] = _section(kind, name, hints[name], table)
    config = kind(**values)
    config.check()
    return config


def load_config(
    path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    kind: type[ConfigKind] = Config,  # type: ignore[assignment]
) -> ConfigKind:
    """Load ``path``, else ``$PARLEY_CONFIG``, else the defaults; then apply env overrides."""
    environ = os.environ if environ is None else environ
    chosen = path or environ.get("PARLEY_CONFIG")
    data: dict[str, Any] = {}
    if chosen:
        file = Path(chosen).expanduser()
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {file} does not exist") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"config file {file} cannot be read: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"config file {file} is not valid TOML: {error}") from None
    config = parse_config(data, kind)
    if environ.get("PARLEY_DB"):
        config = replace(config, database=replace(config.database, path=environ["PARLEY_DB"]))
    if environ.get("PARLEY_ALLOW_PRIVATE_NETWORKS", "").lower() in ("1", "true", "yes"):
        config = replace(config, sources=replace(config.sources, allow_private_networks=True))
    return config
