"""CI: how many tests skipped and why; fail if ../shared is present but a test needing it skipped.

Also fails when pytest collected nothing. Reads the report tests/skip_report.py writes.

Usage: python3 .ci/check_skips.py REPORT.json  (standard library only: runs before any venv)
"""

import json
import sys
from collections import Counter
from pathlib import Path


def main(path: str) -> int:
    """Print the skips of the run in ``path``; 1 when CI must fail because of them."""
    report_file = Path(path)
    if not report_file.is_file():
        print("CI: no skip report: pytest did not run to its end (or without tests/conftest.py).")
        return 1
    report = json.loads(report_file.read_text())
    skips = report["skipped"]
    if report["collected"] == 0:
        print("CI: pytest collected no tests; failing.")
        return 1
    shared = "present" if report["shared_present"] else "absent"
    print(f"CI: {len(skips)} of {report['collected']} tests skipped (../shared is {shared}).")
    for reason, count in Counter(s["reason"] for s in skips).most_common():
        print(f"CI:   {count:4d} skipped: {reason}")
    needing = [s for s in skips if s["needs_shared"]]
    if needing and report["shared_present"]:
        print(f"CI: FAIL: ../shared is present, yet {len(needing)} test(s) needing it skipped:")
        for skip in needing:
            print(f"CI:   {skip['test']}: {skip['reason']}")
        return 1
    if needing:
        print(f"CI: NOTE: {len(needing)} test(s) needing ../shared did not run (no ../shared).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
