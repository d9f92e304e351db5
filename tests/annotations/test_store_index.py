"""The store's per-article files and index journal: answers that agree with the files, always.

The index (counts, tags, which article holds an annotation) comes from the journal, which is
written before each article file and may be compacted, torn by a crash, damaged or lost. Every
test here checks the index's answers against the article files themselves, read directly.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import AnnotationStore, StoreError, following, layout, shards
from annotations.index import Index
from annotations.journal import Journal, Summary
from annotations.model import Annotation, ArticleRef, tag_key
from annotations.storage import TEMP_SUFFIX, StoreWriteFailed

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."


def annotation(article_id: str = "budget", start: int = 0, end: int = 9, tags: list[str] | None = None) -> Annotation:
    return Annotation.create(
        article_id=article_id, article_sha256="ab" * 32, text=TEXT, start=start, end=end, tags=tags or ["politics"]
    )


def ref(article_id: str) -> ArticleRef:
    return ArticleRef(id=article_id, title=article_id.title(), date=None, path=f"{article_id}.txt", sha256="ab" * 32)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def truth(path: Path) -> list[Annotation]:
    """Every annotation, read from the article files directly (not through any index)."""
    found = []
    for file in sorted(layout.shards_folder(path).iterdir()):
        if layout.is_shard_file(file):
            stored = json.loads(file.read_bytes())
            found += [Annotation.from_record(record) for record in stored["annotations"].values()]
    return sorted(found, key=lambda a: (a.article_id, a.start, a.end))


def assert_agrees_with_the_files(store: AnnotationStore, path: Path) -> None:
    """Everything the store answers from its index is what the article files hold."""
    expected = truth(path)
    assert store.all() == expected
    assert store.counts_by_article() == Counter(a.article_id for a in expected)
    keys = {tag_key(tag) for a in expected for tag in a.tags}
    for key in keys | {"absent"}:
        assert store.passages_with_tag(key.upper()) == [a for a in expected if key in map(tag_key, a.tags)]
    counted = Counter(tag_key(tag) for a in expected for tag in a.tags)
    assert sorted((tag_key(tag), count) for tag, count in store.tag_counts()) == sorted(counted.items())
    for a in expected:
        assert store.get(a.id) == a
    for article_id in {a.article_id for a in expected}:
        assert store.for_article(article_id) == [a for a in expected if a.article_id == article_id]


def journal_lines(path: Path) -> list[bytes]:
    return layout.journal_path(path).read_bytes().splitlines()


def temporaries(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}")) + list(
        layout.scratch_folder(path).glob(f"*{TEMP_SUFFIX}")
    )


# -- the new questions ---------------------------------------------------------------------------


def test_passages_with_a_tag_ignore_case_and_spacing_and_follow_every_change(path: Path) -> None:
    with AnnotationStore(path) as store:
        late = store.add(annotation("budget", 40, 50, ["Budget  talks"]), ref("budget"))
        early = store.add(annotation("budget", 0, 9, ["budget talks", "Politics"]))
        other = store.add(annotation("another", 10, 20, ["BUDGET TALKS"]), ref("another"))
        store.add(annotation("another", 0, 5, ["weather"]))
        assert store.passages_with_tag(" budget   Talks ") == [other, early, late]
        assert store.passages_with_tag("nothing like it") == []
        retagged = store.update(early.retagged(["politics"]))
        assert store.passages_with_tag("budget talks") == [other, late]
        assert store.passages_with_tag("POLITICS") == [retagged]
        store.delete(other.id)
        assert store.passages_with_tag("budget talks") == [late]
        assert store.tag_counts() == [("Budget talks", 1), ("politics", 1), ("weather", 1)]
        assert store.counts_by_article() == {"budget": 2, "another": 1}
        assert_agrees_with_the_files(store, path)


def test_another_store_on_the_same_files_sees_every_kind_of_change(path: Path) -> None:
    with AnnotationStore(path) as writer, AnnotationStore(path) as reader:
        first = writer.add(annotation(tags=["a"]), ref("budget"))
        assert reader.for_article("budget") == [first]  # now in the reader's memory
        noted = writer.update(first.with_note("same tags, same id: only the file's digest tells"))
        assert reader.for_article("budget") == [noted]
        assert reader.passages_with_tag("a") == [noted]
        writer.delete(first.id)
        assert reader.for_article("budget") == [] and reader.counts_by_article() == {}
        assert reader.articles() == {"budget": ref("budget")}


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "retag", "note", "delete"]),
        st.sampled_from(["budget", "another", "Budget", "a/b c"]),  # ids that differ in case, or odd
        st.lists(st.sampled_from(["Politics", "politics", "Vote", " vote ", "walkout"]), max_size=3),
        st.integers(min_value=0, max_value=40),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS)
def test_any_sequence_of_changes_from_two_stores_keeps_both_in_agreement_with_the_files(
    operations: list[tuple[str, str, list[str], int, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.json"
        with AnnotationStore(path) as one, AnnotationStore(path) as two:
            for kind, article_id, tags, start, use_two in operations:
                store = two if use_two else one
                existing = [a for a in truth(path) if a.article_id == article_id]
                if kind == "add" or not existing:
                    store.add(annotation(article_id, start, start + 7, tags), ref(article_id))
                elif kind == "retag":
                    store.update(existing[start % len(existing)].retagged(tags))
                elif kind == "note":
                    store.update(existing[start % len(existing)].with_note(f"note {start}"))
                else:
                    store.delete(existing[start % len(existing)].id)
                assert_agrees_with_the_files(one, path)
            assert_agrees_with_the_files(two, path)


def test_odd_article_ids_get_their_own_files(path: Path) -> None:
    ids = ["budget", "Budget", "BUDGET", "a/b", "a_b", "../up", "é", "", "x" * 300, ".hidden"]
    with AnnotationStore(path) as store:
        added = {article_id: store.add(annotation(article_id), ref(article_id)) for article_id in ids}
        for article_id in ids:
            assert store.for_article(article_id) == [added[article_id]]
    names = {layout.shard_name(article_id) for article_id in ids}
    assert len(names) == len(ids)
    assert all("/" not in name and not name.startswith(".") and len(name) < 80 for name in names)
    with AnnotationStore(path) as reopened:
        assert_agrees_with_the_files(reopened, path)


def test_an_annotation_stays_with_its_article_and_ids_stay_unique(path: Path) -> None:
    with AnnotationStore(path) as store:
        kept = store.add(annotation("budget"), ref("budget"))
        with pytest.raises(ValueError, match="not the article"):
            store.add(annotation("budget"), ref("another"))
        from dataclasses import replace

        with pytest.raises(ValueError, match="already in the store"):
            store.add(replace(kept, article_id="another"))
        with pytest.raises(ValueError, match="another article"):
            store.update(replace(kept, article_id="another"))
        assert store.all() == [kept]
        assert not layout.shard_path(path, "another").exists()


# -- cost: what opening and reading one article touch ---------------------------------------------


def test_opening_reads_neither_the_journal_nor_any_article(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with AnnotationStore(path) as store:
        added = [store.add(annotation(f"a{n}"), ref(f"a{n}")) for n in range(5)]

    def forbidden(*_: Any) -> Any:
        raise AssertionError("read on open")

    with monkeypatch.context() as patch:
        patch.setattr(Journal, "follow", forbidden)
        patch.setattr(shards, "load", forbidden)
        AnnotationStore(path).close()
    with monkeypatch.context() as patch:
        patch.setattr(Journal, "follow", forbidden)  # one article: its file only
        with AnnotationStore(path) as store:
            assert store.for_article("a3") == [added[3]]


# -- the journal: compacted, torn, damaged, lost ---------------------------------------------------


def test_the_journal_is_compacted_and_other_stores_follow_the_new_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(following, "COMPACT_SLACK", 4)
    with AnnotationStore(path) as writer, AnnotationStore(path) as reader:
        kept = writer.add(annotation("budget", tags=["start"]), ref("budget"))
        writer.add(annotation("another"), ref("another"))
        assert reader.counts_by_article() == {"budget": 1, "another": 1}
        for number in range(30):
            kept = writer.update(kept.retagged([f"tag {number}"]))
            assert len(journal_lines(path)) <= 1 + 2 * 2 + 4 + 1
        assert reader.passages_with_tag("tag 29") == [kept]
        assert reader.tag_counts() == [("politics", 1), ("tag 29", 1)]
        assert_agrees_with_the_files(reader, path)


def test_a_torn_last_journal_line_is_not_read_and_the_next_writer_drops_it(path: Path) -> None:
    with AnnotationStore(path) as store:
        kept = store.add(annotation(tags=["kept"]), ref("budget"))
    with layout.journal_path(path).open("ab") as journal:
        journal.write(b'{"a":"budget","h":"00","ref":null,"ann":[["x",["tor')  # a crash mid-append
    before = layout.journal_path(path).read_bytes()
    with AnnotationStore(path) as reader:
        assert reader.passages_with_tag("kept") == [kept] and reader.counts_by_article() == {"budget": 1}
    assert layout.journal_path(path).read_bytes() == before  # reading wrote nothing
    with AnnotationStore(path) as writer:
        added = writer.add(annotation("another", tags=["new"]))
        assert_agrees_with_the_files(writer, path)
    raw = layout.journal_path(path).read_bytes()
    assert raw.endswith(b"\n") and b"tor" not in raw
    assert [json.loads(line) for line in raw.splitlines()][-1]["ann"][0][0] == added.id


def test_a_line_ahead_of_its_article_followed_by_a_torn_line_is_corrected_not_buried(path: Path) -> None:
    """A writer died after journaling (its article file never written), the next one died while
    appending: the rewrite that drops the torn line must not keep the first line's claim."""
    with AnnotationStore(path) as store:
        kept = store.add(annotation(tags=["kept"]), ref("budget"))
    claim = Summary("budget", "0" * 32, None, [[kept.id, ["kept"]], ["never-written", ["ghost"]]])
    with layout.journal_path(path).open("ab") as journal:
        journal.write(claim.line() + b'{"a":"another","h":"1')
    with AnnotationStore(path) as writer:
        writer.add(annotation("another", tags=["new"]))
        assert writer.passages_with_tag("ghost") == [] and writer.get("never-written") is None
    assert b"never-written" not in layout.journal_path(path).read_bytes()
    with AnnotationStore(path) as reopened:
        assert_agrees_with_the_files(reopened, path)


