"""Placeholder: this component's tables arrive with its issue."""

from __future__ import annotations

MIGRATIONS: list = []
