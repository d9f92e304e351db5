"""Words for people: what the store, its recovery, the corrections and the undo history tell the user.

Every message names the file and says what to do next, in words that hold wherever the core is
used (the app, a command, a script): no command-line flag appears here. Where another store
would help, the error carries :attr:`~annotations.errors.Advice.ANOTHER_STORE` and the
application adds how to choose one. Kept apart from the logic so that wording can be changed
(and reviewed) in one place without touching how the store works.
"""

from __future__ import annotations

from pathlib import Path

from annotations import layout
from annotations.model import Annotation
from annotations.schema import SCHEMA_VERSION
from annotations.storage import StoreWriteFailed, backup_path

# -- the store ---------------------------------------------------------------------------------


def damaged_message(path: Path, reason: str, file: Path | None = None) -> str:
    """What to tell the user about a damaged store (or one damaged ``file`` of it), and where its backup is."""
    file = file or path
    backup = backup_path(file)
    what = f"The annotation store {path} is damaged: " + (reason if file == path else f"its file {file}: {reason}")
    if backup.exists():
        hint = (
            f"The last good version is kept at {backup}; restore it (the reader app offers to where it meets "
            f"the damage, keeping the damaged file aside as {file.name}.damaged-<time>),"
        )
    elif file != path and not file.exists():
        hint = (
            f"There is no backup of it. To go on without its annotations, move the index journal "
            f"{layout.journal_path(path)} aside (reader rebuilds it from the files there are),"
        )
    else:
        hint = "There is no backup of it; move the damaged file aside"
    return f"{what}. Nothing was written to it. {hint} or start a new store elsewhere."


def missing_folder_message(path: Path) -> str:
    """The store's manifest is there but the folder that holds its annotations is not."""
    return (
        f"The annotation store {path} has lost its folder {layout.folder(path)}, which holds its annotations. "
        "Nothing was changed. If you moved the store, move that folder with it; or start a new store "
        "elsewhere."
    )


def _by_a_newer_reader(what: str, version: int) -> str:
    """``what`` was written by a newer reader, and which versions this one reads: said of a store and of a backup."""
    return f"{what} was written by a newer reader (store version {version}; this one reads up to {SCHEMA_VERSION})"


def _cannot_use(what: str, error: OSError) -> str:
    """``what`` (a file named with its role) could not be read or written at all, and why."""
    return (
        f"Could not use {what}: {error.strerror or str(error)}. Check that its folder exists and that you "
        "may read and write there"
    )


def newer_message(path: Path, version: int) -> str:
    """The store was written by a newer reader, whose layout this one does not know."""
    return _by_a_newer_reader(f"The annotation store {path}", version) + (
        ". Upgrade reader to open it; the file was not changed."
    )


def busy_message(path: Path, timeout: float) -> str:
    """Another process held the store's lock for longer than a change waits."""
    return (
        f"The annotation store {path} is busy: another reader has been using it for over {timeout:g} s "
        f"(lock file {layout.lock_path(path)}). Close other reader windows and try again."
    )


def write_failed_message(path: Path, failure: StoreWriteFailed) -> str:
    """A write of the store (or of a file of it) failed; says whether the change is in place anyway."""
    reason = failure.error.strerror or str(failure.error)
    where = "" if failure.path == path else f" (writing {failure.path})"
    if failure.replaced:
        return (
            f"The change was written to the annotation store {path}{where}, but the system could not confirm "
            f"it is safely on disk ({reason}). Check the disk before relying on it."
        )
    return (
        f"Could not save to the annotation store {path}{where}: {reason}. The change was not saved and "
        "the store is as it was. Free some disk space or check the folder's permissions, then try again."
    )


def changed_elsewhere_message(annotation: Annotation, *, deleted: bool, written_before: int = 0) -> str:
    """What to tell the user when ``annotation``, as they read it, is no longer what is stored."""
    quote = " ".join(annotation.quote.split())
    if len(quote) > 40:
        quote = quote[:39] + "…"
    what = "deleted" if deleted else "changed"
    if written_before:
        nothing = (
            f"Nothing was written for its article; {written_before} annotation(s) of other articles "
            "had already been changed."
        )
    else:
        nothing = "Nothing was written."
    return (
        f'The annotation of "{quote}" in article {annotation.article_id} was {what} in another window or '
        f"process since you opened it; reopen the article to see the change. {nothing}"
    )


def unusable_message(path: Path, error: OSError) -> str:
    """The store's files could not be read or written at all (permissions, a missing folder)."""
    return _cannot_use(f"the annotation store {path}", error) + ", or use another store."