def test_a_damaged_journal_is_kept_aside_unchanged_and_rebuilt_from_the_articles(path: Path) -> None:
    with AnnotationStore(path) as store:
        for n in range(4):
            store.add(annotation(f"a{n}", tags=[f"t{n}"]), ref(f"a{n}"))
    lines = journal_lines(path)
    lines[2] = b'{"a": "a1", "ann": "not a list"}'
    damaged = b"\n".join(lines) + b"\n"
    layout.journal_path(path).write_bytes(damaged)
    with AnnotationStore(path) as store:
        assert_agrees_with_the_files(store, path)
        assert store.articles() == {f"a{n}": ref(f"a{n}") for n in range(4)}
    kept = list(layout.folder(path).glob("index.log.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_a_lost_journal_is_rebuilt_from_the_articles(path: Path) -> None:
    with AnnotationStore(path) as store:
        store.add(annotation("a", tags=["x"]), ref("a"))
        store.add(annotation("b", tags=["y"]))
    layout.journal_path(path).unlink()
    with AnnotationStore(path) as store:
        assert_agrees_with_the_files(store, path)
    assert layout.journal_path(path).exists()


# -- failures between the journal and the article file ---------------------------------------------


def fail_renames_over(target: Path) -> Any:
    real_replace = os.replace

    def replace(source: Any, destination: Any) -> None:
        if Path(destination) == target:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(source, destination)

    return replace


def test_an_article_file_that_cannot_be_written_after_its_journal_line_is_corrected_in_the_journal(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with AnnotationStore(path) as store:
        kept = store.add(annotation(tags=["kept"]), ref("budget"))
        shard_before = layout.shard_path(path, "budget").read_bytes()
        with monkeypatch.context() as patch:
            patch.setattr(os, "replace", fail_renames_over(layout.shard_path(path, "budget")))
            with pytest.raises(StoreError, match="not saved"):
                store.add(annotation(tags=["lost"]))
        assert layout.shard_path(path, "budget").read_bytes() == shard_before
        assert store.passages_with_tag("lost") == [] and store.counts_by_article() == {"budget": 1}
        assert temporaries(path) == []
    # The journal says so itself: its last line is the article as it really is.
    last = json.loads(journal_lines(path)[-1])
    assert last["h"] == shards.digest(shard_before) and [entry[0] for entry in last["ann"]] == [kept.id]
    with AnnotationStore(path) as reopened:
        assert_agrees_with_the_files(reopened, path)


def test_when_the_correction_cannot_be_written_either_every_reader_still_gets_the_truth(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with AnnotationStore(path) as store:
        kept = store.add(annotation(tags=["kept"]), ref("budget"))
        real_append = Journal.append
        appended: list[Summary] = []

        def append_once(journal: Journal, summary: Summary) -> None:
            if appended:
                raise StoreWriteFailed(journal.path, OSError(errno.ENOSPC, "No space"), replaced=False)
            appended.append(summary)
            real_append(journal, summary)

        with monkeypatch.context() as patch:
            patch.setattr(Journal, "append", append_once)
            patch.setattr(os, "replace", fail_renames_over(layout.shard_path(path, "budget")))
            with pytest.raises(StoreError):
                store.add(annotation(tags=["lost"]))
            assert store.passages_with_tag("lost") == []  # this process knows better than its journal
        # Another process reads the journal, which says too much: it checks and corrects it.
        with AnnotationStore(path) as other:
            assert other.counts_by_article() == {"budget": 1}
            assert other.passages_with_tag("lost") == []
        assert json.loads(journal_lines(path)[-1])["ann"] == [[kept.id, ["kept"]]]
        # And the first store's next change goes on from the truth.
        store.add(annotation("another"))
        assert_agrees_with_the_files(store, path)


def test_stray_temporaries_in_the_scratch_folder_are_removed_on_open(path: Path) -> None:
    AnnotationStore(path).close()
    stray = layout.scratch_folder(path) / f".budget-0123.json.4f3e2d1c{TEMP_SUFFIX}"
    stray.write_bytes(b'{"annotations": {"half')
    AnnotationStore(path).close()
    assert not stray.exists()


# -- the index on its own --------------------------------------------------------------------------

SUMMARIES = st.lists(
    st.builds(
        lambda article, entries: Summary(
            article, "d", None, [[f"{article}-{n}", tags] for n, tags in enumerate(entries)]
        ),
        st.sampled_from(["a", "b", "c", "d"]),
        st.lists(st.lists(st.sampled_from(["Red", "red", "Blue", "BLUE ", "green"]), max_size=3), max_size=4),
    ),
    max_size=30,
)


@given(SUMMARIES, st.integers(min_value=0, max_value=30))
def test_an_index_kept_current_answers_as_one_built_afresh(summaries: list[Summary], asked_at: int) -> None:
    """Incremental upkeep (maps built at any point, then updated) gives what a fresh build gives."""
    current = Index()
    for number, summary in enumerate(summaries):
        if number == asked_at:
            current.tag_counts(), current.article_of("x")  # build the lazy maps part way
        current.apply(summary)
    latest = {summary.article_id: summary for summary in summaries}
    fresh = Index(latest.values())
    assert current.tag_counts() == fresh.tag_counts()
    assert current.counts_by_article() == fresh.counts_by_article()
    for tag in ["red", "BLUE", "green", "none"]:
        assert current.articles_with_tag(tag) == fresh.articles_with_tag(tag)
    for summary in latest.values():
        for annotation_id, _ in summary.entries:
            assert current.article_of(annotation_id) == fresh.article_of(annotation_id) == summary.article_id
