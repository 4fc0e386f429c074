"""Parley's news core: reading, cleaning, summarising, meetings and storage. No Discord here."""

from __future__ import annotations

from typing import Any

__all__ = ["summarize"]


def __getattr__(name: str) -> Any:
    # Lazy: scikit-learn takes seconds to import, and `import digest.config` shouldn't pay for it.
    if name == "summarize":
        from digest.summarize import summarize

        return summarize
    raise AttributeError(f"module 'digest' has no attribute {name!r}")
