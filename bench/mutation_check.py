"""Mutation check of the code that guards delivery, address safety and escaping.

    .venv/bin/python bench/mutation_check.py            # every mutant
    .venv/bin/python bench/mutation_check.py -k nonce   # those whose name contains 'nonce'
    .venv/bin/python bench/mutation_check.py --list     # what would be run

Each mutant is one deliberate fault, written as an exact text replacement in one module: the
six faults issue #12 found the suite letting through, and more of the same families. For each,
a copy of the tree gets the fault and the tests that guard that family run against it (pytest
-x, stopping at the first failure). A mutant is *killed* when those tests fail, *survived* when
they pass. The run exits 1 if any mutant survived, or if one no longer applies (its text is
gone from the module: rewrite the mutant with the code, do not drop it).

Why not mutmut (3.8 is on PyPI): it mutates operators and constants everywhere in a module and
runs, per mutant, the tests covering the function; here those are the Discord-emulator tests
(tens of seconds each on this shared 2-core machine), so hundreds of generic mutants take hours,
and none of them is one of the faults that matter (drop a line, check only the first answer).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DELIVERY = ("tests/test_delivery_faults.py", "tests/test_bot_digest.py", "tests/test_bot_alerts.py")
ADDRESS = ("tests/test_address_safety.py", "tests/test_sources_fetch.py")
ESCAPING = ("tests/test_render.py", "tests/test_delivery_faults.py", "tests/test_bot_digest.py")


@dataclass(frozen=True)
class Mutant:
    """One fault: replace ``old`` (found exactly once in ``path``) with ``new``."""

    name: str
    family: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    issue: bool = False  # one of the six faults named in issue #12


OUTBOX, SAFETY, RENDER = "bot/outbox.py", "digest/sources/safety.py", "bot/render.py"
CHECK_LOOP = "    for address in {}:\n        reason = blocked_reason(address)\n"
DM_SEND = "                    allowed_mentions=NO_MENTIONS,\n                    nonce={},\n"
PORT_MATCH = (
    "            if allowed == host and (\n"
    "                port == allowed_port or (allowed_port is None and port in DEFAULT_PORTS)\n"
    "            ):\n"
)
MUTANTS = [
    # --- the digest outbox resumes with the next unsent part -----------------------------
    Mutant("outbox-resends-from-first-part", "digest resume", OUTBOX,
           "range(entry.next_part, len(entry.messages))", "range(0, len(entry.messages))",
           DELIVERY, issue=True),
    Mutant("outbox-skips-a-part", "digest resume", OUTBOX,
           "range(entry.next_part, len(entry.messages))",
           "range(entry.next_part + 1, len(entry.messages))", DELIVERY),
    Mutant("outbox-forgets-posted-parts", "digest resume", OUTBOX,
           "            await self.db.run(outbox_state.mark_part_posted, entry.id, found)\n",
           "", DELIVERY),
    Mutant("digest-nonce-removed", "digest resume", OUTBOX,
           'nonce=f"d{entry.id}p{index}"', "nonce=None", DELIVERY),
    Mutant("digest-nonce-same-for-every-part", "digest resume", OUTBOX,
           'nonce=f"d{entry.id}p{index}"', 'nonce=f"d{entry.id}"', DELIVERY),
    # --- alerts carry a nonce, stable across retries and restarts ------------------------
    Mutant("alert-nonce-removed", "alert nonce", OUTBOX,
           'nonce = f"a{group.last_id}n{group.count}"', "nonce = None", DELIVERY, issue=True),
    Mutant("alert-nonce-removed-from-dms", "alert nonce", OUTBOX,
           DM_SEND.format("nonce"), DM_SEND.format("None"), DELIVERY),
    Mutant("alert-nonce-removed-from-channel-posts", "alert nonce", OUTBOX,
           "                allowed_mentions=mentions,\n                nonce=nonce,\n",
           "                allowed_mentions=mentions,\n                nonce=None,\n", DELIVERY),
    Mutant("alert-nonce-new-after-a-restart", "alert nonce", OUTBOX,
           'nonce = f"a{group.last_id}n{group.count}"',
           'nonce = f"a{group.last_id}n{group.count}t{asyncio.get_running_loop().time()}"',
           DELIVERY),
    # --- every DNS answer is checked ----------------------------------------------------------
    Mutant("dns-first-answer-only", "DNS answers", SAFETY,
           CHECK_LOOP.format("addresses"), CHECK_LOOP.format("addresses[:1]"),
           ADDRESS, issue=True),
    Mutant("dns-last-answer-only", "DNS answers", SAFETY,
           CHECK_LOOP.format("addresses"), CHECK_LOOP.format("addresses[-1:]"), ADDRESS),
    Mutant("dns-internal-answers-skipped-not-refused", "DNS answers", SAFETY,
           CHECK_LOOP.format("addresses"),
           "    addresses = [a for a in addresses if not blocked_reason(a)]\n"
           + CHECK_LOOP.format("addresses"), ADDRESS),
    # --- allowed_hosts entries are host:port ----------------------------------------------
    Mutant("allowed-host-without-port", "allowed_hosts port", SAFETY,
           PORT_MATCH, "            if allowed == host:\n", ADDRESS, issue=True),
    Mutant("allowed-host-any-port-prefix", "allowed_hosts port", SAFETY,
           'if entry.lower() == f"{host}:{port}":',
           'if entry.lower().startswith(f"{host}:"):', ADDRESS),
    Mutant("allowed-host-alone-opens-every-port", "allowed_hosts port", SAFETY,
           "(allowed_port is None and port in DEFAULT_PORTS)", "allowed_port is None", ADDRESS),
    Mutant("allowed-host-case-sensitive", "allowed_hosts port", SAFETY,
           '        host = host.lower().strip("[]")\n', '        host = host.strip("[]")\n',
           ADDRESS),
    # --- an IPv4-mapped IPv6 address is the IPv4 address ------------------------------------
    Mutant("ipv4-mapped-not-normalised", "IPv4-mapped", SAFETY,
           "        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1\n", "        pass\n",
           ADDRESS, issue=True),
    Mutant("metadata-check-dropped", "IPv4-mapped", SAFETY,
           "(ip in METADATA_ADDRESSES, ", "(False, ", ADDRESS),
    Mutant("non-global-check-dropped", "IPv4-mapped", SAFETY,
           '(not ip.is_global, "not a public internet address")',
           '(False, "not a public internet address")', ADDRESS),
    # --- article text is inert ---------------------------------------------------------------
    Mutant("escape-keeps-at-sign", "escaping", RENDER,
           '    text = text.replace("@", "@" + ZERO_WIDTH)  # any @handle, however short the id\n',
           "", ESCAPING, issue=True),
    Mutant("escape-keeps-angle-tokens", "escaping", RENDER,
           '    text = _ANGLE_MENTION.sub("<" + ZERO_WIDTH, text)\n', "", ESCAPING),
    Mutant("escape-keeps-markdown", "escaping", RENDER,
           "    text = escape_markdown(text)\n", "", ESCAPING),
    Mutant("escape-keeps-line-start-markup", "escaping", RENDER,
           '    return _LINE_START_MARKUP.sub(lambda m: m.group(1) + "\\\\" + m.group(2), text)\n',
           "    return text\n", ESCAPING),
    Mutant("link-text-unescaped", "escaping", RENDER,
           '    escaped = escape(text).replace("\\\\[", "(").replace("\\\\]", ")")\n',
           '    escaped = text.replace("\\\\[", "(").replace("\\\\]", ")")\n', ESCAPING),
    Mutant("digests-allow-mentions", "escaping", OUTBOX,
           "NO_MENTIONS = discord.AllowedMentions.none()",
           "NO_MENTIONS = discord.AllowedMentions.all()", ESCAPING),
]  # fmt: skip


def copy_tree(target: Path) -> None:
    """The working tree as it is (tracked and new files), without the venv or data."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.split(b"\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            (target / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name.decode())


