"""AnnotationStore on real files: its API, versioned layout, migration, damage, backups, locking.

Since schema version 2 the store is a manifest file (the path the user names) and a folder beside
it with one file per article and an index journal; "the store's files" below means all of them.
"""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from annotations import AnnotationStore, StoreError, layout, schema, storage
from annotations.model import Annotation, ArticleRef, merge_tags, normalise_tag, tag_key
from annotations.storage import TEMP_SUFFIX, backup_path
from annotations.store import ChangedElsewhere, lock_path, version_backup_path
from tests.helpers import spy

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."
ARTICLE = ArticleRef(id="budget", title="Budget talks", date="2024-05-01", path="budget.txt", sha256="ab" * 32)


def annotation(start: int = 0, end: int = 9, tags: list[str] | None = None, article_id: str = "budget") -> Annotation:
    return Annotation.create(
        article_id=article_id, article_sha256="ab" * 32, text=TEXT, start=start, end=end, tags=tags or ["politics"]
    )


def temporaries(path: Path) -> list[Path]:
    """Temporaries beside the manifest and in the store's scratch folder."""
    return list(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}")) + list(
        layout.scratch_folder(path).glob(f"*{TEMP_SUFFIX}")
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, in subfolders too (except the lock file), with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def shard(path: Path, article_id: str = "budget") -> Path:
    """The file that holds one article's annotations."""
    return layout.shard_path(path, article_id)


def journal_lines(path: Path) -> list[bytes]:
    return layout.journal_path(path).read_bytes().splitlines()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


# -- the public API --------------------------------------------------------------------------


def test_add_get_update_delete_round_trip(path: Path) -> None:
    with AnnotationStore(path) as store:
        first = store.add(annotation(0, 9, ["Politics"]), ARTICLE)
        assert store.get(first.id) == first
        changed = store.update(first.retagged(["politics", "budget"]).with_note("key"))
        assert store.get(first.id) == changed
        assert store.delete(first.id) == changed
        assert store.get(first.id) is None
        assert store.delete(first.id) is None
        assert store.all() == []
        assert store.articles() == {"budget": ARTICLE}


def test_listing_sorts_and_counts(path: Path) -> None:
    with AnnotationStore(path) as store:
        late = store.add(annotation(40, 50, ["Budget"]))
        early = store.add(annotation(0, 9, ["budget", "Politics"]))
        other = store.add(annotation(10, 20, ["politics"], article_id="another"))
        assert store.all() == [other, early, late]
        assert store.for_article("budget") == [early, late]
        assert store.counts_by_article() == {"budget": 2, "another": 1}
        # Spelled as first met in text order (article "another" comes first), counted case-blind.
        assert store.tag_counts() == [("budget", 2), ("politics", 2)]


def test_update_of_an_unknown_annotation_raises_and_writes_nothing(path: Path) -> None:
    with AnnotationStore(path) as store:
        store.add(annotation())
        before = snapshot(path.parent)
        with pytest.raises(KeyError):
            store.update(annotation())
        assert snapshot(path.parent) == before


def test_an_update_or_delete_of_an_annotation_changed_elsewhere_is_refused(path: Path) -> None:
    with AnnotationStore(path) as store, AnnotationStore(path) as elsewhere:
        read = store.add(annotation(), ARTICLE)
        assert store.update(read.retagged(["economy"]), expected=read).tags == ["economy"]
        seen = store.get(read.id)
        assert seen is not None
        noted = elsewhere.update(seen.with_note("written in another window"))
        before = snapshot(path.parent)
        with pytest.raises(ChangedElsewhere) as refused:
            store.update(seen.retagged(["tax"]), expected=seen)
        message = str(refused.value)
        assert isinstance(refused.value, StoreError)
        assert "changed in another window or process" in message and "Nothing was written" in message
        with pytest.raises(ChangedElsewhere):
            store.delete(seen.id, expected=seen)
        assert snapshot(path.parent) == before
        assert store.get(read.id) == noted
        elsewhere.delete(read.id)
        with pytest.raises(ChangedElsewhere, match="deleted in another window"):
            store.update(noted.with_note("too late"), expected=noted)
        assert store.delete(read.id, expected=noted) is None


