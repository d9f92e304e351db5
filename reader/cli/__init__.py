"""The ``reader`` command: open the app on a corpus, or work on the store from a script.

    reader [CORPUS_DIR] [--db PATH] [--model NAME_OR_PATH]     the app
    reader list [CORPUS_DIR] [--json]                          articles with annotation counts
    reader search QUERY [CORPUS_DIR] [--limit N] [--json]      full-text search, best match first
    reader stats [--corpus DIR] [--json]                       tags (and entities) with counts
    reader export [--format F] [--tag T] [--article ID] [--since DATE] [-o PATH]
    reader import FILE [--format F] [--corpus DIR]
    reader ner CORPUS_DIR [--processes N] [--model NAME_OR_PATH]
    reader report matrix|cooccurrence|timeline|entities [--tag T]... [--by B] [--json|--csv]
    reader entities FILE [--model NAME_OR_PATH] [--json]      the entities of one article file
    reader evaluate GOLD.jsonl [--corpus DIR] [--json]         entities scored against gold entities
    reader train -o PIPELINE_DIR [--corpus DIR] [--iterations N] fine-tune NER on the corrections
    reader feeds add|list|remove|import|export [--corpus DIR]   the feeds a corpus follows
    reader fetch [--corpus DIR] [--feed NAME]                  fetch them (reader.feeds)
    reader add URL... [--corpus DIR]                           fetch single pages
    reader config path|show|edit                               the settings file (reader.config)
    reader agree --coder A --coder B [--tag T] [--json]        intercoder agreement (annotations.agreement)

Exit codes: 0 success, 1 error (a message on stderr says what to do), 2 wrong usage.
Output meant for machines goes to stdout (UTF-8), messages for people to stderr. No traceback
reaches the user. Commands that only read the store never create one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from reader.cli import (
    add,
    agree,
    app,
    config,
    entities,
    evaluate,
    export,
    feeds,
    fetch,
    importing,
    listing,
    ner,
    report,
    search,
    stats,
    train,
)
from reader.cli.shared import EXIT_ERROR, EXIT_OK, EXIT_USAGE, Command, UsageError, UserError, say

__all__ = ["COMMANDS", "EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "Command", "UsageError", "UserError", "main"]


#: The commands for scripts, by the word that names them; without one, reader opens the app.
COMMANDS: dict[str, Command] = {
    "list": Command("list a corpus's articles", listing.parser, listing.run),
    "search": Command("search a corpus's full text, best match first", search.parser, search.run),
    "stats": Command("count tags and entities", stats.parser, stats.run),
    "export": Command("write the annotations as json, jsonl, w3c, brat or csv", export.parser, export.run),
    "import": Command("add the annotations of an exported file", importing.parser, importing.run),
    "ner": Command("find and cache the entities of a whole corpus", ner.parser, ner.run),
    "agree": Command("how far coders agree: percent, kappa, alpha, passage F1", agree.parser, agree.run),
    "report": Command("write an analysis table: matrix, cooccurrence, timeline or entities", report.parser, report.run),
    "entities": Command("show the entities of one article file", entities.parser, entities.run),
    "evaluate": Command("score the entities against gold ones", evaluate.parser, evaluate.run),
    "train": Command("fine-tune the model on your entity corrections", train.parser, train.run),
    "feeds": Command("the feeds a corpus follows: add, list, remove, import or export OPML", feeds.parser, feeds.run),
    "fetch": Command("fetch the corpus's feeds into it as articles", fetch.parser, fetch.run),
    "add": Command("fetch web pages into the corpus as articles", add.parser, add.run),
    "config": Command("the settings file: its path, the settings in effect, or edit it", config.parser, config.run),
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    argv_given = list(argv)
    if argv and argv[0] in COMMANDS:
        command = COMMANDS[argv[0]]
        make_parser, run, argv = command.parser, command.run, argv[1:]
    else:
        make_parser, run = (lambda: app.parser(COMMANDS)), app.run
    parser = make_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        return run(arguments)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        say(f"{parser.prog}: error: {error}")
        return EXIT_USAGE
    except UserError as error:
        say(f"reader: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of our output went away (| head): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as error:  # the last guard: a message, never a traceback (which goes to a log)
        from reader.error_log import log_unexpected, unexpected_message

        say(f"reader: {unexpected_message(error, log_unexpected(error, ['reader', *argv_given]))}")
        return EXIT_ERROR
