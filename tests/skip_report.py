"""Which tests skipped and why, and which of them needed ../shared (hooks used by conftest.py).

A test needs ../shared (the evaluation data beside the checkout) when it is marked
``needs_shared``, uses the ``shared_dir`` fixture, or carries a ``skipif`` whose reason names
"shared". Without ../shared such tests skip, which is right for a newcomer's clone; CI must
still say so, and must fail when ../shared is present but one of them skipped anyway.

Every run ends with a "skipped tests" section when anything skipped. With PARLEY_SKIP_REPORT
set to a file name, the run also writes there, as JSON: whether ../shared was present, how many
tests were collected, and each skip (test, reason, whether it needed ../shared). ``.ci/run``
reads that file.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
MARK = "needs_shared"


@dataclass
class _Run:
    collected: int = 0
    needs_shared: set[str] = field(default_factory=set)
    skips: list[dict] = field(default_factory=list)  # {"test", "reason", "needs_shared"}


_run = _Run()  # one pytest run per process (report hooks get no config to hang it on)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARK}: reads ../shared; CI fails when ../shared is present but it skipped"
    )
    global _run
    _run = _Run()


def _needs_shared(item: pytest.Item) -> bool:
    if item.get_closest_marker(MARK) or "shared_dir" in getattr(item, "fixturenames", ()):
        return True
    return any("shared" in str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _run.collected = len(items)
    for item in items:
        if _needs_shared(item):
            item.add_marker(MARK)
            _run.needs_shared.add(item.nodeid)


def _record(report: pytest.TestReport | pytest.CollectReport) -> None:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2]).removeprefix("Skipped: ")
    else:
        reason = str(longrepr)
    needs = report.nodeid in _run.needs_shared or (
        isinstance(report, pytest.CollectReport) and "shared" in reason
    )
    _run.skips.append({"test": report.nodeid, "reason": reason, "needs_shared": needs})


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _record(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _record(report)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    if _run.skips:
        terminalreporter.section("skipped tests")
        reasons = Counter(s["reason"] for s in _run.skips)
        terminalreporter.line(f"{len(_run.skips)} skipped:")
        for reason, count in reasons.most_common():
            terminalreporter.line(f"  {count:4d}  {reason}")
        missing = [s["test"] for s in _run.skips if s["needs_shared"]]
        if missing and SHARED.is_dir():
            terminalreporter.line(
                f"{len(missing)} of them need ../shared, which IS present: " + ", ".join(missing),
                red=True,
            )
    target = os.environ.get("PARLEY_SKIP_REPORT")
    if target:
        report = {
            "shared_present": SHARED.is_dir(),
            "collected": _run.collected,
            "skipped": _run.skips,
        }
        Path(target).write_text(json.dumps(report, indent=1))
