"""Fail when a module of ovbench_tui grows past the line budget.

A module over ~450 lines is one a reader gets lost in (issue 13); the budget keeps new
ones from growing there. Run by `make lint`, so by CI and `make test`.
"""

from __future__ import annotations

import sys
from pathlib import Path

BUDGET = 450
PACKAGE = Path(__file__).resolve().parent.parent / "ovbench_tui"

# A module allowed over the budget for a while, with its size as a ceiling: it may
# shrink, never grow (the check says when a ceiling is slack). Empty since issue 13's
# splits; a new entry needs a reason and a plan to split.
ALLOWED: dict[str, int] = {}


def line_count(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def main() -> int:
    failures: list[str] = []
    notes: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        lines = line_count(path)
        ceiling = ALLOWED.get(name, BUDGET)
        if lines > ceiling:
            if name in ALLOWED:
                failures.append(f"{name}: {lines} lines, over its ceiling of {ceiling}")
            else:
                failures.append(f"{name}: {lines} lines, over the budget of {BUDGET}")
        elif name in ALLOWED and lines < ceiling:
            target = "delete its line" if lines <= BUDGET else f"lower it to {lines}"
            notes.append(f"{name}: {lines} lines, under its ceiling of {ceiling}: {target}")
    present = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    for name in sorted(set(ALLOWED) - present):
        notes.append(f"{name}: gone; delete its line in ALLOWED")
    for note in notes:
        print(f"check_module_size: note: {note} (scripts/check_module_size.py)")
    for failure in failures:
        print(f"check_module_size: {failure}; split it (scripts/check_module_size.py)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
