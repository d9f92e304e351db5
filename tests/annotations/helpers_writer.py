"""A separate process that adds annotations to a store, for the crash and concurrency tests.

Usage: ``python helpers_writer.py STORE COUNT LABEL [--wait] [--die-after-journal N]``. Each
annotation's id is printed (and flushed) only after ``add`` has returned, so every id the parent
reads was reported as saved. With ``--wait`` the writer opens the store, prints ``ready`` and
waits for a line on stdin before it starts, so that several writers can be started at the same
moment. With ``--die-after-journal N`` the process ends abruptly (``os._exit``, as if killed)
right after the N-th line it appends to the index journal, before the article's file it
describes is written: the one moment when the journal says more than the files. With
``--stop-after-journal N`` it stops itself there instead (SIGSTOP, as Ctrl-Z would), holding the
store's lock until the parent sends SIGCONT.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from annotations import AnnotationStore
from annotations.journal import Journal, Summary
from annotations.model import Annotation, ArticleRef


def die_after_journal_lines(count: int, *, stop: bool = False) -> None:
    """Make the process die (or, with ``stop``, suspend itself) right after its ``count``-th
    journal line (see the module doc)."""
    real_append = Journal.append
    appended = 0

    def append(journal: Journal, summary: Summary) -> None:
        nonlocal appended
        real_append(journal, summary)
        appended += 1
        if appended == count:
            if stop:
                print("stopped", flush=True)
                os.kill(os.getpid(), signal.SIGSTOP)
            else:
                os._exit(9)

    Journal.append = append  # type: ignore[method-assign]


TEXT = "The quick brown fox jumps over the lazy dog while the reporters take notes. " * 4


def main(argv: list[str]) -> int:
    store_path, count, label = Path(argv[0]), int(argv[1]), argv[2]
    if "--die-after-journal" in argv:
        die_after_journal_lines(int(argv[argv.index("--die-after-journal") + 1]))
    if "--stop-after-journal" in argv:
        die_after_journal_lines(int(argv[argv.index("--stop-after-journal") + 1]), stop=True)
    article = ArticleRef(id=f"article-{label}", title=label, date=None, path=f"{label}.txt", sha256="0" * 64)
    with AnnotationStore(store_path) as store:
        if "--wait" in argv:
            print("ready", flush=True)
            sys.stdin.readline()
        for number in range(count):
            start = number % (len(TEXT) - 10)
            annotation = Annotation.create(
                article_id=article.id,
                article_sha256=article.sha256,
                text=TEXT,
                start=start,
                end=start + 10,
                tags=[label, f"n{number}"],
            )
            store.add(annotation, article)
            print(annotation.id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
