"""Parley's news core: reading, cleaning, summarising, meetings and storage. No Discord here."""

from __future__ import annotations

# An eager import: a lazy module __getattr__ returned the submodule, not the function, once
# anything had imported digest.summarize. digest.summarize imports scikit-learn only when used.
from digest.summarize import summarize

__all__ = ["summarize"]
