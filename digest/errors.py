"""Domain errors: each carries a message fit to show a user as it is."""

from __future__ import annotations


class ParleyError(Exception):
    """Base of every error Parley reports to a user instead of a traceback."""


class ConfigError(ParleyError):
    """The configuration file or environment holds a wrong key, type or value."""


class UnreadableFile(ParleyError):
    """A source file cannot be read as text (binary, empty, or missing)."""


class BadQuery(ParleyError):
    """A search query or filter the user typed cannot be run."""


class NotFound(ParleyError):
    """The record asked for does not exist."""


class StoreError(ParleyError):
    """The database cannot be opened or written (wrong path, read-only, disk full)."""