def run_tests(tree: Path, tests: tuple[str, ...], timeout: float) -> tuple[bool, str]:
    """(passed, first failing test or note), the copy's code first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:g} s (counted as killed)"
    lines = done.stdout.splitlines()
    failed = [line for line in lines if line.startswith(("FAILED tests/", "ERROR tests/"))]
    note = failed[0].split(" - ")[0] if failed else (lines or ["no output"])[-1]
    return done.returncode == 0, note


def main() -> int:
    """Run the selected mutants; print one line each and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-k", action="append", default=[], help="only names containing this (repeatable)"
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per mutant")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.k or any(k in m.name for k in args.k)]
    if args.list:
        for m in chosen:
            print(f"{m.name:44} {m.family:18} {m.path}{'  (issue #12)' if m.issue else ''}")
        return 0

    with tempfile.TemporaryDirectory(prefix="parley-mutants-") as folder:
        tree = Path(folder)
        copy_tree(tree)
        families = sorted({t for m in chosen for t in m.tests})
        passed, note = run_tests(tree, tuple(families), args.timeout)
        if not passed:
            print(f"The unmutated tree fails its tests ({note}): fix that first.")
            return 2
        print(f"unmutated tree: {note}\n")
        survived, stale = [], []
        for m in chosen:
            module = tree / m.path
            original = module.read_text()
            if original.count(m.old) != 1:
                stale.append(m)
                print(f"{'NOT APPLICABLE':14} {m.name} ({m.path} no longer holds its text once)")
                continue
            module.write_text(original.replace(m.old, m.new))
            start = time.perf_counter()
            try:
                passed, note = run_tests(tree, m.tests, args.timeout)
            finally:
                module.write_text(original)
            verdict = "SURVIVED" if passed else "killed"
            if passed:
                survived.append(m)
            flag = " (issue #12)" if m.issue else ""
            print(f"{verdict:14} {m.name}{flag} [{time.perf_counter() - start:.0f} s] {note}")
    killed = len(chosen) - len(survived) - len(stale)
    print(f"\n{killed} of {len(chosen)} mutants killed, {len(survived)} survived, "
          f"{len(stale)} not applicable.")  # fmt: skip
    issue = [m for m in chosen if m.issue]
    issue_killed = sum(1 for m in issue if m not in survived and m not in stale)
    print(f"issue #12's six faults: {issue_killed} of {len(issue)} killed.")
    return 1 if survived or stale else 0


if __name__ == "__main__":
    sys.exit(main())