def read_only_message(path: Path) -> str:
    """A change asked of a store opened only to be read (a programming error, not the user's)."""
    return f"the annotation store {path} was opened read-only"


# -- recovery ----------------------------------------------------------------------------------


def missing_store_message(path: Path) -> str:
    """There is nothing at all at the path given: no manifest, no folder, no backup."""
    return (
        f"There is no annotation store at {path} (nor its folder {layout.folder(path).name} or a backup). "
        "Nothing was created. Check the path of the store."
    )


def lost_manifest_message(path: Path, *, given_back: bool) -> str:
    """What to tell the user when the store's small top file is gone but its folder is there."""
    done = "it was written again" if given_back else "it will be written again the next time reader changes the store"
    return (
        f"The annotation store's file {path} was missing; its annotations, in {layout.folder(path)}, were read "
        f"from there and {done}."
    )


def older_read_only_message(path: Path, version: int) -> str:
    """An older store that can only be read once upgraded, which writes to it."""
    return (
        f"The annotation store {path} is of an older version ({version}) and must be upgraded, which writes "
        "to it; it was not changed. Open it once in reader (where it may be written) to upgrade it."
    )


def journal_behind_message(journal: Path, corrected: int, *, rewritten: bool) -> str:
    """What to tell the user when the index journal did not account for ``corrected`` article files."""
    done = (
        " and the journal was rewritten"
        if rewritten
        else "; the journal will be rewritten the next time reader changes the store"
    )
    return (
        f"The index journal {journal} did not account for {corrected} article file(s) (it may have been cut "
        f"short); their annotations were read from the files{done}."
    )


def journal_rebuilt_message(journal: Path, what: str, *, rewritten: bool) -> str:
    """The index journal was ``what`` ("missing", "damaged"): rebuilt from the article files, or read from them."""
    if rewritten:
        return f"The index journal {journal} was {what}; it was rebuilt from the article files."
    return (
        f"The index journal {journal} is {what}; the annotations were read from the article files "
        "(it will be rebuilt the next time reader changes the store)."
    )


def missing_file_reason(held: int | None) -> str:
    """Why a missing article file is damage, in words: what the rest of the store says it held."""
    return "the file is missing" + ("" if held is None else f" (the index says it held {held} annotation(s))")


def no_backup_message(file: Path, backup: Path, reason: str) -> str:
    """A damaged ``file`` cannot be restored: its backup is not there."""
    return f"There is no backup of {file} (looked for {backup}); it is damaged: {reason}. Nothing was changed."


def damaged_backup_message(backup: Path, why: str) -> str:
    """A damaged file cannot be restored: its backup is damaged too."""
    return f"The backup {backup} is damaged too: {why}. Nothing was changed. Start a new store elsewhere."


def newer_backup_message(backup: Path, version: int) -> str:
    """A damaged file cannot be restored: its backup was written by a newer reader."""
    return _by_a_newer_reader(f"The backup {backup}", version) + ". Nothing was changed; upgrade reader to use it."


# -- entity corrections ----------------------------------------------------------------------


def corrections_damaged_message(file: Path, reason: str) -> str:
    """The entity corrections file cannot be read."""
    return f"The entity corrections file {file} is damaged: {reason}. It was not changed; move it aside to start the corrections afresh."


def corrections_unusable_message(file: Path, error: OSError) -> str:
    """The entity corrections file could not be read or written at all."""
    return _cannot_use(f"the entity corrections file {file}", error) + "."


# -- the undo history --------------------------------------------------------------------------


def history_damaged_message(file: Path, kept: str) -> str:
    """The undo history file was damaged; ``kept`` says where (or whether) it was kept aside."""
    return (
        f"The undo history {file} was damaged: what could not be read was dropped and {kept}. "
        "Your annotations are not affected."
    )


def history_unwritable_message(file: Path, error: OSError, label: str | None) -> str:
    """The undo history could not be written; the change named ``label`` is saved in the store."""
    what = f'"{label}" was saved, but' if label else "Your annotations are saved, but"
    return (
        f"Could not write the undo history {file}: {error.strerror or error}. {what} undoing it "
        "will not outlive this window. Free some disk space to keep the history."
    )


def undo_outcome_message(verb: str, label: str, applied: int, skipped: int) -> str:
    """What an undo or redo (``verb``) of the change ``label`` did, in one sentence."""
    done = verb[:-1].capitalize() + "id"  # Undid, Redid
    if not skipped:
        return f"{done} {label}."
    changed = f"{skipped} annotation(s) changed since were left as they are"
    if not applied:
        return f"Could not {verb} {label}: {changed}."
    return f"{done} {label}, but {changed}."
