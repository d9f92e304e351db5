"""A separate process that edits a store through the undo history, as one window of the app does.

Usage: ``python helpers_window.py STORE``, then one command a line on stdin, each answered by
one line on stdout (flushed): ``add START END TAG`` (answers the new annotation's id), ``undo``
and ``redo`` (answer ``LABEL APPLIED SKIPPED``, or ``none``), ``quit``. Every edit is made in the
article ``budget``, the scope the article screen uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

from annotations import AnnotationStore
from annotations.history import History
from annotations.model import Annotation

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."
SCOPE = "budget"


def main(argv: list[str]) -> int:
    with AnnotationStore(Path(argv[0])) as store:
        history = History(store)
        for line in sys.stdin:
            command, *rest = line.split()
            if command == "add":
                start, end, tag = int(rest[0]), int(rest[1]), rest[2]
                made = Annotation.create(
                    article_id=SCOPE, article_sha256="", text=TEXT, start=start, end=end, tags=[tag]
                )
                print(history.add(SCOPE, made).id, flush=True)
            elif command in ("undo", "redo"):
                outcome = history.undo(SCOPE) if command == "undo" else history.redo(SCOPE)
                print(
                    "none"
                    if outcome is None
                    else f"{outcome.label.replace(' ', '_')} {outcome.applied} {outcome.skipped}",
                    flush=True,
                )
            elif command == "quit":
                break
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