def test_update_many_writes_each_article_once_and_reports_each(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with AnnotationStore(path) as store:
        read = [store.add(annotation(i, i + 5, article_id=article)) for article in ("a", "b") for i in (0, 10)]
        changes = spy(monkeypatch, store, "_change")
        reported: list[tuple[list[str], list[str]]] = []
        new = [a.retagged(["tax"]) for a in read]
        written = store.update_many(new, read, on_article=lambda w, s: reported.append(([a.id for a in w], s)))
        assert written == new and [article for article, _ in changes] == ["a", "b"]
        assert reported == [([read[0].id, read[1].id], []), ([read[2].id, read[3].id], [])]
        assert [store.get(a.id) for a in read] == new


def test_update_many_stops_at_an_article_changed_elsewhere_or_skips_what_changed(path: Path) -> None:
    with AnnotationStore(path) as store, AnnotationStore(path) as elsewhere:
        read = [store.add(annotation(i, i + 5, article_id=article)) for article in ("a", "b") for i in (0, 10)]
        noted = elsewhere.update(read[3].with_note("elsewhere"))
        new = [a.retagged(["tax"]) for a in read]
        with pytest.raises(ChangedElsewhere, match="2 annotation"):
            store.update_many(new, read)
        assert [store.get(a.id) for a in read] == [new[0], new[1], read[2], noted]
        reported: list[tuple[list[Annotation], list[Annotation]]] = []
        written = store.update_many(
            new[2:], read[2:], skip_changed=True, on_article=lambda w, s: reported.append((w, s))
        )
        assert written == [new[2]] and reported == [([new[2]], [new[3]])]
        assert store.get(read[3].id) == noted


def test_a_change_in_place_but_not_confirmed_on_disk_says_it_was_written(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with AnnotationStore(path) as store:
        added = store.add(annotation())

        def unconfirmed(folder: Path) -> None:
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(storage, "fsync_folder", unconfirmed)
        with pytest.raises(StoreError) as failure:
            store.update(added.retagged(["economy"]), expected=added)
        assert failure.value.written
        monkeypatch.undo()
        assert store.get(added.id).tags == ["economy"]


def test_tags_lose_control_characters_but_keep_their_case() -> None:
    """A tag from an imported file must not carry an escape sequence to the terminal."""
    assert normalise_tag("\x1b[31mRed\x1b[0m Tape\x07") == "[31mRed[0m Tape"
    assert normalise_tag(" Two\tWords\x85Here\x7f\x9b ") == "Two Words Here"
    assert merge_tags(["\x1b", "Tax\x00", "tax"]) == ["Tax"]
    assert tag_key("\x1bTAX") == "tax"
    assert annotation(tags=["Bu\x1bdget"]).retagged(["Bu\x9bdget", "\x1b"]).tags == ["Budget"]


def test_adding_the_same_id_twice_raises_and_writes_nothing(path: Path) -> None:
    with AnnotationStore(path) as store:
        added = store.add(annotation())
        before = snapshot(path.parent)
        with pytest.raises(ValueError):
            store.add(added, ARTICLE)  # the article must not be written on its own either
        assert snapshot(path.parent) == before


def test_one_add_with_its_article_is_one_write(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One rename over the article's file, one line added to the journal, nothing else written."""
    with AnnotationStore(path) as store:
        store.add(annotation(), ARTICLE)  # the article's file exists now
        real_replace = os.replace
        renames: list[str] = []

        def replace(source: Any, destination: Any) -> None:
            if Path(destination) != backup_path(shard(path)):
                renames.append(str(destination))
            real_replace(source, destination)

        monkeypatch.setattr(os, "replace", replace)
        lines = len(journal_lines(path))
        store.add(annotation(), ARTICLE)
        assert renames == [str(shard(path))]
        assert len(journal_lines(path)) == lines + 1


def test_ids_are_the_document_keys_in_the_article_file(path: Path) -> None:
    with AnnotationStore(path) as store:
        added = [store.add(annotation(n, n + 5)) for n in range(3)]
    stored = json.loads(shard(path).read_bytes())
    assert set(stored["annotations"]) == {a.id for a in added}
    assert all(len(key) == 32 and int(key, 16) >= 0 for key in stored["annotations"])
    assert stored["meta"] == {"shard": {"article_id": "budget"}}
    schema.check_shard(stored, "budget")


def test_a_store_sees_changes_made_by_another_store_on_the_same_file(path: Path) -> None:
    with AnnotationStore(path) as first, AnnotationStore(path) as second:
        assert first.all() == []
        added = second.add(annotation(), ARTICLE)
        assert first.all() == [added]
        assert first.get(added.id) == added
        first.delete(added.id)
        assert second.all() == []


def test_threads_sharing_one_store_lose_nothing(path: Path) -> None:
    with AnnotationStore(path) as store:
        added: list[str] = []

        def add_many() -> None:
            for n in range(40):
                added.append(store.add(annotation(n, n + 3)).id)
                store.all()

        threads = [threading.Thread(target=add_many) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(a.id for a in store.all()) == sorted(added)
        assert len(added) == 120


# -- the versioned layout --------------------------------------------------------------------


def test_a_new_store_records_its_schema_version(path: Path) -> None:
    AnnotationStore(path).close()
    assert json.loads(path.read_bytes())["meta"] == {"schema": {"version": schema.SCHEMA_VERSION}}


def test_opening_a_current_store_writes_nothing(path: Path) -> None:
    with AnnotationStore(path) as store:
        store.add(annotation())
        store.add(annotation())
    before, mtime = snapshot(path.parent), path.stat().st_mtime_ns
    AnnotationStore(path).close()
    assert snapshot(path.parent) == before
    assert path.stat().st_mtime_ns == mtime


VERSION_0 = {
    "_default": {},
    "annotations": {
        "1": {
            "article_id": "budget",
            "start": 0,
            "end": 9,
            "quote": "Ministers",
            "tags": "politics, Budget ,budget,",
            "created": "2023-02-01T10:00:00.000Z",
        },
        "2": {
            "id": "0123456789abcdef0123456789abcdef",
            "article_id": "budget",
            "article_sha256": "ab" * 32,
            "start": 48,
            "end": 62,
            "quote": "The opposition",
            "tags": ["walkout"],
            "note": "check this",
            "created": "2023-02-02T10:00:00.000Z",
        },
    },
}


def test_a_version_0_store_is_migrated_after_a_copy_of_it_is_kept(path: Path) -> None:
    raw = json.dumps(VERSION_0).encode()
    path.write_bytes(raw)
    with AnnotationStore(path) as store:
        migrated = {a.quote: a for a in store.all()}
        articles = store.articles()
    assert version_backup_path(path, 0).read_bytes() == raw
    assert json.loads(path.read_bytes()) == {"meta": {"schema": {"version": schema.SCHEMA_VERSION}}}
    stored = json.loads(shard(path).read_bytes())
    schema.check_shard(stored, "budget")  # every record now has every field, keyed by its id

    first, second = migrated["Ministers"], migrated["The opposition"]
    assert len(first.id) == 32 and first.id in stored["annotations"]
    assert first.tags == ["politics", "Budget"]
    assert (first.prefix, first.suffix, first.note, first.article_sha256) == ("", "", "", "")
    assert first.updated == first.created
    assert second.id == "0123456789abcdef0123456789abcdef"
    assert second.note == "check this" and second.tags == ["walkout"]
    assert articles == {} and stored["articles"] == {}

    # Opened again, it is current: no second migration, no change.
    before = snapshot(path.parent)
    with AnnotationStore(path) as again:
        assert {a.quote: a for a in again.all()} == migrated
    assert snapshot(path.parent) == before


def test_a_version_1_store_is_split_into_one_file_per_article_after_a_copy_of_it_is_kept(path: Path) -> None:
    ministers = annotation(0, 9, ["Politics"])
    walkout = annotation(48, 62, ["walkout", "politics"])
    elsewhere = annotation(10, 20, ["Budget"], article_id="another")
    version_1 = {
        "meta": {"schema": {"version": 1}},
        "annotations": {a.id: a.to_record() for a in (ministers, walkout, elsewhere)},
        "articles": {"budget": ARTICLE.to_record(), "unannotated": {**ARTICLE.to_record(), "id": "unannotated"}},
    }
    raw = json.dumps(version_1).encode()
    path.write_bytes(raw)
    with AnnotationStore(path) as store:
        assert store.all() == [elsewhere, ministers, walkout]
        assert store.articles()["budget"] == ARTICLE and set(store.articles()) == {"budget", "unannotated"}
        assert store.tag_counts() == [("Politics", 2), ("Budget", 1), ("walkout", 1)]
        assert store.counts_by_article() == {"budget": 2, "another": 1}
    assert version_backup_path(path, 1).read_bytes() == raw
    assert json.loads(backup_path(path).read_bytes()) == json.loads(path.read_bytes())
    for article_id, ids in (
        ("budget", {ministers.id, walkout.id}),
        ("another", {elsewhere.id}),
        ("unannotated", set()),
    ):
        stored = json.loads(shard(path, article_id).read_bytes())
        schema.check_shard(stored, article_id)
        assert set(stored["annotations"]) == ids
    assert temporaries(path) == []


def test_a_migration_that_dies_half_way_is_done_again_on_next_open(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = {a.id: a.to_record() for a in (annotation(n, n + 3, article_id=f"a{n}") for n in range(20))}
    raw = json.dumps({"meta": {"schema": {"version": 1}}, "annotations": records, "articles": {}}).encode()
    path.write_bytes(raw)
    from annotations import storage

    real = storage.write_new_file
    written: list[Path] = []

    def dies_after_ten(file: Path, payload: bytes) -> None:
        if len(written) == 10:
            raise KeyboardInterrupt  # stands for the process dying: nothing after this runs
        written.append(file)
        real(file, payload)

    with monkeypatch.context() as patch:
        patch.setattr("annotations.opening.write_new_file", dies_after_ten)
        with pytest.raises(KeyboardInterrupt):
            AnnotationStore(path)
    assert path.read_bytes() == raw  # still the version 1 store
    with AnnotationStore(path) as store:
        assert {a.id for a in store.all()} == set(records)
    assert temporaries(path) == []


def test_a_version_0_store_that_cannot_be_migrated_is_refused_untouched(path: Path) -> None:
    broken = {"annotations": {"1": {"article_id": "budget", "start": 0, "end": 9}}}  # no quote
    path.write_bytes(json.dumps(broken).encode())
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match="quote") as refusal:
        AnnotationStore(path)
    assert str(path) in str(refusal.value)
    assert snapshot(path.parent) == before
    assert not version_backup_path(path, 0).exists()


def test_migrations_run_in_order_and_leave_their_input_alone() -> None:
    def one_to_two(tables: schema.Tables) -> schema.Tables:
        tables["steps"] = {"one": {"to": 2}}
        return tables

    def two_to_three(tables: schema.Tables) -> schema.Tables:
        assert tables["meta"]["schema"]["version"] == 2  # stamped between steps
        tables["steps"]["two"] = {"to": 3}
        return tables

    registry = {**schema.MIGRATIONS, 1: one_to_two, 2: two_to_three}
    original = json.loads(json.dumps(VERSION_0))
    result = schema.migrate(original, 0, target=3, registry=registry)
    assert original == VERSION_0
    assert result["steps"] == {"one": {"to": 2}, "two": {"to": 3}}
    assert schema.version_of(result) == 3
    with pytest.raises(RuntimeError, match="from schema version 3"):
        schema.migrate(result, 3, target=4, registry=registry)
    with pytest.raises(schema.NewerVersion):
        schema.migrate(result, 3)


def test_every_version_below_the_current_one_has_a_migration() -> None:
    assert set(schema.MIGRATIONS) == set(range(schema.SCHEMA_VERSION))


def newer_store(path: Path) -> bytes:
    tables = schema.new_tables()
    tables["meta"]["schema"]["version"] = schema.SCHEMA_VERSION + 1
    tables["annotations"]["x"] = {"id": "x", "shape": "unknown to us"}
    raw = json.dumps(tables).encode()
    path.write_bytes(raw)
    return raw


def test_a_newer_store_is_refused_and_not_a_byte_changes(path: Path) -> None:
    raw = newer_store(path)
    stray = path.with_name(f".{path.name}.feed{TEMP_SUFFIX}")
    stray.write_text("left by a crash")
    mtime = path.stat().st_mtime_ns
    with pytest.raises(StoreError) as refusal:
        AnnotationStore(path)
    message = str(refusal.value)
    assert str(path) in message and "newer" in message and "not changed" in message
    assert path.read_bytes() == raw
    assert path.stat().st_mtime_ns == mtime
    assert not backup_path(path).exists()
    assert not any(path.parent.glob("*.v*.bak"))


def test_a_store_migrated_by_a_newer_reader_while_open_is_not_written(path: Path) -> None:
    with AnnotationStore(path) as store:
        store.add(annotation())
        raw = newer_store(path)
        with pytest.raises(StoreError, match="newer"):
            store.add(annotation())
        with pytest.raises(StoreError, match="newer"):
            store.all()
        assert path.read_bytes() == raw


# -- damage ----------------------------------------------------------------------------------


def good_store(path: Path, count: int = 3) -> list[Annotation]:
    """A store with ``count`` annotations added one by one (so it has a backup of count-1)."""
    with AnnotationStore(path) as store:
        return [store.add(annotation(n, n + 5), ARTICLE) for n in range(count)]


def truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


MANIFEST_DAMAGE = {
    "truncated JSON": (truncated, "not valid JSON"),
    "empty file": (lambda raw: b"", "empty"),
    "invalid JSON": (lambda raw: raw.replace(b'"', b"'", 3), "not valid JSON"),
    "a JSON list": (lambda raw: b"[]", "list"),
    "a table that is a list": (lambda raw: b'{"annotations": []}', "table 'annotations'"),
    "an unreadable schema version": (
        lambda raw: raw.replace(b'{"version":%d}' % schema.SCHEMA_VERSION, b'{"version":"one"}'),
        "schema version",
    ),
}

#: Damage to one article's file: found when that article is read, not on open (which reads no
#: article, so that it takes as long on a big store as on an empty one).
ARTICLE_FILE_DAMAGE = {
    "truncated JSON": (truncated, "not valid JSON"),
    "empty file": (lambda raw: b"", "empty"),
    "a JSON list": (lambda raw: b"[]", "list"),
    "an annotation without its quote": (lambda raw: raw.replace(b'"quote":', b'"quota":'), "has no 'quote'"),
    "another article's file": (
        lambda raw: raw.replace(b'"article_id":"budget"}', b'"article_id":"x"}'),
        "not the file",
    ),
}


@pytest.mark.parametrize("case", list(MANIFEST_DAMAGE))
def test_a_damaged_store_is_refused_naming_it_and_its_backup_and_left_as_it_is(path: Path, case: str) -> None:
    good_store(path)
    damage, reason = MANIFEST_DAMAGE[case]
    path.write_bytes(damage(path.read_bytes()))
    before = snapshot(path.parent)
    with pytest.raises(StoreError) as refusal:
        AnnotationStore(path)
    message = str(refusal.value)
    assert reason in message
    assert f"{path} is damaged" in message
    assert str(backup_path(path)) in message
    assert refusal.value.path == path and refusal.value.backup == backup_path(path)
    assert snapshot(path.parent) == before


@pytest.mark.parametrize("case", list(ARTICLE_FILE_DAMAGE))
def test_a_damaged_article_file_is_refused_naming_it_and_its_backup_and_left_as_it_is(path: Path, case: str) -> None:
    good_store(path)
    damage, reason = ARTICLE_FILE_DAMAGE[case]
    damaged = shard(path)
    damaged.write_bytes(damage(damaged.read_bytes()))
    before = snapshot(path.parent)
    with AnnotationStore(path) as store:
        for use in (lambda: store.for_article("budget"), store.all, lambda: store.add(annotation(30, 40), ARTICLE)):
            with pytest.raises(StoreError) as refusal:
                use()
            message = str(refusal.value)
            assert reason in message
            assert f"{path} is damaged" in message and str(damaged) in message
            assert str(backup_path(damaged)) in message
            assert refusal.value.path == path and refusal.value.backup == backup_path(damaged)
        # What does not need that article still works, and nothing was written.
        assert store.counts_by_article() == {"budget": 3}
        store.add(annotation(article_id="another"))
    after = snapshot(path.parent)
    assert {name: raw for name, raw in after.items() if "budget" in name} == {
        name: raw for name, raw in before.items() if "budget" in name
    }


def test_a_damaged_store_without_a_backup_says_so(path: Path) -> None:
    path.write_bytes(b'{"annotations": {"a": ')
    with pytest.raises(StoreError, match="no backup") as refusal:
        AnnotationStore(path)
    assert refusal.value.backup is None
    assert path.read_bytes() == b'{"annotations": {"a": '


@pytest.mark.parametrize("damaged", ["manifest", "article file"])
def test_a_store_damaged_while_open_refuses_changes_without_writing(path: Path, damaged: str) -> None:
    with AnnotationStore(path) as store:
        store.add(annotation())
        store.add(annotation())
        file = path if damaged == "manifest" else shard(path)
        file.write_bytes(truncated(file.read_bytes()))
        before = snapshot(path.parent)
        with pytest.raises(StoreError, match="damaged"):
            store.add(annotation())
        with pytest.raises(StoreError, match="damaged"):
            store.all()
        assert snapshot(path.parent) == before


def test_a_store_whose_folder_is_gone_is_refused_and_not_started_again(path: Path) -> None:
    good_store(path)
    layout.folder(path).rename(path.with_name("moved"))
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match="lost its folder"):
        AnnotationStore(path)
    assert snapshot(path.parent) == before


# -- backups and restoring -------------------------------------------------------------------


def test_each_article_file_keeps_its_previous_version_which_is_a_whole_article_file(path: Path) -> None:
    added = good_store(path, count=4)
    previous = json.loads(backup_path(shard(path)).read_bytes())
    schema.check_shard(previous, "budget")
    assert set(previous["annotations"]) == {a.id for a in added[:3]}
    assert json.loads(backup_path(path).read_bytes()) == json.loads(path.read_bytes())


def test_restore_backup_sets_a_damaged_article_file_aside_and_opens_its_last_good_version(path: Path) -> None:
    added = good_store(path, count=3)
    other = AnnotationStore(path).add(annotation(article_id="another"))
    damaged = truncated(shard(path).read_bytes())
    shard(path).write_bytes(damaged)
    with AnnotationStore(path) as store, pytest.raises(StoreError) as refusal:
        store.for_article("budget")
    assert refusal.value.backup == backup_path(shard(path))

    with AnnotationStore.restore_backup(path) as restored:
        assert {a.id for a in restored.all()} == {a.id for a in added[:2]} | {other.id}
        assert restored.counts_by_article() == {"budget": 2, "another": 1}  # the index follows
        assert restored.set_aside is not None and restored.set_aside_files == (restored.set_aside,)
        assert restored.set_aside.name.startswith(f"{shard(path).name}.damaged-")
        assert restored.set_aside.read_bytes() == damaged
        again = restored.add(annotation(30, 40))
    # The damaged version never becomes the backup.
    assert json.loads(backup_path(shard(path)).read_bytes())["annotations"].keys() == {a.id for a in added[:2]}
    with AnnotationStore(path) as reopened:
        assert again in reopened.all()
    assert temporaries(path) == []


def test_restore_backup_of_a_damaged_manifest_keeps_every_annotation(path: Path) -> None:
    added = good_store(path, count=3)
    damaged = truncated(path.read_bytes())
    path.write_bytes(damaged)
    with pytest.raises(StoreError) as refusal:
        AnnotationStore(path)
    assert refusal.value.backup == backup_path(path)
    with AnnotationStore.restore_backup(path) as restored:
        assert restored.all() == added
        assert restored.set_aside is not None and restored.set_aside.read_bytes() == damaged
        assert restored.set_aside.name.startswith(f"{path.name}.damaged-")
    assert temporaries(path) == []


def test_restore_backup_of_a_healthy_store_changes_nothing(path: Path) -> None:
    good_store(path)
    before = snapshot(path.parent)
    with AnnotationStore.restore_backup(path) as restored:
        assert restored.set_aside is None and len(restored.all()) == 3
    assert snapshot(path.parent) == before


def test_restore_backup_without_a_backup_changes_nothing(path: Path) -> None:
    path.write_bytes(b"{")
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match="no backup"):
        AnnotationStore.restore_backup(path)
    assert snapshot(path.parent) == before


@pytest.mark.parametrize("damaged", [lambda path: path, shard], ids=["top file", "article file"])
def test_restore_backup_refuses_a_damaged_backup_and_changes_nothing(
    path: Path, damaged: Callable[[Path], Path]
) -> None:
    """The top file or an article file damaged, and its backup damaged too."""
    good_store(path)
    damaged(path).write_bytes(b"{")
    backup_path(damaged(path)).write_bytes(b'{"annotations": 3}')
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match="damaged too"):
        AnnotationStore.restore_backup(path)
    assert snapshot(path.parent) == before


# -- strays, failures, locking ---------------------------------------------------------------


def test_stray_temporaries_are_removed_on_open(path: Path) -> None:
    good_store(path)
    strays = [path.with_name(f".{path.name}.{tag}{TEMP_SUFFIX}") for tag in ("1f2e3d4c", "half")]
    for stray in strays:
        stray.write_bytes(b'{"annotations": {"half')
    unrelated = path.with_name(f".notes.json.1f2e3d4c{TEMP_SUFFIX}")
    unrelated.write_text("{}")
    AnnotationStore(path).close()
    assert not any(stray.exists() for stray in strays)
    assert unrelated.exists()


def test_a_full_disk_fails_the_change_with_a_clear_message_and_keeps_the_store(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = good_store(path)
    with AnnotationStore(path) as store:
        before = snapshot(path.parent)

        def disk_full(fd: int, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as patch:
            patch.setattr(os, "write", disk_full)
            with pytest.raises(StoreError) as failure:
                store.add(annotation(50, 60))
        message = str(failure.value)
        assert str(path) in message and "No space left on device" in message and "not saved" in message
        assert snapshot(path.parent) == before
        assert store.all() == sorted(added, key=lambda a: a.start)
        store.add(annotation(50, 60))  # and it works again once there is room
        assert len(store.all()) == 4


def test_a_change_waits_for_the_lock_and_gives_up_with_a_clear_message(path: Path) -> None:
    good_store(path)
    with AnnotationStore(path, lock_timeout=0.2) as store:
        before = snapshot(path.parent)
        with FileLock(str(lock_path(path))):  # another holder: a second descriptor on the lock file
            with pytest.raises(StoreError, match="busy") as busy:
                store.add(annotation())
            assert str(lock_path(path)) in str(busy.value)
            assert len(store.all()) == 3  # reading needs no lock
        assert snapshot(path.parent) == before
        store.add(annotation())
        assert len(store.all()) == 4
