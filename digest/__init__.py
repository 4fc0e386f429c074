"""Parley's news core: reading, cleaning, summarising, meetings and storage. No Discord here."""

from digest.summarize import summarize

__all__ = ["summarize"]
