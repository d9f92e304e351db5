"""Run the benchmarks: every ``bench/bench_*.py`` module's ``main()``, or those named.

    python -m bench            all of them
    python -m bench store ui   only bench_store.py and bench_ui.py

Each benchmark measures its baseline (raw spaCy, plain TinyDB, a bare Textual app) in the same
run and prints ratios against it, with absolute medians for context. Nothing here fails on time.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    folder = Path(__file__).parent
    available = sorted(path.stem.removeprefix("bench_") for path in folder.glob("bench_*.py"))
    chosen = names or available
    unknown = sorted(set(chosen) - set(available))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"\n=== bench_{name} ===", flush=True)
        importlib.import_module(f"bench.bench_{name}").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
